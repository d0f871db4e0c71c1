"""The land pages: the contracts (filtered), a contract with its transferors (and ending
it), the form that records a contract (also from a household's page, with the household
as a transferor), and the large-scale operation areas by village. Thin: every write is a
service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fupin.core.errors import ApplicationError
from fupin.land import rules, selectors, services
from fupin.land.filters import LandContractFilterSet
from fupin.land.forms import ContractForm, DateForm, TerminateForm, TransferorFormSet
from fupin.land.models import LandContract
from fupin.registry.models import Household
from fupin.web.views.common import can_write, show_error


def _contract(request: HttpRequest, number: str) -> LandContract:
    contract = selectors.contracts(request.user).filter(number=number).first()
    if contract is None:
        raise Http404
    return contract


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    filters = LandContractFilterSet(request.GET, queryset=selectors.contracts(request.user).order_by("-start_date"))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "land/contract_list.html",
        {"filters": filters, "page": page, "can_write": can_write(request.user), "threshold": rules.large_scale_mu()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_detail(request: HttpRequest, number: str) -> HttpResponse:
    contract = _contract(request, number)
    form = TerminateForm()
    if request.method == "POST" and can_write(request.user):
        form = TerminateForm(request.POST)
        if form.is_valid():
            try:
                services.contract_terminate(
                    actor=request.user,
                    contract=contract,
                    on=form.cleaned_data["terminated_on"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("The contract is terminated."))
                return redirect("land:contract_detail", number=contract.number)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    return render(
        request,
        "land/contract_detail.html",
        {
            "contract": contract,
            "transferors": selectors.contract_transferors(contract),
            "form": form,
            "can_write": can_write(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    """Record a contract; ``?household=<code>`` (the household page's button) names that
    household as the first transferor, in its village."""
    household = None
    code = request.GET.get("household", "")
    if code:
        household = Household.objects.visible_to(request.user).select_related("village").filter(code=code).first()
        if household is None:
            raise Http404
    initial: dict[str, Any] = {"start_date": timezone.localdate(), "payment": "rent"}
    if household is not None:
        initial["village"] = household.village.code
    form = ContractForm(initial=initial)
    rows = TransferorFormSet(prefix="t", initial=[{"household": household.code}] if household else None)
    if request.method == "POST" and can_write(request.user):
        form = ContractForm(request.POST)
        rows = TransferorFormSet(request.POST, prefix="t")
        if form.is_valid() and rows.is_valid():
            data = dict(form.cleaned_data)
            transferors = [
                services.TransferorData(r["household"], r["area_mu"])
                for r in rows.cleaned_data
                if r and (r.get("household") or r.get("area_mu") is not None)
            ]
            try:
                contract = services.contract_create(
                    actor=request.user,
                    village_code=data.pop("village"),
                    transferee_enterprise=data.pop("transferee_enterprise") or None,
                    transferee_household=data.pop("transferee_household") or None,
                    transferors=transferors,
                    **data,
                )
                messages.success(request, _("The land transfer contract is recorded."))
                if household is not None:
                    return redirect("web:household_detail", code=household.code)
                return redirect("land:contract_detail", number=contract.number)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    return render(
        request,
        "land/contract_form.html",
        {"form": form, "rows": rows, "household": household, "limit": rules.second_round_end()},
    )


@login_required
def large_scale(request: HttpRequest) -> HttpResponse:
    query = DateForm(request.GET or None)
    on = (query.cleaned_data.get("date") if query.is_valid() else None) or timezone.localdate()
    rows = selectors.large_scale_areas(request.user, on)
    return render(
        request,
        "land/large_scale.html",
        {"rows": rows, "query": query, "on": on, "threshold": rules.large_scale_mu()},
    )
