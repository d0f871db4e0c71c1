import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.analytics.formats import FORMATS, LANGUAGES, render
from fupin.analytics.report import annual_report
from fupin.core.areacodes import normalize

BINARY = ("pdf", "xlsx")


class Command(BaseCommand):
    help = (
        "Produce a report from the records. `report annual`: the annual report of an area for a year, "
        "as JSON, HTML, PDF or XLSX."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        annual = kinds.add_parser("annual", help="the annual report (every indicator of the specification)")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--area", default="230000000000", help="area code (default: the province)")
        annual.add_argument("--format", choices=list(FORMATS), default="json")
        annual.add_argument("--lang", choices=list(LANGUAGES), default="zh")
        annual.add_argument(
            "-o",
            "--output",
            type=Path,
            help="write to this file instead of standard output (PDF and XLSX go to standard output's bytes)",
        )

    def handle(self, *args, **o):
        try:
            area = normalize(o["area"])
        except ValueError as exc:
            raise CommandError(f"--area: {exc}") from exc
        try:
            report = annual_report(year=o["year"], area=area)
        except LookupError as exc:
            raise CommandError(f"--area: no area with code {area}") from exc
        data = render(report, o["format"], o["lang"])
        if o["output"]:
            try:
                o["output"].write_bytes(data)
            except OSError as exc:
                raise CommandError(f"--output: {exc}") from exc
            self.stderr.write(f"written to {o['output']}")
        elif o["format"] in BINARY:
            if sys.stdout.isatty():
                raise CommandError(f"--format {o['format']} is binary: give -o FILE or redirect standard output")
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
