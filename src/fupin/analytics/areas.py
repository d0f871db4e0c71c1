"""The administrative tree, which the analytics framework knows itself (geo is a framework
below it): the snapshot's ``areas`` table, each area with its parent's code and the codes of
its city, county and township (the prefixes every area filter uses), and the overview's
figures of the tree. Registered by ``AnalyticsConfig.ready()`` before the apps' tables,
which join ``areas``."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
import pyarrow as pa

from fupin.analytics import registry
from fupin.analytics.engine import Scope
from fupin.analytics.indicators import count
from fupin.analytics.registry import computes
from fupin.geo.models import AdminArea

registry.table(
    "areas",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "parent_code": pa.string(),
        "level": pa.string(),
        "kind": pa.string(),
        "name": pa.string(),
        "name_en": pa.string(),
        "key_county": pa.string(),
        "key_village": pa.bool_(),
        "area_km2": pa.float64(),
        "population": pa.int64(),
    },
    "SELECT a.id, a.code, p.code, a.level, a.kind, a.name, a.name_en, a.key_county, a.key_village, "
    "CAST(a.area_km2 AS DOUBLE PRECISION), a.population "
    "FROM geo_adminarea a LEFT JOIN geo_adminarea p ON p.id = a.parent_id",
    models=(AdminArea,),
    materialize=True,
    derive="""
SELECT id, code, parent_code, level, kind, name, name_en, key_county, key_village, area_km2, population,
       substr(code, 1, 4) || '00000000' AS city_code,
       substr(code, 1, 6) || '000000' AS county_code,
       substr(code, 1, 9) || '000' AS township_code
FROM src_areas
""",
)


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
