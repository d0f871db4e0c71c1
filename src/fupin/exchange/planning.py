"""What the planners of every entity share: the plan, the comparison of a package's rows
with the database by natural key, row errors from masks, scope as code ranges, and the
bulk writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
from django.db import connection

from fupin.core.bulk import bulk_insert, copy_csv
from fupin.exchange import schema
from fupin.exchange.errors import RowError
from fupin.exchange.reader import Package


@dataclass
class Changes:
    new: pl.DataFrame
    changed: pl.DataFrame
    unchanged: int

    def counts(self) -> dict[str, int]:
        return {"created": self.new.height, "updated": self.changed.height, "unchanged": self.unchanged}


@dataclass
class Plan:
    package: Package
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    changes: dict[str, Changes] = field(default_factory=dict)
    # what later planners and the writers share, by a name the planner that sets it documents
    # (the registry's "household_ids": code -> id of every household the package refers to)
    resolved: dict[str, pl.DataFrame] = field(default_factory=dict)

    def file(self, entity: str) -> str:
        return self.package.files.get(entity, schema.ENTITIES[entity].filename)

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: c.counts() for name, c in self.changes.items()}

    @property
    def has_changes(self) -> bool:
        return any(c.new.height or c.changed.height for c in self.changes.values())


def package_over_stored(
    stored: pl.DataFrame, plan: Plan | None, entity: str, columns: dict[str, pl.Expr]
) -> pl.DataFrame:
    """A lookup by natural key over the package and the database: ``stored`` (a frame read
    from the database, its first column the key) with the same columns made from the
    package's file ``entity`` (``columns``: each of ``stored``'s columns -> an expression
    over the file's columns), the package's row first: a record the package brings (its
    entity is planned and written before the one looking it up) wins over the database's.
    A package without that file, or a file without the columns, adds nothing."""
    frame = plan.frames.get(entity) if plan is not None else None
    needed = {name for expr in columns.values() for name in expr.meta.root_names()}
    if frame is None or frame.height == 0 or not needed <= set(frame.columns):
        return stored
    given = frame.select([expr.alias(name) for name, expr in columns.items()]).cast(stored.schema)
    key = stored.columns[0]
    return pl.concat([given, stored.filter(~pl.col(key).is_in(given[key].implode()))]).unique(key, keep="first")


def errors_where(plan: Plan, entity: str, df: pl.DataFrame, mask: pl.Expr, column: str, reason: pl.Expr | str) -> None:
    reason_expr = reason if isinstance(reason, pl.Expr) else pl.lit(reason)
    for line, text in df.filter(mask).select("_line", reason_expr.alias("r")).iter_rows():
        plan.errors.append(RowError(plan.file(entity), line, column, text))


def compare(package: pl.DataFrame, current: pl.DataFrame, key: list[str], columns: list[str]) -> Changes:
    """Split the package's rows into new, changed and unchanged against the current rows."""
    if current.height == 0:
        return Changes(package, package.clear(), 0)
    joined = package.join(current, on=key, how="left", suffix="__db", coalesce=True)
    exists = pl.col(f"{columns[0]}__db").is_not_null() if columns else pl.lit(True)
    flag = pl.col("__exists")
    if columns:
        flag_df = joined.with_columns(exists.alias("__exists"))
    else:
        present = current.select(key).with_columns(pl.lit(True).alias("__exists"))
        flag_df = package.join(present, on=key, how="left").with_columns(pl.col("__exists").fill_null(False))
    differs = (
        pl.any_horizontal([pl.col(c).fill_null("").ne(pl.col(f"{c}__db").fill_null("")) for c in columns])
        if columns
        else pl.lit(False)
    )
    new = flag_df.filter(~flag).select(package.columns)
    changed = flag_df.filter(flag & differs).select(package.columns) if columns else package.clear()
    unchanged = flag_df.filter(flag).height - changed.height
    return Changes(new, changed, unchanged)


def scope_expr(column: str, ranges: list[tuple[str, str]] | None) -> pl.Expr:
    if ranges is None:
        return pl.lit(True)
    expr = pl.lit(False)
    for lo, hi in ranges:
        expr = expr | ((pl.col(column) >= lo) & (pl.col(column) <= hi))
    return expr


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


def write_rows(model: type, frame: pl.DataFrame, fields: Sequence[str], columns: Sequence[str | pl.Expr]) -> int:
    """Insert rows: CSV into COPY on PostgreSQL, executemany on SQLite."""
    if frame.height == 0:
        return 0
    out = frame.select(columns)
    if connection.vendor == "postgresql":
        chunks = (part.write_csv(include_header=False).encode() for part in out.iter_slices(200_000))
        copy_csv(model, fields, chunks)
    else:
        bulk_insert(model, fields, out.iter_rows())
    return out.height
