"""The rules of land transfer, each written once (``fupin.core.rules.Rule``).

Each rule is a Polars expression over the columns of the exchange files
(``land_contracts.csv``, ``land_transferors.csv``) and of the few columns the caller
resolves from the database (the village of a household, the level of an area): the
service evaluates it on the one record it writes, the importer on the whole package
(``tests/land/test_parity.py`` feeds every refusal through the service, the API and the
import and expects the same field and message).

Two settings (``docs/land.md``):

- ``FUPIN_LAND_SECOND_ROUND_END`` (default ``2027-12-31``): the end of the household land
  contracts of the second round (30 years from 1997/98). A transfer may not run beyond the
  remaining term of the household's contract (依法、自愿、有偿; domain-rules.md §8); no
  source in domain-rules or DESIGN names the date, so the default is the end of the
  30-year second round begun in 1997/98.
- ``FUPIN_LAND_LARGE_SCALE_MU`` (default 50): the least area (mu) of a contract counted as
  large-scale operation (规模经营): the national statistics' class of households operating
  50 mu or more; no provincial threshold was found.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import OutOfScope
from fupin.core.rules import Rule, amount, given, number, text

NUMBER_MAX_LENGTH = 40
NAME_MAX_LENGTH = 200
TERMS_MAX_LENGTH = 200
REASON_MAX_LENGTH = 300
# a household's transferred land: at most this many mu (a guard against a typo; the demo's
# households at small scales carry the province's whole transferred area between them)
AREA_MAX = Decimal("1000000")
RENT_MAX = Decimal("100000")  # yuan per mu and year
TERM_MAX = 99

SECOND_ROUND_END = dt.date(2027, 12, 31)
LARGE_SCALE_MU = Decimal("50")


def second_round_end() -> dt.date:
    """The end of the second-round household land contracts (the setting, or its default)."""
    value = getattr(settings, "FUPIN_LAND_SECOND_ROUND_END", SECOND_ROUND_END)
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def large_scale_mu() -> Decimal:
    """The least area of a large-scale operation contract (the setting, or its default)."""
    return Decimal(str(getattr(settings, "FUPIN_LAND_LARGE_SCALE_MU", LARGE_SCALE_MU)))


def _date(column: str) -> pl.Expr:
    return text(column).str.to_date(strict=False)


def ends() -> pl.Expr:
    """The contract's last day: ``term_years`` years from ``start_date``, less a day (a
    start on 29 February ends on 27 February of a common year)."""
    years = number("term_years")
    return _date("start_date").dt.offset_by(pl.format("{}y", years)) - pl.duration(days=1)


def contract_end(start: dt.date, term_years: int) -> dt.date:
    """``ends()`` of one contract (the services store it as ``end_date``)."""
    row = pl.DataFrame({"start_date": [start.isoformat()], "term_years": [term_years]})
    return row.select(ends()).item()


# --- where the contract lies -------------------------------------------------------------------

CONTRACT_IN_SCOPE = Rule(
    "contract_out_of_scope",
    "village",
    _("This record is outside the areas you are responsible for."),
    error=OutOfScope,
)

VILLAGE_LEVEL = Rule(
    "contract_village_level",
    "village",
    _("A land transfer contract is made in a village: give the village's 12-digit code."),
    # village_level: the level of the area of the code given (null: no such area)
    lambda: text("village_level") != "village",
)

# --- the transferee ----------------------------------------------------------------------------

TRANSFEREE_ENTERPRISE = Rule(
    "transferee_enterprise",
    "transferee_enterprise",
    _("The transferee is a leading enterprise: give its unified social credit code."),
    # enterprise_found: the enterprise of the code (null: none given or unknown)
    lambda: (text("transferee_kind") == "enterprise") & (text("enterprise_found") == ""),
)

TRANSFEREE_HOUSEHOLD = Rule(
    "transferee_household",
    "transferee_household",
    _("The transferee is a large household: give its household code in the registry."),
    lambda: (text("transferee_kind") == "large_household") & (text("household_found") == ""),
)

TRANSFEREE_NAME = Rule(
    "transferee_name",
    "transferee_name",
    _("Name the cooperative or other party that takes the land over."),
    lambda: text("transferee_kind").is_in(["cooperative", "other"]) & (text("transferee_name").str.strip_chars() == ""),
)

TRANSFEREE_NOT_TRANSFEROR = Rule(
    "transferee_is_transferor",
    "transferee_household",
    _("The large household that takes the land over is not one of its transferors."),
    # transferee_household, household: codes of the transferee and of a transferor
    lambda: (text("transferee_kind") == "large_household") & (text("transferee_household") == text("household")),
)

# --- term and payment ----------------------------------------------------------------------------

TERM_POSITIVE = Rule(
    "term_not_positive",
    "term_years",
    _("The term is a whole number of years, at least 1."),
    lambda: number("term_years").fill_null(0) < 1,
)

TERM_WITHIN_CONTRACT = Rule(
    "term_beyond_contract",
    "term_years",
    _(
        "The term runs beyond the remaining term of the household land contract, which ends on %(limit)s: "
        "a transfer may not outlast it."
    ),
    # limit: the last day of the household contracts (second_round_end())
    lambda: ends() > _date("limit"),
)

RENT_GIVEN = Rule(
    "rent_missing",
    "rent_per_mu",
    _("A contract paying rent gives the rent per mu and year, more than zero."),
    lambda: (text("payment") == "rent") & ~(amount("rent_per_mu").fill_null(0) > 0),
)

NO_RENT_WITH_DIVIDEND = Rule(
    "rent_with_dividend",
    "rent_per_mu",
    _("A contract paying a dividend has no rent per mu: describe the dividend in its terms."),
    lambda: (text("payment") == "dividend") & given("rent_per_mu"),
)

# --- the transferors ------------------------------------------------------------------------------

TRANSFEROR_IN_REGISTRY = Rule(
    "transferor_not_in_registry",
    "household",
    _("No household with this code is in the registry."),
    # household_village: the village of the household of the code (null: none)
    lambda: text("household_village") == "",
)

TRANSFEROR_OF_VILLAGE = Rule(
    "transferor_other_village",
    "household",
    _("The household %(household)s lives in another village (%(household_village)s), not in the contract's village."),
    # contract_village: the contract's village
    lambda: (text("household_village") != "") & (text("household_village") != text("contract_village")),
)

TRANSFEROR_ONCE = Rule(
    "transferor_twice",
    "household",
    _("The household %(household)s is a transferor of this contract already."),
    # repeated: the household appears before in the same contract
    lambda: pl.col("repeated").fill_null(False),
)

AREA_POSITIVE = Rule(
    "area_not_positive",
    "area_mu",
    _("The area transferred is more than zero mu."),
    lambda: ~(amount("area_mu").fill_null(0) > 0),
)

AREA_WITHIN_MAX = Rule(
    "area_too_large",
    "area_mu",
    _("At most %(max)s mu for one household: check the unit (mu, not square metres)."),
    lambda: amount("area_mu") > float(AREA_MAX),
)

TRANSFERORS_GIVEN = Rule(
    "no_transferors",
    "household",
    _("A contract names at least one transferor household."),
    # transferors: the number of transferor rows of the contract
    lambda: number("transferors").fill_null(0) < 1,
)

# --- ending a contract --------------------------------------------------------------------------------

TERMINATION_WITHIN_TERM = Rule(
    "termination_outside_term",
    "terminated_on",
    _("A contract is terminated between its first and its last day (%(start_date)s to %(end_date)s)."),
    lambda: (
        given("terminated_on")
        & ((_date("terminated_on") < _date("start_date")) | (_date("terminated_on") > _date("end_date")))
    ),
)

# every rule, for the docs and the parity test
RULES = [
    CONTRACT_IN_SCOPE,
    VILLAGE_LEVEL,
    TRANSFEREE_ENTERPRISE,
    TRANSFEREE_HOUSEHOLD,
    TRANSFEREE_NAME,
    TRANSFEREE_NOT_TRANSFEROR,
    TERM_POSITIVE,
    TERM_WITHIN_CONTRACT,
    RENT_GIVEN,
    NO_RENT_WITH_DIVIDEND,
    TRANSFEROR_IN_REGISTRY,
    TRANSFEROR_OF_VILLAGE,
    TRANSFEROR_ONCE,
    AREA_POSITIVE,
    AREA_WITHIN_MAX,
    TRANSFERORS_GIVEN,
    TERMINATION_WITHIN_TERM,
]


def is_large_scale(area_mu: Any) -> bool:
    return Decimal(str(area_mu)) >= large_scale_mu()


# --- what an import may not change -------------------------------------------------------------------

CONTRACT_FIXED = Rule(
    "contract_fixed",
    "number",
    _("Of a recorded land transfer contract only its termination can change; record a new contract instead."),
)
RULES.append(CONTRACT_FIXED)
