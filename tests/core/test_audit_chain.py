"""The audit log is append-only in the database and tamper-evident: raw SQL cannot change
or remove an event, and an event changed, removed or slipped in by someone who got past the
triggers is found by ``fupin audit verify``, which names it. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import ProtectedError

from fupin.core import auditchain
from fupin.core.audit import audit_log
from fupin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def write(n: int, actor=None, **kw) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_log(
                    actor=actor,
                    action="test.event",
                    object_type="test.thing",
                    object_id=str(i),
                    object_repr=f"第{i}号",
                    before={"amount": "1.50", "n": i, "tags": ("a", "b")},
                    after={"amount": "2.00", "ratio": 0.25, "big": 1e16},
                    note=kw.get("note", ""),
                )
            )
    return events


def verify() -> str:
    """``fupin audit verify``'s message; CommandError (exit status 1) when broken."""
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def disable_triggers() -> None:
    """What a database owner can do: drop the triggers (or, on PostgreSQL, switch them off)."""
    if connection.vendor == "postgresql":
        execute("SET LOCAL session_replication_role = replica")
    else:
        for sql in auditchain.SQLITE_DROP:
            execute(sql)


def gap(size: int = 10) -> None:
    """Leave unused ids, as rolled-back transactions do."""
    top = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if connection.vendor == "postgresql":
        execute("SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'), %s)", [top + size])
    else:
        execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top + size, "core_auditevent"])


# --- the chain ---------------------------------------------------------------------------


def test_every_event_links_to_the_one_before_and_the_chain_verifies(make_user):
    user = make_user()
    events = write(3, actor=user)
    chain = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    assert chain[0][0] == auditchain.GENESIS
    assert all(later[0] == earlier[1] for earlier, later in itertools.pairwise(chain))
    stored = AuditEvent.objects.get(pk=events[-1].pk)
    assert stored.hash == events[-1].hash  # read back (JSON, time, actor) it hashes the same
    values = {f: getattr(stored, f) for f in auditchain.FIELDS}
    assert auditchain.event_hash(values, stored.prev_hash) == stored.hash
    message = verify()
    assert f"{len(chain):,} events" in message and f"#{events[-1].pk} {events[-1].hash}" in message


def test_the_hash_covers_every_content_field():
    (event,) = write(1)
    values = {f: getattr(event, f) for f in auditchain.FIELDS}
    for name in auditchain.FIELDS:
        changed = dict(values)
        changed[name] = {"x": 1} if name in {"before", "after"} else (7 if name == "actor_id" else "changed")
        if name == "at":
            changed[name] = event.at.replace(microsecond=(event.at.microsecond + 1) % 1_000_000)
        assert auditchain.event_hash(changed, event.prev_hash) != event.hash, name
    assert auditchain.event_hash(values, "f" * 64) != event.hash


# --- append-only -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET note = 'edited'",
        "UPDATE core_auditevent SET hash = prev_hash",
        "DELETE FROM core_auditevent",
    ],
)
def test_raw_sql_cannot_change_or_remove_an_event(sql):
    write(2)
    before = list(AuditEvent.objects.order_by("id").values_list("id", "note", "hash"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(f"{sql} WHERE id = %s", [before[-1][0]])
    assert list(AuditEvent.objects.order_by("id").values_list("id", "note", "hash")) == before


def test_truncate_is_refused_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE is refused above)")
    write(1)
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # else: "pending trigger events" of the deferred foreign keys
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.exists()


def test_the_orm_cannot_change_or_remove_an_event_either():
    (event,) = write(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


def test_a_user_who_acted_is_not_deleted(make_user):
    user = make_user()
    write(1, actor=user)
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()


def test_flush_is_the_one_way_to_empty_the_log_and_never_allows_an_update():
    write(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        auditchain.audit_maintenance(connection),
    ):
        execute("UPDATE core_auditevent SET note = 'edited'")
    if connection.vendor == "postgresql":
        execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred check
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    write(1)  # the triggers hold again once flush is done
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == 1


# --- tamper evidence ---------------------------------------------------------------------


def test_an_event_edited_past_the_triggers_is_named():
    events = write(5)
    disable_triggers()
    execute("UPDATE core_auditevent SET object_repr = 'forged' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=rf"event #{events[2].pk}: its content does not match") as failed:
        verify()
    assert failed.value.returncode == 1


def test_an_event_edited_and_rehashed_breaks_the_next_link():
    events = write(4)
    disable_triggers()
    forged = {f: getattr(events[1], f) for f in auditchain.FIELDS} | {"note": "forged"}
    digest = auditchain.event_hash(forged, events[1].prev_hash)
    execute("UPDATE core_auditevent SET note = 'forged', hash = %s WHERE id = %s", [digest, events[1].pk])
    with pytest.raises(CommandError, match=rf"event #{events[2].pk}: its prev_hash .* of event #{events[1].pk}"):
        verify()


def test_an_event_deleted_from_the_middle_is_found():
    events = write(5)
    disable_triggers()
    execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=rf"event #{events[3].pk}: .*of event #{events[1].pk} before it"):
        verify()


def test_the_first_events_deleted_are_found():
    events = write(3)
    disable_triggers()
    execute("DELETE FROM core_auditevent WHERE id <= %s", [events[0].pk])
    with pytest.raises(CommandError, match=rf"event #{events[1].pk}: it is the first event"):
        verify()


def test_an_event_slipped_into_the_middle_is_found():
    """No trigger needs to be off to INSERT; the forger links the row correctly to its
    predecessor, and still the event after it points elsewhere."""
    first = write(1)[0]
    gap()
    later = write(2)
    values = {f: getattr(first, f) for f in auditchain.FIELDS} | {"action": "user.create", "note": "forged"}
    forged_id = first.pk + 5
    AuditEvent.objects.create(
        id=forged_id,
        prev_hash=first.hash,
        hash=auditchain.event_hash(values, first.hash),
        **values,
    )
    with pytest.raises(CommandError, match=rf"event #{later[0].pk}: .*of event #{forged_id} before it"):
        verify()


def test_a_rewritten_tail_is_found_against_an_anchor():
    """Whoever rewrites every hash from the edit on keeps the chain whole; the head recorded
    earlier (printed by verify, kept in each backup's manifest) no longer matches."""
    events = write(3)
    anchor = f"{events[-1].pk}:{events[-1].hash}"
    disable_triggers()
    prev = events[0].hash
    for event in events[1:]:
        values = {f: getattr(event, f) for f in auditchain.FIELDS} | {"note": "rewritten"}
        digest = auditchain.event_hash(values, prev)
        execute(
            "UPDATE core_auditevent SET note = 'rewritten', prev_hash = %s, hash = %s WHERE id = %s",
            [prev, digest, event.pk],
        )
        prev = digest
    assert "verified" in verify()
    with pytest.raises(CommandError, match=rf"anchor: event #{events[-1].pk} has hash"):
        call_command("audit", "verify", "--anchor", anchor)


# --- the data migration for existing databases ----------------------------------------------


def test_the_migration_chains_the_events_written_before_the_chain():
    from django.apps import apps

    write(3)
    disable_triggers()
    execute("UPDATE core_auditevent SET prev_hash = '', hash = ''")
    with pytest.raises(CommandError):
        verify()
    migration = import_module("fupin.core.migrations.0003_audit_append_only")
    migration.chain_existing(apps, SimpleNamespace(connection=connection))  # it only asks for the alias
    assert "verified" in verify()
    assert not AuditEvent.objects.filter(hash="").exists()


# --- concurrent writers (PostgreSQL: the advisory lock; SQLite has one writer) ------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer (BEGIN IMMEDIATE); the PostgreSQL suite runs this")
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait(timeout=10)
            write(15)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.count() == before + 60
    assert f"{before + 60:,} events" in verify()
