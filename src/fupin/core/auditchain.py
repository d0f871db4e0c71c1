"""The audit log's integrity: append-only in the database, tamper-evident by a hash chain.

Append-only. Triggers on ``core_auditevent`` refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL) from every client, the application's own code included. The one way to empty
the table is the documented maintenance path, :func:`audit_maintenance`, which Django's
``flush`` runs under (``fupin flush``: the whole database is emptied, on purpose, after a
confirmation; the test runner's transactional tests flush the same way). It never allows
an UPDATE. On PostgreSQL the path is a session setting (``fupin.audit_maintenance``), on
SQLite a function the application registers on its own connections (``fupin_audit_
maintenance()``); a client without it (the ``sqlite3`` shell) cannot even prepare a DELETE.

Tamper-evident. Whoever owns the database can drop a trigger. So every event also stores
``prev_hash``, the ``hash`` of the event before it (by id), and ``hash``, the SHA-256 of a
canonical JSON of its content and ``prev_hash`` (:func:`event_hash`). A row edited in
place no longer matches its hash; a row deleted from the middle leaves the next one
pointing at a hash that is not its predecessor's; a row slipped in between breaks the link
of the one after it. :func:`verify_chain` (``fupin audit verify``) walks the chain in id
order and names the first broken link. Rewriting the whole tail consistently is possible
for someone who knows this algorithm: the head (last id and hash) printed by ``verify`` and
recorded in every backup's manifest is the anchor to compare with (``--anchor``).

Writers are serialised, so that the chain never forks: on PostgreSQL by a transaction-level
advisory lock taken before reading the head; SQLite has one writer at a time (Fupin opens
its transactions with BEGIN IMMEDIATE).

The hash format is frozen (``v`` 1): an event hashed once must verify forever, so this
module depends on nothing but the standard library and the migrations may use it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FORMAT = 1
# The content of an event, in the order ``values_list`` reads it; ``id``, ``hash`` and
# ``prev_hash`` are not content (``prev_hash`` is hashed next to it).
FIELDS: Sequence[str] = (
    "at",
    "actor_id",
    "actor_name",
    "channel",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "root_type",
    "root_id",
    "area_code",
    "before",
    "after",
    "note",
)
TABLE = "core_auditevent"
LOCK_KEY = 0x66757069_6E417564  # "fupinAud": the advisory lock of the chain's head (PostgreSQL)
MAINTENANCE_SETTING = "fupin.audit_maintenance"


def _numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # PostgreSQL's jsonb gives 1e16 back as 10000000000000000
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def _json(value: Any) -> Any:
    """The JSON value as either database hands it back (tuples as lists, keys as strings)."""
    return None if value is None else _numbers(json.loads(json.dumps(value)))


def _instant(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(values: Mapping[str, Any], prev_hash: str) -> bytes:
    """The bytes an event's hash is taken over: its content fields and the previous hash."""
    data: dict[str, Any] = {"v": FORMAT, "prev_hash": prev_hash}
    for name in FIELDS:
        value: Any = values.get(name)
        if name == "at":
            value = _instant(value)
        elif name in {"before", "after"}:
            value = _json(value)
        elif value is None and name != "actor_id":
            value = ""
        data[name] = value
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(values: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def chain_head(connection: Any) -> str:
    """Lock the chain (PostgreSQL) and return the hash the next event links to. Call it
    inside the transaction that writes the event."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(f"SELECT hash FROM {TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608 - fixed name
        row = cursor.fetchone()
    return row[0] if row and row[0] else GENESIS


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str

    def __str__(self) -> str:
        return f"audit event #{self.event_id}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_id: int | None
    head_hash: str
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(model: Any, using: str, chunk: int) -> Iterator[tuple[Any, ...]]:
    """Every event in id order, a page at a time (keyset pagination: constant memory)."""
    last = 0
    while True:
        page = list(
            model.objects.using(using)
            .filter(id__gt=last)
            .order_by("id")
            .values_list("id", "prev_hash", "hash", *FIELDS)[:chunk]
        )
        if not page:
            return
        yield from page
        last = page[-1][0]


def verify_chain(model: Any, *, using: str = "default", chunk: int = 5000) -> ChainReport:
    """Walk the chain in id order; stop at the first broken link."""
    count = 0
    prev_id: int | None = None
    prev = GENESIS
    for row in _rows(model, using, chunk):
        event_id, prev_hash, stored = row[0], row[1], row[2]
        values = dict(zip(FIELDS, row[3:], strict=True))
        if prev_hash != prev:
            if prev_id is None:
                problem = (
                    f"it is the first event but does not start the chain (prev_hash {prev_hash[:12] or '-'}…): "
                    "the events before it were deleted"
                )
            else:
                problem = (
                    f"its prev_hash {prev_hash[:12] or '-'}… is not the hash {prev[:12]}… of event #{prev_id} "
                    f"before it: an event between them was deleted, or one of the two was inserted or rewritten"
                )
            return ChainReport(count, prev_id, prev, BrokenLink(event_id, problem))
        if event_hash(values, prev_hash) != stored:
            problem = (
                f"its content does not match its hash {stored[:12] or '-'}…: the row was changed after it was written"
            )
            return ChainReport(count, prev_id, prev, BrokenLink(event_id, problem))
        count += 1
        prev_id, prev = event_id, stored
    return ChainReport(count, prev_id, prev, None)


# --- append-only ---------------------------------------------------------------------------

_maintenance: ContextVar[bool] = ContextVar("fupin_audit_maintenance", default=False)

REFUSED = "core_auditevent is append-only: UPDATE and DELETE are refused (see docs/operations.md)"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT fupin_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
]

POSTGRESQL_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION fupin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'UPDATE' AND coalesce(current_setting('{MAINTENANCE_SETTING}', true), '') = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE OR REPLACE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION fupin_audit_append_only()""",
    f"""CREATE OR REPLACE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION fupin_audit_append_only()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS core_auditevent_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS fupin_audit_append_only()",
]


def trigger_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(vendor, [])


def drop_trigger_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, [])


def install_triggers(connection: Any) -> None:
    """Create the triggers if they are missing (idempotent). The migration creates them;
    ``migrate`` re-asserts them afterwards, because SQLite drops a table's triggers when a
    later schema change rebuilds the table."""
    with connection.cursor() as cursor:
        for sql in trigger_sql(connection.vendor):
            cursor.execute(sql)


def register_sqlite_function(connection: Any) -> None:
    """On every SQLite connection Fupin opens: the function the DELETE trigger asks."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("fupin_audit_maintenance", 0, lambda: int(_maintenance.get()))


@contextlib.contextmanager
def audit_maintenance(connection: Any) -> Iterator[None]:
    """Allow DELETE and TRUNCATE of the whole audit log on this connection, for the block
    only: the path ``fupin flush`` (emptying the whole database) takes. Never UPDATE."""
    token = _maintenance.set(True)
    vendor = connection.vendor
    try:
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [MAINTENANCE_SETTING])
        yield
    finally:
        _maintenance.reset(token)
        if vendor == "postgresql" and connection.connection is not None:
            # a failed transaction rolls the setting back with it; otherwise switch it off
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', false)", [MAINTENANCE_SETTING])
