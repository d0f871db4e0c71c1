"""The annual report as files: PDF (WeasyPrint, with a title page, a table of contents,
page numbers and vector charts) and XLSX (openpyxl, a sheet per section and a data sheet),
besides the HTML and JSON of ``report.py``.

Every format renders what ``AnnualReport.sections()`` gives (title, sentences, reasons,
rows) and the indicators' values as they are (int, float or Decimal), so a section's
sentences and figures are written once, in the apps' ``indicators.py``.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fupin.analytics.report import AnnualReport, unit_label

FORMATS = ("html", "pdf", "xlsx", "json")
LANGUAGES = {"zh": "zh-hans", "en": "en"}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CJK_FONT = "Noto Sans CJK SC"
PDF_CSS = Path(__file__).resolve().parent / "static" / "analytics" / "annual-report-pdf.css"
# The level of the areas one below each level, for the overview's chart.
CHILD_LEVEL = {"province": "city", "city": "county", "county": "township", "township": "village"}
MAX_CHART_AREAS = 30
# Sections whose figures make a chart: a bar per indicator, in this order (drawn when at
# least two of them have a value and one is not zero).
FIGURE_CHARTS: dict[str, list[str]] = {
    "village_advancement": ["evap.funds.fiscal", "evap.funds.social"],
    "training": ["training.transfer.trained", "training.whole_village.trained", "training.leaders.trained"],
    "contiguous": ["contiguous.funds_fiscal", "contiguous.funds_integrated"],
    "social": ["social.funds_free", "social.funds_introduced"],
}


def file_name(report: AnnualReport, fmt: str, lang: str) -> str:
    """``fupin-annual-2009-230000000000-zh.pdf``."""
    return f"fupin-annual-{report.year}-{report.area['code']}-{lang}.{fmt}"


def render(report: AnnualReport, fmt: str, lang: str) -> bytes:
    """The report in one of ``FORMATS`` and one of ``LANGUAGES`` ("zh", "en"), as bytes."""
    language = LANGUAGES[lang]
    if fmt == "json":
        return (
            json.dumps(report.as_json(language), ensure_ascii=False, indent=2, default=_json_default) + "\n"
        ).encode()
    if fmt == "html":
        return report.render_html(language).encode()
    renderers: dict[str, Callable[[AnnualReport, str], bytes]] = {"pdf": render_pdf, "xlsx": render_xlsx}
    if fmt not in renderers:
        raise ValueError(f"not a report format: {fmt!r} (one of {', '.join(FORMATS)})")
    return renderers[fmt](report, language)


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _number(value: object) -> int | float | Decimal | None:
    return value if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else None


# --- charts ------------------------------------------------------------------------------------


def _figure(height: float) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, height), dpi=72)
    figure.set_layout_engine("constrained")
    return figure


def _svg(figure: Any) -> str:
    """The figure as SVG in a data URL (inlined in the page, each chart with its own ids),
    its text kept as text in the CJK font, so Chinese renders and the PDF's text is
    searchable."""
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": [CJK_FONT, "Noto Sans CJK JP", "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "fupin",
        }
    ):
        figure.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    # matplotlib names the font it measured with; the PDF must ask for the SC face
    text = re.sub(r"font-family:\s*'?[^;'\"]*CJK[^;'\"]*'?", f"font-family: '{CJK_FONT}'", text)
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode("ascii")


def _thousands(x: float, _pos: object = None) -> str:
    return f"{x:,.0f}"


def _area_label(row: dict[str, Any], english: bool) -> str:
    return str((row.get("name_en") or row.get("name")) if english else (row.get("name") or row.get("area")))


def children_chart(report: AnnualReport, english: bool) -> dict[str, str] | None:
    """Poor households and people at the year's end in each area one level below the
    report's, from one query on the report's snapshot (None for a village, or when fewer
    than two areas have households)."""
    from matplotlib.ticker import FuncFormatter

    from fupin.analytics.engine import Engine
    from fupin.analytics.selectors import LEVEL_COLUMNS, status_flows

    child = CHILD_LEVEL.get(str(report.area.get("level")))
    if child is None or child not in LEVEL_COLUMNS:
        return None
    scope = (report.engine or Engine(report.snapshot)).scope(year=report.year, area=report.area["code"])
    rows = [r for r in status_flows(scope, by=child) if r.get("area")]
    if len(rows) < 2 or len(rows) > MAX_CHART_AREAS:
        return None
    parts = ("still_poor", "new_poor", "returned")
    households = [sum(int(r[f"{p}_households"] or 0) for p in parts) for r in rows]
    people = [sum(int(r[f"{p}_people"] or 0) for p in parts) for r in rows]
    if not any(households):
        return None
    labels = [_area_label(r, english) for r in rows]
    figure = _figure(1.0 + 0.22 * len(rows))
    axes = figure.subplots()
    positions = list(range(len(rows)))
    axes.barh([p + 0.2 for p in positions], households, height=0.4, label=_("Poor households"), color="#c8102e")
    axes.barh([p - 0.2 for p in positions], people, height=0.4, label=_("Poor people"), color="#f2a900")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(FuncFormatter(_thousands))
    axes.legend(loc="lower right", frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    title = _("Poor households and people at the end of %(year)s by area") % {"year": report.year}
    return {"title": title, "svg": _svg(figure)}


def figures_chart(report: AnnualReport, section: str, english: bool) -> dict[str, str] | None:
    """A bar per figure of ``FIGURE_CHARTS[section]`` that has a value."""
    from matplotlib.ticker import FuncFormatter

    by_id = report.by_id()
    bars = []
    for key in FIGURE_CHARTS.get(section, []):
        found = by_id.get(key)
        value = _number(found.value) if found is not None and found.available else None
        if value is not None:
            bars.append((found.indicator, float(value)))  # type: ignore[union-attr]
    if len(bars) < 2 or not any(v for _i, v in bars):
        return None
    language = "en" if english else "zh-hans"
    units = {unit_label(i.unit) for i, _v in bars}
    figure = _figure(0.9 + 0.45 * len(bars))
    axes = figure.subplots()
    positions = list(range(len(bars)))
    axes.barh(positions, [v for _i, v in bars], height=0.55, color="#c8102e")
    axes.set_yticks(positions, [i.name(language) for i, _v in bars])
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(FuncFormatter(_thousands))
    if len(units) == 1:
        axes.set_xlabel(units.pop())
    for position, (_indicator, value) in zip(positions, bars, strict=True):
        axes.annotate(_thousands(value), (value, position), xytext=(3, 0), textcoords="offset points", va="center")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return {"title": "", "svg": _svg(figure)}


def section_charts(
    report: AnnualReport, sections: list[dict[str, Any]], english: bool
) -> dict[str, list[dict[str, str]]]:
    charts: dict[str, list[dict[str, str]]] = {}
    for section in sections:
        found = []
        if section["id"] == "overview":
            found.append(children_chart(report, english))
        found.append(figures_chart(report, section["id"], english))
        charts[section["id"]] = [c for c in found if c is not None]
    return charts


# --- PDF -----------------------------------------------------------------------------------------


def render_pdf(report: AnnualReport, language: str) -> bytes:
    """The report as a PDF: title page, contents with page numbers, each section's
    sentences, table and charts."""
    from weasyprint import CSS, HTML

    with translation.override(language):
        sections = report.sections()
        english = language.startswith("en")
        charts = section_charts(report, sections, english)
        for section in sections:
            section["charts"] = charts.get(section["id"], [])
        html = render_to_string(
            "analytics/annual_report_pdf.html",
            {"report": report, "sections": sections, "area_name": report.area_name()},
        )
    return bytes(HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))]))


# --- XLSX ----------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    """A worksheet name from a section title: at most 31 characters, none of []:*?/\\,
    unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip() or "Sheet"
    name, n = base[:31], 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _number_format(value: object) -> str:
    if isinstance(value, float) and not value.is_integer():
        return "#,##0.00"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return "#,##0.00"
    return "#,##0"


def render_xlsx(report: AnnualReport, language: str) -> bytes:
    """The report as a workbook: a sheet per section (title, sentences, table) and a data
    sheet of every indicator (id, name, unit, value, area, year; values as numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    by_id = report.by_id()
    with translation.override(language):
        book = Workbook()
        contents = book.active
        taken: set[str] = set()
        contents.title = _sheet_title(_("Annual report"), taken)
        contents.append(
            [
                _("Poverty Alleviation and Development in %(area)s, %(year)s")
                % {"area": report.area_name(), "year": report.year}
            ]
        )
        contents["A1"].font = Font(bold=True, size=14)
        contents.append([_("Snapshot as of"), report.snapshot.as_of])
        contents["B2"].number_format = "yyyy-mm-dd"
        contents.append([_("Area code"), report.area["code"]])
        contents.append([])
        contents.append([pgettext("table of contents", "Contents")])
        contents["A5"].font = bold
        for section in report.sections():
            sheet = book.create_sheet(_sheet_title(section["title"], taken))
            contents.append([section["title"], sheet.title])
            sheet.append([section["title"]])
            sheet["A1"].font = Font(bold=True, size=13)
            for sentence in section["sentences"]:
                sheet.append([sentence])
            for reason in section["reasons"]:
                sheet.append([f"{_('Not available:')} {reason}"])
            if section["rows"]:
                sheet.append([])
                sheet.append([_("Indicator"), _("Value"), _("Unit"), _("Indicator id")])
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
                for row in section["rows"]:
                    value = _number(by_id[row["id"]].value) if row["value"] is not None else None
                    sheet.append(
                        [row["name"], value if value is not None else _("not available"), row["unit"], row["id"]]
                    )
                    if value is not None:
                        sheet.cell(sheet.max_row, 2).number_format = _number_format(value)
            sheet.column_dimensions["A"].width = 60
            sheet.column_dimensions["B"].width = 18
            sheet.column_dimensions["D"].width = 36
        contents.column_dimensions["A"].width = 48
        contents.column_dimensions["B"].width = 32
        data = book.create_sheet(_sheet_title(_("Data"), taken))
        data.append(["indicator", "name", "unit", "value", "area", "year", "reason"])
        for cell in data[1]:
            cell.font = bold
        for v in report.values:
            value = _number(v.value) if v.available else None
            data.append(
                [
                    v.indicator.id,
                    v.indicator.name(language),
                    v.indicator.unit,
                    value,
                    report.area["code"],
                    report.year,
                    None if v.available else str(v.reason),
                ]
            )
            if value is not None:
                data.cell(data.max_row, 4).number_format = _number_format(value)
        for column, width in zip("ABCDEFG", (36, 48, 12, 18, 16, 8, 40), strict=True):
            data.column_dimensions[column].width = width
        data.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()
