"""``fupin backup`` and ``fupin restore``, run as an operator runs them, on a database of
their own (a file for SQLite, scratch databases on the same server for PostgreSQL: the
suite's database decides which): a backup taken while another process writes restores into
an empty database with every table's row count and checksum equal to the backup's, users,
their areas, permissions, tokens and the audit log included."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from django.db import connection

from fupin.core.backup import Target, read_manifest, table_checksums

WRITER = """
from pathlib import Path
from django.db import transaction
from fupin.accounts.services import user_create
from fupin.core.audit import audit_log
i = 0
while not Path({stop!r}).exists() or i < 3:
    user_create(actor=None, username=f"writer-{{i}}", password="writer-pass-123", role="county",
                area_codes=["230129000000"], can_view_identifiers=bool(i % 2))
    with transaction.atomic():
        audit_log(actor=None, action="test.tick", object_type="test.tick", object_id=str(i))
    i += 1
print(i)
"""


class Database:
    """A database the commands reach through the environment, as in production."""

    def __init__(self, vendor: str, tmp: Path, name: str):
        self.vendor = vendor
        self.env = dict(os.environ)
        self.env["FUPIN_DATA_DIR"] = str(tmp / name)
        self.env.pop("DATABASE_URL", None)
        if vendor == "postgresql":
            s = connection.settings_dict
            self.name = f"{s['NAME']}_{name}"[:63]
            self.env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{self.name}"
            self.settings = {**s, "NAME": self.name}
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
        else:
            self.settings = {"NAME": str(tmp / name / "fupin.sqlite3")}

    def _admin(self, *sql: str) -> None:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(dbname="postgres", host=s["HOST"], port=s["PORT"], user=s["USER"], autocommit=True) as c:
            for statement in sql:
                c.execute(statement)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def fupin(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "fupin", *args], env=self.env, capture_output=True, text=True, timeout=600
        )
        if check:
            assert done.returncode == 0, done.stderr + done.stdout
        return done

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "fupin", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def figures(self) -> dict:
        target = Target(self.vendor, self.settings)
        raw = target.connect()
        try:
            if self.vendor == "postgresql":
                raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return table_checksums(raw, self.vendor)
        finally:
            raw.close()

    def scalar(self, sql: str):
        raw = Target(self.vendor, self.settings).connect()
        try:
            cursor = raw.cursor()
            cursor.execute(sql)
            return cursor.fetchone()[0]
        finally:
            raw.close()


@pytest.fixture(scope="module")
def databases(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        vendor = connection.vendor
        tmp = tmp_path_factory.mktemp("backup")
        source, empty = Database(vendor, tmp, "bsrc"), Database(vendor, tmp, "bdst")
    source.fupin("migrate", "--no-input", "-v", "0")
    source.fupin("load_areas")
    source.fupin("user_add", "clerk", "--password", "clerk-pass-123", "--role", "county", "--area", "230129000000")
    source.fupin("user_add", "chief", "--password", "chief-pass-123", "--role", "province", "--view-identifiers")
    source.fupin("drf_create_token", "clerk")
    yield source, empty, tmp
    with django_db_blocker.unblock():
        source.drop()
        empty.drop()


def test_a_backup_taken_while_the_server_writes_restores_into_identical_tables(databases):
    source, empty, tmp = databases
    file = tmp / "fupin.backup"
    stop = tmp / "stop"
    writer = source.popen("shell", "-c", WRITER.format(stop=str(stop)))
    users = source.scalar("SELECT count(*) FROM accounts_user")
    deadline = time.monotonic() + 60
    while source.scalar("SELECT count(*) FROM accounts_user") == users and time.monotonic() < deadline:
        time.sleep(0.2)  # until it is writing
    backed_up = source.fupin("backup", str(file), "--verify")
    time.sleep(1)
    stop.touch()
    _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert "verified" in backed_up.stdout

    manifest = read_manifest(file)
    assert manifest["vendor"] == source.vendor and manifest["migrations"]["core"][-1] == "0003_audit_append_only"
    tables = manifest["tables"]
    for table in ("accounts_user", "accounts_user_areas", "accounts_user_user_permissions", "authtoken_token"):
        assert tables[table]["rows"] > 0, table
    # the writer went on after the snapshot: the live database has moved on from the backup
    assert source.scalar("SELECT count(*) FROM accounts_user") > tables["accounts_user"]["rows"]

    restored = empty.fupin("restore", str(file))
    assert "every row count and checksum identical" in restored.stdout
    assert empty.figures() == tables  # the same function, on the restored database
    # one snapshot: each user and its audit event were written in one transaction
    assert empty.scalar("SELECT count(*) FROM accounts_user") == empty.scalar(
        "SELECT count(*) FROM core_auditevent WHERE action = 'user.create'"
    )
    head = manifest["audit_head"]
    assert "verified" in empty.fupin("audit", "verify", "--anchor", f"{head['id']}:{head['hash']}").stdout
    # the restored log is append-only again (a client without Fupin's function cannot even prepare a DELETE)
    with pytest.raises(Exception, match=r"append-only|no such function: fupin_audit_maintenance"):
        empty.scalar("DELETE FROM core_auditevent RETURNING id")


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(databases):
    source, empty, tmp = databases
    file = tmp / "again.backup"
    source.fupin("backup", str(file))
    refused = empty.fupin("restore", str(file), check=False)
    if refused.returncode == 0:  # the first test did not run: now the target is filled
        refused = empty.fupin("restore", str(file), check=False)
    assert refused.returncode == 1 and "not empty" in refused.stderr
    forced = empty.fupin("restore", str(file), "--force")
    assert "identical" in forced.stdout
    assert empty.figures() == read_manifest(file)["tables"]


def test_a_restore_that_differs_from_its_manifest_fails(databases):
    source, empty, tmp = databases
    file = tmp / "tampered.backup"
    source.fupin("backup", str(file))
    manifest = read_manifest(file)
    manifest["tables"]["accounts_user"]["rows"] += 1
    tampered = tmp / "tampered2.backup"
    with tarfile.open(file) as old, tarfile.open(tampered, "w") as new:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        new.addfile(info, io.BytesIO(data))
        payload = old.getmember(manifest["payload"]["name"])
        new.addfile(payload, old.extractfile(payload))
    failed = empty.fupin("restore", str(tampered), "--force", check=False)
    assert failed.returncode == 1
    assert "accounts_user:" in failed.stderr and "differs from the backup" in failed.stderr
