"""The rules of the village mutual funds, each written once (``fupin.core.rules.Rule``).

The service applies a rule to the one record it writes (``rule.check(record=..., values=...)``);
the importer (``credit.mutual.exchange``) applies the very same expression to a whole file
(``rule.where()``, ``rule.reason()``). The rules that need the database are expressions over
columns the caller resolved: the service looks up one record, the importer joins the
package and the database (e.g. ``household_village``: the village of the member household;
``outstanding``: the principal still owed before the repayment).
``tests/credit/mutual/test_parity.py`` feeds each refusal through the service, the API and
the importer and expects the same field and message.

The balance sheet (``balance``) is the one formula the service, the pages, the snapshot's
indicator and the property tests share:

    cash = seed capital + member shares + fees − loans outstanding − write-offs − public-welfare spending
    total assets = cash + loans outstanding
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.rules import Rule, amount, number, text

CODE_MAX_LENGTH = 32
NAME_MAX_LENGTH = 200
PURPOSE_MAX_LENGTH = 200
MONEY_MAX = 100_000_000  # yuan: guards against a typo in fen
TERM_MAX = 120  # months
RATE_MAX = 100  # per cent
POOR_SHARE_WARNING = 50  # per cent: the organisation's households should be more than half poor
PLAN_RUNNING = ("in_progress", "accepted")

# --- the fund -------------------------------------------------------------------------------------

FUND_KEY_VILLAGE = Rule(
    "fund_not_key_village",
    "village",
    _("A village mutual fund is set up only in a key poverty-stricken village."),
    # village_key: the village's key_village flag
    lambda: ~text("village_key").str.to_lowercase().is_in(["1", "true"]),
)

FUND_VILLAGE_PLAN = Rule(
    "fund_village_plan",
    "village",
    _(
        "The village's entire village advancement plan is not running or completed: a mutual fund "
        "is set up only in a village carrying out or having completed entire village advancement."
    ),
    # plan_status: the status of the village's plan (null: no plan)
    lambda: ~text("plan_status").is_in(list(PLAN_RUNNING)),
)

FUND_ONE_PER_VILLAGE = Rule(
    "fund_exists_in_village",
    "village",
    _("The village already has a mutual fund (%(existing_fund)s): one fund per village."),
    # existing_fund: the code of another fund of the village (null: none)
    lambda: text("existing_fund") != "",
)

FUND_CLOSED_AFTER_ESTABLISHED = Rule(
    "fund_closed_before_established",
    "closed_on",
    _("The fund is closed before it was established."),
    lambda: pl.col("closed_on").is_not_null() & (text("closed_on") < text("established_on")),
)

FUND_CEILING_POSITIVE = Rule(
    "fund_ceiling",
    "loan_ceiling",
    _("The loan ceiling must be more than zero."),
    lambda: amount("loan_ceiling") <= 0,
)

FUND_TERM_POSITIVE = Rule(
    "fund_term",
    "longest_term",
    _("The longest term must be from 1 to 120 months."),
    lambda: (number("longest_term") < 1) | (number("longest_term") > TERM_MAX),
)

FUND_RATE_RANGE = Rule(
    "fund_fee_rate",
    "fee_rate",
    _("The occupancy fee rate must be from 0 to 100 per cent a year."),
    lambda: (amount("fee_rate") < 0) | (amount("fee_rate") > RATE_MAX),
)

FUND_WELFARE_RANGE = Rule(
    "fund_welfare_share",
    "welfare_share",
    _("The share of fees drawn for the public-welfare fund must be from 0 to 100 per cent."),
    lambda: (amount("welfare_share") < 0) | (amount("welfare_share") > RATE_MAX),
)

FUND_SHARE_VALUE = Rule(
    "fund_share_value",
    "share_value",
    _("The value of a share must be more than zero."),
    lambda: amount("share_value") <= 0,
)

# --- seed capital -----------------------------------------------------------------------------

SEED_POSITIVE = Rule(
    "seed_amount",
    "amount",
    _("The seed capital must be more than zero."),
    lambda: amount("amount") <= 0,
)

SEED_NOT_BEFORE_FUND = Rule(
    "seed_before_fund",
    "received_on",
    _("The seed capital is dated before the fund was established."),
    lambda: text("received_on") < text("established_on"),
)

SEED_FISCAL_PROJECT = Rule(
    "seed_fiscal_project",
    "project",
    _("Fiscal seed capital is paid from a county-level project of the funds ledger: name the project."),
    lambda: (text("kind") == "fiscal") & (text("project") == ""),
)

SEED_PROJECT_ONLY_FISCAL = Rule(
    "seed_project_not_fiscal",
    "project",
    _("Only fiscal seed capital is paid from a project of the ledger."),
    lambda: (text("kind") != "fiscal") & (text("project") != ""),
)

SEED_PROJECT_COUNTY = Rule(
    "seed_project_county",
    "project",
    _("The project paying fiscal seed capital must be a project of the fund's county, not of a village or a zone."),
    # project_area: the project's area code; project_zone: its zone code (empty: none)
    lambda: (text("kind") == "fiscal") & ((text("project_area") != text("fund_county")) | (text("project_zone") != "")),
)

# --- members --------------------------------------------------------------------------------------

MEMBER_OF_VILLAGE = Rule(
    "member_other_village",
    "household",
    _(
        "The household %(household)s lives in another village (%(household_village)s): the members of "
        "a mutual fund are households of the fund's village (%(fund_village)s)."
    ),
    lambda: text("household_village") != text("fund_village"),
)

MEMBER_ONCE = Rule(
    "member_twice",
    "household",
    _("The household %(household)s is already a member (of fund %(other_membership)s): one membership per household."),
    # other_membership: the code of the fund the household already belongs to (null: none)
    lambda: text("other_membership") != "",
)

MEMBER_SHARES = Rule(
    "member_shares",
    "shares",
    _("A member holds from 1 to 100 shares."),
    lambda: (number("shares") < 1) | (number("shares") > 100),
)

MEMBER_BASE_POOR = Rule(
    "member_base_not_poor",
    "base_paid_by_fund",
    _("The fund pays the base share of poor households only."),
    # household_status: the household's status
    lambda: text("base_paid_by_fund").str.to_lowercase().is_in(["1", "true"]) & (text("household_status") != "poor"),
)

MEMBER_NOT_BEFORE_FUND = Rule(
    "member_before_fund",
    "joined_on",
    _("The membership is dated before the fund was established."),
    lambda: text("joined_on") < text("established_on"),
)

OFFICER_OF_VILLAGE = Rule(
    "officer_other_village",
    "person",
    _("The council and the supervisors are people of the fund's village."),
    lambda: text("person_village") != text("fund_village"),
)

# --- loans ----------------------------------------------------------------------------------------

LOAN_MEMBER = Rule(
    "loan_not_member",
    "household",
    _("The household %(household)s is not a member of this fund: loans are made to members only."),
    # member_fund: the code of the fund the borrower is a member of
    lambda: text("member_fund") != text("fund"),
)

LOAN_POSITIVE = Rule(
    "loan_amount",
    "amount",
    _("The loan amount must be more than zero."),
    lambda: amount("amount") <= 0,
)

LOAN_CEILING = Rule(
    "loan_over_ceiling",
    "amount",
    _("The loan of %(amount)s yuan is over the fund's loan ceiling of %(loan_ceiling)s yuan."),
    lambda: amount("amount") > amount("loan_ceiling"),
)

LOAN_TERM = Rule(
    "loan_over_term",
    "term_months",
    _("The term of %(term_months)s months is longer than the fund's longest term of %(longest_term)s months."),
    lambda: (number("term_months") > number("longest_term")) | (number("term_months") < 1),
)

LOAN_RATE = Rule(
    "loan_fee_rate",
    "fee_rate",
    _("The occupancy fee rate must be from 0 to 100 per cent a year."),
    lambda: (amount("fee_rate") < 0) | (amount("fee_rate") > RATE_MAX),
)

LOAN_NOT_BEFORE_MEMBERSHIP = Rule(
    "loan_before_membership",
    "applied_on",
    _("The application is dated before the household joined the fund."),
    lambda: text("applied_on") < text("joined_on"),
)

LOAN_APPROVED_AFTER_APPLIED = Rule(
    "loan_approved_before_applied",
    "approved_on",
    _("The loan is approved before it was applied for."),
    lambda: (text("approved_on") != "") & (text("approved_on") < text("applied_on")),
)

LOAN_CASH = Rule(
    "loan_beyond_cash",
    "amount",
    _("The fund has only %(cash)s yuan in cash on that day: it cannot lend %(amount)s yuan."),
    lambda: amount("amount") > amount("cash"),
)

LOAN_NOT_PENDING = Rule(
    "loan_not_pending",
    "status",
    _("Only a pending application can be approved or rejected."),
    lambda: text("status") != "applied",
)

# --- repayments and write-offs -----------------------------------------------------------------

REPAYMENT_POSITIVE = Rule(
    "repayment_amount",
    "principal",
    _("A repayment repays some principal or pays a fee, and neither can be negative."),
    lambda: (amount("principal") < 0) | (amount("fee") < 0) | ((amount("principal") + amount("fee")) <= 0),
)

REPAYMENT_OUTSTANDING = Rule(
    "repayment_beyond_outstanding",
    "principal",
    _("The repayment of %(principal)s yuan is more than the %(outstanding)s yuan outstanding on loan %(loan)s."),
    # outstanding: the principal still owed before this repayment
    lambda: amount("principal") > amount("outstanding"),
)

REPAYMENT_LENT = Rule(
    "repayment_not_lent",
    "loan",
    _("Loan %(loan)s is not out: repayments are recorded for approved loans."),
    lambda: text("loan_status") != "approved",
)

REPAYMENT_NOT_BEFORE_LOAN = Rule(
    "repayment_before_loan",
    "paid_on",
    _("The repayment is dated before the loan was made."),
    lambda: text("paid_on") < text("approved_on"),
)

WRITE_OFF_OUTSTANDING = Rule(
    "write_off_nothing",
    "loan",
    _("Loan %(loan)s has nothing outstanding to write off."),
    lambda: (text("loan_status") != "approved") | (amount("outstanding") <= 0),
)

WRITE_OFF_NOT_BEFORE_LOAN = Rule(
    "write_off_before_loan",
    "written_off_on",
    _("The write-off is dated before the loan was made."),
    lambda: text("written_off_on") < text("approved_on"),
)

# --- public-welfare fund ------------------------------------------------------------------------

WELFARE_POSITIVE = Rule(
    "welfare_amount",
    "amount",
    _("The spending must be more than zero."),
    lambda: amount("amount") <= 0,
)

WELFARE_BEYOND_FUND = Rule(
    "welfare_beyond_fund",
    "amount",
    _("The public-welfare fund holds only %(welfare)s yuan on that day: it cannot spend %(amount)s yuan."),
    lambda: amount("amount") > amount("welfare"),
)

DATE_NOT_BEFORE_FUND = Rule(
    "before_fund",
    "date",
    _("The record is dated before the fund was established."),
    lambda: text("date") < text("established_on"),
)

DATE_NOT_AFTER_CLOSE = Rule(
    "after_close",
    "date",
    _("The fund was closed on %(closed_on)s: nothing is recorded after that."),
    lambda: (text("closed_on") != "") & (text("date") > text("closed_on")),
)

# --- import only ------------------------------------------------------------------------------

IMPORT_UNKNOWN_FUND = Rule(
    "import_unknown_fund",
    "fund",
    _("No mutual fund with the code “%(fund)s”: establish it first (in the database or the package's mutual_funds)."),
    lambda: text("fund_village") == "",
)

IMPORT_UNKNOWN_HOUSEHOLD = Rule(
    "import_unknown_household",
    "household",
    _("No household with the code “%(household)s” is in the registry."),
    lambda: text("household_village") == "",
)

IMPORT_UNKNOWN_LOAN = Rule(
    "import_unknown_loan",
    "loan",
    _("Fund %(fund)s has no loan numbered “%(loan)s”."),
    lambda: text("loan_status") == "",
)

IMPORT_SEED_ENTRY = Rule(
    "import_seed_entry",
    "entry",
    _("Fiscal seed capital is a disbursement of the funds ledger: give its entry (and only for fiscal seed)."),
    lambda: (text("kind") == "fiscal") != (text("entry") != ""),
)

IMPORT_UNKNOWN_PERSON = Rule(
    "import_unknown_person",
    "id_number",
    _("No person with this ID number is in the registry."),
    lambda: text("person_village") == "",
)

IMPORT_NO_CHANGE = Rule(
    "import_recorded",
    "fund",
    _("This record is already recorded with other values: change it through its page, not through an import."),
    # applied to the changed rows of a file: every one of them breaks it
    lambda: pl.lit(True),
)

RULES = [v for v in list(globals().values()) if isinstance(v, Rule)]


# --- the balance sheet ------------------------------------------------------------------------------

ZERO = Decimal("0.00")


def balance(
    *,
    seed_fiscal: Decimal = ZERO,
    seed_other: Decimal = ZERO,
    shares: Decimal = ZERO,
    fees: Decimal = ZERO,
    lent: Decimal = ZERO,
    repaid: Decimal = ZERO,
    written_off: Decimal = ZERO,
    welfare_spent: Decimal = ZERO,
    welfare_share: Decimal = ZERO,
) -> dict[str, Decimal]:
    """The fund's balance sheet from its sums (all at one date): ``lent`` the principal of
    the loans made, ``repaid`` the principal repaid, ``welfare_share`` the per cent of fees
    drawn for the public-welfare fund."""
    outstanding = lent - repaid - written_off
    seed = seed_fiscal + seed_other
    cash = seed + shares + fees - outstanding - written_off - welfare_spent
    welfare_drawn = (fees * welfare_share / 100).quantize(Decimal("0.01"))
    return {
        "seed_fiscal": seed_fiscal,
        "seed_other": seed_other,
        "seed": seed,
        "shares": shares,
        "fees": fees,
        "lent": lent,
        "repaid": repaid,
        "loans_outstanding": outstanding,
        "written_off": written_off,
        "welfare_drawn": welfare_drawn,
        "welfare_spent": welfare_spent,
        "welfare_balance": welfare_drawn - welfare_spent,
        "cash": cash,
        "total_assets": cash + outstanding,
        "retained": fees - written_off - welfare_spent,
    }


def poor_share(members: int, poor: int) -> float | None:
    """Per cent of the members that are poor households (None without members)."""
    return poor * 100.0 / members if members else None


def values(**named: Any) -> Mapping[str, Any]:
    """The values of one record for ``Rule.check`` (dates and decimals as text, as in a file)."""
    return {k: (None if v is None else (str(v) if not isinstance(v, bool) else v)) for k, v in named.items()}
