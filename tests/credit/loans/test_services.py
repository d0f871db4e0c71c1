"""The services of the discounted loans: each refusal names the record and field and
changes nothing; writes are audited and scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fupin.core.choices import Role
from fupin.core.errors import InvalidInput, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.credit.loans import selectors, services
from fupin.credit.loans.models import Discount, DiscountPayment, Loan, LoanRepayment
from fupin.funds.models import Entry
from tests.conftest import BAYAN, YANSHOU


def _state():
    return (
        Loan.objects.count(),
        LoanRepayment.objects.count(),
        Discount.objects.count(),
        DiscountPayment.objects.count(),
        Entry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_loan_is_recorded_in_its_borrowers_village_and_audited(household_loan, poor_household):
    assert household_loan.area == poor_household.village
    assert household_loan.borrower == poor_household
    event = AuditEvent.objects.filter(action="credit.loan.create").get()
    assert event.object_id == str(household_loan.pk) and event.area_code == poor_household.village.code


def test_loan_refusals_change_nothing(province_user, pilot, poor_household):
    good = {
        "code": "L-X",
        "kind": "household",
        "household": poor_household.code,
        "lender": "农村信用社",
        "principal": "5000",
        "rate": "5.31",
        "drawn_on": "2009-03-01",
        "matures_on": "2010-03-01",
    }
    before = _state()
    for change, field in (
        ({"principal": "0"}, "principal"),
        ({"principal": "-5"}, "principal"),
        ({"rate": "120"}, "rate"),
        ({"matures_on": "2009-03-01"}, "matures_on"),
        ({"household": "nope"}, "household"),
        ({"kind": "bank"}, "kind"),
        ({"principal": "1.234"}, "principal"),
    ):
        with pytest.raises(Exception) as info:
            services.loan_create(actor=province_user, **{**good, **change})
        assert info.value.field == field and info.value.record == "L-X"
    assert _state() == before


def test_a_repayment_beyond_what_is_outstanding_is_refused(province_user, household_loan):
    services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-10-01", amount="6000")
    assert selectors.outstanding(household_loan) == Decimal("4000")
    before = _state()
    with pytest.raises(InvalidInput) as info:
        services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-11-01", amount="4000.01")
    assert info.value.field == "amount" and info.value.record == household_loan.code
    assert "4000" in str(info.value.message)
    with pytest.raises(InvalidInput) as info:
        services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-06-01", amount="10")
    assert info.value.field == "paid_on"
    assert _state() == before
    services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-11-01", amount="4000")
    assert selectors.outstanding(household_loan) == 0


def test_the_years_discounts_are_paid_through_the_ledger(province_user, household_loan, discount_project):
    services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-10-01", amount="4000")
    payment = services.discount_pay(
        actor=province_user, project=discount_project, year=2009, source="central", on=dt.date(2009, 12, 20)
    )
    # 1 July to 1 October: 92 days at 10,000, then 92 days at 6,000: 1,472,000 × 0.05 / 365 = 201.64
    discount = Discount.objects.get()
    assert (discount.days, discount.amount, discount.basis, discount.rate) == (
        184,
        Decimal("201.64"),
        Decimal("10000.00"),
        Decimal("5.00"),
    )
    assert payment.amount == Decimal("201.64")
    assert payment.entry.kind == "disbursement" and payment.entry.project == discount_project
    assert payment.entry.amount == Decimal("201.64") and payment.entry.date == dt.date(2009, 12, 20)
    assert AuditEvent.objects.filter(action="credit.discount.pay").count() == 1
    # paid once: nothing due a second time
    before = _state()
    with pytest.raises(InvalidInput) as info:
        services.discount_pay(actor=province_user, project=discount_project, year=2009, source="central")
    assert info.value.field == "year"
    with pytest.raises(InvalidInput) as info:
        services.discount_pay(
            actor=province_user, project=discount_project, year=2009, source="central", loans=[(household_loan, None)]
        )
    assert info.value.field == "year" and info.value.record == household_loan.code
    assert _state() == before


def test_the_household_cap_is_shared_by_a_households_loans(province_user, pilot, poor_household, discount_project):
    common = {"kind": "household", "household": poor_household.code, "lender": "农行", "rate": "5.31"}
    a = services.loan_create(
        actor=province_user, code="A", principal="40000", drawn_on="2009-01-01", matures_on="2010-01-01", **common
    )
    b = services.loan_create(
        actor=province_user, code="B", principal="30000", drawn_on="2009-02-01", matures_on="2010-02-01", **common
    )
    qa, qb = selectors.discount_quote(a, 2009), selectors.discount_quote(b, 2009)
    assert (qa.basis, qa.cap) == (Decimal("40000"), Decimal("2000.00"))
    # B keeps 10,000 of the cap for its 334 days of 2009: 10,000 × 0.05 × 334 / 365 = 457.53
    assert (qb.basis, qb.days, qb.cap) == (Decimal("10000"), 334, Decimal("457.53"))
    before = _state()
    with pytest.raises(InvalidInput) as info:
        services.discount_pay(
            actor=province_user, project=discount_project, year=2009, source="central", loans=[(b, "457.54")]
        )
    assert info.value.field == "amount" and info.value.record == "B"
    assert _state() == before
    payment = services.discount_pay(
        actor=province_user, project=discount_project, year=2009, source="central", loans=[(a, None), (b, "400")]
    )
    assert payment.amount == Decimal("2400.00")


def test_a_discount_outside_the_pilot_is_refused(province_user, poor_household, discount_project, pilot):
    loan = services.loan_create(
        actor=province_user,
        code="OUT",
        kind="household",
        household=poor_household.code,
        lender="农行",
        principal="5000",
        rate="5",
        drawn_on="2011-01-10",
        matures_on="2012-01-10",
    )
    before = _state()
    with pytest.raises(InvalidInput) as info:  # the pilot ends in 2010
        services.discount_pay(
            actor=province_user, project=discount_project, year=2011, source="central", loans=[(loan, None)]
        )
    assert info.value.field == "loan" and info.value.record == "OUT"
    assert _state() == before


def test_enterprise_loans_at_the_pilots_rate(province_user, pilot, enterprise, discount_project):
    loan = services.loan_create(
        actor=province_user,
        code="E1",
        kind="enterprise",
        enterprise=enterprise.code,
        lender="国家开发银行",
        principal="1000000",
        rate="5.31",
        drawn_on="2009-09-23",
        matures_on="2011-09-23",
    )
    quote = selectors.discount_quote(loan, 2009)
    assert (quote.rate, quote.days, quote.cap) == (Decimal("3.00"), 100, Decimal("8219.18"))


def test_scope_and_roles(make_user, province_user, household_loan, discount_project):
    bayan = make_user(Role.COUNTY, (BAYAN,))
    auditor = make_user(Role.AUDITOR, (YANSHOU,))
    assert selectors.loans(bayan).count() == 0
    assert selectors.loans(make_user(Role.COUNTY, (YANSHOU,))).count() == 1
    before = _state()
    with pytest.raises(OutOfScope):
        services.repayment_record(actor=bayan, loan=household_loan, paid_on="2009-10-01", amount="1")
    with pytest.raises(NotPermitted):
        services.repayment_record(actor=auditor, loan=household_loan, paid_on="2009-10-01", amount="1")
    with pytest.raises(OutOfScope):
        services.discount_pay(actor=bayan, project=discount_project, year=2009, source="central")
    assert _state() == before


def test_a_loan_named_twice_in_one_payment_is_refused(province_user, household_loan, discount_project):
    before = _state()
    with pytest.raises(InvalidInput) as info:
        services.discount_pay(
            actor=province_user,
            project=discount_project,
            year=2009,
            source="central",
            loans=[(household_loan, "100"), (household_loan, "100")],
        )
    assert info.value.field == "year" and info.value.record == household_loan.code
    assert _state() == before
