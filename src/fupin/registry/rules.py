"""The rules of the registry, each written once: the services apply them to one record,
the importer (``registry.exchange``: the columns of ``entities``, the planners and the
replay of the workflow) to a whole package, with the same message
(``fupin.core.rules.Rule``). ``tests/registry/test_parity.py`` feeds the services'
refusals through the importer."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Conflict, InvalidTransition
from fupin.core.rules import Rule, text
from fupin.registry.choices import INCOME_AMOUNT_FIELDS

CENT = Decimal("0.01")

# A household code is its village's 12-digit code followed by 1 to 8 serial digits (20 at
# most, the column's length). The importer applies the same pattern and prefix rule.
HOUSEHOLD_CODE_MAX_LENGTH = 20
HOUSEHOLD_CODE_PATTERN = r"^[0-9]{13,20}$"

# the most members a household may count in a year (the income record's household size)
HOUSEHOLD_SIZE_MAX = 99


HOUSEHOLD_CODE_FORM = Rule(
    "household_code_form",
    "code",
    _("A household code is its village's 12-digit code followed by serial digits, 13 to 20 digits in all."),
    lambda: ~text("code").str.contains(HOUSEHOLD_CODE_PATTERN),
)
# village: the village's code
HOUSEHOLD_CODE_IN_VILLAGE = Rule(
    "household_code_village",
    "code",
    _("The household code must begin with its village's code %(village)s."),
    lambda: ~text("code").str.starts_with(text("village")),
)
# id: the ID number, masked (``fupin.core.masking.mask_id``); household: where it is registered,
# told to whom may see identifiers (an import of members needs that permission)
ID_NUMBER_TAKEN = Rule(
    "id_number_taken",
    "id_number",
    _("ID number %(id)s is already registered in household %(household)s."),
    error=Conflict,
)
ID_NUMBER_TAKEN_ELSEWHERE = Rule(
    "id_number_taken",
    "id_number",
    _("ID number %(id)s is already registered in another record."),
    error=Conflict,
)

# --- the workflow (``registry.workflow``): a step the household's stage or status does not allow
# action, stage, procedure, status: the labels of the step's action, the stage before it,
# its procedure and the status before it
NO_PROCEDURE = Rule("no_procedure", "action", _("No procedure is under way: apply first."), error=InvalidTransition)
NOT_AT_STAGE = Rule(
    "not_at_stage",
    "action",
    _("“%(action)s” is not possible at the stage “%(stage)s”."),
    error=InvalidTransition,
)
PROCEDURE_UNDER_WAY = Rule(
    "procedure_under_way",
    "procedure",
    _("A %(procedure)s procedure is already under way."),
    error=InvalidTransition,
)
CANNOT_APPLY = Rule(
    "cannot_apply",
    "status",
    _("A household that is “%(status)s” cannot apply for %(procedure)s."),
    error=InvalidTransition,
)


def check_household_code(code: str, *, village_code: str, record: str | None = None) -> str:
    """The code if it is ``village_code`` followed by serial digits; raises InvalidInput
    naming the field ``code`` otherwise."""
    if not isinstance(code, str):
        raise HOUSEHOLD_CODE_FORM.refusal(record=record)
    values = {"code": code, "village": village_code}
    HOUSEHOLD_CODE_FORM.check(record=record, values=values)
    HOUSEHOLD_CODE_IN_VILLAGE.check(record=record, values=values)
    return code


def per_capita(net_income: Decimal, household_size: int) -> Decimal:
    """Per capita net income, rounded half up to the fen."""
    if household_size < 1:
        raise ValueError("household size must be at least 1")
    return (Decimal(net_income) / household_size).quantize(CENT, rounding=ROUND_HALF_UP)


def net_income(amounts: dict[str, Decimal]) -> Decimal:
    gross = sum(
        (Decimal(amounts.get(f, 0)) for f in INCOME_AMOUNT_FIELDS if f != "production_costs"),
        Decimal(0),
    )
    return gross - Decimal(amounts.get("production_costs", 0))
