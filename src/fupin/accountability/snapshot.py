"""The responsibility and assessment system in the snapshot (``fupin.analytics.registry``):
the assessments recorded (with the level of the assessing area) and the typical models,
as they stood on the date (an assessment or a model of a later year is left out)."""

from __future__ import annotations

import pyarrow as pa

from fupin.accountability.choices import AssessmentStatus, ModelKind
from fupin.accountability.models import Assessment, TypicalModel
from fupin.analytics import registry

registry.labels("accountability_assessments.status", AssessmentStatus)
registry.labels("typical_models.kind", ModelKind)

registry.table(
    "accountability_assessments",
    {
        "id": pa.int64(),
        "area_code": pa.string(),
        "area_level": pa.string(),
        "year": pa.int32(),
        "status": pa.string(),
    },
    "SELECT s.id, a.code, a.level, s.year, s.status "
    "FROM accountability_assessment s JOIN geo_adminarea a ON a.id = s.area_id",
    models=(Assessment,),
    derive="SELECT * FROM src_accountability_assessments WHERE year <= year({as_of})",
)

registry.table(
    "typical_models",
    {
        "id": pa.int64(),
        "kind": pa.string(),
        "year": pa.int32(),
        "area_code": pa.string(),
    },
    "SELECT m.id, m.kind, m.year, a.code FROM accountability_typicalmodel m JOIN geo_adminarea a ON a.id = m.area_id",
    models=(TypicalModel,),
    derive="SELECT * FROM src_typical_models WHERE year <= year({as_of})",
)
