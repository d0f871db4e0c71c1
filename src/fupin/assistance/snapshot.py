"""Social and pairing assistance in the snapshot (``fupin.analytics.registry``;
docs/adding-an-app.md): units, pairings, cadres, contributions, supported projects, the
classes units organised and the students they aided, as they stood on the date (a cadre
sent after it, a contribution dated after it are left out; a stay ending after it is still
running). Money is read in fen (whole numbers), so that sums are exact."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.assistance.choices import CadreKind, ContributionForm, ContributionKind, UnitLevel
from fupin.assistance.models import (
    AssistingUnit,
    Cadre,
    Contribution,
    Pairing,
    StudentAid,
    SupportedProject,
    UnitClass,
)

registry.labels("assisting_units.level", UnitLevel)
registry.labels("assistance_cadres.kind", CadreKind)
registry.labels("assistance_contributions.kind", ContributionKind)
registry.labels("assistance_contributions.form", ContributionForm)


registry.table(
    "assisting_units",
    {"id": pa.int64(), "code": pa.string(), "level": pa.string(), "area_code": pa.string()},
    "SELECT u.id, u.code, u.level, a.code FROM assistance_assistingunit u JOIN geo_adminarea a ON a.id = u.area_id",
    models=(AssistingUnit,),
    materialize=True,
)

registry.table(
    "assistance_pairings",
    {
        "id": pa.int64(),
        "unit_id": pa.int64(),
        "area_code": pa.string(),
        "area_level": pa.string(),
        "start_year": pa.int32(),
        "end_year": pa.int32(),
    },
    "SELECT p.id, p.unit_id, a.code, a.level, p.start_year, p.end_year "
    "FROM assistance_pairing p JOIN geo_adminarea a ON a.id = p.area_id",
    models=(Pairing,),
    derive="SELECT p.*, u.level AS unit_level FROM src_assistance_pairings p "
    "JOIN assisting_units u ON u.id = p.unit_id WHERE p.start_year <= year({as_of})",
)

registry.table(
    "assistance_cadres",
    {
        "id": pa.int64(),
        "unit_id": pa.int64(),
        "kind": pa.string(),
        "place_code": pa.string(),
        "start_date": pa.date32(),
        "end_date": pa.date32(),
    },
    "SELECT c.id, c.unit_id, c.kind, a.code, c.start_date, c.end_date "
    "FROM assistance_cadre c JOIN geo_adminarea a ON a.id = c.place_id",
    models=(Cadre,),
    derive="SELECT id, unit_id, kind, place_code, start_date, "
    "CASE WHEN end_date <= {as_of} THEN end_date END AS end_date "
    "FROM src_assistance_cadres WHERE start_date <= {as_of}",
)

registry.table(
    "assistance_contributions",
    {
        "id": pa.int64(),
        "unit_id": pa.int64(),
        "kind": pa.string(),
        "form": pa.string(),
        "value_fen": pa.int64(),
        "date": pa.date32(),
        "area_code": pa.string(),
        "project_id": pa.int64(),
    },
    "SELECT c.id, c.unit_id, c.kind, c.form, CAST(ROUND(c.value * 100) AS BIGINT), c.date, a.code, c.project_id "
    "FROM assistance_contribution c JOIN geo_adminarea a ON a.id = c.area_id",
    models=(Contribution,),
    derive="SELECT * FROM src_assistance_contributions WHERE date <= {as_of}",
)

registry.table(
    "assistance_projects",
    {"id": pa.int64(), "unit_id": pa.int64(), "project_id": pa.int64(), "area_code": pa.string(), "year": pa.int32()},
    "SELECT s.id, s.unit_id, s.project_id, a.code, s.year FROM assistance_supportedproject s "
    "JOIN programs_project p ON p.id = s.project_id JOIN geo_adminarea a ON a.id = p.area_id",
    models=(SupportedProject,),
)

registry.table(
    "assistance_classes",
    {"unit_id": pa.int64(), "class_id": pa.int64()},
    "SELECT unit_id, klass_id FROM assistance_unitclass",
    models=(UnitClass,),
)

registry.table(
    "assistance_students",
    {
        "id": pa.int64(),
        "unit_id": pa.int64(),
        "person_id": pa.int64(),
        "village_code": pa.string(),
        "year": pa.int32(),
        "amount_fen": pa.int64(),
    },
    "SELECT s.id, s.unit_id, s.person_id, v.code, s.year, CAST(ROUND(s.amount * 100) AS BIGINT) "
    "FROM assistance_studentaid s "
    "JOIN registry_person p ON p.id = s.person_id JOIN registry_household h ON h.id = p.household_id "
    "JOIN geo_adminarea v ON v.id = h.village_id",
    models=(StudentAid,),
)
