"""Social and pairing assistance's files of the exchange package (``fupin.exchange.registry``):
assisting units, pairings, cadres, contributions, supported projects and aided students.

Each planner compares its file with the database by natural key and applies the rules of
``assistance.rules`` to the whole file at once: the very expressions the services evaluate
on one record, with their field and message (``tests/assistance/test_parity.py``). A
contribution is written through ``services.contribution_create``, so that its receipt in
the funds ledger is posted by the funds service, inside the import's one transaction; a
contribution already recorded is not changed by an import. A package is imported whole or
not at all."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.assistance import rules, services
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
from fupin.core.choices import Role
from fupin.core.errors import OutOfScope
from fupin.core.rules import Rule
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr, write_rows
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, CODE, DATE, ID_NUMBER, SIGNED_DECIMAL, TEXT, Column, Entity, year_column

_UNIT = Column(
    "unit", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="SZ-001", refers_to="assistance_units"
)

UNITS = Entity(
    "assistance_units",
    key=("code",),
    help=_("Assisting units (帮扶单位) by code, with their level and their own area."),
    depends_on=("areas",),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="SZ-001"),
        Column("name", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="省财政厅"),
        Column("name_en", TEXT, max_length=rules.NAME_MAX_LENGTH, example="Provincial Finance Department"),
        Column("level", CODE, choices=UnitLevel, required=True, example="provincial"),
        Column(
            "area",
            AREA,
            required=True,
            example="230000000000",
            help=_("the unit's own area: the province, its city or its county, or where it is registered"),
        ),
    ),
)

PAIRINGS = Entity(
    "assistance_pairings",
    key=("unit", "area", "start_year"),
    help=_("Pairings of assisting units with counties, townships and villages, by years, within each unit's reach."),
    depends_on=("assistance_units", "areas"),
    columns=(
        _UNIT,
        Column("area", AREA, required=True, example="230129000000", help=_("a county, township or village")),
        year_column("start_year", example="2009", help_=_("first year")),
        year_column("end_year", required=False, example="2010", help_=_("last year; empty: the first")),
    ),
)

CADRES = Entity(
    "assistance_cadres",
    key=("unit", "name", "start_date"),
    help=_(
        "Cadres dispatched by assisting units (resident work teams, first secretaries), people outside the registry."
    ),
    depends_on=("assistance_units", "areas"),
    columns=(
        _UNIT,
        Column("name", TEXT, required=True, max_length=100, example="王明"),
        Column("post", TEXT, max_length=rules.TEXT_MAX_LENGTH, example="驻村第一书记"),
        Column("kind", CODE, choices=CadreKind, required=True, example="first_secretary"),
        Column("place", AREA, required=True, example="230129100200", help=_("the area the cadre is sent to")),
        Column("start_date", DATE, required=True, example="2009-03-01"),
        Column("end_date", DATE, example="", help=_("empty: still there")),
    ),
)

CONTRIBUTIONS = Entity(
    "assistance_contributions",
    key=("number",),
    help=_(
        "Contributions of assisting units (grants and introduced investment, cash or in kind at its value) to an "
        "area or a programs project; each is received in the funds ledger as a social source at the recipient's "
        "county."
    ),
    depends_on=("assistance_units", "areas", "projects", "fund_entries"),
    columns=(
        Column("number", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="SH2009-000001"),
        _UNIT,
        Column("kind", CODE, choices=ContributionKind, required=True, example="grant"),
        Column("form", CODE, choices=ContributionForm, example="cash"),
        # signed, so that the rule CONTRIBUTION_VALUE_POSITIVE says what the service says of a negative value
        Column("value", SIGNED_DECIMAL, required=True, digits=12, example="50000.00", help=_("yuan, more than 0")),
        Column("date", DATE, required=True, example="2009-05-01"),
        Column("area", AREA, example="230129100200", help=_("recipient area; empty for a project")),
        Column("project", TEXT, max_length=32, example="", refers_to="projects", help=_("recipient project code")),
        Column("description", TEXT, max_length=rules.TEXT_MAX_LENGTH, example="修建村道"),
        Column(
            "ledger_entry",
            TEXT,
            max_length=40,
            example="",
            refers_to="fund_entries",
            help=_("the number of its receipt in the funds ledger; empty: the import posts the receipt"),
        ),
    ),
)

PROJECTS = Entity(
    "assistance_projects",
    key=("unit", "project", "year"),
    help=_("Programs projects built with the help of assisting units, by year."),
    depends_on=("assistance_units", "projects"),
    columns=(
        _UNIT,
        Column("project", TEXT, required=True, max_length=32, example="ZT4-230129100200-01", refers_to="projects"),
        year_column(),
    ),
)

CLASSES = Entity(
    "assistance_classes",
    key=("klass",),
    help=_("Training classes organised by assisting units (the class's trainees are the farmers the unit trained)."),
    depends_on=("assistance_units", "training_classes"),
    columns=(
        _UNIT,
        Column(
            "klass", TEXT, required=True, max_length=64, example="ZC2009-230129100200", refers_to="training_classes"
        ),
    ),
)

STUDENTS = Entity(
    "assistance_students",
    key=("unit", "id_number", "year"),
    help=_("Students aided by assisting units: persons of the registry, by ID number, with school and amount."),
    depends_on=("assistance_units", "members"),
    columns=(
        _UNIT,
        Column("id_number", ID_NUMBER, required=True, example="230129199501011234", refers_to="members"),
        year_column(),
        Column("school", TEXT, required=True, max_length=rules.TEXT_MAX_LENGTH, example="延寿县第一中学"),
        Column("amount", SIGNED_DECIMAL, required=True, digits=10, example="800.00", help=_("yuan, more than 0")),
    ),
)


# --- the planners' tools -------------------------------------------------------------------------------


def _refuse(
    plan: Plan, entity: str, frame: pl.DataFrame, rule: Rule, *, column: str | None = None, **fill: Any
) -> None:
    errors_where(plan, entity, frame, rule.where(), column or rule.field, rule.reason(**fill))


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column) == "")


def _out_of_scope(plan: Plan, entity: str, frame: pl.DataFrame, column: str, ranges: Any) -> None:
    errors_where(
        plan, entity, frame, ~_blank(column) & ~scope_expr(column, ranges), column, str(OutOfScope.default_message)
    )


def _levels(codes: list[str], names: tuple[str, str]) -> pl.DataFrame:
    return db.fetch("SELECT code, level FROM geo_adminarea", list(names), "code", codes)


def _units(plan: Plan) -> pl.DataFrame:
    """Unit code -> its level and own area, the package's over the database's."""
    stored = db.fetch(
        "SELECT u.code, u.level, a.code FROM assistance_assistingunit u JOIN geo_adminarea a ON a.id = u.area_id",
        ["unit", "level", "unit_area"],
    )
    given = plan.frames.get("assistance_units")
    if given is None or given.height == 0:
        return stored
    given = given.select(pl.col("code").alias("unit"), "level", pl.col("area").alias("unit_area"))
    return pl.concat([given, stored.filter(~pl.col("unit").is_in(given["unit"].implode()))])


def _with_unit(plan: Plan, name: str, frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.join(_units(plan), on="unit", how="left")
    errors_where(plan, name, frame, ~_blank("unit") & pl.col("level").is_null(), "unit", rules.UNKNOWN_UNIT.reason())
    return frame.filter(pl.col("level").is_not_null())


def _changed_rows(plan: Plan, name: str) -> pl.DataFrame:
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed], how="diagonal_relaxed")


# --- current rows ---------------------------------------------------------------------------------------------

_UNIT_SELECT = (
    "SELECT u.code, u.name, u.name_en, u.level, a.code FROM assistance_assistingunit u "
    "JOIN geo_adminarea a ON a.id = u.area_id"
)
_PAIRING_SELECT = (
    "SELECT u.code, a.code, CAST(p.start_year AS TEXT), CAST(p.end_year AS TEXT) FROM assistance_pairing p "
    "JOIN assistance_assistingunit u ON u.id = p.unit_id JOIN geo_adminarea a ON a.id = p.area_id"
)
_CADRE_SELECT = (
    "SELECT u.code, c.name, c.post, c.kind, a.code, "
    + db.nullable_text("c.start_date")
    + ", "
    + db.nullable_text("c.end_date")
    + " FROM assistance_cadre c JOIN assistance_assistingunit u ON u.id = c.unit_id "
    "JOIN geo_adminarea a ON a.id = c.place_id"
)
_CONTRIBUTION_SELECT = (
    "SELECT c.number, u.code, c.kind, c.form, "
    + db.money("c.value")
    + ", "
    + db.nullable_text("c.date")
    + ", CASE WHEN c.project_id IS NULL THEN a.code ELSE '' END, COALESCE(p.code, ''), c.description, "
    "COALESCE(e.number, '') FROM assistance_contribution c JOIN assistance_assistingunit u ON u.id = c.unit_id "
    "JOIN geo_adminarea a ON a.id = c.area_id LEFT JOIN programs_project p ON p.id = c.project_id "
    "LEFT JOIN funds_entry e ON e.id = c.entry_id"
)
_PROJECT_SELECT = (
    "SELECT u.code, p.code, CAST(s.year AS TEXT) FROM assistance_supportedproject s "
    "JOIN assistance_assistingunit u ON u.id = s.unit_id JOIN programs_project p ON p.id = s.project_id"
)
_CLASS_SELECT = (
    "SELECT c.code, u.code FROM assistance_unitclass l JOIN training_trainingclass c ON c.id = l.klass_id "
    "JOIN assistance_assistingunit u ON u.id = l.unit_id"
)
_STUDENT_SELECT = (
    "SELECT u.code, pe.id_number, CAST(s.year AS TEXT), s.school, "
    + db.money("s.amount")
    + " FROM assistance_studentaid s JOIN assistance_assistingunit u ON u.id = s.unit_id "
    "JOIN registry_person pe ON pe.id = s.person_id"
)


# --- planners -----------------------------------------------------------------------------------------------


def plan_units(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_units"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = frame.with_columns(pl.col("name_en").fill_null(""))
    frame = frame.join(
        _levels(frame["area"].drop_nulls().unique().to_list(), ("area", "area_level")), on="area", how="left"
    )
    _refuse(plan, name, frame, rules.UNIT_AREA_LEVEL)
    columns = UNITS.column_names
    current = db.fetch(_UNIT_SELECT, columns, "u.code", frame["code"].to_list())
    plan.changes[name] = compare(frame.select(["_line", *columns]), current, ["code"], columns[1:])
    _out_of_scope(plan, name, _changed_rows(plan, name), "area", ctx.ranges)


def plan_pairings(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_pairings"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = frame.with_columns(pl.coalesce(pl.col("end_year"), pl.col("start_year")).alias("end_year"))
    frame = _with_unit(plan, name, frame)
    frame = frame.join(
        _levels(frame["area"].drop_nulls().unique().to_list(), ("area", "area_level")), on="area", how="left"
    )
    _refuse(plan, name, frame, rules.PAIRING_AREA_LEVEL)
    _refuse(plan, name, frame, rules.REACH)
    _refuse(plan, name, frame, rules.PAIRING_YEARS)
    _out_of_scope(plan, name, frame, "area", ctx.ranges)
    columns = PAIRINGS.column_names
    current = db.fetch(_PAIRING_SELECT, columns, "u.code", frame["unit"].unique().to_list())
    plan.changes[name] = compare(
        frame.select(["_line", *columns]), current, ["unit", "area", "start_year"], ["end_year"]
    )


def plan_cadres(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_cadres"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _with_unit(plan, name, frame.with_columns(pl.col("post").fill_null("")))
    _refuse(plan, name, frame.with_columns(pl.col("place").alias("area")), rules.REACH, column="place", area="place")
    _refuse(plan, name, frame, rules.CADRE_DATES)
    _out_of_scope(plan, name, frame, "place", ctx.ranges)
    columns = CADRES.column_names
    current = db.fetch(_CADRE_SELECT, columns, "u.code", frame["unit"].unique().to_list())
    plan.changes[name] = compare(
        frame.select(["_line", *columns]),
        current,
        ["unit", "name", "start_date"],
        ["post", "kind", "place", "end_date"],
    )


def _project_areas(codes: list[str], plan: Plan | None = None) -> pl.DataFrame:
    """Project code -> its area, the package's over the database's."""
    stored = db.fetch(
        "SELECT p.code, a.code FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id",
        ["project", "project_area"],
        "p.code",
        codes,
    )
    given = plan.frames.get("projects") if plan is not None else None
    if given is None or given.height == 0:
        return stored
    given = given.select(pl.col("code").alias("project"), pl.col("area").alias("project_area"))
    return pl.concat([given, stored.filter(~pl.col("project").is_in(given["project"].implode()))])


def plan_contributions(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_contributions"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = frame.with_columns(
        *(pl.col(c).fill_null("") for c in ("area", "project", "description", "ledger_entry")),
        pl.col("form").fill_null("cash"),
    )
    frame = _with_unit(plan, name, frame)
    _refuse(plan, name, frame, rules.CONTRIBUTION_VALUE_POSITIVE)
    _refuse(plan, name, frame, rules.CONTRIBUTION_RECIPIENT)
    projects = _project_areas(frame.filter(pl.col("project") != "")["project"].unique().to_list(), plan)
    frame = frame.join(projects, on="project", how="left")
    errors_where(
        plan,
        name,
        frame,
        (pl.col("project") != "") & pl.col("project_area").is_null(),
        "project",
        pl.concat_str([pl.lit(gettext("Unknown project ")), pl.col("project")]),
    )
    by_area = frame.filter(pl.col("project") == "")
    by_area = by_area.join(
        _levels(by_area["area"].unique().to_list(), ("area", "area_level")), on="area", how="left"
    ).filter(pl.col("area") != "")
    _refuse(plan, name, by_area, rules.PAIRING_AREA_LEVEL)
    recipient = frame.with_columns(pl.coalesce(pl.col("project_area"), pl.col("area")).alias("area")).filter(
        pl.col("area") != ""
    )
    _refuse(plan, name, recipient.filter(pl.col("project") == ""), rules.REACH)
    _refuse(plan, name, recipient.filter(pl.col("project") != ""), rules.REACH, column="project")
    _out_of_scope(plan, name, recipient, "area", ctx.ranges)
    _check_entries(plan, name, recipient)
    columns = CONTRIBUTIONS.column_names
    current = db.fetch(_CONTRIBUTION_SELECT, columns, "c.number", frame["number"].to_list())
    changes = compare(frame.select(["_line", *columns]), current, ["number"], columns[1:])
    _refuse(plan, name, changes.changed.with_columns(pl.lit(True).alias("recorded")), rules.CONTRIBUTION_RECORDED)
    plan.changes[name] = changes


def _check_entries(plan: Plan, name: str, frame: pl.DataFrame) -> None:
    """A contribution naming its ledger receipt: the entry (the package's over the
    database's) is an appropriation of its source and value at the recipient's county."""
    frame = frame.filter(pl.col("ledger_entry") != "")
    if frame.height == 0:
        return
    numbers = frame["ledger_entry"].unique().to_list()
    names = ["ledger_entry", "entry_kind", "entry_source", "entry_amount", "entry_area", "entry_owner"]
    stored = db.fetch(
        "SELECT e.number, e.kind, e.source, " + db.money("e.amount") + ", a.code, COALESCE(c.number, '') "
        "FROM funds_entry e JOIN geo_adminarea a ON a.id = e.area_id "
        "LEFT JOIN assistance_contribution c ON c.entry_id = e.id",
        names,
        "e.number",
        numbers,
    )
    given = plan.frames.get("fund_entries")
    if given is not None and given.height:
        given = given.select(
            pl.col("number").alias("ledger_entry"),
            pl.col("kind").alias("entry_kind"),
            pl.col("source").alias("entry_source"),
            pl.col("amount").alias("entry_amount"),
            pl.col("area").alias("entry_area"),
            pl.lit("").alias("entry_owner"),
        )
        stored = pl.concat([given, stored.filter(~pl.col("ledger_entry").is_in(given["ledger_entry"].implode()))])
    source = pl.col("kind").replace_strict(
        {str(k): str(v) for k, v in services.SOURCE_OF_KIND.items()}, default=None, return_dtype=pl.String
    )
    checked = frame.join(stored, on="ledger_entry", how="left").with_columns(
        source.alias("source"),
        (pl.col("area").str.slice(0, 6) + "000000").alias("county"),
        ((pl.col("entry_owner").fill_null("") != "") & (pl.col("entry_owner") != pl.col("number"))).alias(
            "entry_taken"
        ),
    )
    _refuse(plan, name, checked, rules.CONTRIBUTION_ENTRY)


def plan_projects(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_projects"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _with_unit(plan, name, frame)
    frame = frame.join(_project_areas(frame["project"].unique().to_list(), plan), on="project", how="left")
    errors_where(
        plan,
        name,
        frame,
        pl.col("project_area").is_null(),
        "project",
        pl.concat_str([pl.lit(gettext("Unknown project ")), pl.col("project")]),
    )
    frame = frame.filter(pl.col("project_area").is_not_null())
    _refuse(
        plan,
        name,
        frame.with_columns(pl.col("project_area").alias("area")),
        rules.REACH,
        column="project",
        area="project_area",
    )
    _out_of_scope(plan, name, frame, "project_area", ctx.ranges)
    columns = PROJECTS.column_names
    current = db.fetch(_PROJECT_SELECT, columns, "u.code", frame["unit"].unique().to_list())
    plan.changes[name] = compare(frame.select(["_line", *columns]), current, list(columns), [])


def plan_classes(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_classes"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _with_unit(plan, name, frame)
    stored = db.fetch(
        "SELECT c.code, a.code FROM training_trainingclass c JOIN geo_adminarea a ON a.id = c.area_id",
        ["klass", "class_area"],
        "c.code",
        frame["klass"].unique().to_list(),
    )
    given = plan.frames.get("training_classes")
    if given is not None and given.height and "area" in given.columns:
        given = given.select(pl.col("code").alias("klass"), pl.col("area").alias("class_area"))
        stored = pl.concat([given, stored.filter(~pl.col("klass").is_in(given["klass"].implode()))])
    frame = frame.join(stored, on="klass", how="left")
    errors_where(
        plan,
        name,
        frame,
        pl.col("class_area").is_null(),
        "klass",
        pl.concat_str([pl.lit(gettext("Unknown training class ")), pl.col("klass")]),
    )
    frame = frame.filter(pl.col("class_area").is_not_null())
    _refuse(
        plan, name, frame.with_columns(pl.col("class_area").alias("area")), rules.REACH, column="klass", area="klass"
    )
    _out_of_scope(plan, name, frame, "class_area", ctx.ranges)
    columns = CLASSES.column_names
    current = db.fetch(_CLASS_SELECT, columns, "c.code", frame["klass"].unique().to_list())
    plan.changes[name] = compare(
        frame.select(["_line", *columns]).select(["_line", "klass", "unit"]),
        current.select("klass", "unit"),
        ["klass"],
        ["unit"],
    )


def plan_students(plan: Plan, ctx: ImportContext) -> None:
    name = "assistance_students"
    frame = plan.frames.get(name)
    if frame is None:
        return
    frame = _with_unit(plan, name, frame)
    persons = db.fetch(
        "SELECT p.id_number, CAST(p.id AS TEXT), v.code FROM registry_person p "
        "JOIN registry_household h ON h.id = p.household_id JOIN geo_adminarea v ON v.id = h.village_id",
        ["id_number", "person", "home"],
        "p.id_number",
        frame["id_number"].drop_nulls().unique().to_list(),
    )
    members, households = plan.frames.get("members"), plan.frames.get("households")
    if members is not None and members.height and households is not None:
        extra = members.join(
            households.select(pl.col("code").alias("household"), pl.col("village").alias("home")),
            on="household",
            how="left",
        ).select("id_number", pl.lit("new").alias("person"), "home")
        persons = pl.concat([persons, extra.filter(~pl.col("id_number").is_in(persons["id_number"].implode()))])
    frame = frame.join(persons, on="id_number", how="left")
    _refuse(plan, name, frame, rules.STUDENT_IN_REGISTRY)
    _refuse(plan, name, frame, rules.STUDENT_AMOUNT_POSITIVE)
    _out_of_scope(plan, name, frame, "home", ctx.ranges)
    columns = STUDENTS.column_names
    current = db.fetch(_STUDENT_SELECT, columns, "u.code", frame["unit"].unique().to_list())
    plan.changes[name] = compare(
        frame.select(["_line", *columns]), current, ["unit", "id_number", "year"], ["school", "amount"]
    )


# --- writers -------------------------------------------------------------------------------------------------


def _ids(select: str, names: list[str]) -> pl.DataFrame:
    return db.fetch(select, names)


def _unit_ids() -> pl.DataFrame:
    return _ids("SELECT code, CAST(id AS TEXT) FROM assistance_assistingunit", ["unit", "unit_id"])


def _area_ids(column: str) -> pl.DataFrame:
    return _ids("SELECT code, CAST(id AS TEXT) FROM geo_adminarea", [column, f"{column}_id"])


def _update(model: Any, key: dict[str, str], frame: pl.DataFrame, values: dict[str, str]) -> None:
    for row in frame.iter_rows(named=True):
        model.objects.filter(**{lookup: row[col] for lookup, col in key.items()}).update(
            **{f: row[col] for f, col in values.items()}
        )


def write_units(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("assistance_units")
    if changes is None:
        return
    fields = ["code", "name", "name_en", "level", "area"]
    new = changes.new.join(_area_ids("area"), on="area")
    write_rows(AssistingUnit, new, fields, [pl.col("area_id") if f == "area" else f for f in fields])
    changed = changes.changed.join(_area_ids("area"), on="area")
    _update(
        AssistingUnit,
        {"code": "code"},
        changed,
        {"name": "name", "name_en": "name_en", "level": "level", "area_id": "area_id"},
    )
    ctx.progress("assistance_units", changes.new.height + changes.changed.height)


def write_pairings(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("assistance_pairings")
    if changes is None:
        return

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(_unit_ids(), on="unit").join(_area_ids("area"), on="area")

    write_rows(
        Pairing,
        ready(changes.new),
        ["unit", "area", "start_year", "end_year"],
        ["unit_id", "area_id", "start_year", "end_year"],
    )
    _update(
        Pairing,
        {"unit_id": "unit_id", "area_id": "area_id", "start_year": "start_year"},
        ready(changes.changed),
        {"end_year": "end_year"},
    )
    ctx.progress("assistance_pairings", changes.new.height + changes.changed.height)


def write_cadres(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("assistance_cadres")
    if changes is None:
        return

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(_unit_ids(), on="unit").join(_area_ids("place"), on="place")

    fields = ["unit", "name", "post", "kind", "place", "start_date", "end_date"]
    ids = {"unit": "unit_id", "place": "place_id"}
    write_rows(Cadre, ready(changes.new), fields, [pl.col(ids.get(f, f)) for f in fields])
    _update(
        Cadre,
        {"unit_id": "unit_id", "name": "name", "start_date": "start_date"},
        ready(changes.changed),
        {"post": "post", "kind": "kind", "place_id": "place_id", "end_date": "end_date"},
    )
    ctx.progress("assistance_cadres", changes.new.height + changes.changed.height)


class SystemLoad:
    """The actor of an import run without a user (``fupin import`` without ``--as``): it may
    do everything, as the importer lets such a load do, and the audit names no user."""

    pk = None
    username = ""
    is_authenticated = True
    is_superuser = True


def write_contributions(plan: Plan, ctx: ImportContext) -> None:
    """The new contributions. One that names its receipt (``ledger_entry``, an entry of the
    package's ledger or the database's, checked by the planner) is linked to it; every
    other one goes through the service, whose receipt is posted by the funds service (the
    planner has refused what the service would)."""
    actor = ctx.user if ctx.user is not None else SystemLoad()
    changes = plan.changes.get("assistance_contributions")
    if changes is None:
        return
    units = {
        u.code: u for u in AssistingUnit.objects.select_related("area").filter(code__in=changes.new["unit"].to_list())
    }
    received = changes.new.filter(pl.col("ledger_entry") != "")
    if received.height:
        entries = _ids("SELECT number, CAST(id AS TEXT) FROM funds_entry", ["ledger_entry", "entry_id"])
        projects = _ids(
            "SELECT code, CAST(id AS TEXT), CAST(area_id AS TEXT) FROM programs_project",
            ["project", "project_id", "project_area_id"],
        )
        ready = (
            received.join(entries, on="ledger_entry")
            .join(_unit_ids(), on="unit")
            .join(_area_ids("area"), on="area", how="left")
            .join(projects, on="project", how="left")
            .with_columns(pl.coalesce("area_id", "project_area_id").alias("area_id"))
        )
        fields = ["number", "unit", "kind", "form", "value", "date", "area", "project", "description", "entry"]
        ids = {"unit": "unit_id", "area": "area_id", "project": "project_id", "entry": "entry_id"}
        write_rows(Contribution, ready, fields, [pl.col(ids.get(f, f)) for f in fields])
    # the others through the service, which posts their receipts by the funds service
    for row in changes.new.filter(pl.col("ledger_entry") == "").iter_rows(named=True):
        services.contribution_create(
            actor=actor,
            unit=units[row["unit"]],
            number=row["number"],
            kind=row["kind"],
            form=row["form"] or ContributionForm.CASH,
            value=row["value"],
            date=row["date"],
            area_code=row["area"] or "",
            project_code=row["project"] or "",
            description=row["description"] or "",
        )
    ctx.progress("assistance_contributions", changes.new.height)


def write_projects(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("assistance_projects")
    if changes is None:
        return
    projects = _ids("SELECT code, CAST(id AS TEXT) FROM programs_project", ["project", "project_id"])
    new = changes.new.join(_unit_ids(), on="unit").join(projects, on="project")
    write_rows(SupportedProject, new, ["unit", "project", "year"], ["unit_id", "project_id", "year"])
    ctx.progress("assistance_projects", changes.new.height)


def write_classes(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("assistance_classes")
    if changes is None:
        return
    classes = _ids("SELECT code, CAST(id AS TEXT) FROM training_trainingclass", ["klass", "klass_id"])

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(_unit_ids(), on="unit").join(classes, on="klass")

    write_rows(UnitClass, ready(changes.new), ["unit", "klass"], ["unit_id", "klass_id"])
    _update(UnitClass, {"klass_id": "klass_id"}, ready(changes.changed), {"unit_id": "unit_id"})
    ctx.progress("assistance_classes", changes.new.height + changes.changed.height)


def write_students(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("assistance_students")
    if changes is None:
        return
    numbers = pl.concat([changes.new["id_number"], changes.changed["id_number"]]).unique().to_list()
    persons = db.fetch(
        "SELECT id_number, CAST(id AS TEXT) FROM registry_person", ["id_number", "person_id"], "id_number", numbers
    )

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(_unit_ids(), on="unit").join(persons, on="id_number")

    fields = ["unit", "person", "year", "school", "amount"]
    ids = {"unit": "unit_id", "person": "person_id"}
    write_rows(StudentAid, ready(changes.new), fields, [pl.col(ids.get(f, f)) for f in fields])
    _update(
        StudentAid,
        {"unit_id": "unit_id", "person_id": "person_id", "year": "year"},
        ready(changes.changed),
        {"school": "school", "amount": "amount"},
    )
    ctx.progress("assistance_students", changes.new.height + changes.changed.height)


# --- export ------------------------------------------------------------------------------------------------------


def export_units(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_UNIT_SELECT, UNITS.column_names, where=where, params=params).sort("code")


def export_pairings(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_PAIRING_SELECT, PAIRINGS.column_names, where=where, params=params).sort(list(PAIRINGS.key))


def export_cadres(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_CADRE_SELECT, CADRES.column_names, where=where, params=params).sort(list(CADRES.key))


def export_contributions(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_CONTRIBUTION_SELECT, CONTRIBUTIONS.column_names, where=where, params=params).sort("number")


def export_projects(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("(SELECT a.code FROM geo_adminarea a WHERE a.id = p.area_id)")
    return db.fetch(_PROJECT_SELECT, PROJECTS.column_names, where=where, params=params).sort(list(PROJECTS.key))


def export_classes(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("(SELECT a.code FROM geo_adminarea a WHERE a.id = c.area_id)")
    frame = db.fetch(_CLASS_SELECT, ["klass", "unit"], where=where, params=params)
    return frame.select(CLASSES.column_names).sort("klass")


def export_students(ctx: ExportContext) -> pl.DataFrame:
    home = (
        "(SELECT v.code FROM registry_household h JOIN geo_adminarea v ON v.id = h.village_id "
        "WHERE h.id = pe.household_id)"
    )
    where, params = ctx.where(home)
    return db.fetch(_STUDENT_SELECT, STUDENTS.column_names, where=where, params=params).sort(list(STUDENTS.key))


# --- registration ----------------------------------------------------------------------------------------------

DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Social and pairing assistance** (`docs/assistance.md`): the rules of `fupin.assistance.rules` apply "
        "to the files as the services apply them to one record, with the same field and message. A unit's own "
        "area fits its level (a central or provincial organ: the province; a city organ: a city; a county organ: "
        "a county); a pairing is with a county, township or village within the unit's reach (a city organ within "
        "its city, a county organ within its county, others within the province), and so is a cadre's place, a "
        "contribution's recipient and a supported project; a contribution's value is more than 0 and its receipt "
        "is posted in the funds ledger by the funds service (a recorded contribution is not changed by an "
        "import); an aided student is a person of the registry (by ID number) with an amount above 0.",
    ],
    "import_roles": [
        "`assistance_units.csv`, `assistance_pairings.csv`, `assistance_contributions.csv` and "
        "`assistance_projects.csv` need a county, `assistance_cadres.csv` and `assistance_students.csv` a "
        "township (for new or changed rows only); importing aided students needs the permission to see "
        "identifiers;",
    ],
}

_IDENTIFIERS = registry.Permission(
    "registry.view_identifiers", "id_number", _("importing aided students needs the permission to see ID numbers")
)

registry.register(
    UNITS,
    plan=plan_units,
    write=write_units,
    export=export_units,
    needs_role=Role.COUNTY,
    models=(AssistingUnit,),
    label=pgettext_lazy("exchange file", "assisting units"),
    docs=DOCS,
)
registry.register(
    PAIRINGS,
    plan=plan_pairings,
    write=write_pairings,
    export=export_pairings,
    needs_role=Role.COUNTY,
    models=(Pairing,),
    label=pgettext_lazy("exchange file", "pairings of assisting units"),
)
registry.register(
    CADRES,
    plan=plan_cadres,
    write=write_cadres,
    export=export_cadres,
    needs_role=Role.TOWNSHIP,
    models=(Cadre,),
    label=pgettext_lazy("exchange file", "cadres dispatched"),
)
registry.register(
    CONTRIBUTIONS,
    plan=plan_contributions,
    write=write_contributions,
    export=export_contributions,
    needs_role=Role.COUNTY,
    models=(Contribution,),
    label=pgettext_lazy("exchange file", "contributions of assisting units"),
)
registry.register(
    PROJECTS,
    plan=plan_projects,
    write=write_projects,
    export=export_projects,
    needs_role=Role.COUNTY,
    models=(SupportedProject,),
    label=pgettext_lazy("exchange file", "projects supported by assisting units"),
)
registry.register(
    CLASSES,
    plan=plan_classes,
    write=write_classes,
    export=export_classes,
    needs_role=Role.COUNTY,
    models=(UnitClass,),
    label=pgettext_lazy("exchange file", "training classes organised by assisting units"),
)
registry.register(
    STUDENTS,
    plan=plan_students,
    write=write_students,
    export=export_students,
    needs_role=Role.TOWNSHIP,
    needs_permission=_IDENTIFIERS,
    models=(StudentAid,),
    label=pgettext_lazy("exchange file", "students aided by assisting units"),
    masked_order=("unit", "id_number", "year"),
)
