"""A member's page: the person's facts, and what the apps show of them (panels)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.registry.views.common import visible_household_or_404
from fupin.web.views.common import can_write, visible_ancestors


@login_required
def person_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    household = visible_household_or_404(request, code)
    person = household.members.filter(pk=pk).first()
    if person is None:
        raise Http404(_("No member with this number in the household."))
    context = {
        "household": household,
        "person": person,
        "ancestors": visible_ancestors(request.user, household.village),
        "can_write": can_write(request.user),
    }
    return render(request, "registry/persons/detail.html", context)
