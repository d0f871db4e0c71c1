"""``fupin restore FILE``: restore a backup into an empty database and check it."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from fupin.core.backup import BackupError, Target, restore
from fupin.core.management.commands.backup import figures


class Command(BaseCommand):
    help = (
        "Restore a backup written by `fupin backup` into the configured database, which must be empty "
        "(--force empties it first), then compare every table's row count and checksum with the backup's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")
        parser.add_argument("--force", action="store_true", help="replace whatever the target database holds")

    def handle(self, *args, **o):
        connection = connections[o["database"]]
        target = Target.of(connection.settings_dict, connection.vendor)
        connection.close()  # the restore writes through its own connection
        started = time.perf_counter()
        try:
            manifest, found = restore(target, o["file"].resolve(), force=o["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in found.values())
        self.stdout.write(
            f"Restored {o['file']} (Fupin {manifest['fupin_version']}, {manifest['created_at']}) "
            f"in {time.perf_counter() - started:.1f} s: {len(found)} tables, {rows:,} rows, "
            "every row count and checksum identical to the backup's:"
        )
        figures(self, found)
        head = manifest["audit_head"]
        if head:
            self.stdout.write(f"Check the audit log: fupin audit verify --anchor {head['id']}:{head['hash']}")
