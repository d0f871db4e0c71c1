"""Column-wise checks of one table against its entity's columns, vectorised with Polars.

Every cell is checked at once; each failure becomes a ``RowError`` with its line and
column. The result keeps every column as a normalised string (empty = null), which is
what the loaders write and what export produces, so that export followed by import
compares equal."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core import validation
from fupin.exchange import schema
from fupin.exchange.errors import RowError

TRUE = ["1", "true", "t", "yes", "y", "是", "√"]
FALSE = ["0", "false", "f", "no", "n", "否", ""]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _errors(df: pl.DataFrame, mask: pl.Expr, file: str, column: str, reason: pl.Expr | str) -> list[RowError]:
    reason_expr = reason if isinstance(reason, pl.Expr) else pl.lit(reason)
    bad = df.filter(mask).select(pl.col("_line"), reason_expr.alias("reason"))
    return [RowError(file, line, column, text) for line, text in bad.iter_rows()]


def id_check_char(col: pl.Expr) -> pl.Expr:
    total = pl.sum_horizontal([col.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(WEIGHTS)])
    return pl.lit(CHECK).str.slice(total % 11, 1)


def check_columns(df: pl.DataFrame, entity: schema.Entity, file: str) -> tuple[pl.DataFrame, list[RowError]]:
    errors: list[RowError] = []
    present = [c for c in df.columns if c != "_line"]
    unknown = [c for c in present if c not in entity.column_names]
    for name in unknown:
        errors.append(
            RowError(
                file, 1, name, _("unknown column; the columns are: %(cols)s") % {"cols": ", ".join(entity.column_names)}
            )
        )
    for column in entity.columns:
        if column.name not in present:
            if column.required:
                errors.append(RowError(file, 1, column.name, _("required column is missing")))
            df = df.with_columns(pl.lit("", dtype=pl.String).alias(column.name))
    # strip, and undo the apostrophe that export puts before text a spreadsheet would run
    df = df.with_columns([pl.col(c.name).str.strip_chars().pipe(_unescape) for c in entity.columns])
    out = []
    for column in entity.columns:
        name = column.name
        col = pl.col(name)
        empty = col.is_null() | (col == "")
        if column.required:
            errors += _errors(df, empty, file, name, _("a value is required"))
        if column.kind == schema.TEXT:
            errors += _errors(
                df,
                col.str.contains(validation.CONTROL_CHARACTERS),
                file,
                name,
                str(validation.CONTROL_CHARACTERS_MESSAGE),
            )
            if column.pattern:
                errors += _errors(
                    df,
                    ~empty & ~col.str.contains(column.pattern) & (col.str.len_chars() <= (column.max_length or 10**6)),
                    file,
                    name,
                    str(column.pattern_message)
                    if column.pattern_message
                    else pl.format("“{}”: " + str(column.pattern_help or _("not of the expected form")), col),
                )
            if column.max_length:
                errors += _errors(
                    df,
                    col.str.len_chars() > column.max_length,
                    file,
                    name,
                    str(validation.TOO_LONG_MESSAGE) % {"n": column.max_length},
                )
            out.append(col)
        elif column.kind == schema.INT:
            value = col.cast(pl.Int64, strict=False)
            errors += _errors(df, ~empty & value.is_null(), file, name, pl.format(_("“{}” is not a whole number"), col))
            if column.minimum is not None and column.maximum is not None:
                # the range of the services' check_int, in its words
                errors += _errors(
                    df,
                    (value < column.minimum) | (value > column.maximum),
                    file,
                    name,
                    str(validation.INT_RANGE_MESSAGE) % {"first": column.minimum, "last": column.maximum},
                )
            elif column.minimum is not None:
                errors += _errors(
                    df, value < column.minimum, file, name, _("must be at least %(n)s") % {"n": column.minimum}
                )
            elif column.maximum is not None:
                errors += _errors(
                    df, value > column.maximum, file, name, _("must be at most %(n)s") % {"n": column.maximum}
                )
            out.append(pl.when(empty).then(None).otherwise(value.cast(pl.String)).alias(name))
        elif column.kind in (schema.DECIMAL, schema.SIGNED_DECIMAL, schema.QUANTITY):
            places = 3 if column.kind == schema.QUANTITY else 2
            sign = "-?" if column.kind == schema.SIGNED_DECIMAL else ""
            ok = col.str.contains(rf"^{sign}[0-9]+(\.[0-9]{{1,{places}}})?$")
            negative = col.str.contains(r"^-[0-9]")
            if not sign:
                errors += _errors(df, ~empty & ~ok & negative, file, name, _("must be zero or more"))
            errors += _errors(
                df,
                ~empty & ~ok & (~negative if not sign else pl.lit(True)),
                file,
                name,
                pl.format(
                    _("“{}” is not a number with at most 2 decimals")
                    if places == 2
                    else _("“{}” is not a number with at most 3 decimals"),
                    col,
                ),
            )
            if column.digits is not None:
                whole = col.str.strip_prefix("-").str.split(".").list.first().str.strip_chars_start("0")
                errors += _errors(
                    df,
                    ~empty & ok & (whole.str.len_chars() > column.digits),
                    file,
                    name,
                    _("too large: at most %(n)s digits before the decimal point") % {"n": column.digits},
                )
            normal = col.cast(pl.Decimal(18 + places, places), strict=False).cast(pl.String)
            out.append(pl.when(empty).then(None).otherwise(normal).alias(name))
        elif column.kind == schema.DATE:
            value = col.str.to_date("%Y-%m-%d", strict=False)
            errors += _errors(
                df,
                ~empty & (value.is_null() | ~col.str.contains(r"^\d{4}-\d{2}-\d{2}$")),
                file,
                name,
                pl.format(_("“{}” is not a date (YYYY-MM-DD)"), col),
            )
            first, last = validation.FIRST_DATE, validation.last_date()
            errors += _errors(
                df,
                value.is_not_null() & ((value < first) | (value > last)),
                file,
                name,
                str(validation.DATE_WINDOW_MESSAGE) % {"first": first, "last": last},
            )
            out.append(pl.when(empty).then(None).otherwise(value.cast(pl.String)).alias(name))
        elif column.kind == schema.BOOL:
            low = col.str.to_lowercase()
            errors += _errors(
                df, ~empty & ~low.is_in(TRUE + FALSE), file, name, pl.format(_("“{}” is not 1 or 0"), col)
            )
            out.append(pl.when(low.is_in(TRUE)).then(pl.lit("1")).otherwise(pl.lit("0")).alias(name))
        elif column.kind == schema.OPTIONAL_BOOL:
            low = col.str.to_lowercase()
            errors += _errors(
                df, ~empty & ~low.is_in(TRUE + FALSE), file, name, pl.format(_("“{}” is not 1, 0 or empty"), col)
            )
            value = pl.when(low.is_in(TRUE)).then(pl.lit("1")).otherwise(pl.lit("0"))
            out.append(pl.when(empty).then(pl.lit(None, dtype=pl.String)).otherwise(value).alias(name))
        elif column.kind == schema.CODE:
            codes = column.codes
            errors += _errors(
                df,
                ~empty & ~col.is_in(codes),
                file,
                name,
                pl.format(_("unknown code “{}”; allowed: ") + ", ".join(codes), col),
            )
            out.append(pl.when(empty).then(pl.lit("")).otherwise(col).alias(name))
        elif column.kind == schema.CODES:
            codes = column.codes
            parts = (
                col.str.split(";")
                .list.eval(pl.element().str.strip_chars())
                .list.eval(pl.element().filter(pl.element() != ""))
            )
            bad = parts.list.eval(pl.element().is_in(codes).not_()).list.any()
            errors += _errors(
                df, ~empty & bad, file, name, pl.format(_("unknown code in “{}”; allowed: ") + ", ".join(codes), col)
            )
            out.append(pl.when(empty).then(pl.lit("")).otherwise(parts.list.sort().list.join(";")).alias(name))
        elif column.kind == schema.AREA:
            errors += _errors(
                df,
                ~empty & ~col.str.contains(r"^[0-9]{12}$"),
                file,
                name,
                pl.format(_("“{}” is not a 12-digit area code"), col),
            )
            out.append(pl.when(empty).then(pl.lit("")).otherwise(col).alias(name))
        elif column.kind == schema.AREA_LIST:
            parts = (
                col.str.split(";")
                .list.eval(pl.element().str.strip_chars())
                .list.eval(pl.element().filter(pl.element() != ""))
            )
            bad = parts.list.eval(pl.element().str.contains(r"^[0-9]{12}$").not_()).list.any()
            errors += _errors(
                df, ~empty & bad, file, name, pl.format(_("“{}” holds something other than 12-digit area codes"), col)
            )
            errors += _errors(df, ~empty & (parts.list.len() == 0), file, name, _("give at least one area code"))
            normal = parts.list.unique().list.sort().list.join(";")
            out.append(pl.when(empty).then(pl.lit("")).otherwise(normal).alias(name))
        elif column.kind == schema.ID_NUMBER:
            upper = col.str.to_uppercase()
            shape = upper.str.contains(r"^[0-9]{17}[0-9X]$")
            born = upper.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
            # the reasons of registry.idnumbers.validate, one per number, in its order
            area_ok = upper.str.slice(0, 2).is_in(sorted(validation.PROVINCE_CODES))
            in_window = (born >= validation.FIRST_DATE) & (born <= today())
            reasons = [
                (~shape, _fill(validation.ID_SHAPE_REASON)),
                (~area_ok, _fill(validation.ID_AREA_REASON, area=upper.str.slice(0, 6))),
                (born.is_null(), _fill(validation.ID_BIRTH_IMPOSSIBLE_REASON)),
                (
                    ~in_window,
                    _fill(
                        validation.ID_BIRTH_RANGE_REASON, born=born.cast(pl.String), first=str(validation.FIRST_DATE)
                    ),
                ),
                (
                    upper.str.slice(17, 1) != id_check_char(upper),
                    _fill(
                        validation.ID_CHECK_DIGIT_REASON, given=upper.str.slice(17, 1), expected=id_check_char(upper)
                    ),
                ),
            ]
            reason: pl.Expr = pl.lit(None, dtype=pl.String)
            for broken, text in reversed(reasons):
                reason = pl.when(broken.fill_null(False)).then(text).otherwise(reason)
            errors += _errors(
                df,
                ~empty & reason.is_not_null(),
                file,
                name,
                _fill(validation.ID_NUMBER_MESSAGE, reason=reason),
            )
            out.append(upper.alias(name))
    result = df.select(pl.col("_line"), *out)
    return result, errors


def _fill(message: object, **values: pl.Expr | str) -> pl.Expr:
    """A message (translated now) with its ``%(name)s`` placeholders filled row by row."""
    parts: list[pl.Expr] = []
    for i, piece in enumerate(re.split(r"%\((\w+)\)s", str(message))):
        if i % 2 == 0:
            if piece:
                parts.append(pl.lit(piece.replace("%%", "%")))
            continue
        value = values[piece]
        parts.append(pl.lit(value) if isinstance(value, str) else value.cast(pl.String))
    return pl.concat_str(parts) if parts else pl.lit("")


def today() -> dt.date:
    return timezone.localdate()


def _unescape(col: pl.Expr) -> pl.Expr:
    """'=1+1 (as exported) back to =1+1."""
    return pl.when(col.str.contains(r"^'[=+\-@]")).then(col.str.slice(1)).otherwise(col)


def escape_cell(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
