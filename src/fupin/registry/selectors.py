"""Reads of the registry. Every function that takes a user scopes by ``visible_to``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from fupin.core.areacodes import ancestor_codes, descendant_range
from fupin.core.models import AuditEvent
from fupin.core.scoping import area_q
from fupin.geo.models import AdminArea
from fupin.registry.choices import Status
from fupin.registry.models import Household, IncomeRecord, Person, PovertyLine, StatusEvent
from fupin.registry.rules import per_capita


def poverty_line_for(area: AdminArea, year: int) -> PovertyLine | None:
    """The most specific line for the area and year: the city's, else the province's,
    else the national line."""
    codes = [*ancestor_codes(area.code), area.code]
    lines = {
        line.area.code if line.area is not None else "": line
        for line in PovertyLine.objects.filter(year=year)
        .filter(Q(area__isnull=True) | Q(area__code__in=codes))
        .select_related("area")
    }
    for code in reversed(codes):
        if code in lines:
            return lines[code]
    return lines.get("")


def household_get(*, user: Any, code: str) -> Household | None:
    return Household.objects.visible_to(user).select_related("village").filter(code=code).first()


def household_income_history(household: Household) -> list[dict[str, Any]]:
    """Each year's record with its per capita income and the line it is measured against."""
    rows = []
    for income in IncomeRecord.objects.filter(household=household).order_by("year"):
        line = poverty_line_for(household.village, income.year)
        pc = per_capita(Decimal(income.net_income), income.household_size)
        rows.append(
            {
                "record": income,
                "per_capita": pc,
                "line": line.amount if line else None,
                "below_line": (pc < line.amount) if line else None,
            }
        )
    return rows


def household_timeline(household: Household) -> QuerySet[StatusEvent]:
    return StatusEvent.objects.filter(household=household).select_related("actor").order_by("date", "id")


def household_history(household: Household) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(root_type="registry.household", root_id=str(household.pk)).order_by("-at", "-id")


def area_figures(*, user: Any, area: AdminArea) -> dict[str, Any]:
    """The registry's figures for an area and for each of its children visible to the user:
    poor households, poor people, exited households and all households.

    Two grouped queries (households by village and status; poor households' members by
    village) on the households' own indexes, rolled up to the children by code prefix."""
    ranges = [descendant_range(area.code)]
    households = (
        Household.objects.visible_to(user)
        .filter(area_q("village", ranges, model=Household))
        .order_by()
        .values_list("village_id", "status")
        .annotate(n=Count("id"))
    )
    people = (
        Person.objects.visible_to(user)
        .filter(area_q("household__village", ranges, model=Person), household__status=Status.POOR)
        .order_by()
        .values_list("household__village_id")
        .annotate(n=Count("id"))
    )
    village_codes = dict(AdminArea.objects.filter(level="village", code__range=ranges[0]).values_list("id", "code"))
    child_level = area.child_level()
    children = list(AdminArea.objects.visible_to(user).filter(parent=area).order_by("code")) if child_level else []
    digits = {"city": 4, "county": 6, "township": 9, "village": 12}.get(child_level or "", 12)
    empty = {"poor_households": 0, "poor_people": 0, "exited_households": 0, "households": 0}
    totals = dict(empty)
    rows = {c.code[:digits]: {"area": c, **empty} for c in children}

    def add(village_id: int, key: str, n: int) -> None:
        totals[key] += n
        row = rows.get(village_codes[village_id][:digits])
        if row is not None:
            row[key] += n

    for village_id, status, n in households:
        add(village_id, "households", n)
        if status == Status.POOR:
            add(village_id, "poor_households", n)
        elif status == Status.EXITED:
            add(village_id, "exited_households", n)
    for village_id, n in people:
        add(village_id, "poor_people", n)
    return {"totals": totals, "children": list(rows.values())}
