"""Pages of the funds: the balances of an area by source with the flow of its
disbursements (an ECharts Sankey diagram), and the reversal of a ledger entry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.areacodes import normalize
from fupin.core.errors import ApplicationError, InvalidInput, NotFound, OutOfScope
from fupin.core.policy import check_scope
from fupin.core.scoping import user_can_see_code
from fupin.funds import services
from fupin.funds.models import Entry
from fupin.funds.selectors import area_balances, entry_get, fund_flow, fund_years, household_funds
from fupin.geo.models import AdminArea
from fupin.registry.models import Household
from fupin.web.forms import ReverseForm
from fupin.web.views.common import error_page, visible_ancestors
from fupin.web.views.programs import show_service_error

PROVINCE = "230000000000"


def fund_areas(user: Any) -> list[AdminArea]:
    """The areas to choose from, as on the reports: the user's own, and below them down to
    the counties (or the townships, for a county's officers)."""
    if user.is_superuser:
        own = list(AdminArea.objects.filter(code=PROVINCE))
    else:
        own = list(AdminArea.objects.visible_to(user).filter(pk__in=user.areas.values("pk")).order_by("code"))
    levels = ["province", "city", "county"]
    if own and all(a.level in ("county", "township", "village") for a in own):
        levels = ["county", "township"]
    areas = AdminArea.objects.all() if user.is_superuser else AdminArea.objects.visible_to(user)
    return list(areas.filter(level__in=levels).order_by("code"))[:500] or own


@login_required
def funds_area(request: HttpRequest) -> HttpResponse:
    areas = fund_areas(request.user)
    if not areas:
        return error_page(request, OutOfScope())
    years = fund_years(user=request.user) or [timezone.localdate().year]
    try:
        area = _area(request, request.GET.get("area") or areas[0].code)
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        return error_page(request, InvalidInput(_("Not a year."), field="year"))
    except (InvalidInput, NotFound, OutOfScope) as exc:
        return error_page(request, exc)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    if area not in areas:
        areas = sorted([*areas, area], key=lambda a: a.code)
    balances = area_balances(user=request.user, area=area, year=year)
    flow = fund_flow(user=request.user, area=area, year=year)
    chart = {
        "nodes": [{"name": n["name"], "label": n["label"], "kind": n["kind"]} for n in flow["nodes"]],
        "links": [
            {"source": lk["source"], "target": lk["target"], "value": float(lk["value"])} for lk in flow["links"]
        ],
        "yuan": _("yuan"),
    }
    return render(
        request,
        "web/funds/area.html",
        {
            "area": area,
            "ancestors": visible_ancestors(request.user, area),
            "areas": areas,
            "area_code": area.code,
            "years": years,
            "year": year,
            "balances": balances,
            "flow": flow,
            "chart": chart,
        },
    )


def household_funds_for(user: Any, household: Household) -> dict[str, Any]:
    """The projects and funds that reached a household, each project marked ``visible``
    when the user may open its page (a county's project is outside a village's scope)."""
    funds = household_funds(household)
    for row in funds["projects"]:
        row["visible"] = user_can_see_code(user, row["project"].area.code)
    return funds


def _area(request: HttpRequest, value: str) -> AdminArea:
    try:
        code = normalize(value)
    except ValueError as exc:
        raise InvalidInput(_("Not an area code."), record=value, field="area") from exc
    check_scope(request.user, code, record=code, field="area")
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise NotFound(record=code, field="area")
    return area


@login_required
@require_POST
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse a ledger entry; back to its project's page (or the funds page) either way,
    with the outcome as a message."""
    entry = entry_get(user=request.user, pk=pk)
    if entry is None:
        target = Entry.objects.filter(pk=pk).first()
        if target is None:
            return error_page(request, NotFound(record=f"#{pk}"))
        entry = target  # outside the user's areas: the service refuses it below
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"#{pk} · {form.fields['reason'].label}: {form.errors['reason'][0]}")
    else:
        try:
            services.reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            if entry_get(user=request.user, pk=pk) is None:
                return error_page(request, exc)
            show_service_error(request, exc, models_=(Entry,))
        else:
            messages.success(request, _("Entry #%(id)s reversed.") % {"id": pk})
    if entry.project is not None:
        return redirect("web:project_detail", code=entry.project.code)
    return redirect("web:funds_area")
