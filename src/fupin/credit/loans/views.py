"""The discounted loans' pages: the loan list, a loan with its repayments and discounts
(and the repayment form), recording a loan (from a household's page too) and paying the
year's discounts of a county. Thin: every write is a service call."""

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
from fupin.credit.loans import selectors, services
from fupin.credit.loans.filters import LoanFilterSet
from fupin.credit.loans.forms import LoanForm, PayForm, QuoteForm, RepaymentForm
from fupin.credit.loans.models import Loan
from fupin.programs.models import Project
from fupin.web.views.common import can_write, show_error


def _loan(request: HttpRequest, code: str) -> Loan:
    loan = selectors.loans(request.user).filter(code=code).first()
    if loan is None:
        raise Http404
    return loan


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    filters = LoanFilterSet(request.GET, queryset=selectors.loans(request.user).order_by("-drawn_on", "code"))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    pilots = selectors.pilots(request.user)[:100]
    return render(
        request,
        "credit/loans/loan_list.html",
        {"filters": filters, "page": page, "pilots": pilots, "can_write": can_write(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def loan_detail(request: HttpRequest, code: str) -> HttpResponse:
    loan = _loan(request, code)
    form = RepaymentForm()
    if request.method == "POST" and can_write(request.user):
        form = RepaymentForm(request.POST)
        if form.is_valid():
            try:
                services.repayment_record(actor=request.user, loan=loan, **form.cleaned_data)
                messages.success(request, _("Repayment recorded."))
                return redirect("credit:loan_detail", code=loan.code)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    query = QuoteForm(request.GET or None)
    year = (query.cleaned_data.get("year") if query.is_valid() else None) or loan.drawn_on.year
    return render(
        request,
        "credit/loans/loan_detail.html",
        {
            "loan": loan,
            "repayments": loan.repayments.order_by("paid_on", "id"),
            "discounts": loan.discounts.select_related("payment__entry", "pilot__area").order_by("year"),
            "outstanding": selectors.outstanding(loan),
            "quote": selectors.discount_quote(loan, year),
            "form": form,
            "can_write": can_write(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def loan_create(request: HttpRequest) -> HttpResponse:
    initial = {"kind": "household", "household": request.GET.get("household", "")}
    if request.GET.get("enterprise"):
        initial = {"kind": "enterprise", "enterprise": request.GET["enterprise"]}
    form = LoanForm(initial=initial)
    if request.method == "POST" and can_write(request.user):
        form = LoanForm(request.POST)
        if form.is_valid():
            try:
                loan = services.loan_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Loan recorded."))
                return redirect("credit:loan_detail", code=loan.code)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    return render(request, "credit/loans/loan_form.html", {"form": form, "can_write": can_write(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def discount_pay(request: HttpRequest) -> HttpResponse:
    """Pay the year's discounts of a county from its discount project."""
    form = PayForm(initial={"year": timezone.localdate().year, "source": "central"})
    if request.method == "POST" and can_write(request.user):
        form = PayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = Project.objects.visible_to(request.user).filter(code=data["project"]).first()
                if project is None:
                    raise InvalidInput(_("No project with this code is recorded."), field="project")
                payment = services.discount_pay(
                    actor=request.user, project=project, year=data["year"], source=data["source"], on=data["date"]
                )
                messages.success(
                    request,
                    _("%(n)s discounts paid: %(amount)s yuan.")
                    % {"n": payment.discounts.count(), "amount": f"{payment.amount:,.2f}"},
                )
                return redirect("credit:discount_pay")
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    payments = selectors.payments(request.user).order_by("-year", "-id")[:50]
    return render(
        request,
        "credit/loans/discount_pay.html",
        {"form": form, "payments": payments, "can_write": can_write(request.user)},
    )
