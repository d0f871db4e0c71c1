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


def area_breakdown(*, user: Any, area: AdminArea) -> list[dict[str, Any]]:
    """For each child of ``area`` visible to the user: poor households and poor people.

    Two grouped queries (households and members by village), rolled up by code prefix."""
    child_level = area.child_level()
    children = list(AdminArea.objects.visible_to(user).filter(parent=area).order_by("code"))
    if child_level is None or not children:
        return []
    digits = {"city": 4, "county": 6, "township": 9, "village": 12}[child_level]
    ranges = [descendant_range(area.code)]
    poor = Household.objects.visible_to(user).filter(area_q("village", ranges), status=Status.POOR)
    hh_by_village = dict(poor.values_list("village__code").annotate(n=Count("id")).values_list("village__code", "n"))
    people = Person.objects.visible_to(user).filter(area_q("household__village", ranges), household__status=Status.POOR)
    pp_by_village = dict(
        people.values_list("household__village__code")
        .annotate(n=Count("id"))
        .values_list("household__village__code", "n")
    )
    rows = {c.code[:digits]: {"area": c, "poor_households": 0, "poor_people": 0} for c in children}
    for code, n in hh_by_village.items():
        if code[:digits] in rows:
            rows[code[:digits]]["poor_households"] += n
    for code, n in pp_by_village.items():
        if code[:digits] in rows:
            rows[code[:digits]]["poor_people"] += n
    return list(rows.values())


def area_totals(*, user: Any, area: AdminArea) -> dict[str, int]:
    ranges = [descendant_range(area.code)]
    households = Household.objects.visible_to(user).filter(area_q("village", ranges))
    return {
        "poor_households": households.filter(status=Status.POOR).count(),
        "poor_people": Person.objects.visible_to(user)
        .filter(area_q("household__village", ranges), household__status=Status.POOR)
        .count(),
        "exited_households": households.filter(status=Status.EXITED).count(),
        "households": households.count(),
    }
