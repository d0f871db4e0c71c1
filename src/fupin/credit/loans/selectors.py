"""Reads of the discounted loans. Every function that takes a user scopes by
``visible_to``; ``discount_quote`` is the rule's computation for one loan and year on the
records as they stand (the service and the importer both use it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from fupin.credit.loans import rules
from fupin.credit.loans.choices import BorrowerKind
from fupin.credit.loans.models import Discount, DiscountPayment, DiscountPilot, Loan, LoanRepayment
from fupin.industry.models import Enterprise
from fupin.registry.models import Household


def pilots(user: Any) -> QuerySet[DiscountPilot]:
    return DiscountPilot.objects.visible_to(user).select_related("area")


def loans(user: Any) -> QuerySet[Loan]:
    return (
        Loan.objects.visible_to(user)
        .select_related("area", "household", "enterprise", "project")
        .annotate(
            repaid=Coalesce(Sum("repayments__amount"), Value(Decimal("0")), output_field=DecimalField()),
            outstanding_amount=ExpressionWrapper(F("principal") - F("repaid"), output_field=DecimalField()),
        )
    )


def repayments(user: Any) -> QuerySet[LoanRepayment]:
    return LoanRepayment.objects.visible_to(user).select_related("loan")


def discounts(user: Any) -> QuerySet[Discount]:
    return Discount.objects.visible_to(user).select_related("loan", "pilot__area", "payment")


def payments(user: Any) -> QuerySet[DiscountPayment]:
    return DiscountPayment.objects.visible_to(user).select_related("project", "entry")


def county_of(code: str) -> str:
    return code[:6] + "000000"


def pilot_for(area_code: str, year: int) -> DiscountPilot | None:
    """The pilot holding the area in the year (the narrowest, if several do)."""
    pilots = {
        p.pk: p for p in DiscountPilot.objects.filter(first_year__lte=year, last_year__gte=year).select_related("area")
    }
    found = rules.pilot_holding(
        area_code, year, [(p.pk, p.area.code, p.first_year, p.last_year, p.rate) for p in pilots.values()]
    )
    return pilots[found[0]] if found else None


def outstanding(loan: Loan, *, on: dt.date | None = None) -> Decimal:
    """Principal less the repayments recorded (on or before ``on``)."""
    qs = loan.repayments.all()
    if on is not None:
        qs = qs.filter(paid_on__lte=on)
    return rules.outstanding(loan.principal, qs.values_list("amount", flat=True))


@dataclass(frozen=True)
class Quote:
    """What the rule allows for a loan in a year."""

    loan: Loan
    year: int
    pilot: DiscountPilot | None
    basis: Decimal
    days: int
    rate: Decimal
    cap: Decimal


def _repayments(loan: Loan) -> list[tuple[dt.date, Decimal]]:
    return [(d, a) for d, a in loan.repayments.values_list("paid_on", "amount")]


def discount_quote(loan: Loan, year: int) -> Quote:
    """The discount the rule allows on the loan for the year (``cap``), the principal it is
    computed on after the household cap (``basis``), the days and rate; ``pilot`` None when
    no pilot holds the loan's area in the year (then nothing is allowed)."""
    pilot = pilot_for(loan.area.code, year)
    siblings = (
        list(Loan.objects.filter(household=loan.household).values_list("code", "drawn_on", "principal", "matures_on"))
        if loan.kind == BorrowerKind.HOUSEHOLD
        else []
    )
    basis, days, rate, cap = rules.discount_due(
        kind=loan.kind,
        code=loan.code,
        principal=loan.principal,
        drawn=loan.drawn_on,
        matures=loan.matures_on,
        year=year,
        repayments=_repayments(loan),
        siblings=siblings,
        pilot_rate=pilot.rate if pilot is not None else None,
    )
    return Quote(loan=loan, year=year, pilot=pilot, basis=basis, days=days, rate=rate, cap=cap)


def household_loans(household: Household) -> list[dict[str, Any]]:
    """The household's discounted loans with their repayments and discounts: what the
    household page shows (the household is scoped by whoever shows its page)."""
    rows = []
    for loan in (
        Loan.objects.filter(household=household)
        .prefetch_related("repayments", "discounts")
        .order_by("drawn_on", "code")
    ):
        repaid = sum((r.amount for r in loan.repayments.all()), Decimal("0"))
        rows.append(
            {
                "loan": loan,
                "outstanding": loan.principal - repaid,
                "discounts": list(loan.discounts.all()),
                "discounted": sum((d.amount for d in loan.discounts.all()), Decimal("0")),
            }
        )
    return rows


def enterprise_loans(enterprise: Enterprise) -> list[dict[str, Any]]:
    rows = []
    for loan in Loan.objects.filter(enterprise=enterprise).prefetch_related("repayments", "discounts"):
        repaid = sum((r.amount for r in loan.repayments.all()), Decimal("0"))
        rows.append(
            {
                "loan": loan,
                "outstanding": loan.principal - repaid,
                "discounts": list(loan.discounts.all()),
                "discounted": sum((d.amount for d in loan.discounts.all()), Decimal("0")),
            }
        )
    return rows


def pilot_coverage(pilot: DiscountPilot, year: int) -> dict[str, int]:
    """The pilot's reach in a year: distinct villages and households of the household
    loans discounted, enterprises and projects with a discounted loan."""
    qs = Discount.objects.filter(pilot=pilot, year=year)
    return {
        "villages": qs.filter(loan__household__isnull=False).values("loan__household__village").distinct().count(),
        "households": qs.filter(loan__household__isnull=False).values("loan__household").distinct().count(),
        "enterprises": qs.filter(loan__enterprise__isnull=False).values("loan__enterprise").distinct().count(),
        "projects": qs.filter(loan__project__isnull=False).values("loan__project").distinct().count(),
        "amount": int(qs.aggregate(s=Sum("amount"))["s"] or 0),
    }
