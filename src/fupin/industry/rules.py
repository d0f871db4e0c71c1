"""The rules of leading enterprises, each written once (``fupin.core.rules.Rule``): the
services check the one record they write, the importer a whole file, with the same
expression and message."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.rules import Rule, amount, given, text

NAME_MAX_LENGTH = 200
CODE_MAX_LENGTH = 32
PRODUCT_MAX_LENGTH = 100
UNIT_MAX_LENGTH = 16
# the largest monthly wage, area and money Fupin accepts: guards against a typo in fen
WAGE_MAX = 1_000_000
AREA_MAX_MU = 10_000_000
MONEY_MAX = 10_000_000_000
PRICE_MAX = 1_000_000_000
QUANTITY_MAX = 10_000_000_000
CENT = Decimal("0.01")

# GB 32100-2015, the unified social credit code (统一社会信用代码): 18 characters of the
# set below (the digits and the capitals less I, O, Z, S and V); the 18th is the check
# character of the first 17: C18 = 31 - (Σ Ci·Wi mod 31), with Wi = 3^(i-1) mod 31 and
# 31 written as 0.
USCC_LENGTH = 18
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(USCC_LENGTH - 1))
_VALUE = {char: index for index, char in enumerate(USCC_CHARSET)}


def uscc_check_character(first17: str) -> str:
    """The check character of the first 17 characters of a unified social credit code."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _uscc_valid(column: str) -> pl.Expr:
    code = text(column).str.to_uppercase()
    values = [
        code.str.slice(i, 1).replace_strict(_VALUE, default=None, return_dtype=pl.Int64) for i in range(USCC_LENGTH)
    ]
    total = pl.sum_horizontal([value * weight for value, weight in zip(values, USCC_WEIGHTS, strict=False)])
    check = (31 - total % 31) % 31
    well_formed = code.str.contains(f"^[{USCC_CHARSET}]{{{USCC_LENGTH}}}$")
    return well_formed & (values[USCC_LENGTH - 1] == check).fill_null(False)


USCC_FORMAT = Rule(
    "uscc_format",
    "code",
    _("A unified social credit code is 18 digits and capital letters (GB 32100; not I, O, Z, S or V)."),
    lambda: ~text("code").str.to_uppercase().str.contains(f"^[{USCC_CHARSET}]{{{USCC_LENGTH}}}$"),
)
USCC_CHECK = Rule(
    "uscc_check_character",
    "code",
    _("The check character (the 18th) of unified social credit code %(code)s is wrong (GB 32100)."),
    lambda: text("code").str.to_uppercase().str.contains(f"^[{USCC_CHARSET}]{{{USCC_LENGTH}}}$") & ~_uscc_valid("code"),
)


# --- employees ---------------------------------------------------------------------------------

PERSON_IN_REGISTRY = Rule(
    "employee_not_in_registry",
    "id_number",
    _("No person with ID number %(id_number)s is in the registry: register the household and its members first."),
    # person: the id of the registry person found for the row's ID number (null: none)
    lambda: pl.col("person").is_null(),
)

EMPLOYMENT_DATES = Rule(
    "employment_dates",
    "end_date",
    _("The employment ends before it starts."),
    lambda: given("end_date") & (text("end_date") < text("start_date")),
)

WAGE_NOT_NEGATIVE = Rule(
    "negative_wage",
    "monthly_wage",
    _("The monthly wage cannot be negative."),
    lambda: amount("monthly_wage") < 0,
)

# --- production bases ---------------------------------------------------------------------------

BASE_AREA_POSITIVE = Rule(
    "base_area",
    "area_mu",
    _("The area of production base %(code)s must be more than 0 mu."),
    lambda: amount("area_mu") <= 0,
)

BASE_VILLAGES_GIVEN = Rule(
    "base_villages",
    "villages",
    _("Production base %(code)s names no village: a base is set up in one or more villages."),
    lambda: text("villages").str.strip_chars() == "",
)

BASE_VILLAGE_LEVEL = Rule(
    "base_village_level",
    "villages",
    _("%(village)s is not the code of a village: a base is set up in villages."),
    # village_level: the level of the area of the code (null: no such area)
    lambda: pl.col("village_level").fill_null("") != "village",
)

BASE_HOUSEHOLD_IN_COUNTIES = Rule(
    "base_household_county",
    "household",
    _(
        "Household %(household)s lives in county %(household_county)s, outside the counties of the villages "
        "of production base %(base)s: a base links households of the counties it is set up in."
    ),
    # household_county: the county of the household's village; base_counties: the
    # counties of the base's villages, joined by ";"
    lambda: (
        ~text("base_counties").str.contains(text("household_county"), literal=True) | (text("household_county") == "")
    ),
)

# --- order contracts ----------------------------------------------------------------------------

CONTRACT_QUANTITY_POSITIVE = Rule(
    "contract_quantity",
    "quantity",
    _("The contracted quantity of order contract %(number)s must be more than 0."),
    lambda: amount("quantity") <= 0,
)

CONTRACT_DELIVERED_WITHIN = Rule(
    "contract_delivered",
    "delivered",
    _("Order contract %(number)s has more delivered than the contracted quantity."),
    lambda: amount("delivered") > amount("quantity"),
)

CONTRACT_NOT_NEGATIVE = Rule(
    "contract_negative",
    "agreed_price",
    _("Prices, quantities and amounts of an order contract cannot be negative."),
    lambda: (
        (amount("agreed_price") < 0)
        | (amount("inputs_on_credit") < 0)
        | (amount("delivered") < 0)
        | (amount("paid") < 0)
    ),
)

RULES = [
    USCC_FORMAT,
    USCC_CHECK,
    PERSON_IN_REGISTRY,
    EMPLOYMENT_DATES,
    WAGE_NOT_NEGATIVE,
    BASE_AREA_POSITIVE,
    BASE_VILLAGES_GIVEN,
    BASE_VILLAGE_LEVEL,
    BASE_HOUSEHOLD_IN_COUNTIES,
    CONTRACT_QUANTITY_POSITIVE,
    CONTRACT_DELIVERED_WITHIN,
    CONTRACT_NOT_NEGATIVE,
]


def amount_due(delivered: Any, price: Any, inputs_on_credit: Any) -> Decimal:
    """What a delivery is paid as agreed: the delivered quantity at the agreed price, less
    the inputs the enterprise supplied on credit (never below 0), in fen."""
    due = Decimal(str(delivered)) * Decimal(str(price)) - Decimal(str(inputs_on_credit))
    return max(due, Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)


def contract_complied(quantity: Any, delivered: Any, paid: Any, due: Any) -> bool:
    """A contract is complied with when the contracted quantity was delivered and the
    delivery paid as agreed."""
    return Decimal(str(delivered)) >= Decimal(str(quantity)) and Decimal(str(paid)) >= Decimal(str(due))


def compliance_rate(contracts: list[tuple[Any, Any, Any, Any]]) -> float | None:
    """The share (0 to 1) of contracts (quantity, delivered, paid, due) complied with; None
    for none."""
    if not contracts:
        return None
    return sum(1 for c in contracts if contract_complied(*c)) / len(contracts)
