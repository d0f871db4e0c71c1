"""The overview's figures of the administrative tree (the snapshot's ``areas`` table)."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import count
from fupin.analytics.registry import computes


@computes("province.area_km2")
def area_km2(scope: Scope) -> Any:
    return scope.area["area_km2"]


@computes("province.population")
def population(scope: Scope) -> Any:
    return scope.area["population"]


@computes("admin.prefecture_cities")
def prefecture_cities(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return count(areas.filter((areas.level == "city") & (areas.kind == "city")))


@computes("admin.prefecture_offices")
def prefecture_offices(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return count(areas.filter((areas.level == "city") & (areas.kind == "prefecture")))


@computes("key_counties.count")
def key_counties(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return count(areas.filter((areas.level == "county") & (areas.key_county != "")))


@computes("key_villages.count")
def key_villages(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return count(areas.filter((areas.level == "village") & areas.key_village))
