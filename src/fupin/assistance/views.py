"""The assistance pages: the assisting units (with the registration of one), a unit with its
pairings, cadres, visits, contributions, projects and aided students (with the forms to
record them), and the lists of cadres, contributions and aided students with their
details. Thin: every write is a service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fupin.assistance import selectors, services
from fupin.assistance.filters import CadreFilterSet, ContributionFilterSet, StudentFilterSet, UnitFilterSet
from fupin.assistance.forms import CadreForm, ContributionInputForm, PairingForm, StudentForm, UnitForm, VisitForm
from fupin.assistance.models import AssistingUnit
from fupin.core.errors import ApplicationError
from fupin.web.views.common import can_write, show_error


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, 50).get_page(request.GET.get("page"))


@login_required
@require_http_methods(["GET", "POST"])
def unit_list(request: HttpRequest) -> HttpResponse:
    filters = UnitFilterSet(request.GET, queryset=selectors.units(request.user).order_by("code"))
    form = UnitForm(prefix="unit")
    if request.method == "POST" and can_write(request.user):
        form = UnitForm(request.POST, prefix="unit")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                unit = services.unit_create(actor=request.user, area_code=data.pop("area"), **data)
                messages.success(request, _("Assisting unit registered."))
                return redirect("assistance:unit_detail", code=unit.code)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    context = {
        "filters": filters,
        "page": _page(request, filters.qs),
        "form": form,
        "can_write": can_write(request.user),
    }
    return render(request, "assistance/unit_list.html", context)


def _act(request: HttpRequest, unit: AssistingUnit, which: str, data: dict[str, Any]) -> None:
    if which == "pairing":
        services.pairing_create(actor=request.user, unit=unit, area_code=data.pop("area"), **data)
        messages.success(request, _("Pairing recorded."))
    elif which == "cadre":
        services.cadre_create(actor=request.user, unit=unit, place_code=data.pop("place"), **data)
        messages.success(request, _("Cadre recorded."))
    elif which == "visit":
        services.visit_create(actor=request.user, unit=unit, area_code=data.pop("area"), **data)
        messages.success(request, _("Visit recorded."))
    elif which == "contribution":
        services.contribution_create(
            actor=request.user, unit=unit, area_code=data.pop("area"), project_code=data.pop("project"), **data
        )
        messages.success(request, _("Contribution recorded and received in the funds ledger."))
    else:
        services.student_aid(actor=request.user, unit=unit, **data)
        messages.success(request, _("Student aid recorded."))


FORMS = {
    "pairing": PairingForm,
    "cadre": CadreForm,
    "visit": VisitForm,
    "contribution": ContributionInputForm,
    "student": StudentForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.units(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    forms = {name: form_class(prefix=name) for name, form_class in FORMS.items()}
    if request.method == "POST" and can_write(request.user):
        which = request.POST.get("action", "")
        form_class = FORMS.get(which)
        if form_class is not None:
            form = form_class(request.POST, prefix=which)
            forms[which] = form
            if form.is_valid():
                try:
                    _act(request, unit, which, dict(form.cleaned_data))
                    return redirect("assistance:unit_detail", code=unit.code)
                except ApplicationError as exc:
                    show_error(request, exc, form=form)
    user = request.user
    context = {
        "unit": unit,
        "pairings": selectors.pairings(user).filter(unit=unit).order_by("-start_year", "id")[:200],
        "cadres": selectors.cadres(user).filter(unit=unit).order_by("-start_date", "id")[:200],
        "visits": selectors.visits(user).filter(unit=unit).order_by("-date", "id")[:200],
        "contributions": selectors.contributions(user).filter(unit=unit).order_by("-date", "number")[:200],
        "projects": selectors.supported_projects(user).filter(unit=unit).order_by("-year", "id")[:200],
        "students": selectors.students(user).filter(unit=unit).order_by("-year", "id")[:200],
        "forms": forms,
        "can_write": can_write(user),
    }
    return render(request, "assistance/unit_detail.html", context)


@login_required
@require_GET
def cadre_list(request: HttpRequest) -> HttpResponse:
    filters = CadreFilterSet(request.GET, queryset=selectors.cadres(request.user).order_by("-start_date", "id"))
    return render(request, "assistance/cadre_list.html", {"filters": filters, "page": _page(request, filters.qs)})


@login_required
@require_GET
def contribution_list(request: HttpRequest) -> HttpResponse:
    filters = ContributionFilterSet(
        request.GET, queryset=selectors.contributions(request.user).order_by("-date", "number")
    )
    return render(
        request, "assistance/contribution_list.html", {"filters": filters, "page": _page(request, filters.qs)}
    )


@login_required
@require_GET
def contribution_detail(request: HttpRequest, number: str) -> HttpResponse:
    contribution = selectors.contributions(request.user).filter(number=number).first()
    if contribution is None:
        raise Http404
    return render(request, "assistance/contribution_detail.html", {"contribution": contribution})


@login_required
@require_GET
def student_list(request: HttpRequest) -> HttpResponse:
    filters = StudentFilterSet(request.GET, queryset=selectors.students(request.user).order_by("-year", "id"))
    return render(request, "assistance/student_list.html", {"filters": filters, "page": _page(request, filters.qs)})


@login_required
@require_GET
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    aid = selectors.students(request.user).filter(pk=pk).first()
    if aid is None:
        raise Http404
    return render(request, "assistance/student_detail.html", {"aid": aid})
