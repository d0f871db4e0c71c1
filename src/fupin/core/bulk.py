"""The database's own bulk path, for loaders that write many rows at once (the demo
generator, the importer): ``COPY ... FROM STDIN`` on PostgreSQL, one ``executemany`` per
chunk on SQLite. Rows are tuples in the order of ``fields``; values are str, int, None,
or ``datetime.date`` / ``Decimal`` (written as text). Callers validate; this only writes,
inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from itertools import islice

from django.core.management.color import no_style
from django.db import connections, models, transaction

CHUNK = 50_000


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(f).column) for f in fields]  # type: ignore[union-attr]


def _text(value: object) -> object:
    if isinstance(value, dt.date | decimal.Decimal):
        return str(value)
    return value


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    using: str = "default",
) -> int:
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_insert() must run inside a transaction")
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            raw.execute("PRAGMA cache_size=-1048576")  # 1 GiB of page cache while indexes grow
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(fields))})"  # noqa: S608
            iterator = iter(rows)
            while chunk := list(islice(iterator, CHUNK)):
                raw.executemany(sql, [tuple(_text(v) for v in row) for row in chunk])
                count += len(chunk)
    return count


def copy_csv(
    model: type[models.Model], fields: Sequence[str], chunks: Iterable[bytes], *, using: str = "default"
) -> None:
    """PostgreSQL only: stream CSV (no header; empty unquoted = NULL) into COPY."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("copy_csv() must run inside a transaction")
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as copy:
        for chunk in chunks:
            copy.write(chunk)


def next_id(model: type[models.Model], *, using: str = "default") -> int:
    last = model._default_manager.using(using).aggregate(m=models.Max("pk"))["m"]
    return (last or 0) + 1


def reset_sequences(*models_: type[models.Model], using: str = "default") -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze(*models_: type[models.Model], using: str = "default") -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL's autovacuum and
    SQLite's planner would otherwise plan the first queries on empty-table guesses)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
