"""The mutual fund pages: the funds, and a fund's page with its rules, the balance sheet at
a date, its members (the share of poor members, with a warning under 50 %), council and
supervisors, the application queue and loans, and the forms to record a loan and a
repayment. Thin: every write is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fupin.core.errors import ApplicationError, InvalidInput
from fupin.credit.mutual import rules, selectors, services
from fupin.credit.mutual.filters import FundFilterSet
from fupin.credit.mutual.forms import DateForm, LoanForm, RepaymentForm
from fupin.credit.mutual.models import FundLoan, FundOfficer, Membership
from fupin.web.views.common import can_write, show_error


@login_required
def fund_list(request: HttpRequest) -> HttpResponse:
    filters = FundFilterSet(request.GET, queryset=selectors.funds_for(request.user).order_by("code"))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(request, "credit/mutual/fund_list.html", {"filters": filters, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def fund_detail(request: HttpRequest, code: str) -> HttpResponse:
    fund = selectors.funds_for(request.user).filter(code=code).first()
    if fund is None:
        raise Http404
    query = DateForm(request.GET or None)
    on = (query.cleaned_data.get("on") if query.is_valid() else None) or timezone.localdate()
    forms = {"loan": LoanForm(prefix="loan"), "repay": RepaymentForm(prefix="repay")}
    if request.method == "POST" and can_write(request.user):
        which = request.POST.get("action", "")
        form_class = {"loan": LoanForm, "repay": RepaymentForm}.get(which)
        if form_class is not None:
            form = form_class(request.POST, prefix=which)
            forms[which] = form
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    if which == "loan":
                        services.loan_record(
                            actor=request.user,
                            fund=fund,
                            household_code=data.pop("household"),
                            approved_on=data.pop("approved_on"),
                            **data,
                        )
                        messages.success(request, _("Loan recorded."))
                    else:
                        loan = FundLoan.objects.filter(fund=fund, number=data["loan"]).first()
                        if loan is None:
                            raise InvalidInput(
                                rules.IMPORT_UNKNOWN_LOAN.text(fund=fund.code, loan=data["loan"]),
                                field="loan",
                                record=fund.code,
                            )
                        services.repay(
                            actor=request.user,
                            loan=loan,
                            paid_on=data["paid_on"],
                            principal=data["principal"] or 0,
                            fee=data["fee"] or 0,
                        )
                        messages.success(request, _("Repayment recorded."))
                    return redirect(f"{request.path}?{request.GET.urlencode()}")
                except ApplicationError as exc:
                    show_error(request, exc, form=form)
    sheet = selectors.balance_sheet(fund, on)
    members = Membership.objects.filter(fund=fund).select_related("household").order_by("joined_on", "id")
    loans = []
    for loan in (
        FundLoan.objects.filter(fund=fund).select_related("member__household").order_by("-applied_on", "-id")[:200]
    ):
        loans.append({"loan": loan, "outstanding": selectors.outstanding(loan, on)})
    context = {
        "fund": fund,
        "sheet": sheet,
        "on": on,
        "query": query,
        "members": Paginator(members, 100).get_page(request.GET.get("page")),
        "officers": FundOfficer.objects.filter(fund=fund).select_related("person").order_by("role", "id"),
        "queue": selectors.application_queue(fund)[:50],
        "loans": loans,
        "forms": forms,
        "can_write": can_write(request.user),
        "poor_warning": sheet["poor_share"] is not None and sheet["poor_share"] < rules.POOR_SHARE_WARNING,
        "warning_level": rules.POOR_SHARE_WARNING,
    }
    return render(request, "credit/mutual/fund_detail.html", context)
