"""Reads of land transfer. Every function that takes a user scopes by ``visible_to``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from fupin.land import rules
from fupin.land.models import LandContract, Transferor
from fupin.registry.models import Household


def contracts(user: Any) -> QuerySet[LandContract]:
    return (
        LandContract.objects.visible_to(user)
        .select_related("village", "transferee_enterprise", "transferee_household")
        .annotate(area=Sum("transferors__area_mu"), households=Count("transferors", distinct=True))
    )


def contract_transferors(contract: LandContract) -> QuerySet[Transferor]:
    return Transferor.objects.filter(contract=contract).select_related("household").order_by("household__code")


def large_scale(user: Any, on: dt.date | None = None) -> QuerySet[LandContract]:
    """The large-scale operation contracts (规模经营): at least ``rules.large_scale_mu()``
    mu, in force on the date when one is given."""
    qs: Any = contracts(user)  # annotated with ``area`` (the type checker cannot see it)
    qs = qs.filter(area__gte=rules.large_scale_mu())
    return qs.in_force(on) if on is not None else qs


def large_scale_areas(user: Any, on: dt.date) -> list[dict[str, Any]]:
    """By village: the large-scale operation contracts in force on the date, their area and
    transferor households."""
    rows: dict[str, dict[str, Any]] = {}
    contract: Any
    for contract in large_scale(user, on).order_by("village__code"):
        row = rows.setdefault(
            contract.village.code,
            {"village": contract.village, "contracts": 0, "area": Decimal(0), "households": 0},
        )
        row["contracts"] += 1
        row["area"] += contract.area or Decimal(0)
        row["households"] += contract.households
    return list(rows.values())


def household_contracts(household: Household) -> list[dict[str, Any]]:
    """The household's land contracts: as a transferor (with its area) and as the large
    household that took land over. The household is scoped by whoever shows its page."""
    rows: list[dict[str, Any]] = []
    for t in (
        Transferor.objects.filter(household=household)
        .select_related("contract__village", "contract__transferee_enterprise", "contract__transferee_household")
        .order_by("-contract__start_date", "contract__number")
    ):
        rows.append({"contract": t.contract, "role": "transferor", "area_mu": t.area_mu})
    for c in (
        LandContract.objects.filter(transferee_household=household)
        .select_related("village")
        .annotate(area=Sum("transferors__area_mu"))
        .order_by("-start_date", "number")
    ):
        rows.append({"contract": c, "role": "transferee", "area_mu": c.area})
    return rows


def enterprise_contracts(enterprise: Any, user: Any) -> QuerySet[LandContract]:
    """The contracts where the enterprise is the transferee, as far as the user sees them."""
    return contracts(user).filter(transferee_enterprise=enterprise).order_by("-start_date", "number")


def in_force_q(on: dt.date) -> Q:
    return Q(start_date__lte=on, end_date__gte=on) & (Q(terminated_on__isnull=True) | Q(terminated_on__gt=on))
