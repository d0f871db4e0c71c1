"""The rules of the responsibility and assessment system, each written once
(``fupin.core.rules.Rule``): the services check the one record they write, the importer
(``accountability.exchange``) a whole file, with the same expression and message
(``tests/accountability/test_parity.py``).

Weights are checked as rows of (``indicator``, ``weight``): the service makes those rows
of the weights it is given, the importer of the ``weights`` column of each assessment
(``indicator=weight`` joined by ``;``)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.analytics.indicators import indicators
from fupin.core.rules import Rule, amount, given, text

NAME_MAX_LENGTH = 200
CODE_MAX_LENGTH = 32
KEY_MAX_LENGTH = 64
TEXT_MAX_LENGTH = 20_000
FILE_NAME_MAX_LENGTH = 200
INDICATOR_MAX_LENGTH = 64
FIGURE_DIGITS = 18
FIGURE_DECIMALS = 3
WEIGHT_DIGITS = 7
WEIGHT_DECIMALS = 2
WEIGHT_MAX = Decimal("10000")

# A target's achievement is actual / target, capped at this: a target met or exceeded
# scores the same (docs/accountability.md, "Scoring").
ACHIEVEMENT_CAP = Decimal("1")
# An assessment's total is normalised to this many points.
FULL_SCORE = Decimal("100")

# the levels of the tree that assess (the province its counties, a city its counties and departments)
ASSESSING_LEVELS = ("province", "city")


def known_indicators() -> list[str]:
    """The ids of the specification's indicators (``analytics/data/indicators.csv``)."""
    return list(indicators())


def _unknown_indicator() -> pl.Expr:
    return given("indicator") & ~text("indicator").is_in(known_indicators())


INDICATOR_KNOWN = Rule(
    "unknown_indicator",
    "indicator",
    _("Unknown indicator “%(indicator)s”: a target or a weight is set on an indicator of the specification."),
    _unknown_indicator,
)

# a target or an actual figure: digits, at most 15 before the point and 3 after it
FIGURE_FORM = r"^-?[0-9]{1,15}(\.[0-9]{1,3})?$"


def _not_a_figure(column: str) -> pl.Expr:
    return ~text(column).str.strip_chars().str.contains(FIGURE_FORM)


TARGET_POSITIVE = Rule(
    "target_not_positive",
    "value",
    _("A target is a number above 0, with at most 3 decimals."),
    lambda: _not_a_figure("value") | (amount("value") <= 0),
)

ACTUAL_ONLY_FOR_DEPARTMENTS = Rule(
    "actual_for_county",
    "actual",
    _(
        "A county's actual figure is computed by the indicator engine: an actual figure is entered only for a "
        "department."
    ),
    lambda: given("actual") & ~given("department"),
)

ACTUAL_NOT_NEGATIVE = Rule(
    "actual_negative",
    "actual",
    _("An actual figure is a number of 0 or more, with at most 3 decimals."),
    lambda: given("actual") & (_not_a_figure("actual") | (amount("actual") < 0)),
)

TARGET_AREA_LEVEL = Rule(
    "target_area_level",
    "area",
    _("A target is set for a county, or for a department of a city (give the city and the department)."),
    # area_level: the level of the area given; department: the department's name (or empty)
    lambda: (
        (given("department") & (text("area_level") != "city"))
        | (~given("department") & (text("area_level") != "county"))
    ),
)

ASSESSOR_LEVEL = Rule(
    "assessor_level",
    "area",
    _("An assessment is made by the province or by a city."),
    lambda: ~text("area_level").is_in(list(ASSESSING_LEVELS)),
)

WEIGHT_INDICATOR_KNOWN = Rule(
    "unknown_weight_indicator",
    "weights",
    _("Unknown indicator “%(indicator)s”: a target or a weight is set on an indicator of the specification."),
    _unknown_indicator,
)

WEIGHT_NUMBER = Rule(
    "weight_not_a_number",
    "weights",
    _("The weight of %(indicator)s is not a number."),
    lambda: amount("weight").is_null(),
)

WEIGHT_NOT_NEGATIVE = Rule(
    "weight_negative",
    "weights",
    _("The weight of %(indicator)s is negative: a weight is 0 or more."),
    lambda: amount("weight") < 0,
)

WEIGHT_TOO_LARGE = Rule(
    "weight_too_large",
    "weights",
    _("The weight of %(indicator)s is above %(maximum)s."),
    lambda: amount("weight") > float(WEIGHT_MAX),
)

# across the rows of one assessment's weights: ``all_zero``
WEIGHTS_NOT_ALL_ZERO = Rule(
    "weights_all_zero",
    "weights",
    _("All weights are zero (or none is given): give at least one indicator a weight above 0."),
)

WEIGHT_RULES = (WEIGHT_INDICATOR_KNOWN, WEIGHT_NUMBER, WEIGHT_NOT_NEGATIVE, WEIGHT_TOO_LARGE)


def all_zero(weights: pl.DataFrame, by: str) -> pl.DataFrame:
    """The groups (``by``) of weight rows none of which is above 0 (rows with no indicator
    count as none)."""
    positive = (amount("weight").fill_null(0) > 0) & given("indicator")
    return weights.group_by(by).agg(positive.any().alias("_any")).filter(~pl.col("_any")).select(by)


def weight_rows(text_value: str) -> list[tuple[str, str]]:
    """``indicator=weight;…`` as (indicator, weight) pairs (the importer's column)."""
    pairs = []
    for piece in (text_value or "").replace("\n", ";").split(";"):
        if not piece.strip():
            continue
        indicator, _sep, weight = piece.partition("=")
        pairs.append((indicator.strip(), weight.strip()))
    return pairs


# --- evidence files -------------------------------------------------------------------------------------

EVIDENCE_TYPE = Rule(
    "evidence_type",
    "file",
    _(
        "This file is not a PDF, PNG, JPEG, DOCX or XLSX document (its content was checked, not its name): "
        "it was refused."
    ),
)
EVIDENCE_SIZE = Rule(
    "evidence_size",
    "file",
    _("This file is %(size)s bytes, over the limit of %(limit)s bytes: it was refused."),
)
EVIDENCE_EMPTY = Rule("evidence_empty", "file", _("This file is empty."))

# --- typical models ---------------------------------------------------------------------------------------

MODEL_SUBJECT = Rule(
    "model_subject",
    "area",
    _(
        "A village model is a village and a county model a county; a household model names its household and "
        "an enterprise model its enterprise."
    ),
    # area_level: the level of the area given (empty: none)
    lambda: (
        ((text("kind") == "village") & (text("area_level") != "village"))
        | ((text("kind") == "county") & (text("area_level") != "county"))
        | ((text("kind") == "household") & ~given("household"))
        | ((text("kind") == "enterprise") & ~given("enterprise"))
    ),
)

FIGURE_FORMAT = Rule(
    "figure_format",
    "figures",
    _("Figures are written name=number, joined by ; (“%(figure)s” is not)."),
)


def figure_rows(text_value: str) -> list[tuple[str, str]]:
    """``name=number;…`` as (name, number) pairs."""
    return weight_rows(text_value)


# --- meetings ------------------------------------------------------------------------------------------------

PARTICIPANTS_POSITIVE = Rule(
    "participants_not_positive",
    "participants",
    _("A meeting has at least one participant."),
    lambda: amount("participants").is_null() | (amount("participants") < 1),
)
