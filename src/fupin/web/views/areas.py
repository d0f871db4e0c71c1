"""The area browser: from the province down to a village, each area the user answers for,
with what the apps show of it (the registry: its poor households and people)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.core.choices import Role
from fupin.geo.choices import Level
from fupin.geo.filters import AdminAreaFilterSet
from fupin.geo.models import AdminArea
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
    """The area's head and breadcrumb; the apps' figures of it are panels (``fupin.web.panels``)."""
    context = {"area": area, "ancestors": visible_ancestors(request.user, area)}
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
