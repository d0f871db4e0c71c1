"""The programs' files of the exchange package (``fupin.exchange.registry``): batches,
village plans, contiguous zones, projects, their outputs, beneficiaries and labour.

The planner and the writer are still ``fupin.exchange.load_programs`` (to be moved here)."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.choices import Role
from fupin.exchange import dbframes as db
from fupin.exchange import load_programs, registry
from fupin.exchange.planning import Plan
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import (
    AREA,
    AREA_LIST,
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    INT,
    QUANTITY,
    TEXT,
    Column,
    Entity,
    year_column,
)
from fupin.programs.choices import CHECKLIST, CHECKLIST_FIELDS, Category, PlanStatus, ProgramType, ProjectStatus, Unit
from fupin.programs.rules import LABOUR_MIN_PERSONS, NOTE_MAX_LENGTH


def project_column(help_: Any = "") -> Column:
    return Column("project", TEXT, required=True, max_length=32, example="YS-2009-001", help=help_ or _("project code"))


BATCHES = Entity(
    "batches",
    key=("number",),
    help=_(
        "Batches of entire village advancement (整村推进): villages that carry out their plans over the same years."
    ),
    columns=(
        Column("number", INT, required=True, minimum=1, maximum=32767, example="4", help=_("batch number")),
        Column("name", TEXT, required=True, max_length=100, example="第四批整村推进"),
        year_column("start_year", example="2008", help_=_("first year")),
        year_column("end_year", example="2009", help_=_("year of completion; not before the first year")),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

VILLAGE_PLANS = Entity(
    "village_plans",
    key=("village",),
    help=_(
        "Village plans of entire village advancement (村级扶贫规划), one per village, with their progress and "
        "their acceptance against the 四有三通三提高 checklist (1 ticked, 0 not)."
    ),
    depends_on=("batches",),
    columns=(
        Column("village", AREA, required=True, example="230129100200", help=_("village code")),
        Column("batch", INT, required=True, minimum=1, maximum=32767, example="4", help=_("batch number")),
        Column("planned_investment", DECIMAL, digits=12, example="860000.00", help=_("planned investment (yuan)")),
        Column(
            "status",
            CODE,
            choices=PlanStatus,
            required=True,
            example="accepted",
            help=_("planned, then in progress (from started_on), then accepted (on accepted_on); never back"),
        ),
        Column("started_on", DATE, example="2008-04-01", help=_("date work began; empty while planned")),
        Column("accepted_on", DATE, example="2009-10-20", help=_("date of acceptance; only for an accepted plan")),
        Column(
            "accepted_by",
            TEXT,
            max_length=200,
            example="县扶贫办验收组",
            help=_("the officials who accepted the village; only for an accepted plan, and required there"),
        ),
        *(
            Column(name, BOOL, example="1", help=format_lazy("{}: {}", group, label))
            for name, group, label in CHECKLIST
        ),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

ZONES = Entity(
    "zones",
    key=("code",),
    help=_(
        "Contiguous development zones (连片开发区): several counties developed together. The counties are "
        "one column, their codes separated by ;."
    ),
    columns=(
        Column("code", TEXT, required=True, max_length=20, example="LP-YS", help=_("zone code")),
        Column("name", TEXT, required=True, max_length=100, example="延寿连片开发区"),
        Column("name_en", TEXT, max_length=200, example="Yanshou contiguous development zone"),
        Column(
            "counties",
            AREA_LIST,
            required=True,
            example="230129000000;230183000000",
            help=_("county codes separated by ;, at least one"),
        ),
        year_column("start_year", example="2010", help_=_("first year")),
        year_column("end_year", required=False, example="", help_=_("last year; empty while it runs")),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

PROJECTS = Entity(
    "projects",
    key=("code",),
    help=_(
        "Projects: in a village (usually of its village plan), a county (possibly of a contiguous zone) or the "
        "province. A project's program, area, plan and zone are fixed once it is recorded."
    ),
    depends_on=("village_plans", "zones"),
    columns=(
        Column("code", TEXT, required=True, max_length=32, example="YS-2009-001", help=_("project code")),
        Column("name", TEXT, required=True, max_length=200, example="修建村屯道路"),
        Column("program", CODE, choices=ProgramType, required=True, example="village_advancement"),
        Column("category", CODE, choices=Category, required=True, example="infrastructure"),
        Column("area", AREA, required=True, example="230129100200", help=_("village, county or province code")),
        Column(
            "plan",
            AREA,
            example="230129100200",
            help=_("the village of the project's village plan (entire village advancement only): the project's area"),
        ),
        Column(
            "zone",
            TEXT,
            max_length=20,
            example="",
            help=_("code of the project's contiguous zone; the area must lie in one of its counties"),
        ),
        year_column("start_year", example="2009", help_=_("first year")),
        year_column("end_year", example="2009", help_=_("last year; not before the first")),
        Column("status", CODE, choices=ProjectStatus, example="completed", help=_("empty means planned")),
        Column("budget", DECIMAL, digits=12, example="350000.00", help=_("budget (yuan)")),
        Column("note", TEXT, max_length=NOTE_MAX_LENGTH, example=""),
    ),
)

OUTPUTS = Entity(
    "outputs",
    key=("project", "kind", "year"),
    help=_(
        "What a project delivered in a year, one row per kind of output of the catalogue (km of road, head of "
        "cattle, households connected to tap water...), in the catalogue's unit."
    ),
    depends_on=("projects",),
    columns=(
        project_column(),
        Column("kind", TEXT, required=True, max_length=40, example="road", help=_("code in the output catalogue")),
        year_column(),
        Column("quantity", QUANTITY, required=True, digits=11, example="3.5", help=_("zero or more")),
        Column(
            "unit",
            CODE,
            choices=Unit,
            required=True,
            example="km",
            help=_("the catalogue's unit of this kind of output: written out so that a wrong unit is caught"),
        ),
    ),
)

BENEFICIARIES = Entity(
    "beneficiaries",
    key=("project", "household"),
    help=_("Households a project reached (受益户); a household lives within its project's area."),
    depends_on=("projects", "households"),
    columns=(
        project_column(),
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001", refers_to="households"),
        year_column(help_=_("year the household benefited")),
    ),
)

LABOUR_INPUTS = Entity(
    "labour_inputs",
    key=("project", "year"),
    help=_("Labour villagers put into a project in a year (投工投劳)."),
    depends_on=("projects",),
    columns=(
        project_column(),
        year_column(),
        Column("persons", INT, required=True, minimum=LABOUR_MIN_PERSONS, maximum=2_147_483_647, example="120"),
        Column(
            "person_days",
            INT,
            required=True,
            minimum=0,
            maximum=2_147_483_647,
            example="1800",
            help=_("at least one day per person"),
        ),
    ),
)


def plan_programs(plan: Plan, ctx: ImportContext) -> None:
    load_programs.plan_programs(plan, ctx.ranges)


def write_programs(plan: Plan, ctx: ImportContext) -> None:
    load_programs.write_programs(plan, ctx.progress)


# --- export: batches are the province's and all go out; the rest within the areas: plans by
# village, zones with a county there, projects (and their outputs and labour) by area,
# beneficiaries by household, as each model's ``visible_to`` scopes them


def export_batches(ctx: ExportContext) -> pl.DataFrame:
    return db.fetch(
        "SELECT CAST(number AS TEXT), name, CAST(start_year AS TEXT), CAST(end_year AS TEXT), note FROM programs_batch",
        BATCHES.column_names,
    ).sort(pl.col("number").cast(pl.Int64))


def export_village_plans(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return (
        db.fetch(
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
            VILLAGE_PLANS.column_names,
            where=where,
            params=params,
        )
        .select(VILLAGE_PLANS.column_names)
        .sort("village")
    )


def export_zones(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    visible = (
        "z.id IN (SELECT c.contiguouszone_id FROM programs_contiguouszone_counties c "
        f"JOIN geo_adminarea a ON a.id = c.adminarea_id WHERE {where})"
        if where
        else ""
    )
    zones = db.fetch(
        "SELECT z.code, z.name, z.name_en, CAST(z.start_year AS TEXT), "
        + db.nullable_text("z.end_year")
        + ", z.note FROM programs_contiguouszone z",
        ["code", "name", "name_en", "start_year", "end_year", "note"],
        where=visible,
        params=params,
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
    return (
        zones.join(counties, on="code", how="left")
        .with_columns(pl.col("counties").fill_null(""))
        .select(ZONES.column_names)
        .sort("code")
    )


_PROJECT_JOIN = " JOIN programs_project p ON p.id = {t}.project_id JOIN geo_adminarea a ON a.id = p.area_id"


def export_projects(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(
        "SELECT p.code, p.name, p.program, p.category, a.code, COALESCE(pa.code, ''), COALESCE(z.code, ''), "
        "CAST(p.start_year AS TEXT), CAST(p.end_year AS TEXT), p.status, "
        + db.money("p.budget")
        + ", p.note FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id "
        "LEFT JOIN programs_villageplan vp ON vp.id = p.plan_id "
        "LEFT JOIN geo_adminarea pa ON pa.id = vp.village_id "
        "LEFT JOIN programs_contiguouszone z ON z.id = p.zone_id",
        PROJECTS.column_names,
        where=where,
        params=params,
    ).sort("code")


def export_outputs(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(
        "SELECT p.code, k.code, CAST(o.year AS TEXT), "
        + db.decimal("o.quantity", 3)
        + ", k.unit FROM programs_projectoutput o JOIN programs_outputkind k ON k.id = o.kind_id"
        + _PROJECT_JOIN.format(t="o"),
        OUTPUTS.column_names,
        where=where,
        params=params,
    ).sort("project", "kind", "year")


def export_beneficiaries(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(
        "SELECT p.code, h.code, CAST(b.year AS TEXT) FROM programs_beneficiary b "
        "JOIN programs_project p ON p.id = b.project_id JOIN registry_household h ON h.id = b.household_id "
        "JOIN geo_adminarea a ON a.id = h.village_id",
        BENEFICIARIES.column_names,
        where=where,
        params=params,
    ).sort("project", "household")


def export_labour_inputs(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(
        "SELECT p.code, CAST(x.year AS TEXT), CAST(x.persons AS TEXT), CAST(x.person_days AS TEXT) "
        "FROM programs_labourinput x" + _PROJECT_JOIN.format(t="x"),
        LABOUR_INPUTS.column_names,
        where=where,
        params=params,
    ).sort("project", "year")


# what docs/data-exchange.md says of the programs' files, by section (fupin.exchange.registry.DOC_SECTIONS)
DOCS: dict[str, list[Any]] = {
    "field_rules": [
        f"- A note holds at most {NOTE_MAX_LENGTH} characters.",
        "- Outputs, beneficiaries and labour are of a year within their project's years; labour counts at least "
        "one person and at least one day per person.",
        "- No two batches share a year.",
    ],
    "import": [
        "- **Batches and village plans**: a batch\u2019s years are in order. A village has one plan, in one "
        "batch (a plan does not move to another batch). Its status goes `planned` \u2192 `in_progress` "
        "\u2192 `accepted` and never back; `started_on` is empty while planned and given after; an accepted "
        "plan has its `accepted_on` (not before `started_on`), its `accepted_by` and every item of the "
        "四有三通三提高 checklist ticked, and an import does not change its acceptance again; a plan that "
        "is not accepted has neither date nor officials of acceptance.",
        "- **Contiguous zones**: the counties are one column of county codes separated by `;` (written "
        "sorted; order and repeats do not matter on import). Changing a zone\u2019s counties must keep its "
        "projects inside them.",
        "- **Projects**: the area is any area (a village, a county, the province). A project with a `plan` is "
        "of entire village advancement and lies in the plan\u2019s village; a project with a `zone` lies in "
        "one of the zone\u2019s counties. The plan and the zone must be in the package or the database. Once "
        "recorded, a project\u2019s program, area, plan and zone are not changed by an import. An empty status "
        "is `planned`, an empty budget 0.",
        "- **Outputs**: the kind must be in the output catalogue (which ships with Fupin and which the province "
        "extends in Fupin) and `unit` must be the catalogue\u2019s unit of that kind: the column is there so "
        "that a figure in the wrong unit (head for a road) is caught. Quantities are zero or more, with up "
        "to 3 decimals.",
        "- **Beneficiaries**: the household (in the package or the database) must live within the "
        "project\u2019s area. **Labour inputs**: at least one person-day per person.",
    ],
    "import_roles": [
        "`batches.csv` and `zones.csv` need "
        "the province role, `village_plans.csv` and `projects.csv` a county, `outputs.csv` and "
        "`labour_inputs.csv` a township, `beneficiaries.csv` a village clerk;",
    ],
    "import_scope": [
        # (the fund entries' sentence is here until the funds' docs say it themselves)
        "Village plans are in scope by their village, projects by their area, outputs and "
        "labour by their project\u2019s area, beneficiaries by their household and their project, fund "
        "entries by the area the money comes from, zones by their counties.",
    ],
    "export": [
        "- **Programs and funds**: every batch goes out; village plans by their village, zones with a county "
        "in scope (with all their counties), projects and their outputs and labour by the project\u2019s area, "
        "beneficiaries by their household\u2019s village, ledger entries by the area the money comes from. "
        "Ledger entries are sorted by date, then number.",
    ],
}

registry.register(
    BATCHES,
    plan=plan_programs,
    write=write_programs,
    export=export_batches,
    needs_role=Role.PROVINCE,
    models=load_programs.MODELS,
    label=pgettext_lazy("exchange file", "batches"),
    docs=DOCS,
)
registry.register(
    VILLAGE_PLANS,
    plan=plan_programs,
    write=write_programs,
    export=export_village_plans,
    needs_role=Role.COUNTY,
    label=pgettext_lazy("exchange file", "village plans"),
)
registry.register(
    ZONES,
    plan=plan_programs,
    write=write_programs,
    export=export_zones,
    needs_role=Role.PROVINCE,
    label=pgettext_lazy("exchange file", "contiguous zones"),
)
registry.register(
    PROJECTS,
    plan=plan_programs,
    write=write_programs,
    export=export_projects,
    needs_role=Role.COUNTY,
    label=pgettext_lazy("exchange file", "projects"),
)
registry.register(
    OUTPUTS,
    plan=plan_programs,
    write=write_programs,
    export=export_outputs,
    needs_role=Role.TOWNSHIP,
    label=pgettext_lazy("exchange file", "project outputs"),
)
registry.register(
    BENEFICIARIES,
    plan=plan_programs,
    write=write_programs,
    export=export_beneficiaries,
    label=pgettext_lazy("exchange file", "beneficiaries"),
)
registry.register(
    LABOUR_INPUTS,
    plan=plan_programs,
    write=write_programs,
    export=export_labour_inputs,
    needs_role=Role.TOWNSHIP,
    label=pgettext_lazy("exchange file", "labour inputs"),
)
