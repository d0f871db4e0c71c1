"""The area browser: from the province down to a village, the poor households and people
of each area the user answers for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.core.choices import Role
from fupin.geo.choices import Level
from fupin.geo.filters import AdminAreaFilterSet
from fupin.geo.models import AdminArea
from fupin.registry.selectors import area_figures
from fupin.web.views.common import visible_ancestors

PROVINCE_CODE = "230000000000"
SEARCH_LIMIT = 20


def _start_areas(user) -> list[AdminArea]:
    if user.is_superuser or user.role == Role.PROVINCE:
        province = AdminArea.objects.visible_to(user).filter(code=PROVINCE_CODE).first()
        if province is not None:
            return [province]
    return list(AdminArea.objects.visible_to(user).filter(pk__in=user.areas.values("pk")).order_by("code"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The area browser at the user's area, or the list of their areas if they have several."""
    areas = _start_areas(request.user)
    if len(areas) == 1:
        return _render_area(request, areas[0])
    return render(request, "web/areas/home.html", {"areas": areas})


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = AdminArea.objects.visible_to(request.user).filter(code=code).first()
    if area is None:
        raise Http404(_("No area with this code in your areas."))
    return _render_area(request, area)


def _render_area(request: HttpRequest, area: AdminArea) -> HttpResponse:
    user = request.user
    child_level = area.child_level()
    figures = area_figures(user=user, area=area)
    children = figures["children"]
    peak = max((row["poor_households"] for row in children), default=0)
    for row in children:  # the width of the row's bar, relative to the largest child
        row["bar"] = round(100 * row["poor_households"] / peak) if peak else 0
    context = {
        "area": area,
        "ancestors": visible_ancestors(user, area),
        "totals": figures["totals"],
        "children": children,
        "child_level": Level(child_level).label if child_level else "",
        "is_village": area.level == Level.VILLAGE,
    }
    return render(request, "web/areas/detail.html", context)


@login_required
def area_search(request: HttpRequest) -> HttpResponse:
    """Options for a <datalist>: areas in scope whose name or code matches (villages by default)."""
    query = request.GET.copy()
    q = (query.get("q") or query.get("village") or "").strip()
    query["q"] = q
    query.setdefault("level", Level.VILLAGE)
    areas = AdminArea.objects.none()
    if q:
        filterset = AdminAreaFilterSet(query, queryset=AdminArea.objects.visible_to(request.user))
        if filterset.is_valid():
            areas = filterset.qs.select_related("parent").order_by("code")[:SEARCH_LIMIT]
    return render(request, "web/areas/_options.html", {"areas": areas})
