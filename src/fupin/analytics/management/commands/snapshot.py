import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from fupin.analytics.snapshot import take_snapshot


class Command(BaseCommand):
    help = "Freeze the registry as of a date (default today) into Parquet files for the analytics engine."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as of this date, YYYY-MM-DD (default: today)")

    def handle(self, *args, **o):
        try:
            as_of = dt.date.fromisoformat(o["date"]) if o["date"] else None
        except ValueError as exc:
            raise CommandError(f"--date: not a date (YYYY-MM-DD): {o['date']}") from exc
        snapshot = take_snapshot(as_of=as_of)
        for name, table in snapshot.manifest["tables"].items():
            self.stdout.write(f"{name}: {table['rows']:,} rows")
        self.stdout.write(f"snapshot as of {snapshot.as_of} in {snapshot.manifest['seconds']:.2f} s: {snapshot.path}")
