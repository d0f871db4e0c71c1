"""Planning and writing the programs' files: batches, village plans, contiguous zones,
projects, their outputs, beneficiaries and labour inputs.

Like the registry's files, each is compared with the database by natural key (new,
changed, unchanged), checked against the package and the database together with column
expressions, and written through the bulk path. The rules are the services' rules
(``fupin.programs.services``): a village plan's status only moves forward and an accepted
plan has every item of its checklist; a project's program, area, plan and zone are fixed
once recorded; an output is counted in its catalogue unit; a beneficiary lives in the
project's area."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from fupin.core.rules import Rule
from fupin.exchange import dbframes as db
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr, write_rows
from fupin.geo.choices import Level
from fupin.programs import rules
from fupin.programs.choices import CHECKLIST_FIELDS, PlanStatus, ProjectStatus, Unit
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    Project,
    ProjectOutput,
    VillagePlan,
)

Ranges = list[tuple[str, str]] | None

PROJECT_FILES = ("outputs", "beneficiaries", "labour_inputs", "fund_entries")
PROGRAM_FILES = ("batches", "village_plans", "zones", "projects", "outputs", "beneficiaries", "labour_inputs")


def area_levels(plan: Plan) -> pl.DataFrame:
    """Every area's code and level (the tree is small), read once per plan."""
    if "areas" not in plan.resolved:
        plan.resolved["areas"] = db.fetch("SELECT code, level FROM geo_adminarea", ["code", "level"])
    return plan.resolved["areas"]


def _touched(plan: Plan, name: str) -> pl.DataFrame:
    """The package's new and changed rows of a file (those that need scope and role)."""
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed])


def refuse(plan: Plan, name: str, frame: pl.DataFrame, rule: Rule, *, field: str | None = None, **columns) -> None:
    """The rows of ``frame`` that break ``rule``, with the rule's message (its placeholders
    filled from ``columns``, else from the columns of their names)."""
    errors_where(plan, name, frame, rule.where(), field or rule.field, rule.reason(**columns))


def refuse_where(
    plan: Plan, name: str, frame: pl.DataFrame, mask: pl.Expr, rule: Rule, *, field: str | None = None, **columns
) -> None:
    """The rows of ``frame`` where ``mask`` holds (what a join found), with ``rule``'s message."""
    errors_where(plan, name, frame, mask, field or rule.field, rule.reason(**columns))


def check_area(plan: Plan, name: str, frame: pl.DataFrame, column: str, wanted: str | None = None) -> None:
    """The codes of ``column`` are areas of the tree (of the level ``wanted``)."""
    checked = frame.join(area_levels(plan).rename({"code": column}), on=column, how="left")
    refuse(plan, name, checked, rules.AREA_KNOWN, field=column, code=column)
    if wanted is not None:
        labels = {str(v): str(label) for v, label in Level.choices}
        refuse(
            plan,
            name,
            checked.with_columns(pl.lit(wanted).alias("wanted")),
            rules.AREA_LEVEL,
            field=column,
            code=column,
            level_label=pl.col("level").replace_strict(labels, default=pl.col("level")),
            wanted_label=pl.lit(labels[wanted]),
        )


def _outside(plan: Plan, name: str, rows: pl.DataFrame, column: str, ranges: Ranges) -> None:
    if ranges is not None:
        refuse_where(
            plan, name, rows, (pl.col(column) != "") & ~scope_expr(column, ranges), rules.OUT_OF_SCOPE, field=column
        )


def _fixed(plan: Plan, name: str, frame: pl.DataFrame, current: pl.DataFrame, key: list[str], columns: list[str]):
    """Columns that an import may not change on a row that is already in the database."""
    both = frame.join(current.select(*key, *columns), on=key, how="inner", suffix="__db")
    for column in columns:
        refuse_where(
            plan,
            name,
            both,
            pl.col(column).fill_null("") != pl.col(f"{column}__db").fill_null(""),
            rules.FIXED_BY_IMPORT,
            field=column,
            value__db=pl.when(pl.col(f"{column}__db").fill_null("") == "")
            .then(pl.lit("-"))
            .otherwise(pl.col(f"{column}__db")),
        )


def plan_programs(plan: Plan, ranges: Ranges) -> None:
    if not any(name in plan.frames for name in (*PROGRAM_FILES, "fund_entries")):
        return
    _plan_batches(plan)
    _plan_village_plans(plan, ranges)
    _plan_zones(plan, ranges)
    _plan_projects(plan, ranges)
    _plan_outputs(plan, ranges)
    _plan_beneficiaries(plan, ranges)
    _plan_labour(plan, ranges)


# --- batches and village plans -------------------------------------------------------------------


BATCH_COLUMNS = ["name", "start_year", "end_year", "note"]


def _plan_batches(plan: Plan) -> None:
    current = db.fetch(
        "SELECT CAST(number AS TEXT), name, CAST(start_year AS TEXT), CAST(end_year AS TEXT), note FROM programs_batch",
        ["number", *BATCH_COLUMNS],
    )
    frame = plan.frames.get("batches")
    known = current.select("number")
    if frame is not None:
        refuse(plan, "batches", frame, rules.YEARS_IN_ORDER)
        # a year's batch is one batch: no two batches share a year
        others = pl.concat(
            [current.join(frame.select("number"), on="number", how="anti"), frame.drop("_line")], how="diagonal"
        )
        pairs = frame.join(
            others.select(
                pl.col("number").alias("other"),
                pl.col("start_year").alias("other_start"),
                pl.col("end_year").alias("other_end"),
            ),
            how="cross",
        ).rechunk()  # without it polars 1.x panics formatting the cross join's strings
        refuse(plan, "batches", pairs, rules.BATCHES_OVERLAP)
        plan.changes["batches"] = compare(frame, current, ["number"], BATCH_COLUMNS)
        known = pl.concat([known, frame.select("number")]).unique()
    plan.resolved["batches"] = known


PLAN_COLUMNS = [
    "batch",
    "planned_investment",
    "status",
    "started_on",
    "accepted_on",
    "accepted_by",
    *CHECKLIST_FIELDS,
    "note",
]


def _current_plans() -> pl.DataFrame:
    return db.fetch(
        "SELECT a.code, CAST(b.number AS TEXT), "
        + db.money("p.planned_investment")
        + ", p.status, "
        + db.nullable_text("p.started_on")
        + ", "
        + db.nullable_text("p.accepted_on")
        + ", p.accepted_by, "
        + ", ".join(db.flag(f"p.{f}") for f in CHECKLIST_FIELDS)
        + ", p.note FROM programs_villageplan p JOIN geo_adminarea a ON a.id = p.village_id "
        "JOIN programs_batch b ON b.id = p.batch_id",
        ["village", *PLAN_COLUMNS],
    )


def _plan_village_plans(plan: Plan, ranges: Ranges) -> None:
    current = _current_plans()
    frame = plan.frames.get("village_plans")
    known = current.select("village")
    if frame is not None:
        name = "village_plans"
        frame = frame.with_columns(pl.col("planned_investment").fill_null("0.00"))
        plan.frames[name] = frame
        check_area(plan, name, frame, "village", Level.VILLAGE)
        missing = frame.join(plan.resolved["batches"], left_on="batch", right_on="number", how="anti")
        refuse_where(plan, name, missing, pl.col("batch").is_not_null(), rules.MISSING_BATCH)
        for rule in (
            rules.ACCEPTED_ON_GIVEN,
            rules.ACCEPTED_ON_ONLY,
            rules.ACCEPTED_BY,
            rules.ACCEPTED_BY_ONLY,
            rules.NOT_STARTED,
            rules.STARTED_ON_GIVEN,
            rules.ACCEPTED_AFTER_START,
        ):
            refuse(plan, name, frame, rule)
        # an accepted plan has every item of its checklist: the first missing item is blamed
        incomplete = frame.filter(rules.CHECKLIST_COMPLETE.where()).with_columns(
            rules.checklist_first_missing().alias("_item"), rules.checklist_missing().alias("items")
        )
        for item in CHECKLIST_FIELDS:
            refuse_where(plan, name, incomplete, pl.col("_item") == item, rules.CHECKLIST_COMPLETE, field=item)
        # against the database: a plan stays in its batch, its status never goes back, an
        # accepted plan's acceptance stands
        both = frame.join(current, on="village", how="inner", suffix="__db")
        refuse(plan, name, both, rules.PLAN_STAYS_IN_BATCH)
        refuse(plan, name, both, rules.STATUS_FORWARD)
        for column in ("started_on", "accepted_on", "accepted_by"):
            refuse_where(
                plan,
                name,
                both,
                (pl.col("status__db") == str(PlanStatus.ACCEPTED)) & pl.col(column).ne_missing(pl.col(f"{column}__db")),
                rules.ACCEPTANCE_STANDS,
                field=column,
            )
        plan.changes[name] = compare(frame, current, ["village"], PLAN_COLUMNS)
        _outside(plan, name, _touched(plan, name), "village", ranges)
        known = pl.concat([known, frame.select("village")]).unique()
    plan.resolved["village_plans"] = known


# --- contiguous zones --------------------------------------------------------------------------------

ZONE_COLUMNS = ["name", "name_en", "counties", "start_year", "end_year", "note"]


def _current_zones() -> pl.DataFrame:
    zones = db.fetch(
        "SELECT code, name, name_en, CAST(start_year AS TEXT), " + db.nullable_text("end_year") + ", note "
        "FROM programs_contiguouszone",
        ["code", "name", "name_en", "start_year", "end_year", "note"],
    )
    counties = (
        db.fetch(
            "SELECT z.code, a.code FROM programs_contiguouszone_counties c "
            "JOIN programs_contiguouszone z ON z.id = c.contiguouszone_id "
            "JOIN geo_adminarea a ON a.id = c.adminarea_id",
            ["code", "county"],
        )
        .group_by("code")
        .agg(pl.col("county").sort().str.join(";").alias("counties"))
    )
    return zones.join(counties, on="code", how="left").with_columns(pl.col("counties").fill_null(""))


def _plan_zones(plan: Plan, ranges: Ranges) -> None:
    current = _current_zones().select("code", *ZONE_COLUMNS)
    frame = plan.frames.get("zones")
    final = current.select("code", "counties")
    if frame is not None:
        name = "zones"
        counties = (
            frame.select("_line", "code", pl.col("counties").str.split(";").alias("county"))
            .explode("county")
            .filter(pl.col("county").is_not_null() & (pl.col("county") != ""))
        )
        check_area(plan, name, counties.rename({"county": "counties"}), "counties", Level.COUNTY)
        refuse(plan, name, frame, rules.ZONE_HAS_COUNTIES)
        refuse(plan, name, frame, rules.YEARS_IN_ORDER)
        plan.changes[name] = changes = compare(frame, current, ["code"], ZONE_COLUMNS)
        if ranges is not None:
            touched = counties.join(_touched(plan, name).select("code"), on="code", how="semi")
            refuse_where(plan, name, touched, ~scope_expr("county", ranges), rules.OUT_OF_SCOPE, field="counties")
        # the zone's projects already in the database must stay within its counties
        if changes.changed.height:
            stored = db.fetch(
                "SELECT z.code, p.code, a.code FROM programs_project p JOIN programs_contiguouszone z "
                "ON z.id = p.zone_id JOIN geo_adminarea a ON a.id = p.area_id",
                ["code", "project", "area"],
                "z.code",
                changes.changed["code"].to_list(),
            )
            fit = (
                stored.join(counties.select("_line", "code", "county"), on="code")
                .group_by("_line", "project", "area")
                .agg(pl.col("area").str.starts_with(pl.col("county").str.slice(0, 6)).any().alias("fits"))
            )
            refuse_where(plan, name, fit, ~pl.col("fits"), rules.ZONE_KEEPS_PROJECTS)
        final = pl.concat([final.join(frame.select("code"), on="code", how="anti"), frame.select("code", "counties")])
    plan.resolved["zones"] = final


# --- projects ------------------------------------------------------------------------------------------

PROJECT_COLUMNS = [
    "name",
    "program",
    "category",
    "area",
    "plan",
    "zone",
    "start_year",
    "end_year",
    "status",
    "budget",
    "note",
]


def _current_projects(codes: list[str]) -> pl.DataFrame:
    return db.fetch(
        "SELECT p.code, p.name, p.program, p.category, a.code, COALESCE(pa.code, ''), COALESCE(z.code, ''), "
        "CAST(p.start_year AS TEXT), CAST(p.end_year AS TEXT), p.status, "
        + db.money("p.budget")
        + ", p.note FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id "
        "LEFT JOIN programs_villageplan vp ON vp.id = p.plan_id LEFT JOIN geo_adminarea pa ON pa.id = vp.village_id "
        "LEFT JOIN programs_contiguouszone z ON z.id = p.zone_id",
        ["code", *PROJECT_COLUMNS],
        "p.code",
        codes,
    )


def _plan_projects(plan: Plan, ranges: Ranges) -> None:
    frame = plan.frames.get("projects")
    codes: set[str] = set()
    for name in ("projects", *PROJECT_FILES):
        if name in plan.frames:
            codes |= set(plan.frames[name]["code" if name == "projects" else "project"].drop_nulls().to_list())
    codes.discard("")
    current = _current_projects(sorted(codes))
    known = current.select("code", "area")
    years = current.select("code", "start_year", "end_year")
    if frame is not None:
        name = "projects"
        frame = frame.with_columns(
            pl.when(pl.col("status") == "")
            .then(pl.lit(str(ProjectStatus.PLANNED)))
            .otherwise("status")
            .alias("status"),
            pl.col("budget").fill_null("0.00"),
        )
        plan.frames[name] = frame
        check_area(plan, name, frame, "area")
        refuse(plan, name, frame, rules.YEARS_IN_ORDER)
        with_plan = frame.filter(pl.col("plan") != "")
        missing = with_plan.join(plan.resolved["village_plans"], left_on="plan", right_on="village", how="anti")
        refuse_where(plan, name, missing, pl.lit(True), rules.MISSING_PLAN)
        refuse(plan, name, with_plan, rules.PLAN_PROJECT_PROGRAM)
        refuse(plan, name, with_plan, rules.PLAN_PROJECT_AREA)
        zones = plan.resolved["zones"].rename({"code": "zone"})
        with_zone = frame.filter(pl.col("zone") != "").join(zones, on="zone", how="left")
        refuse_where(plan, name, with_zone, pl.col("counties").is_null(), rules.MISSING_ZONE)
        refuse(plan, name, with_zone, rules.ZONE_PROJECT_AREA, counties=rules.counties_listed())
        _fixed(plan, name, frame, current, ["code"], ["program", "area", "plan", "zone"])
        plan.changes[name] = compare(frame, current, ["code"], PROJECT_COLUMNS)
        _outside(plan, name, _touched(plan, name), "area", ranges)
        known = pl.concat([known.join(frame.select("code"), on="code", how="anti"), frame.select("code", "area")])
        years = pl.concat(
            [years.join(frame.select("code"), on="code", how="anti"), frame.select("code", "start_year", "end_year")]
        )
    plan.resolved["projects"] = known
    plan.resolved["project_years"] = years


def _with_project(plan: Plan, name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The rows with their project's area (``project_area``); a project that is neither in
    the package nor in the database is an error."""
    projects = plan.resolved["projects"].rename({"code": "project", "area": "project_area"})
    joined = frame.join(projects, on="project", how="left")
    refuse_where(
        plan, name, joined, (pl.col("project") != "") & pl.col("project_area").is_null(), rules.MISSING_PROJECT
    )
    return joined


def _in_project_years(plan: Plan, name: str, frame: pl.DataFrame) -> None:
    """Rows dated within their project's years."""
    years = plan.resolved["project_years"].rename({"code": "project", "start_year": "start", "end_year": "end"})
    refuse(plan, name, frame.join(years, on="project", how="inner"), rules.IN_PROJECT_YEARS)


def _project_scope(plan: Plan, name: str, ranges: Ranges) -> None:
    if ranges is None:
        return
    projects = plan.resolved["projects"].rename({"code": "project", "area": "project_area"})
    touched = _touched(plan, name).join(projects, on="project", how="inner")
    refuse_where(plan, name, touched, ~scope_expr("project_area", ranges), rules.OUT_OF_SCOPE, field="project")


# --- outputs, beneficiaries, labour ----------------------------------------------------------------------


def _plan_outputs(plan: Plan, ranges: Ranges) -> None:
    frame = plan.frames.get("outputs")
    if frame is None:
        return
    name = "outputs"
    _with_project(plan, name, frame)
    _in_project_years(plan, name, frame)
    kinds = db.fetch("SELECT code, name, unit FROM programs_outputkind", ["kind", "kind_name", "kind_unit"])
    checked = frame.join(kinds, on="kind", how="left")
    refuse(plan, name, checked, rules.OUTPUT_KIND_KNOWN)
    labels = {str(u.value): str(u.label) for u in Unit}
    refuse(
        plan,
        name,
        checked.filter(pl.col("unit").is_in(list(labels))),
        rules.OUTPUT_UNIT,
        kind_unit_label=pl.col("kind_unit").replace_strict(labels, default=""),
        unit_label=pl.col("unit").replace_strict(labels, default=""),
    )
    current = db.fetch(
        "SELECT p.code, k.code, CAST(o.year AS TEXT), "
        + db.decimal("o.quantity", 3)
        + ", k.unit FROM programs_projectoutput o JOIN programs_project p ON p.id = o.project_id "
        "JOIN programs_outputkind k ON k.id = o.kind_id",
        ["project", "kind", "year", "quantity", "unit"],
        "p.code",
        frame["project"].unique().to_list(),
    )
    plan.changes[name] = compare(frame, current, ["project", "kind", "year"], ["quantity", "unit"])
    _project_scope(plan, name, ranges)


def _plan_beneficiaries(plan: Plan, ranges: Ranges) -> None:
    frame = plan.frames.get("beneficiaries")
    if frame is None:
        return
    name = "beneficiaries"
    joined = _with_project(plan, name, frame)
    _in_project_years(plan, name, frame)
    # each household's village: the package's, else the database's (a missing household is
    # reported with the registry's files)
    households = plan.frames.get("households")
    given = households.select(pl.col("code").alias("household"), "village") if households is not None else None
    stored = db.fetch(
        "SELECT h.code, a.code FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        ["household", "village"],
        "h.code",
        frame["household"].unique().to_list(),
    )
    villages = stored if given is None else pl.concat([stored.join(given, on="household", how="anti"), given])
    joined = joined.join(villages, on="household", how="left")
    refuse(plan, name, joined, rules.BENEFICIARY_IN_AREA)
    current = db.fetch(
        "SELECT p.code, h.code, CAST(b.year AS TEXT) FROM programs_beneficiary b "
        "JOIN programs_project p ON p.id = b.project_id JOIN registry_household h ON h.id = b.household_id",
        ["project", "household", "year"],
        "p.code",
        frame["project"].unique().to_list(),
    )
    plan.changes[name] = compare(frame, current, ["project", "household"], ["year"])
    _project_scope(plan, name, ranges)


def _plan_labour(plan: Plan, ranges: Ranges) -> None:
    frame = plan.frames.get("labour_inputs")
    if frame is None:
        return
    name = "labour_inputs"
    _with_project(plan, name, frame)
    _in_project_years(plan, name, frame)
    refuse(plan, name, frame, rules.LABOUR_PERSONS)
    refuse(plan, name, frame, rules.LABOUR_DAYS)
    current = db.fetch(
        "SELECT p.code, CAST(x.year AS TEXT), CAST(x.persons AS TEXT), CAST(x.person_days AS TEXT) "
        "FROM programs_labourinput x JOIN programs_project p ON p.id = x.project_id",
        ["project", "year", "persons", "person_days"],
        "p.code",
        frame["project"].unique().to_list(),
    )
    plan.changes[name] = compare(frame, current, ["project", "year"], ["persons", "person_days"])
    _project_scope(plan, name, ranges)


# --- writing ---------------------------------------------------------------------------------------------


def _ids(select: str, names: list[str], where_column: str | None = None, keys: list[str] | None = None) -> pl.DataFrame:
    return db.fetch(select, names, where_column, keys)


def _area_ids(codes: pl.Series, alias: str) -> pl.DataFrame:
    return _ids(
        "SELECT code, CAST(id AS TEXT) FROM geo_adminarea",
        ["code", alias],
        "code",
        codes.unique().drop_nulls().to_list(),
    )


def _project_ids(codes: pl.Series) -> pl.DataFrame:
    return _ids(
        "SELECT code, CAST(id AS TEXT) FROM programs_project",
        ["project", "project__id"],
        "code",
        codes.unique().drop_nulls().to_list(),
    )


def write_programs(plan: Plan, progress: Any) -> None:
    """Write the programs' new and changed rows, in the order they refer to each other
    (inside the import's transaction)."""
    batches = plan.changes.get("batches")
    if batches is not None:
        write_rows(Batch, batches.new, ["number", *BATCH_COLUMNS], ["number", *BATCH_COLUMNS])
        for number, name, start, end, note in batches.changed.select("number", *BATCH_COLUMNS).iter_rows():
            Batch.objects.filter(number=int(number)).update(
                name=name, start_year=int(start), end_year=int(end), note=note or ""
            )
        progress("batches", batches.new.height + batches.changed.height)
    plans = plan.changes.get("village_plans")
    if plans is not None:
        batch_ids = pl.DataFrame(
            [(str(n), str(i)) for n, i in Batch.objects.values_list("number", "id")],
            schema={"batch": pl.String, "batch__id": pl.String},
            orient="row",
        )
        new = plans.new.join(batch_ids, on="batch").join(
            _area_ids(plans.new["village"], "village__id").rename({"code": "village"}), on="village"
        )
        fields = ["village", *PLAN_COLUMNS]
        write_rows(
            VillagePlan,
            new,
            fields,
            ["village__id", "batch__id", *PLAN_COLUMNS[1:]],
        )
        for row in plans.changed.iter_rows(named=True):
            VillagePlan.objects.filter(village__code=row["village"]).update(
                planned_investment=Decimal(row["planned_investment"]),
                status=row["status"],
                started_on=row["started_on"],
                accepted_on=row["accepted_on"],
                accepted_by=row["accepted_by"] or "",
                note=row["note"] or "",
                **{f: row[f] == "1" for f in CHECKLIST_FIELDS},
            )
        progress("village_plans", plans.new.height + plans.changed.height)
    zones = plan.changes.get("zones")
    if zones is not None:
        stored = ["code", "name", "name_en", "start_year", "end_year", "note"]
        write_rows(ContiguousZone, zones.new, stored, stored)
        for row in zones.changed.iter_rows(named=True):
            ContiguousZone.objects.filter(code=row["code"]).update(
                name=row["name"],
                name_en=row["name_en"] or "",
                start_year=int(row["start_year"]),
                end_year=int(row["end_year"]) if row["end_year"] else None,
                note=row["note"] or "",
            )
        touched = pl.concat([zones.new, zones.changed]).select("code", "counties")
        if touched.height:
            zone_ids = _ids(
                "SELECT code, CAST(id AS TEXT) FROM programs_contiguouszone",
                ["code", "zone__id"],
                "code",
                touched["code"].to_list(),
            )
            through = ContiguousZone.counties.through
            through.objects.filter(contiguouszone__code__in=zones.changed["code"].to_list()).delete()
            links = (
                touched.join(zone_ids, on="code")
                .with_columns(pl.col("counties").str.split(";").alias("county"))
                .explode("county")
            )
            links = links.join(_area_ids(links["county"], "county__id").rename({"code": "county"}), on="county")
            write_rows(through, links, ["contiguouszone", "adminarea"], ["zone__id", "county__id"])
        progress("zones", zones.new.height + zones.changed.height)
    projects = plan.changes.get("projects")
    if projects is not None:
        new = projects.new
        plan_ids = db.fetch(
            "SELECT a.code, CAST(p.id AS TEXT) FROM programs_villageplan p JOIN geo_adminarea a ON a.id = p.village_id",
            ["plan", "plan__id"],
            "a.code",
            new["plan"].unique().to_list(),
        )
        zone_ids = db.fetch(
            "SELECT code, CAST(id AS TEXT) FROM programs_contiguouszone",
            ["zone", "zone__id"],
            "code",
            new["zone"].unique().to_list(),
        )
        new = (
            new.join(_area_ids(new["area"], "area__id").rename({"code": "area"}), on="area")
            .join(plan_ids, on="plan", how="left")
            .join(zone_ids, on="zone", how="left")
        )
        fields = ["code", *PROJECT_COLUMNS]
        write_rows(
            Project,
            new,
            fields,
            [f"{f}__id" if f in ("area", "plan", "zone") else f for f in fields],
        )
        for row in projects.changed.iter_rows(named=True):
            Project.objects.filter(code=row["code"]).update(
                name=row["name"],
                category=row["category"],
                start_year=int(row["start_year"]),
                end_year=int(row["end_year"]),
                status=row["status"],
                budget=Decimal(row["budget"]),
                note=row["note"] or "",
            )
        progress("projects", projects.new.height + projects.changed.height)
    outputs = plan.changes.get("outputs")
    if outputs is not None:
        kind_ids = db.fetch("SELECT code, CAST(id AS TEXT) FROM programs_outputkind", ["kind", "kind__id"])
        new = outputs.new.join(_project_ids(outputs.new["project"]), on="project").join(kind_ids, on="kind")
        write_rows(
            ProjectOutput,
            new,
            ["project", "kind", "year", "quantity"],
            ["project__id", "kind__id", "year", "quantity"],
        )
        for project, kind, year, quantity in outputs.changed.select("project", "kind", "year", "quantity").iter_rows():
            ProjectOutput.objects.filter(project__code=project, kind__code=kind, year=int(year)).update(
                quantity=Decimal(quantity)
            )
        progress("outputs", outputs.new.height + outputs.changed.height)
    beneficiaries = plan.changes.get("beneficiaries")
    if beneficiaries is not None:
        # the registry's planner resolved every household referred to (the new ones with their ids to be)
        households = plan.resolved.get("household_ids")
        if households is None:
            households = pl.DataFrame(schema={"code": pl.String, "id": pl.String})
        new = beneficiaries.new.join(_project_ids(beneficiaries.new["project"]), on="project").join(
            households.rename({"code": "household", "id": "household__id"}), on="household"
        )
        write_rows(
            Beneficiary,
            new,
            ["project", "household", "year"],
            ["project__id", "household__id", "year"],
        )
        for project, household, year in beneficiaries.changed.select("project", "household", "year").iter_rows():
            Beneficiary.objects.filter(project__code=project, household__code=household).update(year=int(year))
        progress("beneficiaries", beneficiaries.new.height + beneficiaries.changed.height)
    labour = plan.changes.get("labour_inputs")
    if labour is not None:
        new = labour.new.join(_project_ids(labour.new["project"]), on="project")
        write_rows(
            LabourInput,
            new,
            ["project", "year", "persons", "person_days"],
            ["project__id", "year", "persons", "person_days"],
        )
        for project, year, persons, days in labour.changed.select(
            "project", "year", "persons", "person_days"
        ).iter_rows():
            LabourInput.objects.filter(project__code=project, year=int(year)).update(
                persons=int(persons), person_days=int(days)
            )
        progress("labour_inputs", labour.new.height + labour.changed.height)


MODELS = (Batch, VillagePlan, ContiguousZone, Project, ProjectOutput, Beneficiary, LabourInput)
