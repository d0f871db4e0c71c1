"""The services of the village mutual funds: what they write, what they refuse (naming the
record and the field, changing nothing), the balance sheet and the application queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fupin.core.audit import AuditEvent
from fupin.core.errors import ApplicationError, NotPermitted, OutOfScope
from fupin.credit.mutual import rules, selectors, services
from fupin.credit.mutual.models import FundLoan, FundRepayment, FundSeed, Membership, MutualFund
from fupin.funds.models import Entry
from tests.conftest import BAYAN
from tests.credit.mutual.conftest import ESTABLISHED, key_village_running


def _refused(call, field, **kw):
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as exc:
        call(**kw)
    assert exc.value.field == field, exc.value
    assert exc.value.record
    assert AuditEvent.objects.count() == before
    return exc.value


def _loan(actor, fund, household, amount="3000", term=6, applied="2009-05-01", approved="2009-05-05", **kw):
    return services.loan_record(
        actor=actor,
        fund=fund,
        household_code=household.code,
        applied_on=applied,
        approved_on=approved,
        amount=amount,
        term_months=term,
        purpose="养牛",
        **kw,
    )


def test_fund_is_established_in_a_running_key_village(fund, running_village):
    assert fund.village.code == running_village
    assert AuditEvent.objects.filter(action="mutual.fund.create", object_id=str(fund.pk)).exists()


def test_fund_refused_outside_a_running_key_village(province_user, make_household, bayan_village):
    kw = {
        "actor": province_user,
        "code": "HZ-X",
        "name": "x",
        "village_code": bayan_village,
        "established_on": ESTABLISHED,
        "loan_ceiling": "5000",
        "longest_term": 12,
        "fee_rate": "6",
    }
    error = _refused(services.fund_create, "village", **kw)  # not a key village
    assert str(error.message) == rules.FUND_KEY_VILLAGE.text()
    key_village_running(province_user, bayan_village, start=False)  # plan only planned
    error = _refused(services.fund_create, "village", **kw)
    assert str(error.message) == rules.FUND_VILLAGE_PLAN.text()
    assert not MutualFund.objects.filter(code="HZ-X").exists()


def test_one_fund_per_village(province_user, fund, running_village):
    error = _refused(
        services.fund_create,
        "village",
        actor=province_user,
        code="HZ-2",
        name="y",
        village_code=running_village,
        established_on=ESTABLISHED,
        loan_ceiling="5000",
        longest_term=12,
        fee_rate="6",
    )
    assert fund.code in str(error.message)


def test_fiscal_seed_is_a_ledger_disbursement(seeded, seed_project):
    fiscal = FundSeed.objects.get(fund=seeded, kind="fiscal")
    assert fiscal.entry is not None and fiscal.entry.kind == "disbursement"
    assert fiscal.entry.project == seed_project and fiscal.entry.amount == Decimal("300000")
    donation = FundSeed.objects.get(fund=seeded, kind="donation")
    assert donation.entry is None
    sheet = selectors.balance_sheet(seeded, ESTABLISHED)
    assert sheet["seed_fiscal"] == Decimal("300000") and sheet["seed_other"] == Decimal("20000")


def test_fiscal_seed_needs_a_county_project(province_user, fund):
    entries = Entry.objects.count()
    _refused(
        services.seed_record,
        "project",
        actor=province_user,
        fund=fund,
        kind="fiscal",
        amount="1",
        received_on=ESTABLISHED,
    )
    assert Entry.objects.count() == entries


def test_member_shares_and_poor_base_share(province_user, seeded, make_household, running_village):
    household = make_household(running_village)
    household.status = "poor"
    household.save()
    m = services.member_join(
        actor=province_user,
        fund=seeded,
        household_code=household.code,
        joined_on=ESTABLISHED,
        shares=3,
        base_paid_by_fund=True,
    )
    assert m.poor and m.paid_in == Decimal("200.00")  # the fund pays the base share
    other = make_household(running_village)
    _refused(
        services.member_join,
        "base_paid_by_fund",
        actor=province_user,
        fund=seeded,
        household_code=other.code,
        joined_on=ESTABLISHED,
        base_paid_by_fund=True,
    )
    sheet = selectors.balance_sheet(seeded, ESTABLISHED)
    assert sheet["members"] == 1 and sheet["poor_share"] == 100.0 and sheet["shares"] == Decimal("200.00")


def test_member_from_another_village_refused(province_user, seeded, make_household, bayan_village):
    outsider = make_household(bayan_village)
    error = _refused(
        services.member_join,
        "household",
        actor=province_user,
        fund=seeded,
        household_code=outsider.code,
        joined_on=ESTABLISHED,
    )
    assert outsider.code in str(error.message) and seeded.code in error.record
    assert not Membership.objects.filter(household=outsider).exists()


def test_second_membership_refused(province_user, member, household, seeded):
    error = _refused(
        services.member_join,
        "household",
        actor=province_user,
        fund=seeded,
        household_code=household.code,
        joined_on=ESTABLISHED,
    )
    assert seeded.code in str(error.message)
    assert Membership.objects.filter(household=household).count() == 1


def test_loan_over_ceiling_or_term_refused(province_user, member, household, seeded):
    _refused(_loan, "amount", actor=province_user, fund=seeded, household=household, amount="5000.01")
    _refused(_loan, "term_months", actor=province_user, fund=seeded, household=household, term=13)
    assert not FundLoan.objects.exists()


def test_loan_to_a_non_member_refused(province_user, seeded, make_household, running_village):
    stranger = make_household(running_village)
    _refused(_loan, "household", actor=province_user, fund=seeded, household=stranger)


def test_repayment_beyond_outstanding_refused(province_user, member, household, seeded):
    loan = _loan(province_user, seeded, household, amount="3000")
    services.repay(actor=province_user, loan=loan, paid_on="2009-08-01", principal="1000", fee="30")
    error = _refused(
        services.repay, "principal", actor=province_user, loan=loan, paid_on="2009-09-01", principal="2000.01"
    )
    assert "2000.00" in str(error.message)
    assert FundRepayment.objects.filter(loan=loan).count() == 1
    services.repay(actor=province_user, loan=loan, paid_on="2009-09-01", principal="2000", fee="60")
    loan.refresh_from_db()
    assert loan.status == "repaid"


def test_balance_sheet_changes_with_loans_repayments_write_offs_and_spending(province_user, member, household, seeded):
    day = dt.date(2009, 12, 31)
    before = selectors.balance_sheet(seeded, day)
    assert before["cash"] == Decimal("320300.00") and before["total_assets"] == Decimal("320300.00")
    loan = _loan(province_user, seeded, household, amount="3000")
    lent = selectors.balance_sheet(seeded, day)
    assert lent["cash"] == Decimal("317300.00") and lent["loans_outstanding"] == Decimal("3000")
    assert lent["total_assets"] == before["total_assets"]
    services.repay(actor=province_user, loan=loan, paid_on="2009-08-01", principal="1000", fee="200")
    services.welfare_spend(actor=province_user, fund=seeded, spent_on="2009-12-01", amount="20", purpose="修路")
    _refused(
        services.welfare_spend,
        "amount",
        actor=province_user,
        fund=seeded,
        spent_on="2009-12-01",
        amount="0.01",
        purpose="x",
    )  # 10 % of 200 yuan of fees, all spent
    services.write_off(actor=province_user, loan=loan, on="2009-12-20")
    sheet = selectors.balance_sheet(seeded, day)
    assert sheet["written_off"] == Decimal("2000.00") and sheet["loans_outstanding"] == 0
    assert (
        sheet["cash"]
        == sheet["seed"]
        + sheet["shares"]
        + sheet["fees"]
        - sheet["loans_outstanding"]
        - sheet["written_off"]
        - sheet["welfare_spent"]
    )
    assert sheet["cash"] == Decimal("320300") - 3000 + 1000 + 200 - 20
    # the balance sheet at an earlier date does not see the later records
    assert selectors.balance_sheet(seeded, dt.date(2009, 5, 4))["cash"] == before["cash"]


def test_loan_beyond_cash_refused(province_user, member, household, seeded):
    services.fund_update(actor=province_user, fund=seeded, loan_ceiling="1000000")
    _refused(_loan, "amount", actor=province_user, fund=seeded, household=household, amount="320300.01")


def test_poor_members_first_in_the_queue(province_user, seeded, make_household, running_village):
    rich, poor = make_household(running_village), make_household(running_village)
    poor.status = "poor"
    poor.save()
    for h in (rich, poor):
        services.member_join(actor=province_user, fund=seeded, household_code=h.code, joined_on=ESTABLISHED)
    first = services.loan_apply(
        actor=province_user,
        fund=seeded,
        household_code=rich.code,
        applied_on="2009-05-01",
        amount="1000",
        term_months=6,
        purpose="a",
    )
    second = services.loan_apply(
        actor=province_user,
        fund=seeded,
        household_code=poor.code,
        applied_on="2009-05-02",
        amount="1000",
        term_months=6,
        purpose="b",
    )
    assert list(selectors.application_queue(seeded)) == [second, first]


def test_clerk_of_the_village_records_and_others_may_not(clerk, make_user, member, household, seeded):
    loan = _loan(clerk, seeded, household)
    assert loan.status == "approved"
    other_county = make_user("county", (BAYAN,))
    _refused(services.repay, "fund", actor=other_county, loan=loan, paid_on="2009-06-01", principal="1")
    auditor = make_user("auditor", ("230000000000",))
    with pytest.raises(NotPermitted):
        services.repay(actor=auditor, loan=loan, paid_on="2009-06-01", principal="1")
    with pytest.raises(OutOfScope):
        services.repay(actor=other_county, loan=loan, paid_on="2009-06-01", principal="1")
    assert not FundRepayment.objects.exists()
    assert not MutualFund.objects.visible_to(other_county).exists()
    assert MutualFund.objects.visible_to(clerk).count() == 1
