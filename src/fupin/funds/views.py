"""Pages of the funds: the balances of an area by source with the flow of its
disbursements (an ECharts Sankey diagram), the appropriation of funds to the area and
their allocation to an area below it or to a project in it, and the reversal of a
ledger entry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.areacodes import normalize
from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, InvalidInput, NotFound, OutOfScope
from fupin.core.policy import check_scope
from fupin.core.scoping import user_can_see_code
from fupin.funds import authority, services
from fupin.funds.forms import AllocateForm, AppropriateForm, ReverseForm
from fupin.funds.models import Entry
from fupin.funds.selectors import area_balances, entry_get, fund_flow, fund_years, household_funds
from fupin.geo.models import AdminArea
from fupin.programs.models import Project
from fupin.registry.models import Household
from fupin.web.views.common import error_page, has_role, show_service_error, submit, visible_ancestors

PROVINCE = "230000000000"
PROJECT_OPTIONS = 300


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
    return _funds_page(request, request.GET.get("area"), request.GET.get("year"))


def _funds_page(
    request: HttpRequest,
    area_code: str | None,
    year_value: str | None,
    *,
    appropriate_form: AppropriateForm | None = None,
    allocate_form: AllocateForm | None = None,
) -> HttpResponse:
    areas = fund_areas(request.user)
    if not areas:
        return error_page(request, OutOfScope())
    years = fund_years(user=request.user) or [timezone.localdate().year]
    try:
        area = _area(request, area_code or areas[0].code)
        year = int(year_value or years[0])
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
    can_post = has_role(request.user, Role.COUNTY)
    sources = authority.sources_at(request.user, area.level)
    if can_post and sources and appropriate_form is None:
        appropriate_form = _appropriate_form(request, area, initial={"year": year})
    if can_post and allocate_form is None:
        allocate_form = _allocate_form(request, area, initial={"year": year})
    return render(
        request,
        "funds/area.html",
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
            "appropriate_form": appropriate_form if can_post and sources else None,
            "allocate_form": allocate_form if can_post else None,
            "project_options": _project_options(request, area) if can_post else [],
        },
    )


def _children(request: HttpRequest, area: AdminArea) -> list[AdminArea]:
    return list(AdminArea.objects.visible_to(request.user).filter(parent=area).order_by("code"))


def _appropriate_form(request: HttpRequest, area: AdminArea, **kwargs: Any) -> AppropriateForm:
    """The form offering the sources the user may appropriate at the area, and no other
    (``funds.authority``)."""
    form = AppropriateForm(auto_id="appropriate_%s", **kwargs)
    return form.offer(authority.sources_at(request.user, area.level))


def _allocate_form(request: HttpRequest, area: AdminArea, data: Any = None, **kwargs: Any) -> AllocateForm:
    return AllocateForm(data, children=_children(request, area), auto_id="allocate_%s", **kwargs)


def _project_options(request: HttpRequest, area: AdminArea) -> list[tuple[str, str]]:
    """Projects in the area to allocate to, for the code field's suggestions."""
    projects = Project.objects.visible_to(request.user).in_area(area.code).order_by("code")
    return list(projects.values_list("code", "name")[:PROJECT_OPTIONS])


def _back(area: AdminArea, year: int) -> HttpResponse:
    query: dict[str, str | int] = {"area": area.code, "year": year}
    return redirect(f"{reverse('web:funds_area')}?{urlencode(query)}")


def _posting_area(request: HttpRequest, code: str) -> AdminArea | HttpResponse:
    """The area a posting leaves from, in the user's scope, or the error page."""
    try:
        return _area(request, code)
    except (InvalidInput, NotFound, OutOfScope) as exc:
        return error_page(request, exc)


@login_required
@require_POST
def appropriate(request: HttpRequest, area: str) -> HttpResponse:
    """Funds of a source and year reach the area; back to its funds in that fund year."""
    target = _posting_area(request, area)
    if isinstance(target, HttpResponse):
        return target

    def call(data: dict[str, Any]) -> Entry:
        return services.appropriate(
            actor=request.user,
            area=target,
            source=data["source"],
            year=data["year"],
            amount=data["amount"],
            on=data["date"],
            document=data["document"],
            note=data["note"],
        )

    # any source is accepted here: the service applies the table of authority and names the field
    form = AppropriateForm(request.POST, auto_id="appropriate_%s")
    ok, entry = submit(
        request,
        form,
        call,
        done=lambda e: _("Funds appropriated to %(area)s.") % {"area": target.display_name},
        models_=(Entry,),
    )
    if ok:
        return _back(target, entry.year)
    form.offer(authority.sources_at(request.user, target.level))
    return _funds_page(request, target.code, request.GET.get("year"), appropriate_form=form)


@login_required
@require_POST
def allocate(request: HttpRequest, area: str) -> HttpResponse:
    """Funds pass from the area to a child area or to a project in it (by its code)."""
    source_area = _posting_area(request, area)
    if isinstance(source_area, HttpResponse):
        return source_area

    def call(data: dict[str, Any]) -> Entry:
        to_area = project = None
        if data["to_area"]:
            to_area = AdminArea.objects.filter(code=data["to_area"]).first()
        if data["project"].strip():
            code = data["project"].strip()
            project = Project.objects.select_related("area").filter(code=code).first()
            if project is None:
                raise InvalidInput(_("No project with this code."), record=code, field="project")
        return services.allocate(
            actor=request.user,
            from_area=source_area,
            to_area=to_area,
            project=project,
            source=data["source"],
            year=data["year"],
            amount=data["amount"],
            on=data["date"],
            document=data["document"],
            note=data["note"],
        )

    def done(entry: Entry) -> str:
        to = entry.project.code if entry.project is not None else entry.to_area.display_name if entry.to_area else ""
        return _("Funds allocated to %(to)s.") % {"to": to}

    form = _allocate_form(request, source_area, request.POST)
    ok, entry = submit(request, form, call, done=done, models_=(Entry,))
    if ok:
        return _back(source_area, entry.year)
    return _funds_page(request, source_area.code, request.GET.get("year"), allocate_form=form)


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
