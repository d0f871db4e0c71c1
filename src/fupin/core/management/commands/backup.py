"""``fupin backup FILE``: a consistent copy of the whole database while it serves."""

from __future__ import annotations

import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from fupin.core.backup import BackupError, Target, backup, verify_file


def fupin_version() -> str:
    try:
        return version("fupin")
    except PackageNotFoundError:
        return "unknown"


def figures(command: BaseCommand, tables: dict) -> None:
    for name, t in sorted(tables.items()):
        command.stdout.write(f"  {name:<40} {t['rows']:>10,}  {t['sha256']}")


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to FILE (a tar: manifest.json and the SQLite file or the "
        "pg_dump custom-format dump), consistent while the server writes. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--verify", action="store_true", help="read the file back and check it against its manifest"
        )
        parser.add_argument("--tables", action="store_true", help="print every table's row count and checksum")

    def handle(self, *args, **o):
        connection = connections[o["database"]]
        file: Path = o["file"].resolve()
        if file.is_dir():
            raise CommandError(f"{file} is a directory: name the backup file")
        file.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        try:
            manifest = backup(
                Target.of(connection.settings_dict, connection.vendor), file, fupin_version=fupin_version()
            )
            if o["verify"]:
                verify_file(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        head = manifest["audit_head"]
        self.stdout.write(
            f"Backed up {manifest['vendor']} to {file} in {time.perf_counter() - started:.1f} s: "
            f"{len(tables)} tables, {rows:,} rows, {file.stat().st_size:,} bytes"
            + (f"; audit head #{head['id']} {head['hash']}" if head else "")
            + ("; verified." if o["verify"] else ".")
        )
        if o["tables"]:
            figures(self, tables)
