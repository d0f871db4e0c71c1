"""The industry pages: the leading enterprises (with the registration of one) and an
enterprise with its production bases (linking households), employees and order contracts.
Thin: every write is a service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fupin.core.errors import ApplicationError, InvalidInput
from fupin.industry import selectors, services
from fupin.industry.filters import EnterpriseFilterSet
from fupin.industry.forms import BaseForm, ContractForm, EmploymentForm, EnterpriseForm, LinkForm
from fupin.industry.models import Enterprise, ProductionBase
from fupin.registry.models import Household
from fupin.web.views.common import can_write, show_error


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_list(request: HttpRequest) -> HttpResponse:
    filters = EnterpriseFilterSet(request.GET, queryset=selectors.enterprises(request.user).order_by("code"))
    form = EnterpriseForm(prefix="enterprise")
    if request.method == "POST" and can_write(request.user):
        form = EnterpriseForm(request.POST, prefix="enterprise")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                enterprise = services.enterprise_create(actor=request.user, county_code=data.pop("county"), **data)
                messages.success(request, _("Leading enterprise registered."))
                return redirect("industry:enterprise_detail", code=enterprise.code)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "industry/enterprise_list.html",
        {"filters": filters, "page": page, "form": form, "can_write": can_write(request.user)},
    )


def _household(code: str, record: str) -> Household:
    household = Household.objects.select_related("village").filter(code=code.strip()).first()
    if household is None:
        raise InvalidInput(
            _("No household with code “%(code)s” is in the registry.") % {"code": code},
            field="household",
            record=record,
        )
    return household


def _act(request: HttpRequest, enterprise: Enterprise, which: str, data: dict[str, Any]) -> None:
    if which == "base":
        services.base_create(actor=request.user, enterprise=enterprise, village_codes=data.pop("villages"), **data)
        messages.success(request, _("Production base set up."))
    elif which == "link":
        base = ProductionBase.objects.filter(enterprise=enterprise, code=data["base"]).first()
        if base is None:
            raise InvalidInput(_("This enterprise has no base of this code."), field="base", record=enterprise.code)
        services.base_link(actor=request.user, base=base, household_code=data["household"], joined_on=data["joined_on"])
        messages.success(request, _("Household linked to the base."))
    elif which == "employment":
        services.employment_create(actor=request.user, enterprise=enterprise, **data)
        messages.success(request, _("Employment recorded."))
    else:
        household = _household(data.pop("household"), data["number"])
        data["inputs_on_credit"] = data.get("inputs_on_credit") or 0
        services.contract_create(actor=request.user, enterprise=enterprise, household=household, **data)
        messages.success(request, _("Order contract recorded."))


FORMS = {"base": BaseForm, "link": LinkForm, "employment": EmploymentForm, "contract": ContractForm}


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_detail(request: HttpRequest, code: str) -> HttpResponse:
    enterprise = selectors.enterprises(request.user).filter(code=code).first()
    if enterprise is None:
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
                    _act(request, enterprise, which, dict(form.cleaned_data))
                    return redirect("industry:enterprise_detail", code=enterprise.code)
                except ApplicationError as exc:
                    show_error(request, exc, form=form)
    bases = selectors.bases(request.user).filter(enterprise=enterprise).order_by("code")
    contracts = selectors.contracts(request.user).filter(enterprise=enterprise)
    context = {
        "enterprise": enterprise,
        "bases": bases,
        "links": selectors.base_links(request.user).filter(base__enterprise=enterprise).order_by("base_id", "id")[:200],
        "employments": selectors.employments(request.user).filter(enterprise=enterprise).order_by("-start_date")[:200],
        "contracts": contracts.order_by("-year", "number")[:200],
        "compliance": selectors.compliance(contracts),
        "forms": forms,
        "can_write": can_write(request.user),
    }
    return render(request, "industry/enterprise_detail.html", context)
