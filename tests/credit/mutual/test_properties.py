"""Property tests of the mutual fund's balance sheet: under random sequences of shares,
loans, repayments, write-offs and public-welfare spending written through the services
(each refused call changing nothing), the balance sheet of every day keeps

    cash = seed capital + shares + fees − loans outstanding − write-offs − welfare spending

against the test's own cash book (money in: seed, shares, principal repaid, fees; money
out: loans, spending), with cash never below zero, total assets = cash + loans
outstanding, and the public-welfare fund never overspent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fupin.core.errors import ApplicationError
from fupin.credit.mutual import selectors, services
from fupin.credit.mutual.models import FundLoan, Membership

START = dt.date(2009, 4, 2)
SEED = Decimal("320000.00")  # the fixture's fiscal and donated seed

yuan = st.integers(min_value=0, max_value=400_000).map(lambda fen: Decimal(fen) / 100)
operations = st.one_of(
    st.tuples(st.just("join"), st.integers(0, 3), st.integers(0, 6)),
    st.tuples(st.just("loan"), st.integers(0, 3), yuan, st.integers(0, 14)),
    st.tuples(st.just("repay"), st.integers(0, 5), yuan, st.integers(0, 30_000).map(lambda f: Decimal(f) / 100)),
    st.tuples(st.just("write_off"), st.integers(0, 5)),
    st.tuples(st.just("spend"), st.integers(1, 5_000).map(lambda f: Decimal(f) / 100)),
)


def _run(actor, fund, households, ops):
    book = {"cash": SEED, "outstanding": Decimal(0), "fees": Decimal(0), "spent": Decimal(0), "written": Decimal(0)}
    day = START
    for op in ops:
        day += dt.timedelta(days=3)
        before = selectors.balance_sheet(fund, dt.date(2010, 12, 31))
        try:
            if op[0] == "join":
                m = services.member_join(
                    actor=actor, fund=fund, household_code=households[op[1]].code, joined_on=day, shares=op[2]
                )
                book["cash"] += m.paid_in
            elif op[0] == "loan":
                loan = services.loan_record(
                    actor=actor,
                    fund=fund,
                    household_code=households[op[1]].code,
                    applied_on=day,
                    amount=op[2],
                    term_months=op[3],
                    purpose="养殖",
                )
                book["cash"] -= loan.amount
                book["outstanding"] += loan.amount
            elif op[0] == "repay":
                loans = list(FundLoan.objects.filter(fund=fund).order_by("id"))
                if not loans:
                    continue
                loan = loans[op[1] % len(loans)]
                r = services.repay(actor=actor, loan=loan, paid_on=day, principal=op[2], fee=op[3])
                book["cash"] += r.principal + r.fee
                book["outstanding"] -= r.principal
                book["fees"] += r.fee
            elif op[0] == "write_off":
                loans = list(FundLoan.objects.filter(fund=fund).order_by("id"))
                if not loans:
                    continue
                loan = services.write_off(actor=actor, loan=loans[op[1] % len(loans)], on=day)
                book["outstanding"] -= loan.written_off
                book["written"] += loan.written_off
            else:
                s = services.welfare_spend(actor=actor, fund=fund, spent_on=day, amount=op[1], purpose="修路")
                book["cash"] -= s.amount
                book["spent"] += s.amount
        except ApplicationError:
            after = selectors.balance_sheet(fund, dt.date(2010, 12, 31))
            assert after == before  # a refusal changes nothing
        for on in (day, day + dt.timedelta(days=1), dt.date(2010, 12, 31)):
            sheet = selectors.balance_sheet(fund, on)
            assert sheet["cash"] == (
                sheet["seed"]
                + sheet["shares"]
                + sheet["fees"]
                - sheet["loans_outstanding"]
                - sheet["written_off"]
                - sheet["welfare_spent"]
            )
            assert sheet["cash"] >= 0
            assert sheet["welfare_balance"] >= 0
            assert sheet["total_assets"] == sheet["cash"] + sheet["loans_outstanding"]
        sheet = selectors.balance_sheet(fund, day)
        assert sheet["cash"] == book["cash"]
        assert sheet["loans_outstanding"] == book["outstanding"]
        assert sheet["written_off"] == book["written"]
        assert sheet["fees"] == book["fees"] and sheet["welfare_spent"] == book["spent"]
        assert sheet["shares"] == sum((m.paid_in for m in Membership.objects.filter(fund=fund)), Decimal(0))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operations, min_size=1, max_size=14))
@example(  # every kind of record, each accepted
    ops=[
        ("join", 0, 2),
        ("loan", 0, Decimal("3000"), 6),
        ("repay", 0, Decimal("1000"), Decimal("50")),
        ("spend", Decimal("5")),
        ("write_off", 0),
        ("repay", 0, Decimal("1"), Decimal("0")),
    ]
)
def test_the_balance_sheet_invariant(province_user, seeded, make_household, running_village, ops):
    with transaction.atomic():
        households = [make_household(running_village, per_capita=None) for _ in range(4)]
        services.fund_update(actor=province_user, fund=seeded, loan_ceiling="400000", longest_term=12)
        _run(province_user, seeded, households, ops)
        transaction.set_rollback(True)
