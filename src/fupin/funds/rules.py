"""The rules of the funds ledger, each written once (``fupin.core.rules.Rule``): the
services (``funds.services``) apply them to one entry, the importer (``funds.exchange``)
to a whole file of entries, with the same expression and the same message. An
expression reads the columns of ``fund_entries.csv`` (``kind``, ``amount``, ``area``,
``to_area``, ``project``, ``reverses``...); the service gives the one entry's values under
the same names. Who may appropriate what where is the table of ``funds.authority``.

The ledger's invariant, that a posting never overdraws the accounts it touches, is a
frame function (``overdrafts``): per account, in the order of the postings (date, then
line), after the balances already in the ledger. The service checks the one posting
against the locked accounts with ``check_overdraft``; both word it with ``OVERDRAWN``.
``tests/funds/test_parity.py`` feeds every refusal of the services through the importer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Conflict, InvalidInput
from fupin.core.rules import Rule, amount, given, number, text, within
from fupin.funds.choices import EntryKind

# an entry of fund year Y is dated in Y-1 (funds announced in advance) or later: funds are
# carried over, and a year's entries may be recorded long after (from paper ledgers)
YEAR_DATE_BEFORE = 1

_appropriation = text("kind") == str(EntryKind.APPROPRIATION)
_allocation = text("kind") == str(EntryKind.ALLOCATION)
_disbursement = text("kind") == str(EntryKind.DISBURSEMENT)
_reversal = given("reverses")


class Overdrawn(InvalidInput):
    code = "overdrawn"


# --- one entry --------------------------------------------------------------------------------

AMOUNT_POSITIVE = Rule(
    "amount_not_positive",
    "amount",
    _("An amount greater than zero."),
    lambda: ~_reversal & (amount("amount") <= 0),
)
# first: the earliest year the entry may be dated in (``entry_date_first``)
ENTRY_DATE = Rule(
    "entry_date_before_year",
    "date",
    _("An entry of fund year %(year)s is dated in %(first)s or later."),
    lambda: text("date").str.slice(0, 4).cast(pl.Int64, strict=False) < number("year") - YEAR_DATE_BEFORE,
)


def entry_date_first() -> pl.Expr:
    return number("year") - YEAR_DATE_BEFORE


# first_allocation: the date of the project's first allocation of the source and year
DISBURSED_AFTER_ALLOCATION = Rule(
    "disbursed_before_allocation",
    "date",
    _("A disbursement cannot be dated before the project's first allocation (%(first_allocation)s)."),
    lambda: (
        _disbursement & (amount("amount") > 0) & given("first_allocation") & (text("date") < text("first_allocation"))
    ),
)
APPROPRIATE_ONE_PLACE = Rule("appropriation_place", "area", _("Appropriate to an area or to a project."))
ALLOCATE_ONE_TARGET = Rule(
    "allocation_target",
    "to_area",
    _("Allocate to an area or to a project."),
    lambda: _allocation & (given("to_area") == given("project")),
)
ALLOCATE_BELOW = Rule(
    "allocation_not_below",
    "to_area",
    _("%(to_area)s is not an area below %(area)s."),
    lambda: _allocation & given("to_area") & ((text("to_area") == text("area")) | ~within("to_area", "area")),
)
# project_area: the project's area
ALLOCATE_PROJECT_IN = Rule(
    "allocation_project_outside",
    "project",
    _("Project %(project)s is not in %(area)s."),
    lambda: _allocation & given("project_area") & ~within("project_area", "area"),
)
# what a file states that the services derive: the targets of each kind
APPROPRIATION_NO_TO_AREA = Rule(
    "appropriation_to_area",
    "to_area",
    _("an appropriation reaches its area only: leave to_area empty"),
    lambda: _appropriation & given("to_area"),
)
APPROPRIATION_PROJECT_AREA = Rule(
    "appropriation_project_area",
    "area",
    _("an appropriation at a project has its project's area (%(project_area)s)"),
    lambda: _appropriation & given("project_area") & (text("area") != text("project_area")),
)
DISBURSEMENT_PROJECT = Rule(
    "disbursement_without_project",
    "project",
    _("a disbursement is made by a project: give its code"),
    lambda: _disbursement & ~given("project"),
)
DISBURSEMENT_NO_TO_AREA = Rule(
    "disbursement_to_area",
    "to_area",
    _("a disbursement goes to no area: leave to_area empty"),
    lambda: _disbursement & given("to_area"),
)
DISBURSEMENT_AREA = Rule(
    "disbursement_area",
    "area",
    _("a disbursement's area is its project's area (%(project_area)s)"),
    lambda: _disbursement & given("project_area") & (text("area") != text("project_area")),
)
DISBURSEMENTS_ONLY = Rule(
    "disbursements_only",
    "kind",
    _("your role may record disbursements only; appropriations and allocations need a county office"),
    lambda: ~_disbursement,
)
# value__db: the entry's value in the ledger ("-" for none); the field is the column
NEVER_CHANGED = Rule(
    "entry_changed",
    "",
    _("entry %(number)s is in the ledger with “%(value__db)s” here: entries are never changed; post a reversing entry"),
)

# --- reversals --------------------------------------------------------------------------------

REVERSAL_REASON = Rule("reversal_reason", "reason", _("Give a reason for the correction."))
REVERSAL_OF_REVERSAL = Rule("reversal_reversed", "reverses", _("A reversing entry cannot itself be reversed."))
# by: the entry that reversed it
ALREADY_REVERSED = Rule(
    "already_reversed", "reverses", _("Entry %(reverses)s has already been reversed by entry %(by)s."), error=Conflict
)
REVERSAL_NEGATIVE = Rule(
    "reversal_positive",
    "amount",
    _("a reversing entry has the negative amount of the entry it reverses"),
    lambda: _reversal & (amount("amount") > 0),
)
REVERSED_MISSING = Rule(
    "reversed_missing", "reverses", _("entry “%(reverses)s” is neither in the package nor in the ledger")
)
# value__orig: the reversed entry's value of the column, the field
REVERSAL_REPEATS = Rule(
    "reversal_differs", "", _("a reversal repeats the entry it reverses, which has “%(value__orig)s” here")
)
REVERSAL_OPPOSITE = Rule(
    "reversal_amount",
    "amount",
    _("a reversal's amount is the opposite of the reversed entry's: -%(amount__orig)s"),
    lambda: amount("amount") + amount("amount__orig") != 0,
)
REVERSAL_AFTER = Rule(
    "reversal_before_entry",
    "date",
    _("a reversal cannot come before the entry it reverses (%(date__orig)s)"),
    lambda: text("date") < text("date__orig"),
)
# first: the line of the first reversal of the same entry
REVERSED_TWICE = Rule(
    "reversed_twice", "reverses", _("entry %(reverses)s is reversed twice in the package: first on line %(first)s")
)

# --- the ledger's invariant: a posting never overdraws ------------------------------------------

# what: which posting takes the money (OVERDRAFT_WHAT); amount asked, amount available
OVERDRAWN = Rule("overdrawn", "amount", _("%(what)s: %(amount)s yuan asked, %(available)s yuan available."))

# a posting's part at one account (kind:side) -> what it does when that account lacks the money
OVERDRAFT_WHAT = {
    "appropriation:area": _("Reversing more than the area has not yet allocated"),
    "appropriation:project": _("Reversing more than the project has not yet disbursed"),
    "allocation:from": _("Allocation beyond what the area received and has not allocated"),
    "allocation:to": _("The receiver has already allocated or disbursed these funds"),
    "disbursement:project": _("Disbursement beyond what was allocated to the project"),
}


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def overdraft_refusal(part: str, *, available: Decimal, asked: Decimal, record: str | None) -> Overdrawn:
    return Overdrawn(
        OVERDRAWN.text(what=OVERDRAFT_WHAT[part], amount=_yuan(asked), available=_yuan(available)),
        field=OVERDRAWN.field,
        record=record,
        extra={"available": str(available), "requested": str(asked)},
    )


def check_overdraft(part: str, *, available: Decimal, asked: Decimal, record: str | None) -> None:
    """One posting takes ``asked`` from an account holding ``available``."""
    if asked > 0 and asked > available:
        raise overdraft_refusal(part, available=available, asked=asked, record=record)


ACCOUNT = ["node", "code", "source", "year"]
SUMS = ["received", "allocated", "disbursed"]


def overdrafts(deltas: pl.DataFrame, balances: pl.DataFrame) -> pl.DataFrame:
    """The postings that would overdraw an account, for a whole file at once.

    ``deltas``: one row per posting and account it touches (``ACCOUNT``, ``_line``,
    ``date``, ``part`` and what it adds to ``SUMS``); ``balances``: the accounts as they are
    (``ACCOUNT`` and ``SUMS``). Each account's postings are applied in order (date, then
    line) to its balance; the first that leaves it with more allocated and disbursed than
    received is refused (later ones follow from it), with ``asked`` and ``available``.
    Within a day, what an account receives comes before what it gives (an export lists a
    day's entries by number, not in the order they were posted)."""
    change = pl.col("received") - pl.col("allocated") - pl.col("disbursed")
    start = balances.select(*ACCOUNT, change.alias("_start"))
    rows = (
        deltas.with_columns(change.alias("_change"))
        .join(start, on=ACCOUNT, how="left")
        .with_columns((pl.col("_change") < 0).alias("_takes"))
        .sort("date", "_takes", "_line")
        .with_columns(
            (pl.col("_start").fill_null(0) + pl.col("_change").cum_sum().over(ACCOUNT)).alias("_after"),
        )
        .with_columns((pl.col("_after") - pl.col("_change")).alias("available"), (-pl.col("_change")).alias("asked"))
    )
    short = rows.filter(pl.col("_takes") & (pl.col("_after") < 0))
    return (
        short.sort("date", "_takes", "_line")
        .group_by(ACCOUNT, maintain_order=True)
        .first()
        .select("_line", "part", "asked", "available")
        .sort("_line")
    )


def overdraft_reasons(refused: pl.DataFrame) -> list[tuple[int, str]]:
    """(line, message) of each refused posting of ``overdrafts``."""
    return [
        (line, OVERDRAWN.text(what=OVERDRAFT_WHAT[part], amount=_yuan(asked), available=_yuan(available)))
        for line, part, asked, available in refused.iter_rows()
    ]


# the writer checks the invariant again on the locked accounts (the ledger may have moved
# since the plan was made)
AREA_SHORT = Rule(
    "area_short",
    "amount",
    _(
        "after this import area %(code)s would have allocated %(allocated)s yuan of %(source)s funds of "
        "%(year)s but received only %(received)s"
    ),
)
PROJECT_SHORT = Rule(
    "project_short",
    "amount",
    _(
        "after this import project %(code)s would have disbursed %(disbursed)s yuan of %(source)s funds of "
        "%(year)s but received only %(received)s"
    ),
)
LEDGER_MOVED = Rule("ledger_moved", "", _("the ledger changed while the import ran: import the package again"))


def shortfall_reason(node: str, code: str, source: str, year: str, sums: dict[str, Decimal]) -> str:
    values = {"code": code, "source": source, "year": year, **{k: _yuan(v) for k, v in sums.items()}}
    return (AREA_SHORT if node == "area" else PROJECT_SHORT).text(**values)


# --- the one-entry checks the services call ---------------------------------------------------


def check_entry_date(year: int, on: dt.date, *, record: str | None) -> dt.date:
    """The entry's date agrees with its fund year."""
    ENTRY_DATE.check(record=record, values={"year": year, "date": on}, first=year - YEAR_DATE_BEFORE)
    return on
