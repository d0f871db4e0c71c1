"""The programs in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):
village plans of entire village advancement with their batch, projects with their plan's
batch and their zone, outputs, beneficiaries, labour inputs and the counties of the
contiguous development zones, as they stood on the date (an acceptance after it has not
happened yet)."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    OutputKind,
    Project,
    ProjectOutput,
    VillagePlan,
)

registry.table(
    "village_plans",
    {
        "id": pa.int64(),
        "village_code": pa.string(),
        "batch": pa.int32(),
        "batch_start": pa.int32(),
        "batch_end": pa.int32(),
        "status": pa.string(),
        "accepted_on": pa.date32(),
    },
    "SELECT p.id, a.code, b.number, b.start_year, b.end_year, p.status, p.accepted_on "
    "FROM programs_villageplan p JOIN programs_batch b ON b.id = p.batch_id "
    "JOIN geo_adminarea a ON a.id = p.village_id",
    models=(VillagePlan, Batch),
    derive="SELECT id, village_code, batch, batch_start, batch_end, "
    "CASE WHEN accepted_on <= {as_of} THEN accepted_on END AS accepted_on, "
    "CASE WHEN status = 'accepted' AND accepted_on > {as_of} THEN 'in_progress' ELSE status END AS status "
    "FROM src_village_plans",
)

registry.table(
    "projects",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "program": pa.string(),
        "category": pa.string(),
        "area_code": pa.string(),
        "plan_id": pa.int64(),
        "zone_code": pa.string(),
        "start_year": pa.int32(),
        "end_year": pa.int32(),
    },
    "SELECT p.id, p.code, p.program, p.category, a.code, p.plan_id, z.code, p.start_year, p.end_year "
    "FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id "
    "LEFT JOIN programs_contiguouszone z ON z.id = p.zone_id",
    models=(Project, ContiguousZone),
    derive="SELECT p.*, v.village_code AS plan_village_code, v.batch, v.batch_start, "
    "v.batch_end FROM src_projects p LEFT JOIN src_village_plans v ON v.id = p.plan_id",
)

registry.table(
    "project_outputs",
    {
        "project_id": pa.int64(),
        "kind": pa.string(),
        "year": pa.int32(),
        "quantity": registry.decimal_of(ProjectOutput, "quantity"),
    },
    "SELECT o.project_id, k.code, o.year, CAST(o.quantity AS DOUBLE PRECISION) "
    "FROM programs_projectoutput o JOIN programs_outputkind k ON k.id = o.kind_id",
    models=(ProjectOutput, OutputKind),
)

registry.model_table("beneficiaries", Beneficiary, ["project_id", "household_id", "year"])

registry.model_table("labour_inputs", LabourInput, ["project_id", "year", "persons", "person_days"])

registry.table(
    "zone_counties",
    {"zone_code": pa.string(), "county_code": pa.string(), "start_year": pa.int32(), "end_year": pa.int32()},
    "SELECT z.code, a.code, z.start_year, z.end_year FROM programs_contiguouszone z "
    "JOIN programs_contiguouszone_counties c ON c.contiguouszone_id = z.id "
    "JOIN geo_adminarea a ON a.id = c.adminarea_id",
    models=(ContiguousZone, ContiguousZone.counties.through),
)
