"""A rule declared once, for one record and for a whole package.

A domain app's ``rules.py`` declares each rule its services enforce as a ``Rule``: the
field it blames, its message (gettext, with ``%(name)s`` placeholders) and, where it can be
said of one row, ``broken``: a Polars expression over named columns that is true where a
row breaks it. The service applies the rule to the one record it writes
(``rule.check(record=..., values={...})`` evaluates the very same expression on a one-row
frame); the importer applies it to a whole file at once (``rule.where()`` as a filter and
``rule.reason()`` as the message of each row, its placeholders filled from the row's
columns). A rule that needs several records (a posting never overdraws, in order) is a
frame function beside its rule, and the rule gives both channels its message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.utils.functional import Promise

from fupin.core.errors import ApplicationError, InvalidInput

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Rule:
    code: str
    field: str
    message: Promise | str
    broken: Callable[[], pl.Expr] | None = None
    error: type[ApplicationError] = InvalidInput

    def text(self, **values: Any) -> str:
        """The message with its placeholders filled (in the active language)."""
        message = str(self.message)
        return message % values if values else message

    def refusal(self, *, record: str | None, field: str | None = None, **values: Any) -> ApplicationError:
        """The error a service raises for one record."""
        return self.error(self.text(**values), field=field or self.field or None, record=record)

    def where(self) -> pl.Expr:
        """True where a row breaks the rule (null counts as not broken)."""
        if self.broken is None:
            raise TypeError(f"rule {self.code} is checked by a frame function, not an expression")
        return self.broken().fill_null(False)

    def reason(self, **columns: str | pl.Expr) -> pl.Expr:
        """The message of each row: a placeholder is filled from the expression or column
        given for it, else from the column of its name."""
        parts: list[pl.Expr] = []
        for i, piece in enumerate(_PLACEHOLDER.split(str(self.message))):
            if i % 2 == 0:
                if piece:
                    parts.append(pl.lit(piece.replace("%%", "%")))
                continue
            given = columns.get(piece, piece)
            value = pl.col(given) if isinstance(given, str) else given
            parts.append(value.cast(pl.String).fill_null(""))
        return pl.concat_str(parts) if parts else pl.lit("")

    def broken_by(self, values: Mapping[str, Any]) -> bool:
        row = pl.DataFrame({name: [value] for name, value in values.items()}, strict=False)
        return bool(row.select(self.where()).item())

    def check(
        self,
        *,
        record: str | None,
        values: Mapping[str, Any],
        field: str | None = None,
        **message: Any,
    ) -> None:
        """Raise the rule's error naming ``record`` if the record (its ``values``, by the
        columns' names) breaks it; the message is filled from ``values`` and ``message``."""
        if self.broken_by(values):
            raise self.refusal(record=record, field=field, **{**values, **message})


def number(column: str) -> pl.Expr:
    """A column as a whole number, whether it holds numbers or their text."""
    return pl.col(column).cast(pl.Int64, strict=False)


def amount(column: str) -> pl.Expr:
    """A column as an amount of money, from numbers or their text (for signs and sums of
    amounts of at most 2 decimals)."""
    return pl.col(column).cast(pl.String).cast(pl.Float64, strict=False)


def text(column: str) -> pl.Expr:
    """A column as text (a date as YYYY-MM-DD), null as empty."""
    return pl.col(column).cast(pl.String).fill_null("")


def given(column: str) -> pl.Expr:
    """The column holds a value (not null, not empty text)."""
    return text(column) != ""


def area_prefix(column: str) -> pl.Expr:
    """The significant digits of an area code (``2301`` for a city): the codes below it
    are the codes that start with them (``fupin.core.areacodes.descendant_range``)."""
    col = pl.col(column)
    expr = col
    for digits in (9, 6, 4, 2):
        expr = pl.when(col.str.slice(digits) == "0" * (12 - digits)).then(col.str.slice(0, digits)).otherwise(expr)
    return expr


def within(column: str, area_column: str) -> pl.Expr:
    """The code in ``column`` is the area in ``area_column`` or below it."""
    return pl.col(column).str.starts_with(area_prefix(area_column))
