"""``fupin audit verify``: walk the audit log's hash chain and name the first broken link."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fupin.core.auditchain import verify_chain
from fupin.core.models import AuditEvent


class Command(BaseCommand):
    help = "The audit log's integrity. `fupin audit verify` checks every event's hash and link in id order."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="check the hash chain; exit 1 at the first broken link")
        verify.add_argument("--database", default="default")
        verify.add_argument(
            "--anchor",
            metavar="ID:HASH",
            help="also require event ID to carry HASH (a head recorded earlier, e.g. in a backup's manifest)",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = verify_chain(AuditEvent, using=options["database"])
        if report.broken is not None:
            raise CommandError(
                f"The audit log is broken at {report.broken} (the {report.count:,} events before it verified)."
            )
        if options["anchor"]:
            self._check_anchor(options["anchor"], options["database"])
        head = f"#{report.head_id} {report.head_hash}" if report.head_id else "none (the log is empty)"
        self.stdout.write(
            f"The audit log verified: {report.count:,} events in {time.perf_counter() - started:.1f} s; head {head}."
        )

    def _check_anchor(self, anchor: str, database: str) -> None:
        event_id, _, expected = anchor.partition(":")
        if not event_id.isdigit() or not expected:
            raise CommandError(f"--anchor: expected ID:HASH, got {anchor!r}")
        found = AuditEvent.objects.using(database).filter(id=int(event_id)).values_list("hash", flat=True).first()
        if found is None:
            raise CommandError(f"The audit log is broken at the anchor: event #{event_id} is missing.")
        if found != expected:
            raise CommandError(
                f"The audit log is broken at the anchor: event #{event_id} has hash {found}, not {expected} "
                "(the chain was rewritten from there on)."
            )
