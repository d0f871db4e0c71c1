"""The administrative tree in the snapshot: ``areas``, each area with its parent's code
and the codes of its city, county and township (the prefixes every area filter uses)."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
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
