"""Reads of social and pairing assistance. Every function that takes a user scopes by
``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from fupin.assistance.models import (
    AssistingUnit,
    Cadre,
    Contribution,
    Pairing,
    StudentAid,
    SupportedProject,
    Visit,
)
from fupin.registry.models import Person


def _per_unit(queryset: QuerySet, expression: Any, output: Any) -> Coalesce:
    rows = queryset.filter(unit=OuterRef("pk")).order_by().values("unit").annotate(n=expression)
    return Coalesce(Subquery(rows.values("n"), output_field=output), 0, output_field=output)


def units(user: Any) -> QuerySet[AssistingUnit]:
    """The units the user sees (of their areas, or paired with them), each once, with their
    numbers of pairings and cadres and the value of their contributions."""
    from django.db.models import IntegerField

    visible = AssistingUnit.objects.visible_to(user).values("pk")
    return (
        AssistingUnit.objects.filter(pk__in=visible)
        .select_related("area")
        .annotate(
            pairing_count=_per_unit(Pairing.objects.all(), Count("id"), IntegerField()),
            cadre_count=_per_unit(Cadre.objects.all(), Count("id"), IntegerField()),
            contributed=_per_unit(
                Contribution.objects.all(), Sum("value"), DecimalField(max_digits=16, decimal_places=2)
            ),
        )
    )


def pairings(user: Any) -> QuerySet[Pairing]:
    return Pairing.objects.visible_to(user).select_related("unit", "area")


def cadres(user: Any) -> QuerySet[Cadre]:
    return Cadre.objects.visible_to(user).select_related("unit", "place")


def visits(user: Any) -> QuerySet[Visit]:
    return Visit.objects.visible_to(user).select_related("unit", "area")


def contributions(user: Any) -> QuerySet[Contribution]:
    return Contribution.objects.visible_to(user).select_related("unit", "area", "project", "entry")


def supported_projects(user: Any) -> QuerySet[SupportedProject]:
    return SupportedProject.objects.visible_to(user).select_related("unit", "project__area")


def students(user: Any) -> QuerySet[StudentAid]:
    return StudentAid.objects.visible_to(user).select_related("unit", "person__household__village")


def person_aid(user: Any, person: Person) -> list[StudentAid]:
    """The aid the person received as a student (what the user may see)."""
    return list(students(user).filter(person=person).order_by("-year", "id"))
