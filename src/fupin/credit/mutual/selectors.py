"""Reads of the village mutual funds: scoped lists, the balance sheet of a fund at a date,
the share of poor members and the queue of applications (poor members first)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from fupin.credit.mutual import rules
from fupin.credit.mutual.choices import LENT, LoanStatus, SeedKind
from fupin.credit.mutual.models import (
    FundLoan,
    FundRepayment,
    FundSeed,
    FundWelfareSpending,
    Membership,
    MutualFund,
)

ZERO = Decimal("0.00")


def _sum(qs: QuerySet[Any], field: str) -> Decimal:
    return qs.aggregate(s=Sum(field))["s"] or ZERO


def funds_for(user: Any) -> QuerySet[MutualFund]:
    return MutualFund.objects.visible_to(user).select_related("village", "village__parent")


def sums(fund: MutualFund, on: dt.date) -> dict[str, Decimal]:
    """The sums of the fund's records dated on or before ``on``."""
    seeds = FundSeed.objects.filter(fund=fund, received_on__lte=on)
    loans = FundLoan.objects.filter(fund=fund, status__in=LENT, approved_on__lte=on)
    repayments = FundRepayment.objects.filter(loan__fund=fund, paid_on__lte=on)
    return {
        "seed_fiscal": _sum(seeds.filter(kind=SeedKind.FISCAL), "amount"),
        "seed_other": _sum(seeds.exclude(kind=SeedKind.FISCAL), "amount"),
        "shares": _sum(Membership.objects.filter(fund=fund, joined_on__lte=on), "paid_in"),
        "fees": _sum(repayments, "fee"),
        "lent": _sum(loans, "amount"),
        "repaid": _sum(repayments, "principal"),
        "written_off": _sum(
            FundLoan.objects.filter(fund=fund, written_off_on__isnull=False, written_off_on__lte=on), "written_off"
        ),
        "welfare_spent": _sum(FundWelfareSpending.objects.filter(fund=fund, spent_on__lte=on), "amount"),
    }


def balance_sheet(fund: MutualFund, on: dt.date) -> dict[str, Any]:
    """The balance sheet at the end of ``on`` (``rules.balance``) with the fund's arrears
    (loans out and past due) and its members."""
    sheet: dict[str, Any] = rules.balance(**sums(fund, on), welfare_share=fund.welfare_share)
    members = Membership.objects.filter(fund=fund, joined_on__lte=on)
    sheet["members"] = members.count()
    sheet["poor_members"] = members.filter(poor=True).count()
    sheet["poor_share"] = rules.poor_share(sheet["members"], sheet["poor_members"])
    sheet["base_shares_paid_by_fund"] = members.filter(base_paid_by_fund=True).count()
    arrears = [loan for loan in lent_loans(fund, on) if loan.due_on and loan.due_on < on and outstanding(loan, on) > 0]
    sheet["arrears_count"] = len(arrears)
    sheet["arrears"] = sum((outstanding(loan, on) for loan in arrears), ZERO)
    sheet["on"] = on
    return sheet


def lent_loans(fund: MutualFund, on: dt.date) -> QuerySet[FundLoan]:
    return FundLoan.objects.filter(fund=fund, status__in=LENT, approved_on__lte=on)


def outstanding(loan: FundLoan, on: dt.date | None = None) -> Decimal:
    """The loan's principal still owed at the end of ``on`` (None: after every record)."""
    if loan.status not in LENT or (on is not None and (loan.approved_on is None or loan.approved_on > on)):
        return ZERO
    repayments = loan.repayments.all() if on is None else loan.repayments.filter(paid_on__lte=on)
    written = loan.written_off if loan.written_off_on and (on is None or loan.written_off_on <= on) else ZERO
    return loan.amount - _sum(repayments, "principal") - written


def _later_dates(fund: MutualFund, on: dt.date) -> list[dt.date]:
    dates = {on}
    dates |= set(FundLoan.objects.filter(fund=fund, approved_on__gt=on).values_list("approved_on", flat=True))
    dates |= set(FundWelfareSpending.objects.filter(fund=fund, spent_on__gt=on).values_list("spent_on", flat=True))
    return sorted(dates)


def cash_available(fund: MutualFund, on: dt.date) -> Decimal:
    """What the fund may still pay out on ``on`` without its cash falling below zero on that
    day or on any later day of a payment already recorded."""
    return min(balance_sheet_cash(fund, d) for d in _later_dates(fund, on))


def balance_sheet_cash(fund: MutualFund, on: dt.date) -> Decimal:
    return rules.balance(**sums(fund, on), welfare_share=fund.welfare_share)["cash"]


def welfare_available(fund: MutualFund, on: dt.date) -> Decimal:
    """What the public-welfare fund may still spend on ``on`` (and keep every later day's
    balance at or above zero)."""
    dates = {on} | set(
        FundWelfareSpending.objects.filter(fund=fund, spent_on__gt=on).values_list("spent_on", flat=True)
    )
    return min(
        min(rules.balance(**sums(fund, d), welfare_share=fund.welfare_share)["welfare_balance"] for d in dates),
        cash_available(fund, on),
    )


def application_queue(fund: MutualFund) -> QuerySet[FundLoan]:
    """Pending applications, poor members' first, then by date of application."""
    return (
        FundLoan.objects.filter(fund=fund, status=LoanStatus.APPLIED)
        .select_related("member__household")
        .annotate(
            _poor_first=Case(When(member__poor=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("_poor_first", "applied_on", "id")
    )


def household_mutual(household: Any) -> dict[str, Any]:
    """A household's membership and its loans (the household page's panel)."""
    membership = Membership.objects.filter(household=household).select_related("fund").first()
    loans = []
    if membership is not None:
        for loan in FundLoan.objects.filter(member=membership).order_by("applied_on", "id"):
            loans.append({"loan": loan, "outstanding": outstanding(loan)})
    return {"membership": membership, "loans": loans}
