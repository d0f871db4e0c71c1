"""The discount computation (``credit.loans.rules``) against hand-computed cases and as
properties (hypothesis): actual/365, leap years, partial periods, loans across two years,
the one-year period of a long loan and the 50,000 yuan household cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.credit.loans import rules


def disc(principal, drawn, matures, year, rate="5", repayments=(), basis=None):
    return rules.loan_discount(
        principal=Decimal(principal),
        drawn=drawn,
        matures=matures,
        year=year,
        rate=Decimal(rate),
        repayments=[(d, Decimal(a)) for d, a in repayments],
        basis=None if basis is None else Decimal(basis),
    )


@pytest.mark.parametrize(
    ("principal", "drawn", "matures", "year", "expected", "days"),
    [
        # a whole calendar year: 10,000 × 5 % = 500
        ("10000", dt.date(2009, 1, 1), dt.date(2010, 1, 1), 2009, "500.00", 365),
        # half a year drawn 1 July: 184 days of 2009 → 10,000 × 0.05 × 184 / 365 = 252.054… → 252.05
        ("10000", dt.date(2009, 7, 1), dt.date(2010, 7, 1), 2009, "252.05", 184),
        # the same loan in 2010: 181 days (to 1 July 2010 excluded) → 247.945… → 247.95
        ("10000", dt.date(2009, 7, 1), dt.date(2010, 7, 1), 2010, "247.95", 181),
        # a three-month loan: 1 March to 1 June = 92 days → 3,000 × 0.05 × 92 / 365 = 37.808… → 37.81
        ("3000", dt.date(2009, 3, 1), dt.date(2009, 6, 1), 2009, "37.81", 92),
        # leap year 2008: 1 February to 1 March holds 29 days → 10,000 × 0.05 × 29 / 365 = 39.726… → 39.73
        ("10000", dt.date(2008, 2, 1), dt.date(2008, 3, 1), 2008, "39.73", 29),
        # a two-year loan drawn 1 January 2008 (leap): discounted for 365 days, to 30 December 2008 included
        ("10000", dt.date(2008, 1, 1), dt.date(2010, 1, 1), 2008, "500.00", 365),
        ("10000", dt.date(2008, 1, 1), dt.date(2010, 1, 1), 2009, "0.00", 0),
        # drawn 1 March 2011 for two years: 306 days of 2011, then 59 of 2012 (to 28 February included)
        ("20000", dt.date(2011, 3, 1), dt.date(2013, 3, 1), 2011, "838.36", 306),
        ("20000", dt.date(2011, 3, 1), dt.date(2013, 3, 1), 2012, "161.64", 59),
        # a year before it was drawn: nothing
        ("10000", dt.date(2009, 7, 1), dt.date(2010, 7, 1), 2008, "0.00", 0),
    ],
)
def test_hand_computed(principal, drawn, matures, year, expected, days):
    assert disc(principal, drawn, matures, year) == (Decimal(expected), days)


def test_hand_computed_cap_and_repayments():
    # 80,000 yuan for a year: 5 % on the 50,000 cap only → 2,500
    assert disc("80000", dt.date(2009, 1, 1), dt.date(2010, 1, 1), 2009, basis="50000") == (Decimal("2500.00"), 365)
    # 10,000 drawn 1 March, 4,000 repaid 31 March, the rest 30 April:
    # 30 days × 10,000 + 30 days × 6,000 = 480,000 yuan-days → × 0.05 / 365 = 65.753… → 65.75
    repay = [(dt.date(2009, 3, 31), "4000"), (dt.date(2009, 4, 30), "6000")]
    assert disc("10000", dt.date(2009, 3, 1), dt.date(2010, 3, 1), 2009, repayments=repay) == (Decimal("65.75"), 60)
    # the cap with a repayment: 60,000, cap 50,000; 20,000 repaid 2 July 2009 (182 days at 50,000,
    # then 183 days at 40,000): (9,100,000 + 7,320,000) × 0.05 / 365 = 2,249.315… → 2,249.32
    repay = [(dt.date(2009, 7, 2), "20000")]
    got = disc("60000", dt.date(2009, 1, 1), dt.date(2010, 1, 1), 2009, repayments=repay, basis="50000")
    assert got == (Decimal("2249.32"), 365)
    # enterprise rate 3 % on 1,000,000 for 100 days: 8,219.178… → 8,219.18
    drawn = dt.date(2009, 9, 23)
    assert disc("1000000", drawn, dt.date(2011, 9, 23), 2009, rate="3") == (Decimal("8219.18"), 100)


def test_household_bases_share_the_cap_in_order_of_drawing():
    bases = rules.household_bases(
        [
            ("B", dt.date(2009, 5, 1), Decimal("30000")),
            ("A", dt.date(2009, 3, 1), Decimal("40000")),
            ("C", dt.date(2009, 6, 1), Decimal("5000")),
        ]
    )
    assert bases == {"A": Decimal("40000"), "B": Decimal("10000"), "C": Decimal("0")}


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2020, 12, 31))
principals = st.integers(min_value=1, max_value=10_000_000).map(lambda fen: Decimal(fen) / 100)


@settings(max_examples=200, deadline=None)
@given(principal=principals, drawn=dates, term=st.integers(min_value=1, max_value=2000))
def test_a_loan_is_discounted_for_at_most_a_year_split_across_its_years(principal, drawn, term):
    matures = drawn + dt.timedelta(days=term)
    years = range(drawn.year, matures.year + 1)
    parts = [disc(principal, drawn, matures, y) for y in years]
    days = sum(d for _a, d in parts)
    assert days == min(term, 365)
    # the parts add up to the whole period's discount within the fen of rounding per year
    whole = principal * Decimal(5) * days / Decimal(36500)
    total = sum(a for a, _d in parts)
    assert abs(total - whole) <= Decimal("0.005") * len(parts) + Decimal("0.000001")
    # a year or more: exactly one year's discount, to the fen of rounding
    if term >= 365:
        assert abs(total - principal * Decimal("0.05")) <= Decimal("0.01") * len(parts)


@settings(max_examples=200, deadline=None)
@given(principal=principals, drawn=dates, term=st.integers(min_value=1, max_value=800), year=st.integers(2000, 2022))
def test_days_in_a_year_are_the_calendar_overlap(principal, drawn, term, year):
    matures = drawn + dt.timedelta(days=term)
    end = min(matures, drawn + dt.timedelta(days=365))
    lo, hi = max(drawn, dt.date(year, 1, 1)), min(end, dt.date(year + 1, 1, 1))
    expected = max((hi - lo).days, 0)
    amount, days = disc(principal, drawn, matures, year)
    assert days == expected
    assert days <= (366 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 365)
    assert amount == (principal * Decimal(5) * days / Decimal(36500)).quantize(
        Decimal("0.01"), rounding="ROUND_HALF_UP"
    )


@settings(max_examples=200, deadline=None)
@given(
    loans=st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=6),
    drawn=dates,
)
def test_the_household_cap_holds_for_any_loans(loans, drawn):
    items = [(f"L{i}", drawn + dt.timedelta(days=i), Decimal(p)) for i, p in enumerate(loans)]
    bases = rules.household_bases(items)
    assert sum(bases.values()) == min(sum(Decimal(p) for p in loans), rules.HOUSEHOLD_CAP)
    assert all(Decimal(0) <= bases[c] <= p for c, _d, p in items)
    year = drawn.year
    full = sum(disc(p, d, d + dt.timedelta(days=400), year, basis=bases[c])[0] for c, d, p in items)
    # never more than 5 % of 50,000 for the year (plus a fen of rounding per loan)
    assert full <= Decimal("2500") + Decimal("0.01") * len(items)


@settings(max_examples=100, deadline=None)
@given(principal=principals, drawn=dates, cut=st.integers(min_value=0, max_value=364), share=st.integers(1, 100))
def test_a_repayment_never_raises_the_discount(principal, drawn, cut, share):
    matures = drawn + dt.timedelta(days=365)
    paid = (principal * share / 100).quantize(Decimal("0.01"))
    on = drawn + dt.timedelta(days=cut)
    for year in (drawn.year, drawn.year + 1):
        without = disc(principal, drawn, matures, year)[0]
        with_ = disc(principal, drawn, matures, year, repayments=[(on, paid)])[0]
        assert with_ <= without
