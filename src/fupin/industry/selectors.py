"""Reads of leading enterprises. Every function that takes a user scopes by ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from fupin.registry.models import Household

# a contract complied with: delivered in full and paid as agreed (rules.contract_complied)
COMPLIED = Q(delivered__gte=F("quantity")) & Q(paid__gte=F("delivered") * F("agreed_price") - F("inputs_on_credit"))


def _count(queryset: QuerySet, expression: Any) -> Coalesce:
    """A count per enterprise, as a subquery (no join of contracts with employments)."""
    rows = queryset.filter(enterprise=OuterRef("pk")).order_by().values("enterprise").annotate(n=expression)
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def enterprises(user: Any) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(user)
        .select_related("county")
        .annotate(
            contract_count=_count(OrderContract.objects.all(), Count("id")),
            complied_count=_count(OrderContract.objects.filter(COMPLIED), Count("id")),
            employee_count=_count(Employment.objects.all(), Count("person", distinct=True)),
        )
    )


def employments(user: Any) -> QuerySet[Employment]:
    return Employment.objects.visible_to(user).select_related("enterprise__county", "person__household")


def bases(user: Any) -> QuerySet[ProductionBase]:
    return (
        ProductionBase.objects.visible_to(user)
        .select_related("enterprise__county")
        .prefetch_related("villages")
        .annotate(household_count=Count("links", distinct=True))
    )


def base_links(user: Any) -> QuerySet[BaseLink]:
    return BaseLink.objects.visible_to(user).select_related("base__enterprise", "household__village")


def contracts(user: Any) -> QuerySet[OrderContract]:
    return OrderContract.objects.visible_to(user).select_related("enterprise", "household__village")


def compliance(contracts: QuerySet[OrderContract]) -> dict[str, Any]:
    """How many of the contracts were complied with, and the rate (0 to 1; None for none)."""
    total = contracts.count()
    complied = contracts.filter(COMPLIED).count()
    return {"contracts": total, "complied": complied, "rate": complied / total if total else None}


def household_industry(user: Any, household: Household) -> dict[str, Any]:
    """What the household has of leading enterprises: its members' employments, its links to
    production bases and its order contracts (what the user may see)."""
    return {
        "employments": list(employments(user).filter(person__household=household).order_by("-start_date", "id")),
        "base_links": list(
            base_links(user).filter(household=household).select_related("base__enterprise").order_by("joined_on")
        ),
        "contracts": list(contracts(user).filter(household=household).order_by("-year", "number")),
    }
