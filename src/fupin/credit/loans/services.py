"""Every write of the discounted loans. Each service checks role and scope, applies the
rules of ``credit.loans.rules``, writes, and records its audit event in one transaction;
discounts are paid through the funds ledger (``funds.services.disburse``) from a
county-level discount project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput
from fupin.core.policy import check_role
from fupin.core.scoping import user_can_see_code
from fupin.core.validation import check_choice, check_date, check_text, check_year
from fupin.credit.loans import rules, selectors
from fupin.credit.loans.choices import BorrowerKind
from fupin.credit.loans.models import Discount, DiscountPayment, DiscountPilot, Loan, LoanRepayment
from fupin.funds import services as funds
from fupin.funds.choices import Source
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.programs.models import Project
from fupin.registry.models import Household

CENT = Decimal("0.01")


def _decimal(value: Any, *, field_name: str, record: str | None) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not number.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if number != number.quantize(CENT):
        raise InvalidInput(_("At most two decimal places (fen)."), field=field_name, record=record)
    return number


def _in_scope(actor: Any, area_code: str, *, record: str | None) -> None:
    rules.LOAN_IN_SCOPE.check(record=record, values={"in_scope": user_can_see_code(actor, area_code)})


# --- pilots --------------------------------------------------------------------------------------


@transaction.atomic
def pilot_create(
    *,
    actor: Any,
    area_code: str,
    first_year: int,
    last_year: int,
    rate: Any = rules.DEFAULT_ENTERPRISE_RATE,
    note: str = "",
) -> DiscountPilot:
    """Put an area (a county, or a city or the province) in the loan discount pilot for
    the years (county office or above, in its areas)."""
    record = str(area_code or "")
    check_role(actor, Role.COUNTY, record=record)
    area = AdminArea.objects.filter(code=record).first()
    if area is None:
        raise InvalidInput(_("Unknown area code “%(code)s”.") % {"code": record}, field="area", record=record)
    rules.PILOT_AREA_LEVEL.check(record=record, values={"area_level": area.level})
    _in_scope(actor, area.code, record=record)
    first = check_year(first_year, field_name="first_year", record=record)
    last = check_year(last_year, field_name="last_year", record=record)
    rules.PILOT_YEARS_ORDERED.check(record=record, values={"first_year": first, "last_year": last})
    value = _decimal(rate, field_name="rate", record=record)
    rules.RATE_RANGE.check(record=record, values={"rate": value})
    if DiscountPilot.objects.filter(area=area, first_year=first).exists():
        raise Conflict(_("This area's pilot from that year is recorded."), field="first_year", record=record)
    pilot = DiscountPilot.objects.create(
        area=area,
        first_year=first,
        last_year=last,
        rate=value,
        note=check_text(note, field_name="note", record=record, max_length=rules.NOTE_MAX_LENGTH),
    )
    audit_log(actor=actor, action="credit.pilot.create", obj=pilot, after=snapshot(pilot), area_code=area.code)
    return pilot


# --- loans ---------------------------------------------------------------------------------------


def _borrower(
    kind: str, *, household: str, enterprise: str, project: str, record: str
) -> tuple[dict[str, Any], AdminArea]:
    if kind == BorrowerKind.HOUSEHOLD:
        hh = Household.objects.select_related("village").filter(code=str(household or "")).first()
        if hh is None:
            raise rules.HOUSEHOLD_KNOWN.refusal(record=record)
        return {"household": hh}, hh.village
    if kind == BorrowerKind.ENTERPRISE:
        ent = Enterprise.objects.select_related("county").filter(code=str(enterprise or "")).first()
        if ent is None:
            raise rules.ENTERPRISE_KNOWN.refusal(record=record)
        return {"enterprise": ent}, ent.county
    proj = Project.objects.select_related("area").filter(code=str(project or "")).first()
    if proj is None:
        raise rules.PROJECT_KNOWN.refusal(record=record)
    return {"project": proj}, proj.area


@transaction.atomic
def loan_create(
    *,
    actor: Any,
    code: str,
    kind: str,
    lender: str,
    principal: Any,
    rate: Any,
    drawn_on: Any,
    matures_on: Any,
    household: str = "",
    enterprise: str = "",
    project: str = "",
    purpose: str = "",
) -> Loan:
    """Record a discounted loan to a registry household (by its code), a leading
    enterprise (by its unified social credit code) or a project (township cadre or above,
    in the borrower's area)."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    check_role(actor, Role.TOWNSHIP, record=record)
    kind = check_choice(kind, BorrowerKind, field_name="kind", record=record)
    borrower, area = _borrower(kind, household=household, enterprise=enterprise, project=project, record=record)
    _in_scope(actor, area.code, record=record)
    lender = check_text(lender, field_name="lender", record=record, max_length=rules.NAME_MAX_LENGTH, required=True)
    principal_value = _decimal(principal, field_name="principal", record=record)
    rules.PRINCIPAL_POSITIVE.check(record=record, values={"principal": principal_value})
    rules.PRINCIPAL_WITHIN_MAX.check(record=record, values={"principal": principal_value})
    rate_value = _decimal(rate, field_name="rate", record=record)
    rules.RATE_RANGE.check(record=record, values={"rate": rate_value})
    drawn = check_date(drawn_on, field_name="drawn_on", record=record)
    matures = check_date(matures_on, field_name="matures_on", record=record)
    rules.LOAN_DATES_ORDERED.check(record=record, values={"drawn_on": drawn, "matures_on": matures})
    purpose = check_text(purpose, field_name="purpose", record=record, max_length=rules.NAME_MAX_LENGTH)
    if Loan.objects.filter(code=code).exists():
        raise Conflict(_("A loan with this contract number is recorded."), field="code", record=record)
    loan = Loan.objects.create(
        code=code,
        kind=kind,
        area=area,
        lender=lender,
        principal=principal_value,
        rate=rate_value,
        drawn_on=drawn,
        matures_on=matures,
        purpose=purpose,
        **borrower,
    )
    audit_log(actor=actor, action="credit.loan.create", obj=loan, after=snapshot(loan), area_code=area.code)
    return loan


def _lock_loan(loan: Loan) -> Loan:
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("area", "household", "enterprise", "project")
        .get(pk=loan.pk)
    )


@transaction.atomic
def repayment_record(*, actor: Any, loan: Loan, paid_on: Any, amount: Any) -> LoanRepayment:
    """A repayment of principal: refused beyond what is outstanding."""
    loan = _lock_loan(loan)
    record = loan.code
    check_role(actor, Role.TOWNSHIP, record=record)
    _in_scope(actor, loan.area.code, record=record)
    paid = check_date(paid_on, field_name="paid_on", record=record)
    value = _decimal(amount, field_name="amount", record=record)
    rules.REPAYMENT_POSITIVE.check(record=record, values={"amount": value})
    rules.REPAYMENT_BEFORE_DRAWN.check(
        record=record, values={"paid_on": paid, "drawn_on": loan.drawn_on}, drawn_on=loan.drawn_on.isoformat()
    )
    left = selectors.outstanding(loan)
    rules.REPAYMENT_BEYOND_OUTSTANDING.check(
        record=record, values={"amount": value, "outstanding": left}, outstanding=f"{left:.2f}"
    )
    repayment = LoanRepayment.objects.create(loan=loan, paid_on=paid, amount=value)
    audit_log(
        actor=actor,
        action="credit.loan.repay",
        obj=repayment,
        root=loan,
        after=snapshot(repayment),
        area_code=loan.area.code,
    )
    return repayment


# --- discounts -----------------------------------------------------------------------------------


def check_discount(
    loan: Loan, year: int, amount: Decimal | None, project: Project, *, record: str
) -> tuple[selectors.Quote, Decimal]:
    """The refusals of one discount, in the order the importer applies them: outside the
    pilot, from a project of another county, already paid, nothing due, beyond the cap."""
    quote = selectors.discount_quote(loan, year)
    rules.DISCOUNT_OUTSIDE_PILOT.check(
        record=record, values={"pilot": quote.pilot.pk if quote.pilot else None}, year=year
    )
    rules.DISCOUNT_PROJECT_COUNTY.check(
        record=record,
        values={
            "project_county": selectors.county_of(project.area.code),
            "loan_county": selectors.county_of(loan.area.code),
        },
    )
    paid = Discount.objects.filter(loan=loan, year=year).exists()
    rules.DISCOUNT_TWICE.check(record=record, values={"paid": paid}, year=year)
    rules.DISCOUNT_NOTHING_DUE.check(record=record, values={"cap": quote.cap}, year=year)
    value = quote.cap if amount is None else amount
    rules.DISCOUNT_BEYOND_CAP.check(
        record=record, values={"amount": value, "cap": quote.cap}, year=year, cap=f"{quote.cap:.2f}"
    )
    rules.REPAYMENT_POSITIVE.check(record=record, values={"amount": value})
    return quote, value


@transaction.atomic
def discount_pay(
    *,
    actor: Any,
    project: Project,
    year: int,
    source: str,
    loans: Sequence[tuple[Loan, Any]] | None = None,
    on: dt.date | None = None,
) -> DiscountPayment:
    """Pay discounts of the year from a county-level discount project, as one
    disbursement of the funds ledger. ``loans`` is (loan, amount or None for the rule's
    amount); without it, every loan of the project's county in the pilot with a discount
    due and not yet paid. Refused (nothing paid) for a loan outside the pilot, an amount
    beyond the rule's, or beyond what was allocated to the project."""
    project = Project.objects.select_related("area").get(pk=project.pk)
    record = project.code
    check_role(actor, Role.TOWNSHIP, record=record)
    _in_scope(actor, project.area.code, record=record)
    year = check_year(year, field_name="year", record=record)
    source = check_choice(source, Source, field_name="source", record=record)
    items: list[tuple[Loan, selectors.Quote, Decimal]] = []
    if loans is None:
        county = selectors.county_of(project.area.code)
        low, high = county, county[:6] + "999999"
        candidates = (
            Loan.objects.select_for_update(of=("self",))
            .filter(area__code__gte=low, area__code__lte=high)
            .exclude(discounts__year=year)
            .select_related("area")
            .order_by("code")
        )
        for loan in candidates:
            quote = selectors.discount_quote(loan, year)
            if quote.pilot is not None and quote.cap > 0:
                items.append((loan, quote, quote.cap))
        if not items:
            raise InvalidInput(
                _("No loan of the county has a discount due in %(year)s.") % {"year": year}, field="year", record=record
            )
    else:
        seen: set[int] = set()
        for loan, amount in loans:
            rules.DISCOUNT_TWICE.check(record=loan.code, values={"paid": loan.pk in seen}, year=year)
            seen.add(loan.pk)
            loan = _lock_loan(loan)
            value = None if amount in (None, "") else _decimal(amount, field_name="amount", record=loan.code)
            _in_scope(actor, loan.area.code, record=loan.code)
            quote, value = check_discount(loan, year, value, project, record=loan.code)
            items.append((loan, quote, value))
        if not items:
            raise InvalidInput(_("No loan given."), field="loan", record=record)
    total = sum((value for _l, _q, value in items), Decimal("0"))
    entry = funds.disburse(
        actor=actor,
        project=project,
        source=source,
        year=year,
        amount=total,
        on=on,
        document=project.code,
        note=_("Loan discounts of %(year)s: %(n)s loans") % {"year": year, "n": len(items)},
    )
    payment = DiscountPayment.objects.create(project=project, year=year, entry=entry, amount=total)
    Discount.objects.bulk_create(
        [
            Discount(
                loan=loan,
                year=year,
                pilot=quote.pilot,
                basis=quote.basis,
                days=quote.days,
                rate=quote.rate,
                amount=value,
                payment=payment,
            )
            for loan, quote, value in items
        ]
    )
    audit_log(
        actor=actor,
        action="credit.discount.pay",
        obj=payment,
        after={**snapshot(payment), "loans": [loan.code for loan, _q, _v in items]},
        area_code=project.area.code,
    )
    return payment
