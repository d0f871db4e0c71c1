"""What the domain apps register with the analytics framework.

The framework (snapshot writer, indicator engine, annual report, measures) knows no domain
app. Each app declares, in modules the framework discovers in ``AnalyticsConfig.ready()``
(``autodiscover_modules("snapshot")`` then ``autodiscover_modules("indicators")``):

- in ``<app>/snapshot.py``, its snapshot tables: ``table(...)`` (or ``model_table(...)``,
  which derives the columns and the SELECT from the model's fields), the code lists whose
  labels the pages show (``labels``) and the years the report offers (``years``);
- in ``<app>/indicators.py``, the computation of each indicator of
  ``data/indicators.csv`` it can compute: ``@computes("indicator.id")``, and the
  generated sentences of the report section whose figures it computes:
  ``@sentences("section")``.

The report's sections (their order, titles and the reason shown for an indicator nobody
computes) are the report's, in ``fupin.analytics.sections``; an app that brings a section
the seed does not have adds it with ``section(...)``.

See docs/adding-an-app.md, section "analytics".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyarrow as pa
from django.db import models

Columns = dict[str, pa.DataType]
SQL = str | Callable[[dt.date], str]
Compute = Callable[[Any], Any]  # a Scope -> an Ibis expression or a plain value
Sentences = Callable[[Any], list[str]]  # an AnnualReport -> the section's sentences, in the active language


@dataclasses.dataclass(frozen=True)
class Table:
    """A snapshot table.

    ``columns`` and ``sql`` describe what is read from the database (``src_<name>``):
    the SELECT's columns in that order, with their Arrow types. ``derive`` is the DuckDB
    SELECT that makes the snapshot's table ``<name>`` from the ``src_*`` tables and the
    tables derived before it (default: ``SELECT * FROM src_<name>``); ``{as_of}`` in it is
    replaced by the date's SQL literal (``DATE '2009-12-31'``)."""

    name: str
    columns: Columns
    sql: SQL
    models: tuple[type[models.Model], ...] = ()
    sliced: int = 1
    derive: SQL | None = None
    materialize: bool = False
    partition: str | None = None

    def select(self, as_of: dt.date) -> str:
        return self.sql(as_of) if callable(self.sql) else self.sql

    def derivation(self, as_of: dt.date) -> str:
        if self.derive is None:
            return f"SELECT * FROM src_{self.name}"  # noqa: S608 - a registered table name
        text = self.derive(as_of) if callable(self.derive) else self.derive
        return text.replace("{as_of}", f"DATE '{as_of.isoformat()}'")


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: Any  # lazy text
    reason: Any = ""  # lazy text: why its indicators are not available while no app computes them


TABLES: dict[str, Table] = {}
COMPUTE: dict[str, Compute] = {}
SECTIONS: dict[str, tuple[int | None, Section]] = {}
SENTENCES: dict[str, Sentences] = {}
LABELS: dict[str, dict[str, Any]] = {}
YEARS: list[Callable[[], tuple[int | None, int | None]]] = []


def table(
    name: str,
    columns: Columns,
    sql: SQL,
    *,
    models: Sequence[type[models.Model]] = (),
    sliced: int = 1,
    derive: SQL | None = None,
    materialize: bool = False,
    partition: str | None = None,
) -> Table:
    """Register a snapshot table.

    - ``columns``: the Arrow schema of what ``sql`` selects, in its order (an empty result
      keeps these types);
    - ``sql``: the SELECT (or a function of the as-of date returning it), in SQL that both
      SQLite and PostgreSQL run (``DOUBLE PRECISION`` becomes ``REAL`` on SQLite);
    - ``models``: the models it reads; the highest id of each is part of
      ``database_state``, which tells whether a stored snapshot is still current;
    - ``sliced``: read in this many slices (``id % n``) on parallel connections (the
      SELECT must have an ``id`` column);
    - ``derive``: the DuckDB SELECT that makes the snapshot's table (see ``Table``);
    - ``materialize``: a table rather than a view in DuckDB (when later tables join it);
    - ``partition``: a DuckDB expression: the table is written as Hive partitions
      ``part=<value>/`` instead of one file.

    Tables are derived and written in the order of registration (the apps' order in
    ``INSTALLED_APPS``, then the order in each ``snapshot.py``)."""
    if name in TABLES:
        raise ValueError(f"snapshot table {name!r} is registered twice")
    entry = Table(
        name=name,
        columns=dict(columns),
        sql=sql,
        models=tuple(models),
        sliced=sliced,
        derive=derive,
        materialize=materialize,
        partition=partition,
    )
    TABLES[name] = entry
    return entry


def decimal_type(field: models.DecimalField) -> pa.DataType:
    """The snapshot's type of a decimal field: a decimal of the field's digits and places.

    The SELECT reads it as a double (one fast path on every driver); a double holds any
    value of up to 15 significant digits to the nearest, so the cast back to the field's
    places gives the stored value exactly, and sums over it in DuckDB are exact decimals:
    a figure keeps the precision of its records (rounding is the display's, see
    ``fupin.analytics.report.fmt``)."""
    return pa.decimal128(field.max_digits, field.decimal_places)


def decimal_of(model: type[models.Model], name: str) -> pa.DataType:
    """``decimal_type`` of a model's field by name: for hand-written tables' columns."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.DecimalField):
        raise TypeError(f"{model.__name__}.{name} is not a decimal field")
    return decimal_type(field)


# Arrow types of Django fields, for ``model_table``. Decimals are read as doubles and cast
# back to their decimal type (``decimal_type``).
_INT32 = (models.SmallIntegerField, models.PositiveSmallIntegerField)
_INT64 = (models.AutoField, models.BigAutoField, models.IntegerField, models.ForeignKey)


def arrow_type(field: models.Field) -> pa.DataType:
    """The snapshot's Arrow type of a model field (a generated field's: its output's)."""
    if isinstance(field, models.GeneratedField) and field.output_field is not None:
        field = field.output_field
    if isinstance(field, _INT32):
        return pa.int32()
    if isinstance(field, models.BooleanField):
        return pa.bool_()
    if isinstance(field, models.DecimalField):
        return decimal_type(field)
    if isinstance(field, models.FloatField):
        return pa.float64()
    if isinstance(field, models.DateTimeField):
        return pa.timestamp("us", tz="UTC")
    if isinstance(field, models.DateField):
        return pa.date32()
    if isinstance(field, _INT64):
        return pa.int64()
    if isinstance(field, (models.CharField, models.TextField)):
        return pa.string()
    raise TypeError(f"no Arrow type for {field!r}: declare it in types=")


def model_columns(
    model: type[models.Model],
    names: Iterable[str],
    *,
    rename: dict[str, str] | None = None,
    types: Columns | None = None,
) -> tuple[Columns, str]:
    """The columns and the SELECT list of some of a model's fields, derived from the
    fields: ``names`` are the snapshot's column names, each a field's ``attname``
    (``household_id``) unless ``rename`` maps it to one; ``types`` overrides a type."""
    rename, types = rename or {}, types or {}
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns: Columns = {}
    parts = []
    for name in names:
        field = fields[rename.get(name, name)]
        kind = types.get(name) or arrow_type(field)
        columns[name] = kind
        stored = field.output_field if isinstance(field, models.GeneratedField) else field
        is_decimal = isinstance(stored, (models.DecimalField, models.FloatField))
        parts.append(f"CAST({field.column} AS DOUBLE PRECISION)" if is_decimal else field.column)
    return columns, ", ".join(parts)


def model_table(
    name: str,
    model: type[models.Model],
    names: Iterable[str],
    *,
    rename: dict[str, str] | None = None,
    types: Columns | None = None,
    where: SQL | None = None,
    models: Sequence[type[models.Model]] = (),
    **options: Any,
) -> Table:
    """Register a snapshot table of one model's fields (``model_columns``), optionally
    with a WHERE clause (text, or a function of the as-of date); ``models`` defaults to
    the model itself. Other options are those of ``table``."""
    columns, select = model_columns(model, names, rename=rename, types=types)
    base = f"SELECT {select} FROM {model._meta.db_table}"  # noqa: S608 - the model's own names

    def sql(as_of: dt.date) -> str:
        clause = where(as_of) if callable(where) else where
        return f"{base} WHERE {clause}" if clause else base

    return table(name, columns, sql, models=models or (model,), **options)


def computes(indicator_id: str) -> Callable[[Compute], Compute]:
    """Register the computation of an indicator of ``data/indicators.csv``: a function of
    a ``fupin.analytics.engine.Scope`` returning an Ibis expression (run by the scope's
    backend) or a plain value; ``None``, NaN or a NULL result is "not available"."""

    def register(fn: Compute) -> Compute:
        if indicator_id in COMPUTE:
            raise ValueError(f"indicator {indicator_id!r} is computed twice")
        COMPUTE[indicator_id] = fn
        return fn

    return register


def sentences(section_key: str) -> Callable[[Sentences], Sentences]:
    """Register the generated sentences of a report section: a function of the
    ``fupin.analytics.report.AnnualReport`` returning the section's sentences in the active
    language, carrying its figures (``report.value(id)``, ``report.figure(id)``). A
    sentence whose figures are not available is left out, never written with a blank."""

    def register(fn: Sentences) -> Sentences:
        if section_key in SENTENCES:
            raise ValueError(f"the sentences of section {section_key!r} are registered twice")
        SENTENCES[section_key] = fn
        return fn

    return register


def section(key: str, title: Any, *, reason: Any = "", order: int | None = None) -> Section:
    """Add a report section the seed does not have (the seed's are the report's own, in
    ``fupin.analytics.sections``): shown after them, by ``order`` then registration."""
    entry = Section(key, title, reason)
    SECTIONS[key] = (order, entry)
    return entry


def labels(key: str, choices: Any) -> None:
    """The labels of a code list that the analytics pages show, under a key such as
    ``"households.status"``: a Django ``Choices`` class or ``(code, label)`` pairs."""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    LABELS[key] = dict(pairs)


def label(key: str, code: str) -> str:
    """The label of a code (the code itself if none is registered)."""
    return str(LABELS.get(key, {}).get(code, code))


def years(span: Callable[[], tuple[int | None, int | None]]) -> Callable[[], tuple[int | None, int | None]]:
    """Register where the report's years come from: a function returning the first and
    the last year of the app's records (or ``(None, None)``). The report pages offer every
    year from the earliest first to the latest last."""
    YEARS.append(span)
    return span
