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

from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from fupin.core.validation import PHONE_MAX_LENGTH, PHONE_PATTERN, YEARS

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
class Column:
    name: str
    kind: str
    required: bool = False
    choices: type[TextChoices] | None = None
    max_length: int | None = None
    example: str = ""
    help: Any = ""
    minimum: int | None = None
    maximum: int | None = None
    digits: int | None = None  # most digits before the decimal point (of a number column)
    pattern: str | None = None  # a text column's values match this regular expression
    pattern_help: Any = ""  # what the pattern means, for errors and the docs
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
        example="13900000000",
    )


def money_column(name: str, help_: Any) -> Column:
    return Column(name, DECIMAL, example="1200.00", help=help_)


def year_column(name: str = "year", *, required: bool = True, example: str = "2009", help_: Any = "") -> Column:
    return Column(name, INT, required=required, minimum=YEARS[0], maximum=YEARS[1], example=example, help=help_)


# every registered entity, in dependency order: filled by fupin.exchange.registry
ENTITIES: dict[str, Entity] = {}
