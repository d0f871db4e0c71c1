"""Current database rows as Polars frames of strings, in the same normal form as a
validated package (see ``columns.check_columns``), so that the two compare directly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl
from django.db import connection

CHUNK = 20_000
BATCH = 100_000


def money(column: str) -> str:
    return decimal(column, 2)


def decimal(column: str, places: int) -> str:
    """A NUMERIC column as text with its decimal places (PostgreSQL keeps the column's scale)."""
    if connection.vendor == "postgresql":
        return f"CAST({column} AS TEXT)"
    return f"printf('%.{places}f', {column})"


def ledger_key(table: str) -> str:
    """A ledger entry's key in the exchange format: its number, or ``#<id>`` for an entry
    bulk-loaded without one (NULL when ``table`` is an outer join that found nothing)."""
    return f"COALESCE({table}.number, '#' || CAST({table}.id AS TEXT))"


def text(column: str) -> str:
    return f"COALESCE(CAST({column} AS TEXT), '')"


def nullable_text(column: str) -> str:
    return f"CAST({column} AS TEXT)"


def flag(column: str) -> str:
    return f"CASE WHEN {column} THEN '1' ELSE '0' END"


def nullable_flag(column: str) -> str:
    """A nullable boolean as '1', '0' or NULL (not known)."""
    return f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN '1' ELSE '0' END"


def nullable_flags(columns: Sequence[str]) -> str:
    return ", ".join(nullable_flag(c) for c in columns)


def fetch(
    select: str,
    names: Sequence[str],
    where_column: str | None = None,
    keys: Iterable[str] | None = None,
    *,
    where: str = "",
    params: Sequence[str] = (),
) -> pl.DataFrame:
    """Run ``select`` (without WHERE) for all rows, or for rows whose ``where_column`` is
    one of ``keys`` (in chunks). ``where_column`` must be the first selected column."""
    keys = list(keys) if keys is not None else None
    if keys is not None and len(keys) > 200_000:  # most of the table: one scan, then filter
        return fetch(select, names, where=where, params=params).filter(pl.col(names[0]).is_in(keys))
    schema = dict.fromkeys(names, pl.String)
    parts: list[pl.DataFrame] = []

    def drain(cursor: object) -> None:
        # batches keep memory to the frame's size, not millions of Python tuples
        while batch := cursor.fetchmany(BATCH):  # type: ignore[attr-defined]
            parts.append(pl.DataFrame(batch, schema=schema, orient="row"))

    if where_column is None or keys is None:
        # a server-side cursor on PostgreSQL: the client holds one batch at a time
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"{select} WHERE {where}" if where else select, list(params))
            drain(cursor)
        return pl.concat(parts) if parts else pl.DataFrame(schema=schema)
    with connection.cursor() as cursor:
        for i in range(0, len(keys), CHUNK):
            part = keys[i : i + CHUNK]
            placeholders = ", ".join(["%s"] * len(part))
            cursor.execute(f"{select} WHERE {where_column} IN ({placeholders})", part)
            drain(cursor)
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)
