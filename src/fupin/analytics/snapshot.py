"""Snapshots: the registry frozen as of a date, as Parquet, for the analytics engine.

A snapshot is a folder ``<FUPIN_DATA_DIR>/snapshots/<as-of date>/`` holding one Parquet
dataset per table and a ``manifest.json``:

- ``areas.parquet``: the administrative tree, with each area's ancestors' codes;
- ``poverty_lines.parquet``;
- ``households/part=<city prefix>/``: every household, its status as of the date (replayed from
  its status events), the dates of its first identification, exit and return up to the
  date, and its size (today's members: the registry keeps no membership history);
- ``persons/part=<city prefix>/``: members, without names or ID numbers;
- ``incomes/part=<year>/``: income records of the years up to the date's year;
- ``status_events/part=<year>/``: status events dated on or before the date.

Rows leave the database in bulk and never pass through Python one by one: PostgreSQL
sends ``COPY ... TO STDOUT`` text that Arrow's CSV reader parses; a SQLite file is read
by the ADBC driver straight into Arrow. DuckDB, in process, derives the columns above and
writes the Parquet files. The manifest records the newest audit event at the time, so a
snapshot whose database has not changed since can be reused (``latest_current``).
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

SNAPSHOT_VERSION = 2

# Source tables: column name -> Arrow type, and the SELECT that produces them (in that
# order). Dates come out as ISO text on SQLite and are cast by Arrow.
Columns = dict[str, pa.DataType]


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    columns: Columns
    sql: str


def _sources(as_of: dt.date) -> list[Source]:
    from fupin.registry.models import Household

    mpi = [f.name for f in Household._meta.concrete_fields if f.name.startswith("assured_")]
    return [
        Source(
            "areas",
            {
                "id": pa.int64(),
                "code": pa.string(),
                "parent_code": pa.string(),
                "level": pa.string(),
                "kind": pa.string(),
                "name": pa.string(),
                "name_en": pa.string(),
                "key_county": pa.string(),
                "key_village": pa.bool_(),
                "area_km2": pa.float64(),
                "population": pa.int64(),
            },
            "SELECT a.id, a.code, p.code, a.level, a.kind, a.name, a.name_en, a.key_county, a.key_village, "
            "CAST(a.area_km2 AS DOUBLE PRECISION), a.population "
            "FROM geo_adminarea a LEFT JOIN geo_adminarea p ON p.id = a.parent_id",
        ),
        Source(
            "poverty_lines",
            {"year": pa.int32(), "scope": pa.string(), "area_id": pa.int64(), "amount": pa.float64()},
            "SELECT year, scope, area_id, CAST(amount AS DOUBLE PRECISION) FROM registry_povertyline",
        ),
        Source(
            "households",
            {
                "id": pa.int64(),
                "code": pa.string(),
                "village_id": pa.int64(),
                "status_now": pa.string(),
                "returned_now": pa.bool_(),
                "type_ordinary": pa.bool_(),
                "type_dibao": pa.bool_(),
                "type_wubao": pa.bool_(),
                "main_cause": pa.string(),
                **{name: pa.bool_() for name in mpi},
            },
            "SELECT id, code, village_id, status, returned, type_ordinary, type_dibao, type_wubao, main_cause"
            + "".join(f", {name}" for name in mpi)
            + " FROM registry_household",
        ),
        Source(
            "persons",
            {
                "id": pa.int64(),
                "household_id": pa.int64(),
                "sex": pa.string(),
                "birth_date": pa.date32(),
                "relation": pa.string(),
                "education": pa.string(),
                "health": pa.string(),
                "disability": pa.string(),
                "labour": pa.string(),
                "migrant_work": pa.string(),
                "migrant_months": pa.int32(),
            },
            "SELECT id, household_id, sex, birth_date, relation, education, health, disability, labour, "
            "migrant_work, migrant_months FROM registry_person",
        ),
        Source(
            "incomes",
            {
                "household_id": pa.int64(),
                "year": pa.int32(),
                "household_size": pa.int32(),
                "wage": pa.float64(),
                "business": pa.float64(),
                "property_income": pa.float64(),
                "transfer": pa.float64(),
                "production_costs": pa.float64(),
                "net_income": pa.float64(),
            },
            "SELECT household_id, year, household_size, CAST(wage AS DOUBLE PRECISION), "
            "CAST(business AS DOUBLE PRECISION), CAST(property_income AS DOUBLE PRECISION), "
            "CAST(transfer AS DOUBLE PRECISION), CAST(production_costs AS DOUBLE PRECISION), "
            "CAST(net_income AS DOUBLE PRECISION) "
            f"FROM registry_incomerecord WHERE year <= {as_of.year}",
        ),
        Source(
            "village_plans",
            {
                "id": pa.int64(),
                "village_code": pa.string(),
                "batch": pa.int32(),
                "batch_start": pa.int32(),
                "batch_end": pa.int32(),
                "status": pa.string(),
                "accepted_on": pa.date32(),
            },
            "SELECT p.id, a.code, b.number, b.start_year, b.end_year, p.status, p.accepted_on "
            "FROM programs_villageplan p JOIN programs_batch b ON b.id = p.batch_id "
            "JOIN geo_adminarea a ON a.id = p.village_id",
        ),
        Source(
            "projects",
            {
                "id": pa.int64(),
                "code": pa.string(),
                "program": pa.string(),
                "category": pa.string(),
                "area_code": pa.string(),
                "plan_id": pa.int64(),
                "zone_code": pa.string(),
                "start_year": pa.int32(),
                "end_year": pa.int32(),
            },
            "SELECT p.id, p.code, p.program, p.category, a.code, p.plan_id, z.code, p.start_year, p.end_year "
            "FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id "
            "LEFT JOIN programs_contiguouszone z ON z.id = p.zone_id",
        ),
        Source(
            "project_outputs",
            {"project_id": pa.int64(), "kind": pa.string(), "year": pa.int32(), "quantity": pa.float64()},
            "SELECT o.project_id, k.code, o.year, CAST(o.quantity AS DOUBLE PRECISION) "
            "FROM programs_projectoutput o JOIN programs_outputkind k ON k.id = o.kind_id",
        ),
        Source(
            "beneficiaries",
            {"project_id": pa.int64(), "household_id": pa.int64(), "year": pa.int32()},
            "SELECT project_id, household_id, year FROM programs_beneficiary",
        ),
        Source(
            "labour_inputs",
            {"project_id": pa.int64(), "year": pa.int32(), "persons": pa.int64(), "person_days": pa.int64()},
            "SELECT project_id, year, persons, person_days FROM programs_labourinput",
        ),
        Source(
            "zone_counties",
            {"zone_code": pa.string(), "county_code": pa.string(), "start_year": pa.int32(), "end_year": pa.int32()},
            "SELECT z.code, a.code, z.start_year, z.end_year FROM programs_contiguouszone z "
            "JOIN programs_contiguouszone_counties c ON c.contiguouszone_id = z.id "
            "JOIN geo_adminarea a ON a.id = c.adminarea_id",
        ),
        Source(
            "fund_entries",
            {
                "id": pa.int64(),
                "kind": pa.string(),
                "source": pa.string(),
                "year": pa.int32(),
                "date": pa.date32(),
                "amount": pa.float64(),
                "area_code": pa.string(),
                "project_id": pa.int64(),
            },
            "SELECT e.id, e.kind, e.source, e.year, e.date, CAST(e.amount AS DOUBLE PRECISION), a.code, e.project_id "
            "FROM funds_entry e JOIN geo_adminarea a ON a.id = e.area_id",
        ),
        Source(
            "status_events",
            {
                "id": pa.int64(),
                "household_id": pa.int64(),
                "procedure": pa.string(),
                "action": pa.string(),
                "date": pa.date32(),
                "stage_after": pa.string(),
                "status_before": pa.string(),
                "status_after": pa.string(),
            },
            # every event, also those after the date: a household's status before its first
            # event is known only from that event (the snapshot keeps those up to the date)
            "SELECT id, household_id, procedure, action, date, stage_after, status_before, status_after "
            "FROM registry_statusevent",
        ),
    ]


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


# The largest tables are read in this many slices (``id % n``), each on a connection of
# its own, so that the database and the driver work on every core.
SLICED = {"status_events": 2, "persons": 2}


def _tasks(sources: list[Source], workers: int) -> list[tuple[str, str, Columns]]:
    tasks = []
    for source in sources:
        sql = _sql_for(source.sql)
        n = min(SLICED.get(source.name, 1), workers)
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


# --- derivation (DuckDB, in process) -------------------------------------------------------

_AREAS = """
SELECT id, code, parent_code, level, kind, name, name_en, key_county, key_village, area_km2, population,
       substr(code, 1, 4) || '00000000' AS city_code,
       substr(code, 1, 6) || '000000' AS county_code,
       substr(code, 1, 9) || '000' AS township_code
FROM src_areas
"""

# Each household's status as of the date: after its last event on or before the date;
# before its first event if it has none by then (its first later event, read too, tells);
# its current status if it has no event at all. Events are ordered by date, then id, packed
# into one integer so that DuckDB compares numbers, not structs.
_HOUSEHOLDS = """
WITH ev AS (
    SELECT household_id, procedure, action, date, status_before, status_after,
           datediff('day', DATE '1970-01-01', date) * 4294967296 + id AS k
    FROM src_status_events
),
hist AS (
    SELECT household_id,
           arg_min(status_before, k) AS first_status_before,
           arg_max(status_after, k) FILTER (WHERE date <= DATE '{as_of}') AS status_as_of,
           min(date) FILTER (WHERE procedure = 'identification' AND action = 'approve' AND date <= DATE '{as_of}')
               AS identified_on,
           min(date) FILTER (WHERE procedure = 'exit' AND action = 'approve' AND date <= DATE '{as_of}') AS exited_on,
           max(date) FILTER (WHERE procedure = 'return' AND action = 'approve' AND date <= DATE '{as_of}')
               AS returned_on
    FROM ev GROUP BY household_id
),
sizes AS (SELECT household_id, count(*) AS size FROM src_persons GROUP BY household_id)
SELECT h.id, h.code, v.code AS village_code, v.township_code, v.county_code, v.city_code,
       coalesce(f.status_as_of, f.first_status_before, h.status_now) AS status,
       coalesce(f.first_status_before, h.status_now) AS initial_status,
       (f.returned_on IS NOT NULL) AS returned,
       f.identified_on, f.exited_on, f.returned_on,
       coalesce(s.size, 0)::INTEGER AS size,
       h.* EXCLUDE (id, code, village_id, status_now, returned_now)
FROM src_households h
JOIN areas v ON v.id = h.village_id
LEFT JOIN hist f ON f.household_id = h.id
LEFT JOIN sizes s ON s.household_id = h.id
"""


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
    """What identifies the registry's content cheaply: the newest audit event (every
    service, import and demo load writes one) and the highest id of each registry table
    (index look-ups, so this is instant at any scale)."""
    from django.db.models import Max

    from fupin.core.models import AuditEvent
    from fupin.funds.models import Entry
    from fupin.geo.models import AdminArea
    from fupin.programs.models import Beneficiary, LabourInput, Project, ProjectOutput, VillagePlan
    from fupin.registry.models import Household, IncomeRecord, Person, PovertyLine, StatusEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", "at").first()
    parts = [f"audit:{last[0]}@{last[1].isoformat()}" if last else "audit:none"]
    models: tuple[type[Any], ...] = (AdminArea, Household, Person, IncomeRecord, StatusEvent, PovertyLine)
    models += (VillagePlan, Project, ProjectOutput, Beneficiary, LabourInput, Entry)
    for model in models:
        parts.append(f"{model._meta.model_name}:{model.objects.aggregate(m=Max('id'))['m']}")
    return ";".join(parts)


def take_snapshot(*, as_of: dt.date | None = None, root: Path | None = None) -> Snapshot:
    """Freeze the registry as of ``as_of`` (default today) into a new snapshot folder."""
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
        db.execute(f"CREATE TABLE areas AS {_AREAS}")
        db.execute(f"CREATE TABLE households AS {_HOUSEHOLDS.format(as_of=as_of.isoformat())}")
        # the other tables pass through: views, written once to Parquet
        db.execute(
            "CREATE VIEW persons AS SELECT p.*, h.city_code "
            "FROM src_persons p JOIN households h ON h.id = p.household_id"
        )
        db.execute("CREATE VIEW incomes AS SELECT * FROM src_incomes")
        db.execute(
            f"CREATE VIEW status_events AS SELECT * FROM src_status_events WHERE date <= DATE '{as_of.isoformat()}'"
        )
        # programs and funds as they stood on the date: an acceptance or an entry after it
        # has not happened yet
        day = f"DATE '{as_of.isoformat()}'"
        db.execute(
            "CREATE VIEW village_plans AS SELECT id, village_code, batch, batch_start, batch_end, "
            f"CASE WHEN accepted_on <= {day} THEN accepted_on END AS accepted_on, "
            f"CASE WHEN status = 'accepted' AND accepted_on > {day} THEN 'in_progress' ELSE status END AS status "
            "FROM src_village_plans"
        )
        db.execute(
            "CREATE VIEW projects AS SELECT p.*, v.village_code AS plan_village_code, v.batch, v.batch_start, "
            "v.batch_end FROM src_projects p LEFT JOIN src_village_plans v ON v.id = p.plan_id"
        )
        for name in ("project_outputs", "beneficiaries", "labour_inputs", "zone_counties"):
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM src_{name}")
        db.execute(f"CREATE VIEW fund_entries AS SELECT * FROM src_fund_entries WHERE date <= {day}")
        db.execute(
            "CREATE TABLE poverty_lines AS SELECT l.year, l.scope, a.code AS area_code, l.amount "
            "FROM src_poverty_lines l LEFT JOIN areas a ON a.id = l.area_id"
        )
        tables: dict[str, dict[str, Any]] = {}
        layout = {
            "areas": None,
            "poverty_lines": None,
            "households": "substr(city_code, 1, 4)",
            "persons": "substr(city_code, 1, 4)",
            "incomes": "year",
            "status_events": "year(date)",
            "village_plans": None,
            "projects": None,
            "project_outputs": None,
            "beneficiaries": None,
            "labour_inputs": None,
            "zone_counties": None,
            "fund_entries": "year",
        }
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
