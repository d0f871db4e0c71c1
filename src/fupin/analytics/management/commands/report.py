import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.analytics.report import annual_report
from fupin.core.areacodes import normalize

LANGUAGES = {"zh": "zh-hans", "en": "en"}


class Command(BaseCommand):
    help = "Produce a report from the records. `report annual`: the annual report of an area for a year."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        annual = kinds.add_parser("annual", help="the annual report (every indicator of the specification)")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--area", default="230000000000", help="area code (default: the province)")
        annual.add_argument("--format", choices=["json", "html"], default="json")
        annual.add_argument("--lang", choices=list(LANGUAGES), default="zh")
        annual.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")

    def handle(self, *args, **o):
        try:
            area = normalize(o["area"])
        except ValueError as exc:
            raise CommandError(f"--area: {exc}") from exc
        try:
            report = annual_report(year=o["year"], area=area)
        except LookupError as exc:
            raise CommandError(f"--area: no area with code {area}") from exc
        language = LANGUAGES[o["lang"]]
        if o["format"] == "json":
            text = json.dumps(report.as_json(language), ensure_ascii=False, indent=2) + "\n"
        else:
            text = report.render_html(language)
        if o["output"]:
            o["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"written to {o['output']}")
        else:
            self.stdout.write(text, ending="")
