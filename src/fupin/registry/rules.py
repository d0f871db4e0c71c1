"""Pure rules of the registry, shared by services, bulk loaders and tests."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from fupin.core.errors import InvalidInput
from fupin.registry.choices import INCOME_AMOUNT_FIELDS

CENT = Decimal("0.01")

# A household code is its village's 12-digit code followed by 1 to 8 serial digits (20 at
# most, the column's length). The importer applies the same pattern and prefix rule.
HOUSEHOLD_CODE_MAX_LENGTH = 20
HOUSEHOLD_CODE_PATTERN = r"^[0-9]{13,20}$"
_HOUSEHOLD_CODE_RE = re.compile(HOUSEHOLD_CODE_PATTERN)

# the most members a household may count in a year (the income record's household size)
HOUSEHOLD_SIZE_MAX = 99


def check_household_code(code: str, *, village_code: str, record: str | None = None) -> str:
    """The code if it is ``village_code`` followed by serial digits; raises InvalidInput
    naming the field ``code`` otherwise."""
    if not isinstance(code, str) or not _HOUSEHOLD_CODE_RE.match(code):
        raise InvalidInput(
            _("A household code is its village's 12-digit code followed by serial digits, 13 to 20 digits in all."),
            field="code",
            record=record,
        )
    if not code.startswith(village_code):
        raise InvalidInput(
            _("The household code must begin with its village's code %(village)s.") % {"village": village_code},
            field="code",
            record=record,
        )
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
