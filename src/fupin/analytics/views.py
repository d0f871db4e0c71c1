"""Web pages of the analytics engine: the annual report of an area the user answers for."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.analytics import formats, registry
from fupin.analytics.engine import Engine
from fupin.analytics.measures import describe
from fupin.analytics.report import annual_report, year_end
from fupin.analytics.selectors import (
    LEVEL_COLUMNS,
    MEASURE_COLUMNS,
    measures,
    multidimensional,
    status_flows,
    targeting_check,
)
from fupin.analytics.snapshot import snapshot_for
from fupin.core.areacodes import normalize
from fupin.core.errors import ApplicationError, InvalidInput, OutOfScope
from fupin.core.policy import check_scope
from fupin.geo.models import AdminArea

PROVINCE = "230000000000"
PAGES = [
    ("annual", _lazy("Annual report")),
    ("measures", _lazy("Poverty measures")),
    ("dynamics", _lazy("Dynamics and targeting")),
]
LEVELS = [
    ("city", _lazy("each city")),
    ("county", _lazy("each county")),
    ("township", _lazy("each township")),
    ("village", _lazy("each village")),
]


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The error on a page of its own, with its status (as the web shell shows an error
    after which there is no page to go back to)."""
    message = str(exc.message)
    messages.error(request, f"{exc.record}: {message}" if exc.record else message)
    return render(request, "web/error.html", {"error": exc}, status=exc.status_code)


def report_years() -> list[int]:
    """The years the apps' records cover (``registry.years``; the registry's income
    records), newest first, or this year when there are none."""
    spans = [span() for span in registry.YEARS]
    firsts = [first for first, _last in spans if first is not None]
    lasts = [last for _first, last in spans if last is not None]
    if not firsts or not lasts:
        from django.utils import timezone

        return [timezone.localdate().year]
    return list(range(max(lasts), min(firsts) - 1, -1))


def report_areas(user: Any) -> list[AdminArea]:
    """The areas a user can choose: their own, and below them down to the counties (or the
    townships, for a county's officers)."""
    own = list(AdminArea.objects.visible_to(user).filter(pk__in=user.areas.values("pk")).order_by("code"))
    if user.is_superuser:
        own = list(AdminArea.objects.filter(code=PROVINCE))
    levels = ["province", "city", "county"]
    if all(a.level in ("county", "township", "village") for a in own):
        levels = ["county", "township"]
    areas = AdminArea.objects.visible_to(user) if not user.is_superuser else AdminArea.objects.all()
    return list(areas.filter(level__in=levels).order_by("code"))[:500] or own


def _parse(request: HttpRequest, years: list[int], default_area: str) -> tuple[int, str]:
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError as exc:
        raise InvalidInput(_("Not a year."), field="year") from exc
    if not 1980 <= year <= 2100:
        raise InvalidInput(_("Not a year."), field="year")
    try:
        area = normalize(request.GET.get("area") or default_area)
    except ValueError as exc:
        raise InvalidInput(_("Not an area code."), field="area") from exc
    if not request.user.is_superuser:
        check_scope(request.user, area, field="area")
    return year, area


def _parse_by(request: HttpRequest) -> str | None:
    by = request.GET.get("by") or None
    if by is not None and by not in LEVEL_COLUMNS:
        raise InvalidInput(_("Not a level."), field="by")
    return by


@login_required
def annual(request: HttpRequest) -> HttpResponse:
    years = report_years()
    areas = report_areas(request.user)
    if not areas:
        return error_page(request, OutOfScope())
    try:
        year, area = _parse(request, years, areas[0].code)
    except (InvalidInput, OutOfScope) as exc:
        return error_page(request, exc)
    try:
        report = annual_report(year=year, area=area)
    except LookupError:
        return error_page(request, InvalidInput(_("Not an area code."), field="area"))
    language = translation.get_language() or "zh-hans"
    fmt = request.GET.get("format")
    if fmt == "json":
        return JsonResponse(report.as_json(language), json_dumps_params={"ensure_ascii": False})
    if fmt == "html":
        response = HttpResponse(report.render_html(language), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="annual-report-{area}-{year}.html"'
        return response
    return render(
        request,
        "analytics/report_page.html",
        {
            "report": report,
            "sections": report.sections(),
            "area_name": report.area_name(),
            "pages": PAGES,
            "years": years,
            "year": year,
            "areas": areas,
            "area_code": area,
            "lang": "en" if language.startswith("en") else "zh",
            "formats": [("pdf", "PDF"), ("xlsx", "Excel"), ("html", "HTML"), ("json", "JSON")],
        },
    )


@login_required
def annual_download(request: HttpRequest) -> HttpResponse:
    """The annual report as a file: ``?year=&area=&lang=zh|en&format=html|pdf|xlsx|json``,
    an attachment named like ``fupin-annual-2009-230000000000-zh.pdf``; the same areas as
    the page."""
    years = report_years()
    areas = report_areas(request.user)
    if not areas:
        return error_page(request, OutOfScope())
    fmt = request.GET.get("format") or ""
    if fmt not in formats.FORMATS:
        return error_page(request, InvalidInput(_("Not a report format (html, pdf, xlsx or json)."), field="format"))
    active = "en" if (translation.get_language() or "").startswith("en") else "zh"
    lang = request.GET.get("lang") or active
    if lang not in formats.LANGUAGES:
        return error_page(request, InvalidInput(_("Not a report language (zh or en)."), field="lang"))
    try:
        year, area = _parse(request, years, areas[0].code)
    except (InvalidInput, OutOfScope) as exc:
        return error_page(request, exc)
    try:
        report = annual_report(year=year, area=area)
    except LookupError:
        return error_page(request, InvalidInput(_("Not an area code."), field="area"))
    response = HttpResponse(formats.render(report, fmt, lang), content_type=formats.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{formats.file_name(report, fmt, lang)}"'
    return response


@login_required
def measures_page(request: HttpRequest) -> HttpResponse:
    """Poverty and inequality measures of an area, or of each area of a level below it."""
    years = report_years()
    areas = report_areas(request.user)
    if not areas:
        return error_page(request, OutOfScope())
    try:
        year, area = _parse(request, years, areas[0].code)
        by = _parse_by(request)
        line_text = (request.GET.get("line") or "").strip()
        try:
            line = float(line_text) if line_text else None
        except ValueError as exc:
            raise InvalidInput(_("The poverty line must be a positive number."), field="line") from exc
        if line is not None and line <= 0:
            raise InvalidInput(_("The poverty line must be a positive number."), field="line")
        k_text = (request.GET.get("k") or "").strip()
        try:
            k = float(k_text) if k_text else 1 / 3
        except ValueError as exc:
            raise InvalidInput(_("The cutoff k must be above 0 and at most 1."), field="k") from exc
        if not 0 < k <= 1:
            raise InvalidInput(_("The cutoff k must be above 0 and at most 1."), field="k")
    except (InvalidInput, OutOfScope) as exc:
        return error_page(request, exc)
    inclusive = request.GET.get("inclusive") == "1"
    scope = Engine(snapshot_for(year_end(year))).scope(year=year, area=area)
    try:
        rows = measures(scope, by=by, line=line, inclusive=inclusive)
    except LookupError:
        return error_page(request, InvalidInput(_("There is no poverty line for this year."), field="line"))
    english = (translation.get_language() or "").startswith("en")
    headers = [
        {
            "id": c,
            "label": describe(c).en if english else describe(c).zh,
            "title": describe(c).definition_en if english else describe(c).definition_zh,
        }
        for c in MEASURE_COLUMNS
    ]
    table = [
        {
            "code": row["area"],
            "name": (row["name_en"] or row["name"]) if english else row["name"],
            "households": row["households"],
            "population": row["population"],
            "values": [row.get(c) for c in MEASURE_COLUMNS],
        }
        for row in rows
    ]
    chart = {
        "labels": {"fgt0": headers[0]["label"], "fgt1": headers[1]["label"]},
        "names": [r["name"] for r in table],
        "fgt0": [round((r["values"][0] or 0) * 100, 2) for r in table],
        "fgt1": [round((r["values"][1] or 0) * 100, 2) for r in table],
    }
    from fupin.analytics.mpi import MPI_INDICATORS

    mpi_headers = [i.en if english else i.zh for i in MPI_INDICATORS]
    mpi_rows = [
        {
            "code": row["area"],
            "name": (row["name_en"] or row["name"]) if english else row["name"],
            "h": row["h"],
            "a": row["a"],
            "m0": row["m0"],
            "censored": [row[f"censored_{i.name}"] for i in MPI_INDICATORS],
            "contributions": [row[f"contribution_{i.name}"] for i in MPI_INDICATORS],
            "unassessed": row["unassessed"],
        }
        for row in multidimensional(scope, by=by, k=k)
    ]
    return render(
        request,
        "analytics/measures_page.html",
        {
            "k": k_text,
            "k_value": k,
            "mpi_headers": mpi_headers,
            "mpi_rows": mpi_rows,
            "pages": PAGES,
            "years": years,
            "year": year,
            "areas": areas,
            "area_code": area,
            "by": by or "",
            "levels": [(level, label) for level, label in LEVELS if level in LEVEL_COLUMNS],
            "line": line_text,
            "inclusive": inclusive,
            "headers": headers,
            "table": table,
            "chart": chart,
        },
    )


@login_required
def dynamics_page(request: HttpRequest) -> HttpResponse:
    """Year-to-year status flows by area, and the households whose income contradicts
    their status, for review."""
    years = report_years()
    areas = report_areas(request.user)
    if not areas:
        return error_page(request, OutOfScope())
    try:
        year, area = _parse(request, years, areas[0].code)
        by = _parse_by(request)
        try:
            margin = float(request.GET.get("margin") or 0.5)
        except ValueError as exc:
            raise InvalidInput(_("The margin must be a number of 0 or more."), field="margin") from exc
        if margin < 0:
            raise InvalidInput(_("The margin must be a number of 0 or more."), field="margin")
    except (InvalidInput, OutOfScope) as exc:
        return error_page(request, exc)
    scope = Engine(snapshot_for(year_end(year))).scope(year=year, area=area)
    english = (translation.get_language() or "").startswith("en")
    flows = status_flows(scope, by=by)
    for row in flows:
        row["label"] = (row["name_en"] or row["name"]) if english else row["name"]
    review: dict[str, Any] | None
    try:
        review = targeting_check(scope, margin=margin, limit=100)
    except LookupError:
        review = None
    else:
        for row in review["not_poor_below"]:
            row["status"] = registry.label("households.status", row["status"])
    return render(
        request,
        "analytics/dynamics_page.html",
        {
            "pages": PAGES,
            "years": years,
            "year": year,
            "previous": year - 1,
            "areas": areas,
            "area_code": area,
            "by": by or "",
            "levels": [(level, label) for level, label in LEVELS if level in LEVEL_COLUMNS],
            "flows": flows,
            "review": review,
            "margin": margin,
            "margin_percent": round(margin * 100),
        },
    )
