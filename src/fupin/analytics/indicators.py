"""The indicator engine: every figure of the annual report, as an expression over a
snapshot.

The list of indicators (id, section, unit, kind, names, definition) is
``data/indicators.csv``, a copy of the project's specification
(``shared/spec/indicators.csv``). Its ``seed_2009`` column is the figure the 2009
report printed; the demo is built to reproduce it, and it is never read here. The domain
apps register the computation of each indicator whose records they keep
(``fupin.analytics.registry.computes``, in their ``indicators.py``), written once in Ibis
against a ``Scope``; the others report "not available" with their section's reason
(``fupin.analytics.sections``), never zero.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from decimal import Decimal
from importlib import resources
from typing import Any

import ibis
import ibis.expr.types as ir
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fupin.analytics.engine import Scope
from fupin.analytics.registry import COMPUTE, Compute, computes
from fupin.analytics.sections import reason_for

__all__ = ["Indicator", "Value", "computes", "count", "evaluate", "indicators", "total"]


@dataclasses.dataclass(frozen=True)
class Indicator:
    id: str
    section: str
    unit: str
    kind: str
    name_en: str
    name_zh: str
    definition: str
    compute: Compute | None
    reason: Any = None  # lazy text, when compute is None

    @property
    def available(self) -> bool:
        return self.compute is not None

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_zh


def count(table: ir.Table) -> ir.Scalar:
    """The number of rows (0 over none)."""
    return table.count()


def total(column: ir.NumericColumn) -> ir.Scalar:
    """The sum of a column, 0 over no rows."""
    return ibis.coalesce(column.sum(), 0)


@functools.cache
def indicators() -> dict[str, Indicator]:
    """Every indicator of the specification, in its order, with the computation an
    installed app registered for it."""
    text = resources.files("fupin.analytics").joinpath("data/indicators.csv").read_text(encoding="utf-8")
    result = {}
    for row in csv.DictReader(text.splitlines()):
        compute = COMPUTE.get(row["id"])
        result[row["id"]] = Indicator(
            id=row["id"],
            section=row["section"],
            unit=row["unit"],
            kind=row["kind"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            definition=row["definition"],
            compute=compute,
            reason=None if compute else reason_for(row["id"], row["section"]),
        )
    unknown = sorted(set(COMPUTE) - set(result))
    if unknown:
        raise ImproperlyConfigured(f"computations registered for indicators not in indicators.csv: {unknown}")
    return result


NO_REFERENCE = _("No reference figure is recorded for this area.")
# Over zero records, a count or a sum is 0 (``_count``, ``_sum``); a mean or a ratio has
# nothing to divide by and is not available, for this reason.
NO_RECORDS = _("There are no records to compute this figure from for this area and year.")


@dataclasses.dataclass(frozen=True)
class Value:
    indicator: Indicator
    value: int | float | None
    reason: Any = None  # lazy text: why there is no value

    @property
    def available(self) -> bool:
        return self.value is not None


def _plain(value: Any, unit: str) -> int | float | None:
    """A computed value as the report gives it: an integer when it is whole, else the
    number itself, unrounded. A sum over decimal columns comes from DuckDB as an exact
    ``Decimal`` (``registry.decimal_type``) and is given as the double nearest to it,
    whose shortest form is that decimal (up to 15 significant digits); rounding is the
    display's (``fupin.analytics.report.fmt``)."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value != value:  # NaN: no records
        return None
    return int(value) if float(value).is_integer() else float(value)


def evaluate(scope: Scope, ids: list[str] | None = None) -> list[Value]:
    """The value of each indicator (all of them by default) for the scope's area and year."""
    registry = indicators()
    chosen = [registry[i] for i in ids] if ids is not None else list(registry.values())
    values = []
    for indicator in chosen:
        if indicator.compute is None:
            values.append(Value(indicator, None, indicator.reason))
            continue
        result = indicator.compute(scope)
        if isinstance(result, ir.Expr):
            result = scope.con.execute(result)
        value = _plain(result, indicator.unit)
        reason = (NO_REFERENCE if indicator.kind == "reference" else NO_RECORDS) if value is None else None
        values.append(Value(indicator, value, reason))
    return values
