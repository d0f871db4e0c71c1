"""Rain Plan training in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):
bases, classes, enrolments (with the trainee's village), transfers to employment and
targets, as they stood on the date: an enrolment after it has not happened, a completion
after it not yet, a transfer starting after it is left out."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.training.choices import ClassType, EnrolmentStatus
from fupin.training.models import Enrolment, Target, TrainingBase, TrainingClass, Transfer

registry.labels("training_classes.type", ClassType)
registry.labels("training_enrolments.status", EnrolmentStatus)

registry.table(
    "training_bases",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "county_code": pa.string(),
        "certification": pa.string(),
        "capacity": pa.int64(),
    },
    "SELECT b.id, b.code, a.code, b.certification, b.capacity "
    "FROM training_trainingbase b JOIN geo_adminarea a ON a.id = b.county_id",
    models=(TrainingBase,),
)

registry.table(
    "training_classes",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "type": pa.string(),
        "area_code": pa.string(),
        "base_id": pa.int64(),
        "start_date": pa.date32(),
        "end_date": pa.date32(),
        "hours": pa.int64(),
        "subsidy_per_trainee": registry.decimal_of(TrainingClass, "subsidy_per_trainee"),
    },
    "SELECT c.id, c.code, c.type, a.code, c.base_id, c.start_date, c.end_date, c.hours, "
    "CAST(c.subsidy_per_trainee AS DOUBLE PRECISION) "
    "FROM training_trainingclass c JOIN geo_adminarea a ON a.id = c.area_id",
    models=(TrainingClass,),
    materialize=True,
)

registry.table(
    "training_enrolments",
    {
        "id": pa.int64(),
        "class_id": pa.int64(),
        "person_id": pa.int64(),
        "village_code": pa.string(),
        "enrolled_on": pa.date32(),
        "status": pa.string(),
        "completed_on": pa.date32(),
        "leader_role": pa.string(),
    },
    "SELECT e.id, e.klass_id, e.person_id, v.code, e.enrolled_on, e.status, e.completed_on, e.leader_role "
    "FROM training_enrolment e JOIN registry_person p ON p.id = e.person_id "
    "JOIN registry_household h ON h.id = p.household_id JOIN geo_adminarea v ON v.id = h.village_id",
    models=(Enrolment,),
    # as of the date: not yet completed if completed after it
    derive="SELECT e.id, e.class_id, e.person_id, e.village_code, e.enrolled_on, "
    "CASE WHEN e.status = 'completed' AND e.completed_on > {as_of} THEN 'enrolled' ELSE e.status END AS status, "
    "CASE WHEN e.completed_on <= {as_of} THEN e.completed_on END AS completed_on, e.leader_role, "
    "c.type AS class_type, c.area_code AS class_area_code, c.end_date AS class_end "
    "FROM src_training_enrolments e JOIN training_classes c ON c.id = e.class_id "
    "WHERE e.enrolled_on <= {as_of}",
    materialize=True,
)

registry.table(
    "training_transfers",
    {
        "id": pa.int64(),
        "enrolment_id": pa.int64(),
        "start_date": pa.date32(),
        "monthly_wage": registry.decimal_of(Transfer, "monthly_wage"),
        "sector": pa.string(),
        "destination": pa.string(),
    },
    "SELECT t.id, t.enrolment_id, t.start_date, CAST(t.monthly_wage AS DOUBLE PRECISION), t.sector, t.destination "
    "FROM training_transfer t",
    models=(Transfer,),
    derive="SELECT * FROM src_training_transfers WHERE start_date <= {as_of}",
)

registry.table(
    "training_targets",
    {"area_code": pa.string(), "year": pa.int32(), "trained": pa.int64(), "transferred": pa.int64()},
    "SELECT a.code, t.year, t.trained, t.transferred FROM training_target t JOIN geo_adminarea a ON a.id = t.area_id",
    models=(Target,),
)
