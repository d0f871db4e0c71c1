import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.analytics.engine import Engine
from fupin.analytics.report import year_end
from fupin.analytics.selectors import LEVEL_COLUMNS, decomposition, measures, multidimensional
from fupin.analytics.snapshot import snapshot_for
from fupin.core.areacodes import normalize


class Command(BaseCommand):
    help = (
        "Poverty and inequality measures of the households' per capita net income in a year: FGT(0,1,2), "
        "Watts, Sen, Sen-Shorrocks-Thon, Gini, Theil T and L, Atkinson (docs/measures.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--area", default="230000000000", help="area code (default: the province)")
        parser.add_argument("--by", choices=list(LEVEL_COLUMNS), help="one row per area of this level")
        parser.add_argument("--line", type=float, help="this poverty line (yuan) instead of the year's lines")
        parser.add_argument("--inclusive", action="store_true", help="poor when income <= line (default: <)")
        parser.add_argument(
            "--decompose", action="store_true", help="with --by: FGT by subgroup, with shares and contributions"
        )
        parser.add_argument(
            "--multidimensional",
            action="store_true",
            help="Alkire-Foster measures on the two no worries, three guarantees items and safe water instead",
        )
        parser.add_argument("--k", type=float, default=1 / 3, help="with --multidimensional: the poverty cutoff")
        parser.add_argument(
            "--poor-only", action="store_true", help="with --multidimensional: only households poor at the year's end"
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args, **o):
        try:
            area = normalize(o["area"])
        except ValueError as exc:
            raise CommandError(f"--area: {exc}") from exc
        if o["line"] is not None and o["line"] <= 0:
            raise CommandError("--line: a poverty line must be positive")
        if o["decompose"] and not o["by"]:
            raise CommandError("--decompose needs --by LEVEL")
        engine = Engine(snapshot_for(year_end(o["year"])))
        scope = engine.scope(year=o["year"], area=area)
        try:
            scope.area  # noqa: B018 - the area must exist
        except LookupError as exc:
            raise CommandError(f"--area: no area with code {area}") from exc
        if not 0 < o["k"] <= 1:
            raise CommandError("--k: the cutoff must be above 0 and at most 1")
        try:
            if o["multidimensional"]:
                rows = multidimensional(scope, by=o["by"], k=o["k"], poor_only=o["poor_only"])
            elif o["decompose"]:
                rows = decomposition(scope, by=o["by"], line=o["line"], inclusive=o["inclusive"])
            else:
                rows = measures(scope, by=o["by"], line=o["line"], inclusive=o["inclusive"])
        except LookupError as exc:
            raise CommandError(f"--year: {exc}; give --line") from exc
        if o["format"] == "json":
            text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            buffer = io.StringIO()
            if rows:
                writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            text = buffer.getvalue()
        if o["output"]:
            o["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
