"""The rules of Rain Plan training, each written once.

A ``Rule`` is a Polars expression that is true for the rows that break it, over named
columns, with the field it blames and its message. The importer (``training.exchange``)
applies it to a whole package at once (``rule.violations(frame)``); the services apply the
very same expression to the one record they write (``rule.check(record=..., **values)``
evaluates it on a one-row frame), so a rule cannot say one thing to a clerk and another to
an import. ``tests/training/test_parity.py`` feeds every refusal of the services through the
importer and expects the same field and reason.

The rules that need the database (a trainee is a person of the registry, a completion is
for an enrolled person, a class lies in the user's areas) are expressions over the columns
the caller resolved: the service resolves one record, the importer joins the package."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import ApplicationError, InvalidInput, OutOfScope

# lengths of the columns (the models and the exchange columns read them from here)
CODE_MAX_LENGTH = 32
NAME_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 64
CERTIFICATE_MAX_LENGTH = 40
# hours of one class: at most a year of full-time vocational education
HOURS_MAX = 2_000
# the largest monthly wage and subsidy Fupin accepts (yuan): guards against a typo in fen
WAGE_MAX = 1_000_000
SUBSIDY_MAX = 100_000


@dataclass(frozen=True)
class Rule:
    """``refused(**params)`` is true where a row breaks the rule."""

    code: str
    field: str
    message: Promise | str
    refused: Callable[..., pl.Expr]
    error: type[ApplicationError] = InvalidInput

    def reason(self) -> str:
        return str(self.message)

    def expr(self, **params: Any) -> pl.Expr:
        return self.refused(**params).fill_null(False)

    def violations(self, frame: pl.DataFrame, **params: Any) -> pl.DataFrame:
        """The rows of ``frame`` that break the rule."""
        return frame.filter(self.expr(**params))

    def broken(self, values: dict[str, Any], **params: Any) -> bool:
        row = pl.DataFrame({name: [value] for name, value in values.items()}, strict=False)
        return bool(row.select(self.expr(**params)).item())

    def check(self, *, record: str | None, params: dict[str, Any] | None = None, **values: Any) -> None:
        """Raise the rule's error naming ``record`` and the field if the record breaks it."""
        if self.broken(values, **(params or {})):
            raise self.refusal(record)

    def refusal(self, record: str | None) -> ApplicationError:
        return self.error(self.reason(), field=self.field, record=record)


def _number(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64, strict=False)


def _in_ranges(column: str, ranges: Sequence[tuple[str, str]] | None) -> pl.Expr:
    if ranges is None:  # everything
        return pl.lit(True)
    expr = pl.lit(False)
    for lo, hi in ranges:
        expr = expr | ((pl.col(column) >= lo) & (pl.col(column) <= hi))
    return expr


# --- the records a row refers to ------------------------------------------------------------

TRAINEE_IN_REGISTRY = Rule(
    "trainee_not_in_registry",
    "id_number",
    _("No person with this ID number is in the registry: register the household and its members first."),
    # person: the id of the registry person found for the row's ID number (null: none)
    lambda: pl.col("person").is_null(),
)

COMPLETION_NEEDS_ENROLMENT = Rule(
    "not_enrolled",
    "id_number",
    _("This person is not enrolled in the class: enrol them before recording completion."),
    # enrolment_status: the status of the person's enrolment in the class (null: none)
    lambda: pl.col("enrolment_status").is_null() | (pl.col("enrolment_status") == "dropped"),
)

TRANSFER_NEEDS_ENROLMENT = Rule(
    "transfer_not_enrolled",
    "id_number",
    _("This person is not a trainee of the class: a transfer is recorded for a trainee of a class."),
    lambda: pl.col("enrolment_status").is_null(),
)

CLASS_IN_SCOPE = Rule(
    "class_out_of_scope",
    "area",
    _("This record is outside the areas you are responsible for."),
    # area_code: the code of the area the class is held in; ranges: the user's scope
    lambda ranges=None: ~_in_ranges("area_code", ranges),
    error=OutOfScope,
)

# --- one record's values ----------------------------------------------------------------------

CLASS_DATES_ORDERED = Rule(
    "class_dates",
    "end_date",
    _("The class's last day comes before its first."),
    lambda: pl.col("end_date") < pl.col("start_date"),
)

CLASS_BASE_OR_ORGANISER = Rule(
    "class_held_by",
    "organiser",
    _("A class is held by a training base or names its organiser."),
    lambda: pl.col("base").is_null() & (pl.col("organiser").fill_null("").str.strip_chars() == ""),
)

ENROLMENT_NOT_AFTER_CLASS = Rule(
    "enrolled_after_class",
    "enrolled_on",
    _("The enrolment is dated after the class's last day."),
    lambda: pl.col("enrolled_on") > pl.col("class_end"),
)

COMPLETION_NOT_BEFORE_CLASS = Rule(
    "completed_before_class",
    "completed_on",
    _("The completion is dated before the class's first day."),
    lambda: pl.col("completed_on") < pl.col("class_start"),
)

HOURS_WITHIN_CLASS = Rule(
    "hours_beyond_class",
    "hours_attended",
    _("More hours attended than the class has."),
    lambda: _number("hours_attended") > _number("class_hours"),
)

TRANSFER_AFTER_CLASS = Rule(
    "transfer_before_class_end",
    "start_date",
    _("The transfer is dated before the class ended: a transfer to employment follows the training."),
    lambda: pl.col("start_date") < pl.col("class_end"),
)

WAGE_NOT_NEGATIVE = Rule(
    "negative_wage",
    "monthly_wage",
    _("The monthly wage cannot be negative."),
    lambda: _number("monthly_wage") < 0,
)

TARGET_AREA = Rule(
    "target_area_level",
    "area",
    _("Targets are set for a county or for the province."),
    lambda: ~pl.col("area_level").is_in(["county", "province"]),
)

# every rule, for the docs and the parity test
RULES = [
    TRAINEE_IN_REGISTRY,
    COMPLETION_NEEDS_ENROLMENT,
    TRANSFER_NEEDS_ENROLMENT,
    CLASS_IN_SCOPE,
    CLASS_DATES_ORDERED,
    CLASS_BASE_OR_ORGANISER,
    ENROLMENT_NOT_AFTER_CLASS,
    COMPLETION_NOT_BEFORE_CLASS,
    HOURS_WITHIN_CLASS,
    TRANSFER_AFTER_CLASS,
    WAGE_NOT_NEGATIVE,
    TARGET_AREA,
]


# --- the allocation of next year's training funds ------------------------------------------------


def transfer_rate(trained: int, transferred: int) -> float:
    """Transferred per trained (0 for a base that trained no one)."""
    return transferred / trained if trained else 0.0


def allocate_by_transfers(total: Any, rows: Sequence[tuple[str, int, int]]) -> dict[str, Any]:
    """Split ``total`` (a Decimal of yuan) across bases by their transferred trainees:
    base b gets ``total × transferred_b / Σ transferred``, in fen, rounded down, the fen
    left over going one each to the bases with the largest remainders (ties by code).
    ``rows`` is (code, trained, transferred). No transfers anywhere: split by trained; no
    one trained: nothing. This is the seed's "allocating training funds by the proportion
    of training transfer" (docs/training.md)."""
    from decimal import Decimal

    total_fen = int((Decimal(total) * 100).to_integral_value())
    weights = {code: transferred for code, _trained, transferred in rows}
    if not any(weights.values()):
        weights = {code: trained for code, trained, _transferred in rows}
    whole = sum(weights.values())
    if not whole or total_fen <= 0:
        return {code: Decimal("0.00") for code, _t, _x in rows}
    shares = {code: total_fen * w // whole for code, w in weights.items()}
    remainders = sorted(weights, key=lambda c: (-(total_fen * weights[c] % whole), c))
    for code in remainders[: total_fen - sum(shares.values())]:
        shares[code] += 1
    return {code: (Decimal(fen) / 100).quantize(Decimal("0.01")) for code, fen in shares.items()}
