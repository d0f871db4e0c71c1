"""The rules of social and pairing assistance, each written once (``fupin.core.rules.Rule``):
the services check the one record they write, the importer a whole file, with the same
expression and message.

The reach of an assisting unit (where it may pair, give and build) follows from its level
and its own area:

    central organ, provincial organ   anywhere in the province
    city organ                        within its city
    county organ                      within its county
    enterprise, other organisation    anywhere in the province (they register in one area,
                                      but the units that help across the province, as in
                                      the seed, are not bound to it)
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.rules import Rule, amount, given, number, text

CODE_MAX_LENGTH = 32
NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 200
# the largest value or amount Fupin accepts: guards against a typo in fen
MONEY_MAX = 10_000_000_000
PEOPLE_MAX = 100_000

# the level of its own area by a unit's level (enterprises and others: any area)
UNIT_AREA_LEVELS: dict[str, tuple[str, ...]] = {
    "central": ("province",),
    "provincial": ("province",),
    "city": ("city",),
    "county": ("county",),
    "enterprise": ("province", "city", "county", "township", "village"),
    "other": ("province", "city", "county", "township", "village"),
}
# how many leading digits of the unit's area the places it reaches share
REACH_DIGITS: dict[str, int] = {"central": 2, "provincial": 2, "city": 4, "county": 6, "enterprise": 2, "other": 2}
PAIRED_LEVELS = ("county", "township", "village")


def reach_code(level: str, unit_area: str) -> str:
    """The 12-digit code of the area a unit reaches (its province, city or county)."""
    digits = REACH_DIGITS.get(level, 2)
    return unit_area[:digits] + "0" * (12 - digits)


def _reach_prefix() -> pl.Expr:
    level = text("level")
    unit_area = text("unit_area")
    expr = unit_area.str.slice(0, 2)
    for name, digits in REACH_DIGITS.items():
        expr = pl.when(level == name).then(unit_area.str.slice(0, digits)).otherwise(expr)
    return expr


def _area_fits_level() -> pl.Expr:
    fits = pl.lit(False)
    for name, levels in UNIT_AREA_LEVELS.items():
        fits = pl.when(text("level") == name).then(text("area_level").is_in(list(levels))).otherwise(fits)
    return fits


UNIT_AREA_LEVEL = Rule(
    "unit_area_level",
    "area",
    _(
        "The area of assisting unit %(code)s does not fit its level: a central or provincial organ's area is the "
        "province, a city organ's its city, a county organ's its county."
    ),
    # area_level: the level of the unit's area (null: no such area)
    lambda: ~_area_fits_level(),
)

PAIRING_AREA_LEVEL = Rule(
    "pairing_area_level",
    "area",
    _("A pairing is with a county, a township or a village; %(area)s is none of them."),
    lambda: ~text("area_level").is_in(list(PAIRED_LEVELS)),
)

REACH = Rule(
    "outside_reach",
    "area",
    _(
        "%(area)s is outside the reach of assisting unit %(unit)s: a city organ works only within its city, a "
        "county organ only within its county, other units within the province."
    ),
    # level and unit_area: the unit's level and own area; area: the place
    lambda: ~text("area").str.starts_with(_reach_prefix()),
)

PAIRING_YEARS = Rule(
    "pairing_years",
    "end_year",
    _("The pairing ends (%(end_year)s) before it starts (%(start_year)s)."),
    lambda: given("end_year") & (number("end_year") < number("start_year")),
)

CADRE_DATES = Rule(
    "cadre_dates",
    "end_date",
    _("The cadre's stay ends before it starts."),
    lambda: given("end_date") & (text("end_date") < text("start_date")),
)

VISIT_PEOPLE = Rule(
    "visit_people",
    "people",
    _("A visit is made by at least one person."),
    lambda: number("people") < 1,
)

CONTRIBUTION_VALUE_POSITIVE = Rule(
    "contribution_value",
    "value",
    _("The value of a contribution must be more than 0 yuan: a negative or zero value is refused."),
    lambda: amount("value") <= 0,
)

CONTRIBUTION_RECIPIENT = Rule(
    "contribution_recipient",
    "area",
    _("A contribution names its recipient: an area (county, township or village) or a programs project."),
    lambda: ~given("area") & ~given("project"),
)

STUDENT_IN_REGISTRY = Rule(
    "student_not_in_registry",
    "id_number",
    _("No person with ID number %(id_number)s is in the registry: an aided student is a registry person."),
    # person: the id of the registry person found for the row's ID number (null: none)
    lambda: pl.col("person").is_null(),
)

STUDENT_AMOUNT_POSITIVE = Rule(
    "student_amount",
    "amount",
    _("The aid to a student must be more than 0 yuan."),
    lambda: amount("amount") <= 0,
)

# --- import only -----------------------------------------------------------------------------------

CONTRIBUTION_RECORDED = Rule(
    "contribution_recorded",
    "number",
    _(
        "Contribution %(number)s is recorded already, with its receipt in the funds ledger: an import does not "
        "change it (correct it in the ledger by a reversing entry)."
    ),
    # recorded: the number is in the database with other values
    lambda: pl.col("recorded"),
)

CONTRIBUTION_ENTRY = Rule(
    "contribution_entry",
    "ledger_entry",
    _(
        "Ledger entry %(ledger_entry)s is not the receipt of contribution %(number)s: that is an appropriation of "
        "its social source and value at the recipient's county, not the receipt of another contribution."
    ),
    # entry_kind, entry_source, entry_amount, entry_area: the entry's (null: no such entry);
    # source: the contribution kind's social source; county: the recipient's county;
    # entry_taken: the entry is the receipt of another contribution
    lambda: (
        given("ledger_entry")
        & (
            (text("entry_kind") != "appropriation")
            | (text("entry_source") != text("source"))
            | (amount("entry_amount") != amount("value"))
            | (text("entry_area") != text("county"))
            | pl.col("entry_taken").fill_null(False)
        )
    ),
)

UNKNOWN_UNIT = Rule("unknown_unit", "unit", _("No assisting unit has the code %(unit)s."))

RULES = [
    UNIT_AREA_LEVEL,
    PAIRING_AREA_LEVEL,
    REACH,
    PAIRING_YEARS,
    CADRE_DATES,
    VISIT_PEOPLE,
    CONTRIBUTION_VALUE_POSITIVE,
    CONTRIBUTION_RECIPIENT,
    STUDENT_IN_REGISTRY,
    STUDENT_AMOUNT_POSITIVE,
]
