"""Jurisdiction: one queryset method scopes every read.

A user's scope is a set of administrative areas; they see records in those areas and
below. Area codes are 12-digit GB/T 2260 / NBS statistical codes whose prefixes nest
(province 2 digits, city 4, county 6, township 9, village 12), so "in area X or below"
is one indexed range condition on the code: ``code BETWEEN 230102000000 AND 230102999999``.

``ScopedQuerySet.visible_to(user)`` applies it. A model says how it reaches its area with
``area_lookup`` (``"village"`` for a household, ``"household__village"`` for a member, ``""``
for an area itself). The area model is the one that lookup leads to (any model with a
``code``): core knows no geo model.

``scope_ranges(user)`` is the public form of a user's scope, for the code that filters by
code itself (the exchange's planner, the audit log).
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q

CodeRange = tuple[str, str]


def scope_ranges(user: Any) -> list[CodeRange] | None:
    """The code ranges a user sees: None means everything; an empty list means nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "is_superuser", False):
        return None
    ranges = user.scope_ranges()
    return list(ranges) if ranges is not None else None


def ranges_q(field: str, ranges: list[CodeRange]) -> Q:
    """Rows whose code ``field`` lies in one of the ranges."""
    q = Q(pk__in=[])
    for lo, hi in ranges:
        q |= Q(**{f"{field}__range": (lo, hi)})
    return q


def related_model(model: type[models.Model], lookup: str) -> type[models.Model]:
    """The model that ``lookup`` (``"household__village"``) leads to from ``model``."""
    for name in lookup.split("__"):
        target = model._meta.get_field(name).related_model
        if target is None or isinstance(target, str):
            raise ValueError(f"{model.__name__}.{name} of {lookup!r} is not a relation")
        model = target
    return model


def area_q(lookup: str, ranges: list[CodeRange], *, model: type[models.Model] | None = None) -> Q:
    """Rows of ``model`` whose area (reached by ``lookup``) lies in one of the code ranges.

    For another model this is ``area_id IN (SELECT id FROM area WHERE code BETWEEN ...)``
    rather than a join, so the database can still walk the model's own indexes (its
    ordering, its status) and only probe the small set of area ids. The area model is the
    one ``lookup`` leads to from ``model`` (needed unless ``lookup`` is empty)."""
    if not lookup:
        return ranges_q("code", ranges)
    if model is None:
        raise TypeError("area_q needs the model the lookup starts from")
    area_model = related_model(model, lookup)
    areas = area_model._default_manager.filter(ranges_q("code", ranges)).values("pk")
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
        ranges = scope_ranges(user)
        if ranges is None:
            return self
        if not ranges:
            return self.none()
        q = area_q(self.area_lookup, ranges, model=self.model)
        for lookup in self.also_visible_by:
            q |= area_q(lookup, ranges, model=self.model)
        return self.filter(q)

    def in_area(self, code: str) -> Self:
        """Rows in the area with this code or below it (no scoping: combine with visible_to)."""
        from fupin.core.areacodes import descendant_range

        return self.filter(area_q(self.area_lookup, [descendant_range(code)], model=self.model))


def user_can_see_code(user: Any, code: str) -> bool:
    return code_in_ranges(code, scope_ranges(user))
