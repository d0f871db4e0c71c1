"""Annual report benchmark, in one process against one database (SQLite or $DATABASE_URL).

The province's annual report for 2009 on one stored snapshot (taken once, before the
clock starts), in each of its formats: time (best of ``--repeat`` after a warm-up) and
peak memory of the Python heap (tracemalloc, one call), each call computing the report
afresh (every indicator) as a download does. Baselines in the same run:

- the JSON report on the same snapshot: the cost of the figures alone;
- WeasyPrint rendering a plain HTML table of the same figures (id, name, value): the
  floor of any PDF of them, so ``PDF - JSON`` against it is what the title page, the
  contents, the sections and the charts add.
"""

from __future__ import annotations

import argparse
import html
import os
import tracemalloc
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")

import django

django.setup()

from django.db import connection
from django.utils import translation

from benchmarks.analytics import AS_OF, YEAR, setup, timed
from fupin.analytics import formats
from fupin.analytics.engine import Engine
from fupin.analytics.report import annual_report
from fupin.analytics.snapshot import Snapshot, take_snapshot


def peak(fn: Callable[[], object]) -> float:
    """Peak traced Python memory of one call, in MB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def plain_pdf(snapshot: Snapshot, engine: Engine) -> Callable[[], bytes]:
    """The floor: WeasyPrint rendering the same figures as one plain HTML table."""
    from weasyprint import HTML

    def run() -> bytes:
        report = annual_report(year=YEAR, snapshot=snapshot, engine=engine)
        rows = "".join(
            f"<tr><td>{v.indicator.id}</td><td>{html.escape(v.indicator.name('zh-hans'))}</td>"
            f"<td>{'' if v.value is None else v.value}</td></tr>"
            for v in report.values
        )
        page = f"<html><body style=\"font-family: 'Noto Sans CJK SC'\"><table>{rows}</table></body></html>"
        return bytes(HTML(string=page).write_pdf())

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=3, help="timed calls after one warm-up; the best counts")
    args = parser.parse_args()
    setup(args.scale)
    print(f"database: {connection.vendor}; demo scale {args.scale}")
    snapshot = take_snapshot(as_of=AS_OF)
    engine = Engine(snapshot)  # one engine, as a web process reuses it

    def fmt(name: str, lang: str = "zh") -> Callable[[], bytes]:
        return lambda: formats.render(annual_report(year=YEAR, snapshot=snapshot, engine=engine), name, lang)

    cases = {
        "JSON (baseline: the figures)": fmt("json"),
        "plain PDF table (baseline)": plain_pdf(snapshot, engine),
        "PDF": fmt("pdf"),
        "PDF, English": fmt("pdf", "en"),
        "XLSX": fmt("xlsx"),
    }
    results = {}
    with translation.override("zh-hans"):
        for label, fn in cases.items():
            first, best = timed(fn, args.repeat)
            size = len(fn())
            results[label] = (first, best, peak(fn), size)
    count = len(annual_report(year=YEAR, snapshot=snapshot, engine=engine).values)
    how = f"best of {args.repeat} after a warm-up"
    print(f"annual report {YEAR}, province, {count} indicators, one stored snapshot ({how}):")
    for label, (first, best, mb, size) in results.items():
        print(f"  {label:30} {best:6.2f} s (first {first:5.2f} s), peak {mb:6.1f} MB, {size / 1024:7.0f} KiB")
    json_s = results["JSON (baseline: the figures)"][1]
    plain_s = results["plain PDF table (baseline)"][1]
    pdf_s, xlsx_s = results["PDF"][1], results["XLSX"][1]
    print(
        f"  ratio pdf/json = {pdf_s / json_s:.2f}; ratio pdf/plain-pdf = {pdf_s / plain_s:.2f}; "
        f"ratio xlsx/json = {xlsx_s / json_s:.2f}"
    )
    print(f"  PDF beyond the figures: {pdf_s - json_s:.2f} s (plain table: {plain_s - json_s:.2f} s)")
    print(f"  goal at --scale 1: the PDF under 10 s; at {args.scale}: {pdf_s:.2f} s")


if __name__ == "__main__":
    main()
