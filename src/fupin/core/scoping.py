"""Jurisdiction: one queryset method scopes every read.

A user's scope is a set of administrative areas; they see records in those areas and
below. Area codes are 12-digit GB/T 2260 / NBS statistical codes whose prefixes nest
(province 2 digits, city 4, county 6, township 9, village 12), so "in area X or below"
is one indexed range condition on the code: ``code BETWEEN 230102000000 AND 230102999999``.

``ScopedQuerySet.visible_to(user)`` applies it. A model says how it reaches its area with
``area_lookup`` (``"village"`` for a household, ``"household__village"`` for a member, ``""``
for an area itself).
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q

CodeRange = tuple[str, str]


def _scope_ranges(user: Any) -> list[CodeRange] | None:
    """None means everything; an empty list means nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "is_superuser", False):
        return None
    ranges = user.scope_ranges()
    return list(ranges) if ranges is not None else None


def _ranges_q(field: str, ranges: list[CodeRange]) -> Q:
    q = Q(pk__in=[])
    for lo, hi in ranges:
        q |= Q(**{f"{field}__range": (lo, hi)})
    return q


def area_q(lookup: str, ranges: list[CodeRange]) -> Q:
    """Rows whose area (reached by ``lookup``) lies in one of the code ranges.

    For another model this is ``area_id IN (SELECT id FROM area WHERE code BETWEEN ...)``
    rather than a join, so the database can still walk the model's own indexes (its
    ordering, its status) and only probe the small set of area ids."""
    if not lookup:
        return _ranges_q("code", ranges)
    from django.apps import apps

    area_model = apps.get_model("geo", "AdminArea")
    areas = area_model._default_manager.filter(_ranges_q("code", ranges)).values("pk")
    return Q(**{f"{lookup}__in": areas})


def code_in_ranges(code: str, ranges: list[CodeRange] | None) -> bool:
    if ranges is None:
        return True
    return any(lo <= code <= hi for lo, hi in ranges)


class ScopedQuerySet(models.QuerySet):
    area_lookup: str = ""
    # Further areas a row belongs to for reading: a row is visible when any of them is in
    # the user's scope (a ledger entry is seen where the money leaves and where it arrives).
    also_visible_by: tuple[str, ...] = ()

    def visible_to(self, user: Any) -> Self:
        ranges = _scope_ranges(user)
        if ranges is None:
            return self
        if not ranges:
            return self.none()
        q = area_q(self.area_lookup, ranges)
        for lookup in self.also_visible_by:
            q |= area_q(lookup, ranges)
        return self.filter(q)

    def in_area(self, code: str) -> Self:
        """Rows in the area with this code or below it (no scoping: combine with visible_to)."""
        from fupin.core.areacodes import descendant_range

        return self.filter(area_q(self.area_lookup, [descendant_range(code)]))


def user_can_see_code(user: Any, code: str) -> bool:
    return code_in_ranges(code, _scope_ranges(user))
