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
from django.utils.translation import gettext as _

from fupin.exchange import dbframes as db
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr, within, write_rows
from fupin.programs.choices import CHECKLIST_FIELDS, PlanStatus, ProgramType, ProjectStatus, Unit
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
_RANK = {str(PlanStatus.PLANNED): 0, str(PlanStatus.IN_PROGRESS): 1, str(PlanStatus.ACCEPTED): 2}


def area_levels(plan: Plan) -> pl.DataFrame:
    """Every area's code and level (the tree is small), read once per plan."""
    if "areas" not in plan.resolved:
        plan.resolved["areas"] = db.fetch("SELECT code, level FROM geo_adminarea", ["code", "level"])
    return plan.resolved["areas"]


def _touched(plan: Plan, name: str) -> pl.DataFrame:
    """The package's new and changed rows of a file (those that need scope and role)."""
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed])


def _outside(plan: Plan, name: str, rows: pl.DataFrame, column: str, ranges: Ranges, reason: str) -> None:
    if ranges is not None:
        errors_where(plan, name, rows, (pl.col(column) != "") & ~scope_expr(column, ranges), column, reason)


def _int(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=False)


def _fixed(plan: Plan, name: str, frame: pl.DataFrame, current: pl.DataFrame, key: list[str], columns: list[str]):
    """Columns that an import may not change on a row that is already in the database."""
    both = frame.join(current.select(*key, *columns), on=key, how="inner", suffix="__db")
    for column in columns:
        errors_where(
            plan,
            name,
            both,
            pl.col(column).fill_null("") != pl.col(f"{column}__db").fill_null(""),
            column,
            pl.format(
                _("cannot be changed by an import: it is “{}” in the database"),
                pl.when(pl.col(f"{column}__db").fill_null("") == "")
                .then(pl.lit("-"))
                .otherwise(pl.col(f"{column}__db")),
            ),
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
        errors_where(
            plan,
            "batches",
            frame,
            _int("end_year") < _int("start_year"),
            "end_year",
            _("the year of completion comes before the first year"),
        )
        # a year's batch is one batch: no two batches share a year (programs.rules.batches_overlap)
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
        errors_where(
            plan,
            "batches",
            pairs,
            (pl.col("number") != pl.col("other"))
            & (_int("start_year") <= _int("other_end"))
            & (_int("other_start") <= _int("end_year")),
            "start_year",
            pl.format(_("its years overlap those of batch {} ({}-{})"), "other", "other_start", "other_end"),
        )
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
        checked = frame.join(area_levels(plan).rename({"code": "village"}), on="village", how="left")
        errors_where(
            plan,
            name,
            checked,
            pl.col("level").is_null(),
            "village",
            pl.format(_("unknown village code “{}”"), pl.col("village")),
        )
        errors_where(
            plan,
            name,
            checked,
            pl.col("level").is_not_null() & (pl.col("level") != "village"),
            "village",
            pl.format(_("“{}” is a {}, not a village"), pl.col("village"), pl.col("level")),
        )
        missing = frame.join(plan.resolved["batches"], left_on="batch", right_on="number", how="anti")
        errors_where(
            plan,
            name,
            missing,
            pl.col("batch").is_not_null(),
            "batch",
            pl.format(_("batch {} is neither in the package nor in the database"), pl.col("batch")),
        )
        accepted = pl.col("status") == str(PlanStatus.ACCEPTED)
        planned = pl.col("status") == str(PlanStatus.PLANNED)
        rules: list[tuple[pl.Expr, str, str]] = [
            (
                accepted & pl.col("accepted_on").is_null(),
                "accepted_on",
                _("an accepted plan has its date of acceptance"),
            ),
            (
                ~accepted & pl.col("accepted_on").is_not_null(),
                "accepted_on",
                _("only an accepted plan has a date of acceptance"),
            ),
            (accepted & (pl.col("accepted_by") == ""), "accepted_by", _("name the officials who accepted the village")),
            (
                ~accepted & (pl.col("accepted_by") != ""),
                "accepted_by",
                _("only an accepted plan has the officials who accepted it"),
            ),
            (
                planned & pl.col("started_on").is_not_null(),
                "started_on",
                _("a planned village plan has not started: leave started_on empty"),
            ),
            (
                ~planned & (pl.col("status") != "") & pl.col("started_on").is_null(),
                "started_on",
                _("a plan in progress or accepted has the date it started"),
            ),
            (
                pl.col("accepted_on") < pl.col("started_on"),
                "accepted_on",
                _("acceptance cannot come before the start"),
            ),
        ]
        rules += [
            (accepted & (pl.col(f) == "0"), f, _("an accepted plan has every item of the checklist ticked"))
            for f in CHECKLIST_FIELDS
        ]
        for mask, column, reason in rules:
            errors_where(plan, name, frame, mask, column, reason)
        # against the database: a plan stays in its batch, its status never goes back, an
        # accepted plan's acceptance stands
        both = frame.join(current, on="village", how="inner", suffix="__db")
        rank = pl.col("status").replace_strict(_RANK, default=None)
        errors_where(
            plan,
            name,
            both,
            pl.col("batch") != pl.col("batch__db"),
            "batch",
            pl.format(
                _("the village's plan is in batch {} in the database; a plan does not move to another batch"),
                pl.col("batch__db"),
            ),
        )
        errors_where(
            plan,
            name,
            both,
            rank < pl.col("status__db").replace_strict(_RANK, default=None),
            "status",
            pl.format(_("the plan is “{}” in the database: its status does not go back"), pl.col("status__db")),
        )
        for column in ("started_on", "accepted_on", "accepted_by"):
            errors_where(
                plan,
                name,
                both,
                (pl.col("status__db") == str(PlanStatus.ACCEPTED)) & pl.col(column).ne_missing(pl.col(f"{column}__db")),
                column,
                pl.format(
                    _("the plan was accepted on {}: its acceptance is not changed by an import"),
                    pl.col("accepted_on__db"),
                ),
            )
        plan.changes[name] = compare(frame, current, ["village"], PLAN_COLUMNS)
        _outside(plan, name, _touched(plan, name), "village", ranges, _("the village is outside your areas"))
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
            .join(area_levels(plan).rename({"code": "county"}), on="county", how="left")
        )
        errors_where(
            plan,
            name,
            counties,
            pl.col("level").ne_missing(pl.lit("county")),
            "counties",
            pl.format(_("“{}” is not the code of a county"), pl.col("county")),
        )
        errors_where(
            plan,
            name,
            frame,
            _int("end_year") < _int("start_year"),
            "end_year",
            _("the last year comes before the first"),
        )
        plan.changes[name] = changes = compare(frame, current, ["code"], ZONE_COLUMNS)
        if ranges is not None:
            touched = counties.join(_touched(plan, name).select("code"), on="code", how="semi")
            errors_where(
                plan,
                name,
                touched,
                ~scope_expr("county", ranges),
                "counties",
                pl.format(_("county {} is outside your areas"), pl.col("county")),
            )
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
            errors_where(
                plan,
                name,
                fit,
                ~pl.col("fits"),
                "counties",
                pl.format(_("project {} of this zone lies in {}, outside these counties"), "project", "area"),
            )
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
        checked = frame.join(area_levels(plan).rename({"code": "area"}), on="area", how="left")
        errors_where(
            plan, name, checked, pl.col("level").is_null(), "area", pl.format(_("unknown area code “{}”"), "area")
        )
        errors_where(
            plan,
            name,
            frame,
            _int("end_year") < _int("start_year"),
            "end_year",
            _("the last year comes before the first"),
        )
        with_plan = frame.filter(pl.col("plan") != "")
        missing = with_plan.join(plan.resolved["village_plans"], left_on="plan", right_on="village", how="anti")
        errors_where(
            plan,
            name,
            missing,
            pl.lit(True),
            "plan",
            pl.format(_("village {} has no plan, neither in the package nor in the database"), "plan"),
        )
        errors_where(
            plan,
            name,
            with_plan,
            pl.col("program") != str(ProgramType.VILLAGE_ADVANCEMENT),
            "program",
            _("a village plan's projects belong to entire village advancement"),
        )
        errors_where(
            plan,
            name,
            with_plan,
            pl.col("area") != pl.col("plan"),
            "area",
            pl.format(_("a village plan's project is in the plan's village ({})"), "plan"),
        )
        zones = plan.resolved["zones"].rename({"code": "zone"})
        with_zone = frame.filter(pl.col("zone") != "").join(zones, on="zone", how="left")
        errors_where(
            plan,
            name,
            with_zone,
            pl.col("counties").is_null(),
            "zone",
            pl.format(_("zone “{}” is neither in the package nor in the database"), "zone"),
        )
        fit = (
            with_zone.filter(pl.col("counties").is_not_null())
            .with_columns(pl.col("counties").str.split(";").alias("county"))
            .explode("county")
            .group_by("_line", "counties")
            .agg(pl.col("area").str.starts_with(pl.col("county").str.slice(0, 6)).any().alias("fits"))
        )
        errors_where(
            plan,
            name,
            fit,
            ~pl.col("fits"),
            "area",
            pl.format(
                _("a zone's project is in one of its counties ({})"), pl.col("counties").str.replace_all(";", ", ")
            ),
        )
        _fixed(plan, name, frame, current, ["code"], ["program", "area", "plan", "zone"])
        plan.changes[name] = compare(frame, current, ["code"], PROJECT_COLUMNS)
        _outside(plan, name, _touched(plan, name), "area", ranges, _("the area is outside your areas"))
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
    errors_where(
        plan,
        name,
        joined,
        (pl.col("project") != "") & pl.col("project_area").is_null(),
        "project",
        pl.format(_("project “{}” is neither in the package nor in the database"), "project"),
    )
    return joined


def _in_project_years(plan: Plan, name: str, frame: pl.DataFrame) -> None:
    """Rows dated within their project's years (programs.rules.check_in_project_years)."""
    years = plan.resolved["project_years"].rename({"code": "project"})
    joined = frame.join(years, on="project", how="inner")
    errors_where(
        plan,
        name,
        joined,
        (_int("year") < _int("start_year")) | (_int("year") > _int("end_year")),
        "year",
        pl.format(_("the year {} is outside the project's years {}-{}"), "year", "start_year", "end_year"),
    )


def _project_scope(plan: Plan, name: str, ranges: Ranges) -> None:
    if ranges is None:
        return
    projects = plan.resolved["projects"].rename({"code": "project", "area": "project_area"})
    touched = _touched(plan, name).join(projects, on="project", how="inner")
    errors_where(
        plan,
        name,
        touched,
        ~scope_expr("project_area", ranges),
        "project",
        _("the project is outside your areas"),
    )


# --- outputs, beneficiaries, labour ----------------------------------------------------------------------


def _plan_outputs(plan: Plan, ranges: Ranges) -> None:
    frame = plan.frames.get("outputs")
    if frame is None:
        return
    name = "outputs"
    _with_project(plan, name, frame)
    _in_project_years(plan, name, frame)
    kinds = db.fetch("SELECT code, unit FROM programs_outputkind", ["kind", "kind_unit"])
    checked = frame.join(kinds, on="kind", how="left")
    errors_where(
        plan,
        name,
        checked,
        pl.col("kind_unit").is_null(),
        "kind",
        pl.format(_("“{}” is not in the output catalogue"), "kind"),
    )
    labels = {str(u.value): str(u.label) for u in Unit}
    errors_where(
        plan,
        name,
        checked,
        pl.col("kind_unit").is_not_null()
        & pl.col("unit").is_in(list(labels))
        & (pl.col("unit") != pl.col("kind_unit")),
        "unit",
        pl.format(
            _("“{}” is counted in {} ({}), not {} ({})"),
            "kind",
            "kind_unit",
            pl.col("kind_unit").replace_strict(labels, default=""),
            "unit",
            pl.col("unit").replace_strict(labels, default=""),
        ),
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
    errors_where(
        plan,
        name,
        joined,
        pl.col("village").is_not_null() & pl.col("project_area").is_not_null() & ~within("village", "project_area"),
        "household",
        pl.format(_("household {} lives in {}, outside the project's area {}"), "household", "village", "project_area"),
    )
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
    errors_where(
        plan,
        name,
        frame,
        _int("person_days") < _int("persons"),
        "person_days",
        _("each person gives at least one day: person_days is at least persons"),
    )
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
