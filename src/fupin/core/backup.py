"""Backup and restore of the whole database, consistent while the server writes.

A backup is one tar file holding ``manifest.json`` and the database itself:

- SQLite: ``db.sqlite3``, a copy made with SQLite's online backup API from the live file
  (a read transaction on one snapshot, WAL included; writers go on meanwhile);
- PostgreSQL: ``db.dump``, ``pg_dump --format=custom`` run on a snapshot exported from a
  REPEATABLE READ transaction, the same snapshot the manifest's figures are read from.

The manifest names the format, the Fupin version, the database vendor and server version,
the applied migrations, the audit log's head (last id and hash: the anchor for ``fupin audit
verify --anchor``), the payload's size and SHA-256, and for every table its row count and a
checksum: the SHA-256 over its rows in primary-key order (:func:`table_checksums`). Restore
goes into an empty database only (or one emptied with ``--force``), then reads the same
figures from the restored database through the same function and compares them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "fupin-backup/1"
MANIFEST = "manifest.json"
PAYLOAD = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}


class BackupError(Exception):
    pass


# --- the figures: row counts and a checksum per table ----------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor: Any) -> Iterator[tuple[str, str]]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    for (name,) in cursor.fetchall():
        cursor.execute(f"PRAGMA table_info({_quote(name)})")
        columns = sorted((row[5], row[1]) for row in cursor.fetchall() if row[5])
        order = ", ".join(_quote(c) for _, c in columns) or "rowid"
        yield name, f"SELECT * FROM {_quote(name)} ORDER BY {order}"  # noqa: S608 - names from the catalogue


def _postgresql_tables(cursor: Any) -> Iterator[tuple[str, str]]:
    cursor.execute(
        """SELECT c.relname,
                  coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                            FROM pg_index i
                            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                            WHERE i.indrelid = c.oid AND i.indisprimary), '')
           FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
           WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"""
    )
    for name, order in cursor.fetchall():
        table = _quote(name)
        yield name, f"SELECT t::text FROM {table} AS t ORDER BY {order or 't::text'}"  # noqa: S608


def table_checksums(connection: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """``{table: {"rows": n, "sha256": hex}}`` for every table of the database, each hash
    over the table's rows in primary-key order, read through ``connection`` (a DB-API
    connection: sqlite3 or psycopg), inside whatever transaction it has open. Values are
    serialised as the database gives them: SQLite's values by ``repr``, PostgreSQL's rows
    by their text form (the session fixes time zone, date style and float digits)."""
    result: dict[str, dict[str, Any]] = {}
    cursor = connection.cursor()
    if vendor == "postgresql":
        cursor.execute("SET LOCAL TimeZone = 'UTC'")
        cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        cursor.execute("SET LOCAL extra_float_digits = 3")
        cursor.execute("SET LOCAL IntervalStyle = 'iso_8601'")
        tables = list(_postgresql_tables(cursor))
    else:
        tables = list(_sqlite_tables(cursor))
    for name, query in tables:
        digest = hashlib.sha256()
        rows = 0
        if vendor == "postgresql":
            with connection.cursor(name=f"checksum_{rows}_{len(result)}") as rows_cursor:
                rows_cursor.itersize = 20_000
                rows_cursor.execute(query)
                for (text,) in rows_cursor:
                    digest.update(text.encode() + b"\n")
                    rows += 1
        else:
            rows_cursor = connection.cursor()
            rows_cursor.execute(query)
            while page := rows_cursor.fetchmany(20_000):
                for row in page:
                    digest.update(repr(row).encode() + b"\n")
                rows += len(page)
        result[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _facts(connection: Any, vendor: str) -> dict[str, Any]:
    """What the manifest records of the database, read on the backup's snapshot."""
    cursor = connection.cursor()
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    cursor.execute("SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
    head = cursor.fetchone()
    if vendor == "postgresql":
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    else:
        server = sqlite3.sqlite_version
    return {
        "server_version": server,
        "migrations": migrations,
        "audit_head": {"id": head[0], "hash": head[1]} if head else None,
        "tables": table_checksums(connection, vendor),
    }


def differences(expected: Mapping[str, Any], found: Mapping[str, Any]) -> list[str]:
    """Where two sets of table figures differ, one line each."""
    lines = []
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if want is None:
            lines.append(f"{name}: not in the backup")
        elif got is None:
            lines.append(f"{name}: missing")
        elif want != got:
            lines.append(
                f"{name}: {got['rows']} rows, checksum {got['sha256'][:12]}… "
                f"(the backup has {want['rows']} rows, {want['sha256'][:12]}…)"
            )
    return lines


# --- the database: where it is and how to reach it ------------------------------------------


@dataclass(frozen=True)
class Target:
    vendor: str
    settings: Mapping[str, Any]

    @classmethod
    def of(cls, settings_dict: Mapping[str, Any], vendor: str) -> Target:
        if vendor not in PAYLOAD:
            raise BackupError(f"backup supports SQLite and PostgreSQL, not {vendor}")
        return cls(vendor, settings_dict)

    @property
    def path(self) -> str:
        return str(self.settings["NAME"])

    def env(self) -> dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
            if s.get(key):
                env[var] = str(s[key])
        return env

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path)
        import psycopg

        s = self.settings
        return psycopg.connect(
            dbname=s["NAME"],
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            autocommit=True,  # transactions are opened explicitly, with their isolation level
        )

    def is_empty(self) -> bool:
        if self.vendor == "sqlite" and not Path(self.path).exists():
            return True
        connection = self.connect()
        try:
            cursor = connection.cursor()
            if self.vendor == "sqlite":
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            else:
                cursor.execute(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
                    "WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
                )
            return cursor.fetchone()[0] == 0
        finally:
            connection.close()


def _tool(name: str, server_version: str) -> str:
    """The path of pg_dump / pg_restore, refused when older than the server's major version."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    server = re.match(r"(\d+)", server_version)
    if found and server and int(found.group(1)) < int(server.group(1)):
        raise BackupError(
            f"{out.strip()} is older than the server (PostgreSQL {server_version}): install {name} {server.group(1)}"
        )
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- backup ------------------------------------------------------------------------------------


def backup(target: Target, file: Path, *, fupin_version: str) -> dict[str, Any]:
    """Write the backup file; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="fupin-backup-", dir=file.parent) as tmp:
        payload = Path(tmp) / PAYLOAD[target.vendor]
        write = _backup_sqlite if target.vendor == "sqlite" else _backup_postgresql
        facts = write(target, payload)
        manifest = {
            "format": FORMAT,
            "fupin_version": fupin_version,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "vendor": target.vendor,
            **facts,
            "payload": {"name": payload.name, "bytes": payload.stat().st_size, "sha256": _sha256(payload)},
        }
        partial = Path(tmp) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(payload, arcname=payload.name)
        partial.replace(file)
    return manifest


def _backup_sqlite(target: Target, payload: Path) -> dict[str, Any]:
    if not Path(target.path).exists():
        raise BackupError(f"no database at {target.path}")
    source = sqlite3.connect(target.path)
    copy = sqlite3.connect(payload)
    try:
        source.backup(copy)  # one step: one read transaction, one consistent snapshot
        copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        return _facts(copy, "sqlite")
    finally:
        copy.close()
        source.close()


def _backup_postgresql(target: Target, payload: Path) -> dict[str, Any]:
    connection = target.connect()
    try:
        cursor = connection.cursor()
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        pg_dump = _tool("pg_dump", server)
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        dump = subprocess.Popen(  # runs on the snapshot while this transaction holds it
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={payload}", str(target.settings["NAME"])],
            env=target.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            facts = _facts(connection, "postgresql")
        finally:
            _out, err = dump.communicate()
        if dump.returncode != 0:
            raise BackupError(f"pg_dump failed: {err.strip()}")
        facts["pg_dump"] = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
        cursor.execute("COMMIT")
        return facts
    finally:
        connection.close()


# --- reading a backup file ---------------------------------------------------------------------


def read_manifest(file: Path) -> dict[str, Any]:
    try:
        with tarfile.open(file, "r") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{file} is not a Fupin backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{file}: unknown backup format {manifest.get('format')!r}")
    return manifest


def _extract(file: Path, manifest: Mapping[str, Any], into: Path) -> Path:
    name = manifest["payload"]["name"]
    with tarfile.open(file, "r") as tar:
        tar.extract(name, into, filter="data")
    payload = into / name
    if _sha256(payload) != manifest["payload"]["sha256"]:
        raise BackupError(f"{file}: the database inside does not match its manifest (damaged file)")
    return payload


def verify_file(file: Path) -> dict[str, Any]:
    """Check a backup file: the manifest, the payload's hash, and (SQLite) the figures of
    the database inside; (PostgreSQL) that pg_restore can read the dump."""
    manifest = read_manifest(file)
    with tempfile.TemporaryDirectory(prefix="fupin-verify-", dir=file.parent) as tmp:
        payload = _extract(file, manifest, Path(tmp))
        if manifest["vendor"] == "sqlite":
            connection = sqlite3.connect(payload)
            try:
                found = table_checksums(connection, "sqlite")
            finally:
                connection.close()
            if problems := differences(manifest["tables"], found):
                raise BackupError("the backup's database differs from its manifest:\n" + "\n".join(problems))
        else:
            pg_restore = shutil.which("pg_restore")
            if pg_restore is None:
                raise BackupError("pg_restore is not installed")
            _run([pg_restore, "--list", str(payload)], dict(os.environ))
    return manifest


# --- restore -----------------------------------------------------------------------------------


def restore(target: Target, file: Path, *, force: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Restore the backup into the target database, which must be empty unless ``force``.
    Returns (manifest, the restored database's table figures); raises BackupError when
    they differ from the manifest's."""
    manifest = read_manifest(file)
    if manifest["vendor"] != target.vendor:
        raise BackupError(f"the backup is of a {manifest['vendor']} database; this one is {target.vendor}")
    if not force and not target.is_empty():
        raise BackupError("the target database is not empty: restore into an empty database, or pass --force")
    with tempfile.TemporaryDirectory(prefix="fupin-restore-") as tmp:
        payload = _extract(file, manifest, Path(tmp))
        if target.vendor == "sqlite":
            _restore_sqlite(target, payload)
        else:
            _restore_postgresql(target, payload, force=force)
    connection = target.connect()
    try:
        if target.vendor == "postgresql":
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        found = table_checksums(connection, target.vendor)
    finally:
        connection.close()
    if problems := differences(manifest["tables"], found):
        raise BackupError("the restored database differs from the backup:\n" + "\n".join(problems))
    return manifest, found


def _restore_sqlite(target: Target, payload: Path) -> None:
    Path(target.path).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(payload)
    into = sqlite3.connect(target.path)
    try:
        source.backup(into)  # page by page over whatever the target held, WAL included
        into.execute("PRAGMA journal_mode = WAL")
    finally:
        into.close()
        source.close()


def _restore_postgresql(target: Target, payload: Path, *, force: bool) -> None:
    connection = target.connect()
    try:
        cursor = connection.cursor()
        cursor.execute("SHOW server_version")
        pg_restore = _tool("pg_restore", cursor.fetchone()[0])
        if force:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    finally:
        connection.close()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(target.settings["NAME"]),
            str(payload),
        ],
        target.env(),
    )
