"""Snapshots: the records frozen as of a date, as Parquet, for the analytics engine.

A snapshot is a folder ``<FUPIN_DATA_DIR>/snapshots/<as-of date>/`` holding one Parquet
dataset per table and a ``manifest.json``. The tables are those the installed apps
register in their ``snapshot.py`` (``fupin.analytics.registry.table``; docs/adding-an-app.md,
"analytics"): geo's ``areas``, the registry's households, persons, incomes, status events
and poverty lines, the programs' plans, projects and outputs, the funds' entries, ...

Rows leave the database in bulk and never pass through Python one by one: PostgreSQL
sends ``COPY ... TO STDOUT`` text that Arrow's CSV reader parses; a SQLite file is read
by the ADBC driver straight into Arrow. DuckDB, in process, derives each table as its app
declared and writes the Parquet files. The manifest records the newest audit event at the
time, so a snapshot whose database has not changed since can be reused (``latest_current``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fupin.analytics import registry

SNAPSHOT_VERSION = 2

# Source tables: column name -> Arrow type, and the SELECT that produces them (in that
# order). Dates come out as ISO text on SQLite and are cast by Arrow.
Columns = dict[str, pa.DataType]


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    columns: Columns
    sql: str
    sliced: int = 1  # read in this many slices (``id % n``), each on a connection of its own


def _sources(as_of: dt.date) -> list[Source]:
    """What the registered snapshot tables read from the database, as of the date."""
    return [Source(t.name, t.columns, t.select(as_of), t.sliced) for t in registry.TABLES.values()]


def _sql_for(sql: str) -> str:
    if connection.vendor == "sqlite":
        return sql.replace("DOUBLE PRECISION", "REAL")
    return sql


def _to_schema(table: pa.Table, columns: Columns) -> pa.Table:
    """The table with the declared names and types. A driver that infers a column's type
    from its values (ADBC's SQLite driver) types a column with no value at all, in an empty
    result or one where every row is NULL, as an integer, which Arrow cannot cast to a date:
    such a column is taken as all NULL of its declared type, before any cast."""
    arrays = []
    for i, kind in enumerate(columns.values()):
        column = table.column(i)
        if column.type != kind:
            column = pa.nulls(len(column), type=kind) if column.null_count == len(column) else column.cast(kind)
        arrays.append(column)
    return pa.table(arrays, schema=pa.schema(list(columns.items())))


def _sqlite_file() -> str | None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return None
    return name


def _postgres_uri() -> str:
    from urllib.parse import quote

    d = connection.settings_dict
    auth = quote(d.get("USER") or "", safe="")
    if d.get("PASSWORD"):
        auth += ":" + quote(d["PASSWORD"], safe="")
    host = d.get("HOST") or "localhost"
    port = f":{d['PORT']}" if d.get("PORT") else ""
    return f"postgresql://{auth}@{host}{port}/{quote(d['NAME'], safe='')}"


def _read_copy(sql: str, columns: Columns) -> pa.Table:
    """PostgreSQL through Django's own connection (inside the caller's transaction):
    ``COPY ... TO STDOUT`` as CSV, parsed by Arrow."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    if not buffer.tell():  # no rows: Arrow's reader refuses an empty file
        return pa.table({name: pa.array([], type=kind) for name, kind in columns.items()})
    buffer.seek(0)
    return pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=list(columns)),
        convert_options=pacsv.ConvertOptions(
            column_types=columns,
            true_values=["t"],
            false_values=["f"],
            # PostgreSQL's CSV writes NULL as an unquoted empty field and an empty string
            # as a quoted one: only the former is NULL, in text columns too
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )


def _read_django(sql: str, columns: Columns) -> pa.Table:
    """An in-memory SQLite database (the test suite's) is reachable only through Django's
    own connection: its rows come back as tuples, turned into columns here."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    kinds = list(columns.values())
    data = list(zip(*rows, strict=True)) if rows else [() for _ in kinds]
    arrays = [pa.array(list(values), type=None if rows else kind) for values, kind in zip(data, kinds, strict=True)]
    return _to_schema(pa.table(arrays, names=list(columns)), columns)


def _tasks(sources: list[Source], workers: int) -> list[tuple[str, str, Columns]]:
    tasks = []
    for source in sources:
        sql = _sql_for(source.sql)
        # the largest tables in slices, so that the database and the driver work on every core
        n = min(source.sliced, workers)
        if n == 1:
            tasks.append((source.name, sql, source.columns))
            continue
        clause = " AND " if " WHERE " in sql else " WHERE "
        tasks.extend((source.name, f"{sql}{clause}id % {n} = {i}", source.columns) for i in range(n))
    return tasks


def _gather(tasks: list[tuple[str, str, Columns]], read: Any, workers: int) -> dict[str, pa.Table]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda task: (task[0], read(task[1], task[2])), tasks))
    parts: dict[str, list[pa.Table]] = {}
    for name, table in results:
        parts.setdefault(name, []).append(table)
    return {name: pa.concat_tables(tables) if len(tables) > 1 else tables[0] for name, tables in parts.items()}


def _read_postgres(sources: list[Source], workers: int) -> dict[str, pa.Table]:
    """ADBC's PostgreSQL driver (binary COPY into Arrow), on several connections that
    share one exported snapshot of the database, as ``pg_dump --jobs`` does."""
    import adbc_driver_postgresql.dbapi as adbc_pg

    uri = _postgres_uri()
    with adbc_pg.connect(uri) as leader, leader.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        exported = cursor.fetchone()[0]

        def read(sql: str, columns: Columns) -> pa.Table:
            with adbc_pg.connect(uri) as conn, conn.cursor() as worker:
                worker.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                worker.execute(f"SET TRANSACTION SNAPSHOT '{exported}'")
                worker.execute(sql)
                table = _to_schema(worker.fetch_arrow_table(), columns)
                conn.rollback()
                return table

        tables = _gather(_tasks(sources, workers), read, workers)
        leader.rollback()
    return tables


SQLITE_BATCH_ROWS = 1 << 30
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _read_sqlite(path: str, sources: list[Source], workers: int) -> dict[str, pa.Table]:
    """ADBC's SQLite driver on several read connections. SQLite cannot share a snapshot
    between connections: the database's state is compared before and after, and the
    reads are done again (at most twice more) if something was written meanwhile."""
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    def read(sql: str, columns: Columns) -> pa.Table:
        with adbc_sqlite.connect(path) as conn, conn.cursor() as cursor:
            # The driver sets no busy timeout: a read that meets a checkpoint or a write
            # taking its lock would fail at once with "database is locked"; wait, as
            # Django's own connection does (its ``timeout``).
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.fetchall()
            # The driver infers each column's type from its first batch of rows and fails
            # on a later value of another type (a column NULL in the first 1,024 rows is
            # taken for an integer). One batch for the whole result makes it look at every
            # value; ``_to_schema`` then casts to the declared types.
            cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(SQLITE_BATCH_ROWS)})
            cursor.execute(sql)
            table = _to_schema(cursor.fetch_arrow_table(), columns)
            conn.rollback()
            return table

    for _ in range(3):
        before = database_state()
        tables = _gather(_tasks(sources, workers), read, workers)
        if database_state() == before:
            return tables
    raise RuntimeError("the database kept changing while the snapshot was read; try again")


def read_sources(sources: list[Source]) -> dict[str, pa.Table]:
    """The source tables, from the database into Arrow in bulk, all from one consistent
    view of the database.

    Outside a transaction, an ADBC driver reads them on connections of its own, in
    parallel (PostgreSQL's binary COPY under one shared snapshot; the SQLite file). Inside
    one (a service's, or a test's), only Django's connection sees its uncommitted rows:
    PostgreSQL's COPY through it, or, for SQLite, its cursor."""
    workers = max(1, min(4, os.cpu_count() or 1))
    in_transaction = connection.in_atomic_block
    if connection.vendor == "postgresql":
        if in_transaction:
            return {s.name: _read_copy(_sql_for(s.sql), s.columns) for s in sources}
        return _read_postgres(sources, workers)
    path = _sqlite_file()
    if path is None or in_transaction:
        return {s.name: _read_django(_sql_for(s.sql), s.columns) for s in sources}
    return _read_sqlite(path, sources, workers)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    path: Path
    as_of: dt.date
    manifest: dict[str, Any]

    def table_path(self, name: str) -> Path:
        return self.path / self.manifest["tables"][name]["path"]


def snapshot_root() -> Path:
    return Path(settings.DATA_DIR) / "snapshots"


def database_state() -> str:
    """What identifies the records cheaply: the newest audit event (every service, import
    and demo load writes one) and the highest id of each model the snapshot tables read
    (index look-ups, so this is instant at any scale)."""
    from django.db.models import Max

    from fupin.core.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", "at").first()
    parts = [f"audit:{last[0]}@{last[1].isoformat()}" if last else "audit:none"]
    models = dict.fromkeys(model for t in registry.TABLES.values() for model in t.models)
    for model in models:
        parts.append(f"{model._meta.model_name}:{model.objects.aggregate(m=Max('id'))['m']}")
    return ";".join(parts)


def take_snapshot(*, as_of: dt.date | None = None, root: Path | None = None) -> Snapshot:
    """Freeze the records as of ``as_of`` (default today) into a new snapshot folder."""
    as_of = as_of or timezone.localdate()
    root = root or snapshot_root()
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    state = database_state()
    work = Path(tempfile.mkdtemp(prefix=f".{as_of.isoformat()}-", dir=root))
    try:
        db = duckdb.connect()
        db.execute("SET preserve_insertion_order = false")
        for name, table in read_sources(_sources(as_of)).items():
            db.register(f"src_{name}", table)
        # each table as its app derives it, in the order of registration (a table may read
        # the ones before it); a view is written once, to Parquet
        for entry in registry.TABLES.values():
            kind = "TABLE" if entry.materialize else "VIEW"
            db.execute(f"CREATE {kind} {entry.name} AS {entry.derivation(as_of)}")
        tables: dict[str, dict[str, Any]] = {}
        layout = {entry.name: entry.partition for entry in registry.TABLES.values()}
        for name, partition in layout.items():
            if partition is None:
                target = work / f"{name}.parquet"
                written = db.execute(f"COPY {name} TO '{target}' (FORMAT parquet, COMPRESSION snappy)").fetchone()
                tables[name] = {"path": target.name, "rows": written[0] if written else 0, "partitioned_by": None}
                continue
            # The partition column is a copy (``part``), so every column stays in the files
            # and readers that do or do not understand hive partitions see the same table.
            target = work / name
            written = db.execute(
                f"COPY (SELECT *, {partition} AS part FROM {name}) TO '{target}' "
                "(FORMAT parquet, COMPRESSION snappy, PARTITION_BY (part))"
            ).fetchone()
            rows = written[0] if written else 0
            if not rows:
                # no rows, no partition: one empty file keeps the table's columns, and, as
                # in the partitions DuckDB writes, the partition is in its path only
                (target / "part=0").mkdir(parents=True, exist_ok=True)
                db.execute(f"COPY {name} TO '{target / 'part=0' / 'empty.parquet'}' (FORMAT parquet)")
            tables[name] = {"path": name, "rows": rows, "partitioned_by": partition}
        db.close()
        manifest = {
            "version": SNAPSHOT_VERSION,
            "as_of": as_of.isoformat(),
            "taken_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "database_state": state,
            "seconds": round(time.perf_counter() - started, 3),
            "tables": tables,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        final = root / as_of.isoformat()
        if final.exists():
            shutil.rmtree(final)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Snapshot(path=final, as_of=as_of, manifest=manifest)


def open_snapshot(path: Path) -> Snapshot:
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    return Snapshot(path=path, as_of=dt.date.fromisoformat(manifest["as_of"]), manifest=manifest)


def latest_current(as_of: dt.date, *, root: Path | None = None) -> Snapshot | None:
    """The snapshot as of ``as_of``, if the database has not changed since it was taken."""
    path = (root or snapshot_root()) / as_of.isoformat()
    if not (path / "manifest.json").exists():
        return None
    snapshot = open_snapshot(path)
    if snapshot.manifest.get("version") != SNAPSHOT_VERSION or snapshot.manifest["database_state"] != database_state():
        return None
    return snapshot


def snapshot_for(as_of: dt.date, *, fresh: bool = False) -> Snapshot:
    """A current snapshot as of the date: the stored one if nothing changed since, else a new one."""
    if not fresh and (snapshot := latest_current(as_of)) is not None:
        return snapshot
    return take_snapshot(as_of=as_of)
