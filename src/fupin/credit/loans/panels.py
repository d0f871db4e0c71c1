"""What the discounted loans add to other apps' pages (``fupin.web.panels``): on the
household page its discounted loans and their discounts, with a link to record one; on the
enterprise page the enterprise's. The history names the models' fields (``fupin.web.history``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.credit.loans import selectors
from fupin.credit.loans.models import Discount, DiscountPayment, DiscountPilot, Loan, LoanRepayment
from fupin.web import history, panels
from fupin.web.views.common import can_write


def _household(request: HttpRequest, household: Any) -> dict[str, Any]:
    return {"loan_rows": selectors.household_loans(household), "can_record": can_write(request.user)}


def _enterprise(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"loan_rows": selectors.enterprise_loans(enterprise), "can_record": can_write(request.user)}


panels.register(page="household", template="credit/loans/_household_panel.html", context=_household, order=70)
panels.register(page="enterprise", template="credit/loans/_enterprise_panel.html", context=_enterprise, order=60)

for model in (DiscountPilot, Loan, LoanRepayment, Discount, DiscountPayment):
    history.register_model(model)
