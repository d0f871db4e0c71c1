"""The files of the responsibility and assessment system in the exchange package
(``fupin.exchange.registry``): responsibility assignments, targets, assessments (with
their weights, ``indicator=weight`` joined by ``;``), typical models (with their figures,
``name=number`` joined by ``;``) and promotion meetings. Evidence files are not exchanged
(they are documents, attached on the assessment's page or through the API), nor are the
results of a run (they are computed again by running the assessment).

Each planner applies the rules of ``accountability.rules`` to the whole file with the
service's field and message (``tests/accountability/test_parity.py``). A package is
imported whole or not at all. These files are small (a province has some hundred
targets): the writers write row by row, inside the import's one transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.accountability import rules
from fupin.accountability.choices import ModelKind
from fupin.accountability.models import (
    AssessedDepartment,
    Assessment,
    ModelFigure,
    PromotionMeeting,
    ResponsibilityAssignment,
    Target,
    TypicalModel,
    Weight,
)
from fupin.core.choices import Role
from fupin.core.errors import OutOfScope
from fupin.core.rules import Rule
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, CODE, DATE, INT, TEXT, Column, Entity, year_column
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.registry.models import Household

_NAME = rules.NAME_MAX_LENGTH
_LONG = rules.TEXT_MAX_LENGTH

ASSIGNMENTS = Entity(
    "accountability_assignments",
    key=("area", "year", "leader_name"),
    help=_(
        "Responsibility assignments: the responsible leader of an area for a year, the implementing units, the tasks."
    ),
    depends_on=("areas",),
    columns=(
        Column("area", AREA, required=True, example="230129000000"),
        year_column(),
        Column("leader_name", TEXT, required=True, max_length=_NAME, example="张明"),
        Column("leader_post", TEXT, required=True, max_length=_NAME, example="县长"),
        Column("units", TEXT, required=True, max_length=_LONG, example="县扶贫办;县财政局", help=_("joined by ;")),
        Column("tasks", TEXT, required=True, max_length=_LONG, example="完成整村推进村20个"),
    ),
)

TARGETS = Entity(
    "accountability_targets",
    key=("year", "area", "department", "indicator"),
    help=_(
        "Yearly targets of counties, or of cities' departments (the city's code and the department's name), on "
        "indicators of the specification; a department's actual figure is entered with its target."
    ),
    depends_on=("areas",),
    columns=(
        year_column(),
        Column("area", AREA, required=True, example="230129000000", help=_("the county, or the department's city")),
        Column("department", TEXT, max_length=_NAME, example="", help=_("empty for a county")),
        Column(
            "indicator",
            TEXT,
            required=True,
            max_length=rules.INDICATOR_MAX_LENGTH,
            example="training.transfer.trained",
            help=_("an id of the specification (docs/indicators.md)"),
        ),
        Column("value", TEXT, required=True, max_length=40, example="1200", help=_("the target, above 0")),
        Column("actual", TEXT, max_length=40, example="", help=_("a department's actual figure")),
    ),
)

ASSESSMENTS = Entity(
    "accountability_assessments",
    key=("area", "year"),
    help=_("Target assessments of a year by the province or a city, with one weight per indicator."),
    depends_on=("areas",),
    columns=(
        Column("area", AREA, required=True, example="230100000000", help=_("the province, or a city")),
        year_column(),
        Column("title", TEXT, required=True, max_length=_NAME, example="哈尔滨市2009年扶贫开发目标考核"),
        Column(
            "weights",
            TEXT,
            required=True,
            max_length=_LONG,
            example="training.transfer.trained=40;evap.batch_villages_completed=60",
            help=_("indicator=weight joined by ; (0 or more, not all 0)"),
        ),
    ),
)

MODELS = Entity(
    "accountability_models",
    key=("code",),
    help=_("Typical models of a year (a village, a county, a household or an enterprise) with their case and figures."),
    depends_on=("areas", "households", "industry_enterprises"),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="TM-2009-YILAN"),
        Column("kind", CODE, choices=ModelKind, required=True, example="county"),
        year_column(),
        Column(
            "area",
            AREA,
            example="230123000000",
            help=_("the village or county (a household's or enterprise's is theirs)"),
        ),
        Column("household", TEXT, max_length=20, example="", refers_to="households"),
        Column("enterprise", TEXT, max_length=40, example="", refers_to="industry_enterprises"),
        Column("title", TEXT, required=True, max_length=_NAME, example="依兰县高标准整村推进"),
        Column("case_zh", TEXT, required=True, max_length=_LONG, example="依兰县集中财力……"),
        Column("case_en", TEXT, required=True, max_length=_LONG, example="Yilan County concentrated …"),
        Column(
            "figures",
            TEXT,
            max_length=_LONG,
            example="villages=20;funds_yuan=25600000",
            help=_("name=number joined by ;"),
        ),
    ),
)

MEETINGS = Entity(
    "accountability_meetings",
    key=("date", "area", "title"),
    help=_("On-the-spot promotion meetings held in an area."),
    depends_on=("areas",),
    columns=(
        Column("date", DATE, required=True, example="2009-09-15"),
        Column("area", AREA, required=True, example="230123000000"),
        Column("title", TEXT, required=True, max_length=_NAME, example="全省整村推进现场推进会"),
        Column("participants", INT, required=True, example="150"),
    ),
)


# --- the planners' tools -----------------------------------------------------------------------------


def _refuse(plan: Plan, entity: str, frame: pl.DataFrame, rule: Rule, **fill: Any) -> None:
    errors_where(plan, entity, frame, rule.where(), rule.field, rule.reason(**fill))


def _out_of_scope(plan: Plan, entity: str, frame: pl.DataFrame, column: str, ranges: Any) -> None:
    blank = pl.col(column).is_null() | (pl.col(column) == "")
    errors_where(plan, entity, frame, ~blank & ~scope_expr(column, ranges), column, str(OutOfScope.default_message))


def _levels(frame: pl.DataFrame, column: str, alias: str) -> pl.DataFrame:
    areas = db.fetch(
        "SELECT code, level FROM geo_adminarea", [column, alias], "code", frame[column].drop_nulls().unique().to_list()
    )
    return frame.join(areas, on=column, how="left")


def _blank_to_empty(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    return frame.with_columns(*(pl.col(c).fill_null("") for c in columns))


def _pairs(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per ``name=value`` of the column: ``_line``, ``indicator``, ``weight``."""
    return (
        frame.select("_line", pl.col(column).fill_null("").str.replace_all("\n", ";").str.split(";").alias("_p"))
        .explode("_p")
        .filter(pl.col("_p").str.strip_chars() != "")
        .select(
            "_line",
            pl.col("_p").str.split_exact("=", 1).struct.field("field_0").str.strip_chars().alias("indicator"),
            pl.col("_p").str.split_exact("=", 1).struct.field("field_1").str.strip_chars().alias("weight"),
            pl.col("_p").str.strip_chars().alias("figure"),
        )
    )


# --- current rows -------------------------------------------------------------------------------------------

_ASSIGNMENT_SELECT = (
    "SELECT a.code, CAST(r.year AS TEXT), r.leader_name, r.leader_post, r.units, r.tasks "
    "FROM accountability_responsibilityassignment r JOIN geo_adminarea a ON a.id = r.area_id"
)
_TARGET_SELECT = (
    "SELECT CAST(t.year AS TEXT), COALESCE(a.code, c.code), COALESCE(d.name, ''), t.indicator, "
    + db.decimal("t.value", rules.FIGURE_DECIMALS)
    + ", "
    + "CASE WHEN t.actual IS NULL THEN NULL ELSE "
    + db.decimal("t.actual", rules.FIGURE_DECIMALS)
    + " END"
    + " FROM accountability_target t LEFT JOIN geo_adminarea a ON a.id = t.area_id "
    "LEFT JOIN accountability_assesseddepartment d ON d.id = t.department_id "
    "LEFT JOIN geo_adminarea c ON c.id = d.city_id"
)
_ASSESSMENT_SELECT = (
    "SELECT a.code, CAST(s.year AS TEXT), s.title, CAST(s.id AS TEXT) "
    "FROM accountability_assessment s JOIN geo_adminarea a ON a.id = s.area_id"
)
_MODEL_SELECT = (
    "SELECT m.code, m.kind, CAST(m.year AS TEXT), a.code, COALESCE(h.code, ''), COALESCE(e.code, ''), m.title, "
    "m.case_zh, m.case_en, CAST(m.id AS TEXT) FROM accountability_typicalmodel m "
    "JOIN geo_adminarea a ON a.id = m.area_id LEFT JOIN registry_household h ON h.id = m.household_id "
    "LEFT JOIN industry_enterprise e ON e.id = m.enterprise_id"
)
_MEETING_SELECT = (
    "SELECT " + db.nullable_text("m.date") + ", a.code, m.title, CAST(m.participants AS TEXT) "
    "FROM accountability_promotionmeeting m JOIN geo_adminarea a ON a.id = m.area_id"
)


def _weights_text(ids: list[str]) -> dict[str, str]:
    rows = db.fetch(
        "SELECT CAST(w.assessment_id AS TEXT), w.indicator, "
        + db.decimal("w.weight", 2)
        + " FROM accountability_weight w",
        ["id", "indicator", "weight"],
    )
    rows = rows.filter(pl.col("id").is_in(ids)).sort("id", "indicator")
    out: dict[str, list[str]] = {}
    for assessment, indicator, weight in rows.iter_rows():
        out.setdefault(assessment, []).append(f"{indicator}={_plain(weight)}")
    return {k: ";".join(v) for k, v in out.items()}


def _figures_text(ids: list[str]) -> dict[str, str]:
    rows = (
        db.fetch(
            "SELECT CAST(f.model_id AS TEXT), f.key, "
            + db.decimal("f.value", 3)
            + " FROM accountability_modelfigure f",
            ["id", "key", "value"],
        )
        .filter(pl.col("id").is_in(ids))
        .sort("id", "key")
    )
    out: dict[str, list[str]] = {}
    for model, key, value in rows.iter_rows():
        out.setdefault(model, []).append(f"{key}={_plain(value)}")
    return {k: ";".join(v) for k, v in out.items()}


def _plain(number: str | None) -> str:
    if number is None:
        return ""
    return format(Decimal(number).normalize(), "f")


def _plain_or_given(value: str) -> str:
    try:
        return _plain(value)
    except ArithmeticError:
        return value


def _canonical_pairs(text: str | None) -> str:
    """``a=1.50;b=2`` in the export's form (sorted by name, numbers without trailing zeros)."""
    pairs = []
    for name, value in rules.weight_rows(text or ""):
        pairs.append(f"{name}={_plain_or_given(value)}")
    return ";".join(sorted(pairs))


# --- planners ------------------------------------------------------------------------------------------------


def plan_assignments(plan: Plan, ctx: ImportContext) -> None:
    name = "accountability_assignments"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = frame.with_columns(
        pl.col("units")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.filter(pl.element() != "")
        .list.join("\n")
    )
    _out_of_scope(plan, name, frame, "area", ctx.ranges)
    current = db.fetch(_ASSIGNMENT_SELECT, ASSIGNMENTS.column_names)
    plan.changes[name] = compare(frame, current, list(ASSIGNMENTS.key), ["leader_post", "units", "tasks"])


def plan_targets(plan: Plan, ctx: ImportContext) -> None:
    name = "accountability_targets"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _levels(_blank_to_empty(frame, "department"), "area", "area_level")
    _refuse(plan, name, frame, rules.INDICATOR_KNOWN)
    _refuse(plan, name, frame, rules.TARGET_AREA_LEVEL)
    _refuse(plan, name, frame, rules.TARGET_POSITIVE)
    _refuse(plan, name, frame, rules.ACTUAL_ONLY_FOR_DEPARTMENTS)
    _refuse(plan, name, frame, rules.ACTUAL_NOT_NEGATIVE)
    _out_of_scope(plan, name, frame, "area", ctx.ranges)
    # the normal form of the database's figures (3 decimals), for the comparison
    figure = pl.Decimal(18 + rules.FIGURE_DECIMALS, rules.FIGURE_DECIMALS)
    frame = frame.with_columns(
        *(pl.col(c).str.strip_chars().cast(figure, strict=False).cast(pl.String).alias(c) for c in ("value", "actual"))
    )
    current = db.fetch(_TARGET_SELECT, TARGETS.column_names)
    plan.changes[name] = compare(
        frame.select(["_line", *TARGETS.column_names]), current, list(TARGETS.key), ["value", "actual"]
    )


def plan_assessments(plan: Plan, ctx: ImportContext) -> None:
    name = "accountability_assessments"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _levels(frame, "area", "area_level")
    _refuse(plan, name, frame, rules.ASSESSOR_LEVEL)
    weights = _pairs(frame, "weights")
    for rule in rules.WEIGHT_RULES:
        errors_where(plan, name, weights, rule.where(), rule.field, rule.reason(maximum=pl.lit(str(rules.WEIGHT_MAX))))
    zero = rules.all_zero(
        pl.concat(
            [
                weights.select("_line", "indicator", "weight"),
                frame.select(
                    "_line", pl.lit(None, pl.String).alias("indicator"), pl.lit(None, pl.String).alias("weight")
                ),
            ]
        ),
        "_line",
    )
    errors_where(
        plan,
        name,
        frame.join(zero, on="_line", how="semi"),
        pl.lit(True),
        rules.WEIGHTS_NOT_ALL_ZERO.field,
        rules.WEIGHTS_NOT_ALL_ZERO.reason(),
    )
    _out_of_scope(plan, name, frame, "area", ctx.ranges)
    current = db.fetch(_ASSESSMENT_SELECT, ["area", "year", "title", "id"])
    texts = _weights_text(current["id"].to_list())
    current = current.with_columns(
        pl.col("id").replace_strict(texts, default="", return_dtype=pl.String).alias("weights")
    ).drop("id")
    frame = frame.with_columns(pl.col("weights").map_elements(_canonical_pairs, return_dtype=pl.String))
    plan.changes[name] = compare(
        frame.select(["_line", *ASSESSMENTS.column_names]), current, list(ASSESSMENTS.key), ["title", "weights"]
    )


def plan_models(plan: Plan, ctx: ImportContext) -> None:
    name = "accountability_models"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _blank_to_empty(frame, "household", "enterprise", "area", "figures")
    homes = db.fetch(
        "SELECT h.code, a.code FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        ["household", "_home"],
        "h.code",
        frame["household"].filter(frame["household"] != "").unique().to_list(),
    )
    firms = db.fetch(
        "SELECT e.code, a.code FROM industry_enterprise e JOIN geo_adminarea a ON a.id = e.county_id",
        ["enterprise", "_seat"],
        "e.code",
        frame["enterprise"].filter(frame["enterprise"] != "").unique().to_list(),
    )
    frame = frame.join(homes, on="household", how="left").join(firms, on="enterprise", how="left")
    errors_where(
        plan,
        name,
        frame,
        (pl.col("household") != "") & pl.col("_home").is_null(),
        "household",
        gettext("No household with this code is in the registry."),
    )
    errors_where(
        plan,
        name,
        frame,
        (pl.col("enterprise") != "") & pl.col("_seat").is_null(),
        "enterprise",
        gettext("No leading enterprise with this code."),
    )
    frame = frame.with_columns(
        pl.when(pl.col("kind") == "household")
        .then(pl.col("_home"))
        .when(pl.col("kind") == "enterprise")
        .then(pl.col("_seat"))
        .otherwise(pl.col("area"))
        .fill_null("")
        .alias("area"),
        pl.when(pl.col("kind") == "household").then(pl.col("household")).otherwise(pl.lit("")).alias("household"),
        pl.when(pl.col("kind") == "enterprise").then(pl.col("enterprise")).otherwise(pl.lit("")).alias("enterprise"),
    )
    frame = _levels(frame, "area", "area_level").with_columns(pl.col("area_level").fill_null(""))
    _refuse(plan, name, frame, rules.MODEL_SUBJECT)
    figures = _pairs(frame, "figures")
    bad = (
        pl.col("indicator").is_null()
        | (pl.col("indicator") == "")
        | pl.col("weight").cast(pl.Float64, strict=False).is_null()
        | (pl.col("indicator").str.len_chars() > rules.KEY_MAX_LENGTH)
    )
    errors_where(plan, name, figures, bad, rules.FIGURE_FORMAT.field, rules.FIGURE_FORMAT.reason(figure="figure"))
    _out_of_scope(plan, name, frame, "area", ctx.ranges)
    current = db.fetch(_MODEL_SELECT, [*MODELS.column_names[:-1], "id"])
    texts = _figures_text(current["id"].to_list())
    current = current.with_columns(
        pl.col("id").replace_strict(texts, default="", return_dtype=pl.String).alias("figures")
    ).drop("id")
    frame = frame.with_columns(pl.col("figures").map_elements(_canonical_pairs, return_dtype=pl.String))
    plan.changes[name] = compare(
        frame.select(["_line", *MODELS.column_names]), current, ["code"], MODELS.column_names[1:]
    )


def plan_meetings(plan: Plan, ctx: ImportContext) -> None:
    name = "accountability_meetings"
    frame = plan.frames.get(name)
    if frame is None:
        return
    _refuse(plan, name, frame, rules.PARTICIPANTS_POSITIVE)
    _out_of_scope(plan, name, frame, "area", ctx.ranges)
    current = db.fetch(_MEETING_SELECT, MEETINGS.column_names)
    plan.changes[name] = compare(frame, current, list(MEETINGS.key), ["participants"])


# --- writers ---------------------------------------------------------------------------------------------------


def _areas(frame: pl.DataFrame, column: str = "area") -> dict[str, AdminArea]:
    return {a.code: a for a in AdminArea.objects.filter(code__in=frame[column].drop_nulls().unique().to_list())}


def _rows(plan: Plan, name: str) -> pl.DataFrame | None:
    changes = plan.changes.get(name)
    if changes is None:
        return None
    return pl.concat([changes.new, changes.changed], how="diagonal_relaxed")


def write_assignments(plan: Plan, ctx: ImportContext) -> None:
    rows = _rows(plan, "accountability_assignments")
    if rows is None:
        return
    areas = _areas(rows)
    for r in rows.iter_rows(named=True):
        ResponsibilityAssignment.objects.update_or_create(
            area=areas[r["area"]],
            year=int(r["year"]),
            leader_name=r["leader_name"],
            defaults={"leader_post": r["leader_post"], "units": r["units"], "tasks": r["tasks"]},
        )
    ctx.progress("accountability_assignments", rows.height)


def write_targets(plan: Plan, ctx: ImportContext) -> None:
    rows = _rows(plan, "accountability_targets")
    if rows is None:
        return
    areas = _areas(rows)
    for r in rows.iter_rows(named=True):
        area = areas[r["area"]]
        unit: dict[str, Any]
        if r["department"]:
            unit = {"department": AssessedDepartment.objects.get_or_create(city=area, name=r["department"])[0]}
        else:
            unit = {"area": area}
        Target.objects.update_or_create(
            year=int(r["year"]),
            indicator=r["indicator"],
            **unit,
            defaults={"value": Decimal(r["value"]), "actual": Decimal(r["actual"]) if r["actual"] else None},
        )
    ctx.progress("accountability_targets", rows.height)


def write_assessments(plan: Plan, ctx: ImportContext) -> None:
    rows = _rows(plan, "accountability_assessments")
    if rows is None:
        return
    areas = _areas(rows)
    for r in rows.iter_rows(named=True):
        assessment, _created = Assessment.objects.update_or_create(
            area=areas[r["area"]], year=int(r["year"]), defaults={"title": r["title"]}
        )
        assessment.weights.all().delete()
        Weight.objects.bulk_create(
            Weight(assessment=assessment, indicator=k, weight=Decimal(v)) for k, v in rules.weight_rows(r["weights"])
        )
    ctx.progress("accountability_assessments", rows.height)


def write_models(plan: Plan, ctx: ImportContext) -> None:
    rows = _rows(plan, "accountability_models")
    if rows is None:
        return
    areas = _areas(rows)
    for r in rows.iter_rows(named=True):
        model, _created = TypicalModel.objects.update_or_create(
            code=r["code"],
            defaults={
                "kind": r["kind"],
                "year": int(r["year"]),
                "area": areas[r["area"]],
                "household": Household.objects.get(code=r["household"]) if r["household"] else None,
                "enterprise": Enterprise.objects.get(code=r["enterprise"].upper()) if r["enterprise"] else None,
                "title": r["title"],
                "case_zh": r["case_zh"],
                "case_en": r["case_en"],
            },
        )
        model.figures.all().delete()
        ModelFigure.objects.bulk_create(
            ModelFigure(model=model, key=k, value=Decimal(v)) for k, v in rules.figure_rows(r["figures"] or "")
        )
    ctx.progress("accountability_models", rows.height)


def write_meetings(plan: Plan, ctx: ImportContext) -> None:
    rows = _rows(plan, "accountability_meetings")
    if rows is None:
        return
    areas = _areas(rows)
    for r in rows.iter_rows(named=True):
        PromotionMeeting.objects.update_or_create(
            date=r["date"], area=areas[r["area"]], title=r["title"], defaults={"participants": int(r["participants"])}
        )
    ctx.progress("accountability_meetings", rows.height)


# --- export -------------------------------------------------------------------------------------------------------


def export_assignments(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    frame = db.fetch(_ASSIGNMENT_SELECT, ASSIGNMENTS.column_names, where=where, params=params)
    return frame.with_columns(pl.col("units").str.replace_all("\n", ";")).sort(list(ASSIGNMENTS.key))


def export_targets(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("COALESCE(a.code, c.code)")
    frame = db.fetch(_TARGET_SELECT, TARGETS.column_names, where=where, params=params)
    return frame.with_columns(pl.col("actual").fill_null("")).sort(list(TARGETS.key))


def export_assessments(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    frame = db.fetch(_ASSESSMENT_SELECT, ["area", "year", "title", "id"], where=where, params=params)
    texts = _weights_text(frame["id"].to_list())
    return (
        frame.with_columns(pl.col("id").replace_strict(texts, default="", return_dtype=pl.String).alias("weights"))
        .select(ASSESSMENTS.column_names)
        .sort(list(ASSESSMENTS.key))
    )


def export_models(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    frame = db.fetch(_MODEL_SELECT, [*MODELS.column_names[:-1], "id"], where=where, params=params)
    texts = _figures_text(frame["id"].to_list())
    return (
        frame.with_columns(pl.col("id").replace_strict(texts, default="", return_dtype=pl.String).alias("figures"))
        .select(MODELS.column_names)
        .sort("code")
    )


def export_meetings(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_MEETING_SELECT, MEETINGS.column_names, where=where, params=params).sort(list(MEETINGS.key))


# --- registration ---------------------------------------------------------------------------------------------------

DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Responsibility and assessment** (`docs/accountability.md`): the rules of `fupin.accountability.rules` "
        "apply to the files as the services apply them to one record, with the same field and message. A target "
        "is set on an indicator of the specification (an unknown id is refused), for a county, or for a "
        "department of a city (`area` the city, `department` its name; the department is registered when new), "
        "above 0; an actual figure is entered only for a department. An assessment is made by the province or a "
        "city; its `weights` are `indicator=weight` joined by `;`, each a known indicator, 0 or more, and not all "
        "0. A typical model of a village or county is that area; of a household or an enterprise, it names it. "
        "Evidence files and the results of a run are not exchanged.",
    ],
    "import_roles": [
        "`accountability_assignments.csv` and `accountability_meetings.csv` need a county, "
        "`accountability_targets.csv`, `accountability_assessments.csv` and `accountability_models.csv` a city "
        "(the province's assessment, the province);",
    ],
}

registry.register(
    ASSIGNMENTS,
    plan=plan_assignments,
    write=write_assignments,
    export=export_assignments,
    needs_role=Role.COUNTY,
    models=(ResponsibilityAssignment,),
    label=pgettext_lazy("exchange file", "responsibility assignments"),
    docs=DOCS,
)
registry.register(
    TARGETS,
    plan=plan_targets,
    write=write_targets,
    export=export_targets,
    needs_role=Role.CITY,
    models=(AssessedDepartment, Target),
    label=pgettext_lazy("exchange file", "assessment targets"),
)
registry.register(
    ASSESSMENTS,
    plan=plan_assessments,
    write=write_assessments,
    export=export_assessments,
    needs_role=Role.CITY,
    models=(Assessment, Weight),
    label=pgettext_lazy("exchange file", "assessments"),
)
registry.register(
    MODELS,
    plan=plan_models,
    write=write_models,
    export=export_models,
    needs_role=Role.CITY,
    models=(TypicalModel, ModelFigure),
    label=pgettext_lazy("exchange file", "typical models"),
)
registry.register(
    MEETINGS,
    plan=plan_meetings,
    write=write_meetings,
    export=export_meetings,
    needs_role=Role.COUNTY,
    models=(PromotionMeeting,),
    label=pgettext_lazy("exchange file", "promotion meetings"),
)
