"""Every write of the village mutual funds. Each service checks role and scope, applies the
rules of ``credit.mutual.rules``, writes and records its audit event in one transaction.
Fiscal seed capital is paid through the funds ledger (``funds.services.disburse``) from a
county-level project.

Who may do what (docs/credit-mutual.md): a county office (or above) establishes, changes
and closes a fund and records its seed capital; the fund's clerk (a village clerk of the
fund's village, or a township cadre or county office above it) records members, the
council and supervisors, applications, approvals, repayments and public-welfare spending;
a township cadre (or above) writes a loan off."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput, NotFound
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import check_choice, check_date, check_int, check_text, check_year
from fupin.credit.mutual import rules, selectors
from fupin.credit.mutual.choices import LoanStatus, OfficerRole, SeedKind
from fupin.credit.mutual.models import (
    FundLoan,
    FundOfficer,
    FundRepayment,
    FundSeed,
    FundWelfareSpending,
    Membership,
    MutualFund,
)
from fupin.funds import services as funds
from fupin.funds.choices import Source
from fupin.geo.choices import Level
from fupin.geo.models import AdminArea
from fupin.programs.models import Project, VillagePlan
from fupin.registry.choices import Status
from fupin.registry.models import Household, Person

CENT = Decimal("0.01")
FUND_RULES = ("share_value", "loan_ceiling", "longest_term", "fee_rate", "welfare_share")


def money(value: Any, *, field_name: str, record: str | None, maximum: int = rules.MONEY_MAX) -> Decimal:
    """A number of yuan with at most two decimals (the rules say what a sign means)."""
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not amount.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("At most two decimal places (fen)."), field=field_name, record=record)
    if abs(amount) > maximum:
        raise InvalidInput(_("At most %(max)s yuan.") % {"max": f"{maximum:,}"}, field=field_name, record=record)
    return amount.quantize(CENT)


def rate(value: Any, *, field_name: str, record: str | None) -> Decimal:
    return money(value, field_name=field_name, record=record, maximum=1000)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fund_record(fund: MutualFund) -> str:
    return fund.code


def _clerk(actor: Any, fund: MutualFund, *, record: str, role: str = Role.VILLAGE) -> None:
    check_role(actor, role, record=record)
    check_scope(actor, fund.village.code, record=record, field="fund")


def _lock(fund: MutualFund) -> MutualFund:
    return MutualFund.objects.select_for_update().select_related("village").get(pk=fund.pk)


def _dated(fund: MutualFund, day: dt.date, *, field_name: str, record: str) -> None:
    values = rules.values(date=day, established_on=fund.established_on, closed_on=fund.closed_on)
    for rule in (rules.DATE_NOT_BEFORE_FUND, rules.DATE_NOT_AFTER_CLOSE):
        rule.check(record=record, values=values, field=field_name)


def fund_rules(data: dict[str, Any], *, record: str) -> dict[str, Any]:
    """The fund's rules (share value, loan ceiling, longest term, fee rate, welfare share)
    checked, from whatever of them ``data`` holds."""
    out: dict[str, Any] = {}
    if "share_value" in data:
        out["share_value"] = money(data["share_value"], field_name="share_value", record=record)
    if "loan_ceiling" in data:
        out["loan_ceiling"] = money(data["loan_ceiling"], field_name="loan_ceiling", record=record)
    if "longest_term" in data:
        out["longest_term"] = check_int(
            data["longest_term"], field_name="longest_term", record=record, minimum=0, maximum=10_000
        )
    if "fee_rate" in data:
        out["fee_rate"] = rate(data["fee_rate"], field_name="fee_rate", record=record)
    if "welfare_share" in data:
        out["welfare_share"] = rate(data["welfare_share"], field_name="welfare_share", record=record)
    values = rules.values(**out)
    for name, rule in (
        ("share_value", rules.FUND_SHARE_VALUE),
        ("loan_ceiling", rules.FUND_CEILING_POSITIVE),
        ("longest_term", rules.FUND_TERM_POSITIVE),
        ("fee_rate", rules.FUND_RATE_RANGE),
        ("welfare_share", rules.FUND_WELFARE_RANGE),
    ):
        if name in out:
            rule.check(record=record, values=values)
    return out


def village_facts(village: AdminArea) -> dict[str, Any]:
    """What the fund rules need to know of a village."""
    plan = VillagePlan.objects.filter(village=village).values_list("status", flat=True).first()
    existing = MutualFund.objects.filter(village=village).values_list("code", flat=True).first()
    return {"village_key": village.key_village, "plan_status": plan, "existing_fund": existing}


# --- the fund ------------------------------------------------------------------------------------


@transaction.atomic
def fund_create(
    *,
    actor: Any,
    code: str,
    name: str,
    village_code: str,
    established_on: Any,
    loan_ceiling: Any,
    longest_term: Any,
    fee_rate: Any,
    share_value: Any = "100",
    welfare_share: Any = "10",
) -> MutualFund:
    """Establish a village's mutual fund (county office or above): only in a key village
    whose entire village advancement plan is running or completed, one per village."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    check_role(actor, Role.COUNTY, record=record)
    village = AdminArea.objects.filter(code=str(village_code or ""), level=Level.VILLAGE).first()
    if village is None:
        raise InvalidInput(
            _("Unknown village code “%(code)s”.") % {"code": village_code}, field="village", record=record
        )
    check_scope(actor, village.code, record=record, field="village")
    name = check_text(name, field_name="name", record=record, max_length=rules.NAME_MAX_LENGTH, required=True)
    established = check_date(established_on, field_name="established_on", record=record)
    values = fund_rules(
        {
            "share_value": share_value,
            "loan_ceiling": loan_ceiling,
            "longest_term": longest_term,
            "fee_rate": fee_rate,
            "welfare_share": welfare_share,
        },
        record=record,
    )
    facts = rules.values(**village_facts(village))
    for rule in (rules.FUND_KEY_VILLAGE, rules.FUND_VILLAGE_PLAN, rules.FUND_ONE_PER_VILLAGE):
        rule.check(record=record, values={**facts, "village_key": village.key_village})
    if MutualFund.objects.filter(code=code).exists():
        raise Conflict(_("A mutual fund with this code exists."), field="code", record=record)
    fund = MutualFund.objects.create(code=code, name=name, village=village, established_on=established, **values)
    audit_log(actor=actor, action="mutual.fund.create", obj=fund, after=snapshot(fund), area_code=village.code)
    return fund


@transaction.atomic
def fund_update(*, actor: Any, fund: MutualFund, **changes: Any) -> MutualFund:
    """Change the fund's name or its rules (county office or above)."""
    fund = _lock(fund)
    record = fund.code
    _clerk(actor, fund, record=record, role=Role.COUNTY)
    unknown = set(changes) - {"name", *FUND_RULES}
    if unknown:
        raise InvalidInput(_("This field cannot be changed."), field=sorted(unknown)[0], record=record)
    values = fund_rules(changes, record=record)
    if "name" in changes:
        values["name"] = check_text(
            changes["name"], field_name="name", record=record, max_length=rules.NAME_MAX_LENGTH, required=True
        )
    before = snapshot(fund)
    for key, value in values.items():
        setattr(fund, key, value)
    fund.save()
    audit_log(
        actor=actor,
        action="mutual.fund.update",
        obj=fund,
        before=before,
        after=snapshot(fund),
        area_code=fund.village.code,
    )
    return fund


@transaction.atomic
def fund_close(*, actor: Any, fund: MutualFund, on: Any) -> MutualFund:
    """Close the fund (county office or above)."""
    fund = _lock(fund)
    record = fund.code
    _clerk(actor, fund, record=record, role=Role.COUNTY)
    day = check_date(on, field_name="closed_on", record=record)
    rules.FUND_CLOSED_AFTER_ESTABLISHED.check(
        record=record, values=rules.values(closed_on=day, established_on=fund.established_on)
    )
    before = snapshot(fund)
    fund.closed_on = day
    fund.save(update_fields=["closed_on", "updated_at"])
    audit_log(
        actor=actor,
        action="mutual.fund.close",
        obj=fund,
        before=before,
        after=snapshot(fund),
        area_code=fund.village.code,
    )
    return fund


# --- seed capital ------------------------------------------------------------------------------


@transaction.atomic
def seed_record(
    *,
    actor: Any,
    fund: MutualFund,
    kind: str,
    amount: Any,
    received_on: Any,
    donor: str = "",
    project: Project | None = None,
    source: str = Source.CENTRAL,
    year: int | None = None,
) -> FundSeed:
    """Seed capital paid into the fund (county office or above). Fiscal seed capital is a
    disbursement of the ledger from ``project``, a project of the fund's county (not of a
    village, not in a zone), of funds of ``source`` and ``year`` allocated to it; other
    seed (donations, the village's own) is recorded apart, without an entry."""
    fund = _lock(fund)
    record = fund.code
    _clerk(actor, fund, record=record, role=Role.COUNTY)
    kind = check_choice(kind, SeedKind, field_name="kind", record=record)
    value = money(amount, field_name="amount", record=record)
    day = check_date(received_on, field_name="received_on", record=record)
    donor = check_text(donor, field_name="donor", record=record, max_length=rules.NAME_MAX_LENGTH)
    facts = rules.values(
        kind=kind,
        amount=value,
        received_on=day,
        established_on=fund.established_on,
        project=project.code if project is not None else "",
        project_area=project.area.code if project is not None else "",
        project_zone=project.zone.code if project is not None and project.zone is not None else "",
        fund_county=fund.village.code[:6] + "000000",
    )
    for rule in (
        rules.SEED_POSITIVE,
        rules.SEED_NOT_BEFORE_FUND,
        rules.SEED_FISCAL_PROJECT,
        rules.SEED_PROJECT_ONLY_FISCAL,
        rules.SEED_PROJECT_COUNTY,
    ):
        rule.check(record=record, values=facts)
    _dated(fund, day, field_name="received_on", record=record)
    entry = None
    if kind == SeedKind.FISCAL:
        if project is None:  # SEED_FISCAL_PROJECT refused it
            raise rules.SEED_FISCAL_PROJECT.refusal(record=record)
        entry = funds.disburse(
            actor=actor,
            project=project,
            source=source,
            year=check_year(year if year is not None else day.year, field_name="year", record=record),
            amount=value,
            on=day,
            document=fund.code,
            note=_("Seed capital of the mutual fund %(code)s") % {"code": fund.code},
        )
    seed = FundSeed.objects.create(fund=fund, kind=kind, amount=value, received_on=day, donor=donor, entry=entry)
    audit_log(
        actor=actor, action="mutual.seed.record", obj=seed, root=fund, after=snapshot(seed), area_code=fund.village.code
    )
    return seed


# --- members and officers ----------------------------------------------------------------------


def member_facts(fund: MutualFund, household: Household | None, household_code: str) -> dict[str, Any]:
    other = (
        Membership.objects.filter(household=household).values_list("fund__code", flat=True).first()
        if household is not None
        else None
    )
    return {
        "household": household_code,
        "household_village": household.village.code if household is not None else "",
        "fund_village": fund.village.code,
        "other_membership": other,
        "household_status": household.status if household is not None else "",
    }


def _household(code: Any, *, record: str) -> Household:
    household = Household.objects.select_related("village").filter(code=str(code or "")).first()
    if household is None:
        raise NotFound(
            rules.IMPORT_UNKNOWN_HOUSEHOLD.text(household=code),
            field="household",
            record=record,
        )
    return household


@transaction.atomic
def member_join(
    *,
    actor: Any,
    fund: MutualFund,
    household_code: str,
    joined_on: Any,
    shares: Any = 1,
    base_paid_by_fund: bool = False,
) -> Membership:
    """A household of the fund's village joins with its shares (one membership per
    household). A poor household's base share (one share) may be paid by the fund: the
    household then pays in its other shares only."""
    fund = _lock(fund)
    record = f"{fund.code}/{household_code}"
    _clerk(actor, fund, record=record)
    household = _household(household_code, record=record)
    day = check_date(joined_on, field_name="joined_on", record=record)
    count = check_int(shares, field_name="shares", record=record, minimum=0, maximum=10_000)
    base = bool(base_paid_by_fund)
    values = {
        **member_facts(fund, household, household.code),
        "shares": count,
        "base_paid_by_fund": base,
        "joined_on": str(day),
        "established_on": str(fund.established_on),
    }
    for rule in (
        rules.MEMBER_OF_VILLAGE,
        rules.MEMBER_ONCE,
        rules.MEMBER_SHARES,
        rules.MEMBER_BASE_POOR,
        rules.MEMBER_NOT_BEFORE_FUND,
    ):
        rule.check(record=record, values=values)
    _dated(fund, day, field_name="joined_on", record=record)
    paid = fund.share_value * (count - (1 if base else 0))
    membership = Membership.objects.create(
        fund=fund,
        household=household,
        joined_on=day,
        shares=count,
        base_paid_by_fund=base,
        paid_in=paid,
        poor=household.status == Status.POOR,
    )
    audit_log(
        actor=actor,
        action="mutual.member.join",
        obj=membership,
        root=fund,
        after=snapshot(membership),
        area_code=fund.village.code,
    )
    return membership


@transaction.atomic
def officer_appoint(*, actor: Any, fund: MutualFund, person_id: Any, role: str, since: Any) -> FundOfficer:
    """A person of the village on the council or the supervisory board."""
    fund = _lock(fund)
    record = fund.code
    _clerk(actor, fund, record=record)
    person = None
    if str(person_id).isdigit():
        person = Person.objects.select_related("household__village").filter(pk=int(person_id)).first()
    if person is None:
        raise NotFound(_("No such person in the registry."), field="person", record=record)
    role = check_choice(role, OfficerRole, field_name="role", record=record)
    day = check_date(since, field_name="since", record=record)
    rules.OFFICER_OF_VILLAGE.check(
        record=record, values={"person_village": person.household.village.code, "fund_village": fund.village.code}
    )
    if FundOfficer.objects.filter(fund=fund, person=person).exists():
        raise Conflict(_("This person already holds an office of the fund."), field="person", record=record)
    officer = FundOfficer.objects.create(fund=fund, person=person, role=role, since=day)
    audit_log(
        actor=actor,
        action="mutual.officer.appoint",
        obj=officer,
        root=fund,
        after=snapshot(officer),
        area_code=fund.village.code,
    )
    return officer


# --- loans -----------------------------------------------------------------------------------------


def loan_facts(fund: MutualFund, membership: Membership | None, household_code: str) -> dict[str, Any]:
    return {
        "fund": fund.code,
        "household": household_code,
        "member_fund": membership.fund.code if membership is not None else "",
        "joined_on": str(membership.joined_on) if membership is not None else "",
        "loan_ceiling": str(fund.loan_ceiling),
        "longest_term": fund.longest_term,
    }


def next_number(fund: MutualFund, day: dt.date) -> str:
    n = FundLoan.objects.filter(fund=fund).count() + 1
    while FundLoan.objects.filter(fund=fund, number=f"{day.year}-{n:04d}").exists():
        n += 1
    return f"{day.year}-{n:04d}"


@transaction.atomic
def loan_apply(
    *,
    actor: Any,
    fund: MutualFund,
    household_code: str,
    applied_on: Any,
    amount: Any,
    term_months: Any,
    purpose: str,
    fee_rate: Any = None,
    number: str = "",
) -> FundLoan:
    """A member's loan application: within the fund's ceiling and longest term, at the
    fund's fee rate unless another is given."""
    fund = _lock(fund)
    record = f"{fund.code}/{number or household_code}"
    _clerk(actor, fund, record=record)
    household = _household(household_code, record=record)
    membership = Membership.objects.select_related("fund").filter(household=household).first()
    day = check_date(applied_on, field_name="applied_on", record=record)
    value = money(amount, field_name="amount", record=record)
    term = check_int(term_months, field_name="term_months", record=record, minimum=0, maximum=10_000)
    fee = rate(fund.fee_rate if fee_rate in (None, "") else fee_rate, field_name="fee_rate", record=record)
    purpose = check_text(
        purpose, field_name="purpose", record=record, max_length=rules.PURPOSE_MAX_LENGTH, required=True
    )
    number = check_text(number, field_name="number", record=record, max_length=rules.CODE_MAX_LENGTH) or next_number(
        fund, day
    )
    record = f"{fund.code}/{number}"
    values = {
        **loan_facts(fund, membership, household.code),
        "amount": str(value),
        "term_months": term,
        "fee_rate": str(fee),
        "applied_on": str(day),
    }
    for rule in (
        rules.LOAN_MEMBER,
        rules.LOAN_POSITIVE,
        rules.LOAN_CEILING,
        rules.LOAN_TERM,
        rules.LOAN_RATE,
        rules.LOAN_NOT_BEFORE_MEMBERSHIP,
    ):
        rule.check(record=record, values=values)
    _dated(fund, day, field_name="applied_on", record=record)
    if FundLoan.objects.filter(fund=fund, number=number).exists():
        raise Conflict(_("The fund has a loan with this number."), field="number", record=record)
    if membership is None:  # LOAN_MEMBER refused it
        raise rules.LOAN_MEMBER.refusal(record=record, **values)
    loan = FundLoan.objects.create(
        fund=fund,
        number=number,
        member=membership,
        applied_on=day,
        amount=value,
        term_months=term,
        fee_rate=fee,
        purpose=purpose,
    )
    audit_log(
        actor=actor, action="mutual.loan.apply", obj=loan, root=fund, after=snapshot(loan), area_code=fund.village.code
    )
    return loan


def _lock_loan(loan: FundLoan) -> FundLoan:
    return FundLoan.objects.select_for_update().select_related("fund__village", "member__household").get(pk=loan.pk)


@transaction.atomic
def loan_approve(*, actor: Any, loan: FundLoan, on: Any) -> FundLoan:
    """The council approves the application and the fund lends the money on ``on``:
    refused beyond the fund's cash on that day."""
    loan = _lock_loan(loan)
    fund = _lock(loan.fund)
    record = str(loan)
    _clerk(actor, fund, record=record)
    day = check_date(on, field_name="approved_on", record=record)
    rules.LOAN_NOT_PENDING.check(record=record, values={"status": loan.status})
    rules.LOAN_APPROVED_AFTER_APPLIED.check(
        record=record, values=rules.values(approved_on=day, applied_on=loan.applied_on)
    )
    _dated(fund, day, field_name="approved_on", record=record)
    rules.LOAN_CASH.check(
        record=record, values=rules.values(amount=loan.amount, cash=selectors.cash_available(fund, day))
    )
    before = snapshot(loan)
    loan.status = LoanStatus.APPROVED
    loan.approved_on = day
    loan.due_on = add_months(day, loan.term_months)
    loan.save()
    audit_log(
        actor=actor,
        action="mutual.loan.approve",
        obj=loan,
        root=fund,
        before=before,
        after=snapshot(loan),
        area_code=fund.village.code,
    )
    return loan


@transaction.atomic
def loan_reject(*, actor: Any, loan: FundLoan, on: Any) -> FundLoan:
    loan = _lock_loan(loan)
    record = str(loan)
    _clerk(actor, loan.fund, record=record)
    day = check_date(on, field_name="decided_on", record=record)
    rules.LOAN_NOT_PENDING.check(record=record, values={"status": loan.status})
    before = snapshot(loan)
    loan.status = LoanStatus.REJECTED
    loan.decided_on = day
    loan.save()
    audit_log(
        actor=actor,
        action="mutual.loan.reject",
        obj=loan,
        root=loan.fund,
        before=before,
        after=snapshot(loan),
        area_code=loan.fund.village.code,
    )
    return loan


@transaction.atomic
def loan_record(*, actor: Any, fund: MutualFund, approved_on: Any = None, **application: Any) -> FundLoan:
    """Record an application and its approval at once (the loan form): approved on
    ``approved_on`` (default: the day of application)."""
    loan = loan_apply(actor=actor, fund=fund, **application)
    return loan_approve(actor=actor, loan=loan, on=approved_on or loan.applied_on)


def repayment_facts(loan: FundLoan) -> dict[str, Any]:
    return {
        "loan": loan.number,
        "loan_status": loan.status,
        "approved_on": str(loan.approved_on or ""),
        "outstanding": str(selectors.outstanding(loan)),
    }


@transaction.atomic
def repay(*, actor: Any, loan: FundLoan, paid_on: Any, principal: Any = 0, fee: Any = 0) -> FundRepayment:
    """A repayment of principal and occupancy fee: refused beyond the principal
    outstanding. A loan repaid in full is marked repaid."""
    loan = _lock_loan(loan)
    fund = loan.fund
    record = str(loan)
    _clerk(actor, fund, record=record)
    day = check_date(paid_on, field_name="paid_on", record=record)
    value = money(principal, field_name="principal", record=record)
    charge = money(fee, field_name="fee", record=record)
    values = {**repayment_facts(loan), "principal": str(value), "fee": str(charge), "paid_on": str(day)}
    for rule in (
        rules.REPAYMENT_LENT,
        rules.REPAYMENT_POSITIVE,
        rules.REPAYMENT_OUTSTANDING,
        rules.REPAYMENT_NOT_BEFORE_LOAN,
    ):
        rule.check(record=record, values=values)
    _dated(fund, day, field_name="paid_on", record=record)
    repayment = FundRepayment.objects.create(loan=loan, paid_on=day, principal=value, fee=charge)
    if selectors.outstanding(loan) <= 0:
        loan.status = LoanStatus.REPAID
        loan.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action="mutual.loan.repay",
        obj=repayment,
        root=fund,
        after=snapshot(repayment),
        area_code=fund.village.code,
    )
    return repayment


@transaction.atomic
def write_off(*, actor: Any, loan: FundLoan, on: Any) -> FundLoan:
    """Write off what is outstanding of a loan that will not be repaid (township cadre
    or above)."""
    loan = _lock_loan(loan)
    fund = loan.fund
    record = str(loan)
    _clerk(actor, fund, record=record, role=Role.TOWNSHIP)
    day = check_date(on, field_name="written_off_on", record=record)
    left = selectors.outstanding(loan)
    values = {**repayment_facts(loan), "written_off_on": str(day)}
    for rule in (rules.WRITE_OFF_OUTSTANDING, rules.WRITE_OFF_NOT_BEFORE_LOAN):
        rule.check(record=record, values=values)
    _dated(fund, day, field_name="written_off_on", record=record)
    if loan.repayments.filter(paid_on__gt=day).exists():
        raise InvalidInput(_("The loan has repayments after that day."), field="written_off_on", record=record)
    before = snapshot(loan)
    loan.status = LoanStatus.WRITTEN_OFF
    loan.written_off_on = day
    loan.written_off = left
    loan.save()
    audit_log(
        actor=actor,
        action="mutual.loan.write_off",
        obj=loan,
        root=fund,
        before=before,
        after=snapshot(loan),
        area_code=fund.village.code,
    )
    return loan


@transaction.atomic
def welfare_spend(*, actor: Any, fund: MutualFund, spent_on: Any, amount: Any, purpose: str) -> FundWelfareSpending:
    """Spend from the public-welfare fund (the share of the fees drawn for it) on the
    village's public works: refused beyond what it holds."""
    fund = _lock(fund)
    record = fund.code
    _clerk(actor, fund, record=record)
    day = check_date(spent_on, field_name="spent_on", record=record)
    value = money(amount, field_name="amount", record=record)
    purpose = check_text(
        purpose, field_name="purpose", record=record, max_length=rules.PURPOSE_MAX_LENGTH, required=True
    )
    rules.WELFARE_POSITIVE.check(record=record, values={"amount": str(value)})
    _dated(fund, day, field_name="spent_on", record=record)
    rules.WELFARE_BEYOND_FUND.check(
        record=record, values=rules.values(amount=value, welfare=selectors.welfare_available(fund, day))
    )
    spending = FundWelfareSpending.objects.create(fund=fund, spent_on=day, amount=value, purpose=purpose)
    audit_log(
        actor=actor,
        action="mutual.welfare.spend",
        obj=spending,
        root=fund,
        after=snapshot(spending),
        area_code=fund.village.code,
    )
    return spending
