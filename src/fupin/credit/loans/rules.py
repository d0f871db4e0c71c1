"""The rules of the discounted loans, each written once.

**The discount computation** (pure functions of dates and amounts, used by the services,
the importer, the demo and the tests):

- Day count: **actual/365 (fixed)**. A day of discount is worth ``rate / 365`` of the
  principal discounted on it, in every year, leap years included: a 29 February is a day
  like any other and a leap year simply has 366 possible days of discount.
- Days are counted from the drawn date (included) to the end of the discount period
  (excluded), as interest is: a loan drawn on 1 March and repaid on 31 March is
  outstanding 30 days.
- The discount period: a loan whose term is **a year or more is discounted for one year**,
  which under actual/365 is its first 365 days (so a loan drawn on 1 January 2008 for two
  years is discounted to 30 December 2008 included, the leap year's 366th day falling
  outside, and one drawn on 1 March 2011 to 28 February 2012 included); a shorter loan is
  discounted for its actual term.
- A day counts while the loan is outstanding: principal less the repayments made on or
  before that day (a repayment stops the interest from its own day). The discount of a
  year is that of the days of the period falling in the year: a loan across two years is
  discounted in each for its days in it, and never for more than 365 days in all.
- **Households**: 5 % a year (``HOUSEHOLD_RATE``) on **at most 50,000 yuan of principal per
  household and year** (``HOUSEHOLD_CAP``): the household's loans discounted in the year,
  in order of drawing (then contract number), each take what is left of the 50,000
  (``household_bases``), and a day's discounted principal is the smaller of the loan's
  outstanding principal and its share.
- **Enterprises and projects**: the pilot's rate (``DiscountPilot.rate``, by default
  ``DEFAULT_ENTERPRISE_RATE``) on the outstanding principal, without a cap.
- The amount is rounded to the fen, half up, once per loan and year.

**The refusals** are ``fupin.core.rules.Rule``: the service applies each to the one record
it writes, the importer to the whole file, with the same field and message
(``tests/credit/loans/test_parity.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.areacodes import significant_digits
from fupin.core.errors import OutOfScope
from fupin.core.rules import Rule, amount, given

CODE_MAX_LENGTH = 40
NAME_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 200

HOUSEHOLD_RATE = Decimal("5")  # % a year
HOUSEHOLD_CAP = Decimal("50000")  # yuan of principal per household and year
DEFAULT_ENTERPRISE_RATE = Decimal("3")  # % a year; the pilot's field (domain-rules.md §6: unverified)
DAYS_IN_YEAR = 365  # actual/365 fixed
DISCOUNT_PERIOD_DAYS = 365  # a loan of a year or more: one year of discount
PRINCIPAL_MAX = Decimal("10000000000")  # 10 billion yuan: guards against a typo in fen
CENT = Decimal("0.01")


# --- the computation ------------------------------------------------------------------------


def discount_period(drawn: dt.date, matures: dt.date) -> tuple[dt.date, dt.date]:
    """The days discounted, as [first, end): the whole term of a loan shorter than a year,
    else its first 365 days."""
    end = min(matures, drawn + dt.timedelta(days=DISCOUNT_PERIOD_DAYS))
    return drawn, max(end, drawn)


def _year_window(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def principal_days(
    *,
    principal: Decimal,
    drawn: dt.date,
    matures: dt.date,
    year: int,
    repayments: Iterable[tuple[dt.date, Decimal]] = (),
    basis: Decimal | None = None,
) -> tuple[Decimal, int]:
    """(Σ over the discounted days of the year of the principal discounted that day, the
    number of those days with principal outstanding). ``basis`` caps a day's principal."""
    start, end = discount_period(drawn, matures)
    first, stop = _year_window(year)
    lo, hi = max(start, first), min(end, stop)
    if hi <= lo:
        return Decimal("0"), 0
    cap = principal if basis is None else min(principal, basis)
    # a repayment on day x lowers the balance from x on
    changes = [(d, Decimal(a)) for d, a in repayments]
    balance = Decimal(principal) - sum((a for d, a in changes if d <= lo), Decimal("0"))
    total, days = Decimal("0"), 0
    cursor = lo
    for point in [*sorted({d for d, _a in changes if lo < d < hi}), hi]:
        discounted = min(max(balance, Decimal("0")), cap)
        n = (point - cursor).days
        if discounted > 0:
            total += discounted * n
            days += n
        cursor = point
        balance -= sum((a for d, a in changes if d == point), Decimal("0"))
    return total, days


def discount_amount(principal_day_sum: Decimal, rate: Decimal) -> Decimal:
    """The discount of Σ principal-days at ``rate`` % a year, actual/365, to the fen."""
    value = Decimal(principal_day_sum) * Decimal(rate) / Decimal(100 * DAYS_IN_YEAR)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def loan_discount(
    *,
    principal: Decimal,
    drawn: dt.date,
    matures: dt.date,
    year: int,
    rate: Decimal,
    repayments: Iterable[tuple[dt.date, Decimal]] = (),
    basis: Decimal | None = None,
) -> tuple[Decimal, int]:
    """(The discount of the loan for the year, the days discounted)."""
    sum_, days = principal_days(
        principal=principal, drawn=drawn, matures=matures, year=year, repayments=repayments, basis=basis
    )
    return discount_amount(sum_, rate), days


def discounted_in(drawn: dt.date, matures: dt.date, year: int) -> bool:
    """The loan's discount period has days in the year."""
    start, end = discount_period(drawn, matures)
    first, stop = _year_window(year)
    return max(start, first) < min(end, stop)


def household_bases(loans: Sequence[tuple[str, dt.date, Decimal]]) -> dict[str, Decimal]:
    """The principal of each of a household's loans discounted in one year that the cap
    leaves to it: (code, drawn, principal) in any order; taken in order of drawing, then
    code, each gets what is left of ``HOUSEHOLD_CAP``."""
    left = HOUSEHOLD_CAP
    out: dict[str, Decimal] = {}
    for code, _drawn, principal in sorted(loans, key=lambda t: (t[1], t[0])):
        take = min(Decimal(principal), left)
        out[code] = take
        left -= take
    return out


def pilot_holding(
    area_code: str, year: int, pilots: Iterable[tuple[Any, str, int, int, Decimal]]
) -> tuple[Any, str, int, int, Decimal] | None:
    """The pilot holding the area in the year, of (key, area code, first year, last year,
    rate): the narrowest area if several do."""
    found = [p for p in pilots if p[2] <= year <= p[3] and area_code.startswith(p[1][: significant_digits(p[1])])]
    return max(found, key=lambda p: significant_digits(p[1]), default=None)


def discount_due(
    *,
    kind: str,
    code: str,
    principal: Decimal,
    drawn: dt.date,
    matures: dt.date,
    year: int,
    repayments: Iterable[tuple[dt.date, Decimal]],
    siblings: Iterable[tuple[str, dt.date, Decimal, dt.date]],
    pilot_rate: Decimal | None,
) -> tuple[Decimal, int, Decimal, Decimal]:
    """(basis, days, rate, the discount allowed) of a loan for a year. ``siblings``: the
    household's loans (code, drawn, principal, matures), the loan itself among them or not;
    ``pilot_rate`` None: outside the pilot, nothing is allowed."""
    if kind == "household":
        rate = HOUSEHOLD_RATE
        shares = [(c, d, p) for c, d, p, m in siblings if c != code and discounted_in(d, m, year)]
        basis = household_bases([*shares, (code, drawn, principal)])[code]
    else:
        rate = pilot_rate if pilot_rate is not None else DEFAULT_ENTERPRISE_RATE
        basis = principal
    amount, days = loan_discount(
        principal=principal, drawn=drawn, matures=matures, year=year, rate=rate, repayments=repayments, basis=basis
    )
    return basis, days, rate, amount if pilot_rate is not None else Decimal("0.00")


def outstanding(principal: Decimal, repayments: Iterable[Decimal]) -> Decimal:
    return Decimal(principal) - sum((Decimal(a) for a in repayments), Decimal("0"))


# --- the refusals ----------------------------------------------------------------------------

LOAN_IN_SCOPE = Rule(
    "loan_out_of_scope",
    "area",
    _("This record is outside the areas you are responsible for."),
    # in_scope: whether the user's areas hold the borrower's area (resolved by the caller)
    lambda: ~pl.col("in_scope").cast(pl.Boolean),
    error=OutOfScope,
)

HOUSEHOLD_KNOWN = Rule(
    "household_unknown",
    "household",
    _("No household with this code is in the registry."),
    lambda: ~given("household_id"),
)

ENTERPRISE_KNOWN = Rule(
    "enterprise_unknown",
    "enterprise",
    _("No leading enterprise with this code is recorded."),
    lambda: ~given("enterprise_id"),
)

PROJECT_KNOWN = Rule(
    "project_unknown",
    "project",
    _("No project with this code is recorded."),
    lambda: ~given("project_id"),
)

LOAN_KNOWN = Rule(
    "loan_unknown",
    "loan",
    _("No discounted loan with this contract number is recorded."),
    lambda: ~given("loan_id"),
)

PILOT_AREA_LEVEL = Rule(
    "pilot_area_level",
    "area",
    _("A pilot is a county, a city or the province."),
    lambda: ~pl.col("area_level").is_in(["province", "city", "county"]),
)

PILOT_YEARS_ORDERED = Rule(
    "pilot_years",
    "last_year",
    _("The pilot's last year comes before its first."),
    lambda: pl.col("last_year").cast(pl.Int64, strict=False) < pl.col("first_year").cast(pl.Int64, strict=False),
)

PRINCIPAL_POSITIVE = Rule(
    "principal_not_positive",
    "principal",
    _("The principal must be more than zero."),
    lambda: amount("principal") <= 0,
)

PRINCIPAL_WITHIN_MAX = Rule(
    "principal_too_large",
    "principal",
    _("The principal is at most 10,000,000,000 yuan."),
    lambda: amount("principal") > float(PRINCIPAL_MAX),
)

RATE_RANGE = Rule(
    "rate_range",
    "rate",
    _("The annual interest rate is a percentage from 0 to 100."),
    lambda: (amount("rate") < 0) | (amount("rate") > 100),
)

LOAN_DATES_ORDERED = Rule(
    "loan_dates",
    "matures_on",
    _("The loan matures on or before the day it was drawn."),
    lambda: pl.col("matures_on") <= pl.col("drawn_on"),
)

REPAYMENT_POSITIVE = Rule(
    "repayment_not_positive",
    "amount",
    _("A repayment is more than zero."),
    lambda: amount("amount") <= 0,
)

REPAYMENT_BEFORE_DRAWN = Rule(
    "repayment_before_drawn",
    "paid_on",
    _("The repayment is dated before the loan was drawn (%(drawn_on)s)."),
    lambda: pl.col("paid_on") < pl.col("drawn_on"),
)

REPAYMENT_BEYOND_OUTSTANDING = Rule(
    "repayment_beyond_outstanding",
    "amount",
    _("The repayment is more than the %(outstanding)s yuan outstanding on the loan."),
    # outstanding: principal less the repayments already recorded (and those before it in the file)
    lambda: amount("amount") > amount("outstanding") + 0.001,
)

DISCOUNT_OUTSIDE_PILOT = Rule(
    "discount_outside_pilot",
    "loan",
    _("The loan is outside the loan discount pilot in %(year)s: no pilot area holds its borrower in that year."),
    # pilot: the id of the pilot holding the loan's area in the year (null: none)
    lambda: ~given("pilot"),
)

DISCOUNT_NOTHING_DUE = Rule(
    "discount_nothing_due",
    "year",
    _("No discount is due on the loan in %(year)s: it was not outstanding in its discount period that year."),
    lambda: amount("cap") <= 0,
)

DISCOUNT_BEYOND_CAP = Rule(
    "discount_beyond_cap",
    "amount",
    _(
        "The discount is more than the %(cap)s yuan the rule allows for the loan in %(year)s "
        "(5 %% a year on at most 50,000 yuan per household, or the pilot's rate, for the days outstanding)."
    ),
    lambda: amount("amount") > amount("cap") + 0.001,
)

DISCOUNT_TWICE = Rule(
    "discount_twice",
    "year",
    _("The loan's discount for %(year)s is already paid."),
    lambda: pl.col("paid").cast(pl.Boolean),
)

ENTRY_KNOWN = Rule(
    "entry_unknown",
    "entry",
    _("No disbursement with this number is in the funds ledger (nor in the package)."),
    lambda: ~given("entry_found"),
)

DISCOUNT_PROJECT_COUNTY = Rule(
    "discount_project_elsewhere",
    "project",
    _("Discounts are paid from a discount project of the loan's county."),
    lambda: pl.col("project_county") != pl.col("loan_county"),
)

RULES = [
    LOAN_IN_SCOPE,
    HOUSEHOLD_KNOWN,
    ENTERPRISE_KNOWN,
    PROJECT_KNOWN,
    LOAN_KNOWN,
    PILOT_AREA_LEVEL,
    PILOT_YEARS_ORDERED,
    PRINCIPAL_POSITIVE,
    PRINCIPAL_WITHIN_MAX,
    RATE_RANGE,
    LOAN_DATES_ORDERED,
    REPAYMENT_POSITIVE,
    REPAYMENT_BEFORE_DRAWN,
    REPAYMENT_BEYOND_OUTSTANDING,
    DISCOUNT_OUTSIDE_PILOT,
    DISCOUNT_NOTHING_DUE,
    DISCOUNT_BEYOND_CAP,
    DISCOUNT_TWICE,
    DISCOUNT_PROJECT_COUNTY,
    ENTRY_KNOWN,
]
