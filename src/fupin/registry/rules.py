"""Pure rules of the registry, shared by services, bulk loaders and tests."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def per_capita(net_income: Decimal, household_size: int) -> Decimal:
    """Per capita net income, rounded half up to the fen."""
    if household_size < 1:
        raise ValueError("household size must be at least 1")
    return (Decimal(net_income) / household_size).quantize(CENT, rounding=ROUND_HALF_UP)


def net_income(amounts: dict[str, Decimal]) -> Decimal:
    from fupin.registry.models import IncomeRecord

    gross = sum(
        (Decimal(amounts.get(f, 0)) for f in IncomeRecord.AMOUNT_FIELDS if f != "production_costs"),
        Decimal(0),
    )
    return gross - Decimal(amounts.get("production_costs", 0))
