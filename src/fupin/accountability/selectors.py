"""Reads of the responsibility and assessment system. Every function that takes a user
scopes by ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, QuerySet

from fupin.accountability.models import (
    Assessment,
    Evidence,
    PromotionMeeting,
    ResponsibilityAssignment,
    Result,
    Score,
    Target,
    TypicalModel,
)
from fupin.analytics.indicators import indicators


def assignments(user: Any) -> QuerySet[ResponsibilityAssignment]:
    return ResponsibilityAssignment.objects.visible_to(user).select_related("area")


def targets(user: Any) -> QuerySet[Target]:
    return Target.objects.visible_to(user).select_related("area", "department__city")


def assessments(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related("area").prefetch_related("weights")


def ranking(assessment: Assessment) -> QuerySet[Result]:
    """The assessment's results, counties first then departments (NULL first on every
    database), by rank, with their scores."""
    return (
        Result.objects.filter(assessment=assessment)
        .select_related("area", "department")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("indicator")))
        .order_by(F("department_id").asc(nulls_first=True), "rank", "area__code", "department__name")
    )


def evidence(user: Any) -> QuerySet[Evidence]:
    return Evidence.objects.visible_to(user).select_related("assessment__area")


def models(user: Any) -> QuerySet[TypicalModel]:
    return (
        TypicalModel.objects.visible_to(user)
        .select_related("area", "household", "enterprise")
        .prefetch_related("figures")
    )


def meetings(user: Any) -> QuerySet[PromotionMeeting]:
    return PromotionMeeting.objects.visible_to(user).select_related("area")


def indicator_choices(language: str) -> list[tuple[str, str]]:
    """Every indicator of the specification as (id, "id — name") in the language."""
    return [(i.id, f"{i.id} — {i.name(language)}") for i in indicators().values()]
