"""What the mutual funds add to other apps' pages (``fupin.web.panels``): on the household
page its membership of the village's fund and its loans. The history of a fund names its
records' fields by the models' labels (``fupin.web.history``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.credit.mutual import selectors
from fupin.credit.mutual.models import (
    FundLoan,
    FundOfficer,
    FundRepayment,
    FundSeed,
    FundWelfareSpending,
    Membership,
    MutualFund,
)
from fupin.web import history, panels


def _household(request: HttpRequest, household: Any) -> dict[str, Any]:
    return selectors.household_mutual(household)


panels.register(page="household", template="credit/mutual/_household_panel.html", context=_household, order=66)

for model in (MutualFund, FundSeed, Membership, FundOfficer, FundLoan, FundRepayment, FundWelfareSpending):
    history.register_model(model)
