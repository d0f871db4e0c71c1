"""Pages of the contiguous development zones: the zones with a county in the user's
areas, and a zone (its counties, its projects, what they were allocated and disbursed by
fund year) with a form for a new project of the zone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.choices import Role
from fupin.core.scoping import user_can_see_code
from fupin.funds.choices import Source
from fupin.programs import selectors, services
from fupin.programs.choices import ProgramType
from fupin.programs.forms import ZoneForm, ZoneProjectForm
from fupin.programs.models import ContiguousZone, Project
from fupin.programs.views.programs import next_code
from fupin.web.views.common import has_role, submit


def _visible_zone(request: HttpRequest, code: str) -> ContiguousZone:
    zone = selectors.zone_get(user=request.user, code=code)
    if zone is None:
        raise Http404(_("No contiguous development zone with this code in your areas."))
    return zone


def _zone_list_page(request: HttpRequest, form: ZoneForm | None = None) -> HttpResponse:
    can_create = has_role(request.user, Role.PROVINCE)
    if form is None and can_create:
        form = ZoneForm(auto_id="zone_%s")
    context = {"rows": selectors.zone_list(user=request.user), "zone_form": form if can_create else None}
    return render(request, "programs/zone_list.html", context)


@login_required
def zone_list(request: HttpRequest) -> HttpResponse:
    return _zone_list_page(request)


@login_required
@require_POST
def zone_create(request: HttpRequest) -> HttpResponse:
    """A new zone over several counties (the province's office)."""

    def call(data: dict[str, Any]) -> ContiguousZone:
        return services.zone_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            name_en=data["name_en"],
            county_codes=data["counties"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            note=data["note"],
        )

    form = ZoneForm(request.POST, auto_id="zone_%s")
    ok, zone = submit(
        request,
        form,
        call,
        done=lambda z: _("Zone %(code)s created.") % {"code": z.code},
        models_=(ContiguousZone,),
    )
    if ok:
        return redirect("web:zone_detail", code=zone.code)
    return _zone_list_page(request, form)


def _counties_in_scope(request: HttpRequest, zone: ContiguousZone) -> list[Any]:
    return [c for c in zone.counties.order_by("code") if user_can_see_code(request.user, c.code)]


def _new_project_form(request: HttpRequest, zone: ContiguousZone, data: Any = None) -> ZoneProjectForm:
    counties = _counties_in_scope(request, zone)
    initial: dict[str, Any] = {"start_year": zone.start_year, "end_year": zone.end_year or zone.start_year}
    if len(counties) == 1:
        initial["area"] = counties[0].code
        initial["code"] = next_code(f"LP-{counties[0].code[:6]}-")
    return ZoneProjectForm(data, initial=initial, auto_id="zone_project_%s")


def _zone_page(request: HttpRequest, zone: ContiguousZone, form: ZoneProjectForm | None = None) -> HttpResponse:
    overview = selectors.zone_overview(user=request.user, zone=zone)
    for row in overview["by_year"]:
        row["sources"] = [
            (str(Source(s).label) if s in Source.values else s, amount) for s, amount in row["by_source"].items()
        ]
    can_create = has_role(request.user, Role.COUNTY)
    context = {
        "zone": zone,
        "overview": overview,
        "counties": [(c, user_can_see_code(request.user, c.code)) for c in overview["counties"]],
        "counties_in_scope": _counties_in_scope(request, zone),
        "project_form": (form or _new_project_form(request, zone)) if can_create else None,
    }
    return render(request, "programs/zone_detail.html", context)


@login_required
def zone_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _zone_page(request, _visible_zone(request, code))


@login_required
@require_POST
def zone_project_create(request: HttpRequest, code: str) -> HttpResponse:
    """A new project of the zone, of contiguous development, in one of its counties."""
    zone = _visible_zone(request, code)

    def call(data: dict[str, Any]) -> Project:
        return services.project_create(
            actor=request.user,
            data=services.ProjectData(
                code=data["code"],
                name=data["name"],
                program=ProgramType.CONTIGUOUS,
                category=data["category"],
                area_code=data["area"].strip(),
                start_year=data["start_year"],
                end_year=data["end_year"],
                budget=data["budget"],
                zone=zone,
                note=data["note"],
            ),
        )

    form = _new_project_form(request, zone, request.POST)
    ok, _project = submit(
        request,
        form,
        call,
        done=lambda p: _("Project %(code)s created.") % {"code": p.code},
        models_=(Project,),
    )
    if ok:
        return redirect("web:zone_detail", code=zone.code)
    return _zone_page(request, zone, form)
