"""The data exchange package: one file (CSV) or sheet (XLSX) per entity.

This module describes the format: the kinds of column, ``Column`` and ``Entity``. The
entities themselves are declared by the apps that own them, in their ``exchange.py``
(``fupin.exchange.registry``), and collected in ``ENTITIES``. Import validation, export,
the blank templates, their reference sheet of code lists and docs/data-exchange.md are
all made from them.

Rows refer to each other by natural keys (area code, household code, ID number, batch
number, project code, zone code, ledger entry number), never by database ids.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from fupin.core.validation import PHONE_MAX_LENGTH, PHONE_MESSAGE, PHONE_PATTERN, YEARS

# kinds of column
TEXT = "text"
INT = "int"
DECIMAL = "decimal"
SIGNED_DECIMAL = "signed_decimal"  # an amount that may be negative (a reversing ledger entry)
QUANTITY = "quantity"  # zero or more, with up to 3 decimals
DATE = "date"
BOOL = "bool"
OPTIONAL_BOOL = "bool_or_empty"  # 1 or 0, or empty for "not known" (stored as NULL)
CODE = "code"  # one value of a code list
CODES = "codes"  # several values of a code list, separated by ";"
AREA = "area"  # a 12-digit area code
AREA_LIST = "area_list"  # 12-digit area codes separated by ";"
ID_NUMBER = "id_number"  # an 18-digit resident ID number

KIND_HELP = {
    TEXT: _("text"),
    INT: _("whole number"),
    DECIMAL: _("number with at most 2 decimals"),
    SIGNED_DECIMAL: _("number with at most 2 decimals, negative allowed"),
    QUANTITY: _("number with at most 3 decimals"),
    DATE: _("date, YYYY-MM-DD"),
    BOOL: _("1 or 0 (also true/false, yes/no, 是/否)"),
    OPTIONAL_BOOL: _("1 or 0 as for bool, or empty: not yet assessed"),
    CODE: _("one code of the list"),
    CODES: _("codes of the list separated by ;"),
    AREA: _("12-digit area code"),
    AREA_LIST: _("12-digit area codes separated by ;"),
    ID_NUMBER: _("18-digit ID number (GB 11643)"),
}


@dataclass(frozen=True)
class CodeList:
    """A model field's code list (its ``choices``), as a column's ``choices``."""

    choices: tuple[tuple[str, Any], ...]

    @property
    def values(self) -> list[str]:
        return [value for value, _label in self.choices]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    choices: type[TextChoices] | CodeList | None = None
    max_length: int | None = None
    example: str = ""
    help: Any = ""
    minimum: int | None = None
    maximum: int | None = None
    digits: int | None = None  # most digits before the decimal point (of a number column)
    pattern: str | None = None  # a text column's values match this regular expression
    pattern_help: Any = ""  # what the pattern means, for the docs (and errors, without pattern_message)
    pattern_message: Any = ""  # the reason a value not of the pattern is refused (the service's rule's message)
    refers_to: str | None = None  # the entity whose keys the column holds (a household code...)

    @property
    def codes(self) -> list[str]:
        return [v for v in self.choices.values if v] if self.choices else []


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    help: Any = ""
    depends_on: tuple[str, ...] = field(default_factory=tuple)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def phone_column() -> Column:
    return Column(
        "phone",
        TEXT,
        max_length=PHONE_MAX_LENGTH,
        pattern=PHONE_PATTERN,
        pattern_help=_("a phone number: digits, with spaces or hyphens, and an optional leading +"),
        pattern_message=PHONE_MESSAGE,
        example="13900000000",
    )


def money_column(name: str, help_: Any) -> Column:
    return Column(name, DECIMAL, example="1200.00", help=help_)


def year_column(name: str = "year", *, required: bool = True, example: str = "2009", help_: Any = "") -> Column:
    return Column(name, INT, required=required, minimum=YEARS[0], maximum=YEARS[1], example=example, help=help_)


# every registered entity, in dependency order: filled by fupin.exchange.registry
ENTITIES: dict[str, Entity] = {}


# the kind of column of each kind of model field (a field with choices is a CODE column)
_KINDS: tuple[tuple[type[models.Field], str], ...] = (
    (models.BooleanField, BOOL),
    (models.DateField, DATE),
    (models.DecimalField, DECIMAL),
    (models.IntegerField, INT),  # and the small, big and positive ones
    (models.CharField, TEXT),
    (models.TextField, TEXT),
)


def model_column(model: type[models.Model], name: str, **overrides: Any) -> Column:
    """The column of the model's field ``name``: its kind from the field's class (a
    nullable boolean: 1, 0 or empty; a field with choices: one code of them), required
    when the field may be neither blank nor defaulted, ``max_length`` of a text field,
    ``minimum``/``maximum`` of a number field's validators, ``choices`` from the field's
    code list; ``overrides`` (example, help, or any of these) are applied on top."""
    field_ = model._meta.get_field(name)
    if not isinstance(field_, models.Field) or field_.is_relation:
        raise TypeError(f"{model.__name__}.{name} is a relation: declare its natural-key column")
    values: dict[str, Any] = {"required": not field_.blank and not field_.has_default()}
    if field_.choices:
        values.update(kind=CODE, choices=CodeList(tuple((str(v), label) for v, label in field_.choices)))
    else:
        kind = next((k for cls, k in _KINDS if isinstance(field_, cls)), None)
        if kind is None:
            raise TypeError(f"{model.__name__}.{name}: no column kind for {type(field_).__name__}")
        if kind == BOOL and field_.null:
            kind = OPTIONAL_BOOL
        values["kind"] = kind
        if kind == TEXT:
            values["max_length"] = field_.max_length
        for validator in field_.validators:
            if isinstance(validator, MinValueValidator):
                values["minimum"] = validator.limit_value
            elif isinstance(validator, MaxValueValidator):
                values["maximum"] = validator.limit_value
    values.update(overrides)
    return Column(name, **values)


def model_columns(
    model: type[models.Model],
    names: Sequence[str],
    overrides: Mapping[str, Column | Mapping[str, Any]] | None = None,
) -> tuple[Column, ...]:
    """The columns ``names`` of a file, in order, derived from the model's fields
    (``model_column``). ``overrides[name]`` is either a ``Column`` (a natural-key column in
    place of a relation, or a column that is not a field of the model) or the attributes
    given on top of the derived ones (``{"example": "1组12号", "required": True}``)."""
    columns = []
    for name in names:
        given = (overrides or {}).get(name, {})
        if isinstance(given, Column):
            columns.append(dataclasses.replace(given, name=name))
        else:
            columns.append(model_column(model, name, **given))
    return tuple(columns)
