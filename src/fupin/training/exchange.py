"""Rain Plan training's files of the exchange package (``fupin.exchange.registry``):
training bases, classes, enrolments (with completion), transfers to employment and targets.

Each planner compares its file with the database by natural key and applies the rules of
``training.rules`` to the whole file at once: the very expressions the services evaluate on
one record, with their field and message (``tests/training/test_parity.py``). The rules
that need other records (a trainee in the registry, an enrolment for a transfer, the class's
dates) are evaluated on columns joined from the database and from the package's other files.

In a package a row of ``training_enrolments`` is the enrolment itself, with its status: a
``completed`` row for a trainee not yet in the database enrols and completes at once; the
rule "a completion needs an enrolment" refuses completing (or attending) an enrolment that
the database holds as dropped out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.core.choices import Role
from fupin.core.errors import OutOfScope
from fupin.core.policy import ROLE_RANK, role_rank
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr, write_rows
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import (
    AREA,
    CODE,
    DATE,
    DECIMAL,
    ID_NUMBER,
    INT,
    SIGNED_DECIMAL,
    TEXT,
    Column,
    Entity,
    phone_column,
    year_column,
)
from fupin.geo.choices import Level
from fupin.training import rules
from fupin.training.choices import Certification, ClassType, Destination, EnrolmentStatus, LeaderRole, Sector
from fupin.training.models import Enrolment, Target, TrainingBase, TrainingClass, Transfer

# --- the files --------------------------------------------------------------------------------------

BASES = Entity(
    "training_bases",
    key=("code",),
    help=_("Rain Plan training bases (扶贫培训基地): one row per base, in its county."),
    depends_on=("areas",),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="B-YS-1"),
        Column("name", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="延寿县扶贫培训基地"),
        Column("county", AREA, required=True, example="230129000000", help=_("the base's county")),
        Column("certification", CODE, choices=Certification, required=True, example="provincial"),
        year_column("certified_year", required=False, example="2007", help_=_("year certified")),
        Column("capacity", INT, minimum=0, maximum=10_000_000, example="500", help=_("trainees a year")),
        Column("contact", TEXT, max_length=rules.CONTACT_MAX_LENGTH, example="王主任"),
        phone_column(),
    ),
)

CLASSES = Entity(
    "training_classes",
    key=("code",),
    help=_(
        "Rain Plan training classes: held by a training base or another organiser, of one type, with their "
        "dates, hours and the subsidy paid for each trainee who completes."
    ),
    depends_on=("training_bases", "projects"),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="C-2009-1"),
        Column(
            "base",
            TEXT,
            max_length=rules.CODE_MAX_LENGTH,
            example="B-YS-1",
            refers_to="training_bases",
            help=_("the training base's code, or empty with an organiser"),
        ),
        Column("organiser", TEXT, max_length=rules.NAME_MAX_LENGTH, example="", help=_("who holds it, without a base")),
        Column(
            "area",
            AREA,
            example="230129000000",
            help=_("where it is held (empty: the base's county)"),
        ),
        Column("type", CODE, choices=ClassType, required=True, example="labour_transfer"),
        Column("subject", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="电焊工"),
        Column("start_date", DATE, required=True, example="2009-04-01", help=_("first day")),
        Column("end_date", DATE, required=True, example="2009-05-31", help=_("last day")),
        Column("hours", INT, required=True, minimum=1, maximum=rules.HOURS_MAX, example="120"),
        Column("subsidy_per_trainee", DECIMAL, digits=6, example="800.00", help=_("yuan")),
        Column(
            "project",
            TEXT,
            max_length=32,
            example="",
            refers_to="projects",
            help=_("the project of the funds ledger that pays the subsidies"),
        ),
    ),
)

ENROLMENTS = Entity(
    "training_enrolments",
    key=("class", "id_number"),
    help=_(
        "The trainees of the classes, persons of the registry by ID number: enrolment, hours attended, "
        "completion and certificate."
    ),
    depends_on=("training_classes", "members"),
    columns=(
        Column(
            "class",
            TEXT,
            required=True,
            max_length=rules.CODE_MAX_LENGTH,
            example="C-2009-1",
            refers_to="training_classes",
        ),
        Column("id_number", ID_NUMBER, required=True, example="230129198001011234", refers_to="members"),
        Column("enrolled_on", DATE, required=True, example="2009-03-20"),
        Column("status", CODE, choices=EnrolmentStatus, required=True, example="completed"),
        Column("hours_attended", INT, minimum=0, maximum=rules.HOURS_MAX, example="120"),
        Column("completed_on", DATE, example="2009-05-31", help=_("completed rows only")),
        Column("certificate_number", TEXT, max_length=rules.CERTIFICATE_MAX_LENGTH, example="YL-2009-0001"),
        Column("leader_role", CODE, choices=LeaderRole, example="", help=_("leaders classes only")),
    ),
)

TRANSFERS = Entity(
    "training_transfers",
    key=("class", "id_number", "employer", "start_date"),
    help=_("Trainees' transfers to employment after a class; a person may have several over time."),
    depends_on=("training_enrolments",),
    columns=(
        Column(
            "class",
            TEXT,
            required=True,
            max_length=rules.CODE_MAX_LENGTH,
            example="C-2009-1",
            refers_to="training_classes",
        ),
        Column("id_number", ID_NUMBER, required=True, example="230129198001011234", refers_to="members"),
        Column("employer", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="大庆油田建设集团"),
        Column("place", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="大庆市"),
        Column("destination", CODE, choices=Destination, required=True, example="province"),
        Column("sector", CODE, choices=Sector, required=True, example="construction"),
        Column("start_date", DATE, required=True, example="2009-06-20"),
        # signed, so that the rule WAGE_NOT_NEGATIVE says what the service says of a negative wage
        Column("monthly_wage", SIGNED_DECIMAL, required=True, digits=7, example="1800.00", help=_("yuan a month")),
    ),
)

TARGETS = Entity(
    "training_targets",
    key=("area", "year"),
    help=_("The year's targets of a county, or the province's plan: people to train and to transfer."),
    depends_on=("areas",),
    columns=(
        Column("area", AREA, required=True, example="230129000000", help=_("a county, or the province")),
        year_column(),
        Column("trained", INT, minimum=0, maximum=100_000_000, example="600", help=_("people to train")),
        Column("transferred", INT, minimum=0, maximum=100_000_000, example="500", help=_("people to transfer")),
    ),
)


# --- the planners' tools -------------------------------------------------------------------------------


def _refuse(
    plan: Plan, entity: str, frame: pl.DataFrame, rule: rules.Rule, *, column: str | None = None, **params: Any
) -> None:
    """The rows of ``frame`` that break ``rule``, as errors on the rule's field (or ``column``
    when the file names the record by another column) with the rule's message."""
    errors_where(plan, entity, frame, rule.expr(**params), column or rule.field, rule.reason())


def _message(message: str, **values: pl.Expr) -> pl.Expr:
    """A service's message (``"… %(code)s …"``, translated) filled row by row from columns."""
    parts: list[pl.Expr] = []
    rest = message
    while "%(" in rest:
        before, _sep, after = rest.partition("%(")
        name, _sep, rest = after.partition(")s")
        parts += [pl.lit(before), values[name]]
    parts.append(pl.lit(rest))
    return pl.concat_str(parts)


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column) == "")


def _areas(codes: Sequence[str]) -> pl.DataFrame:
    return db.fetch(
        "SELECT code, CAST(id AS TEXT), level FROM geo_adminarea", ["code", "area_id", "area_level"], "code", codes
    )


def _unknown_area(plan: Plan, entity: str, frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Refuse codes that are no area (the service's message); the frame joined with
    ``area_id`` and ``area_level`` of ``column``."""
    areas = _areas(frame[column].drop_nulls().unique().to_list())
    joined = frame.join(areas.rename({"code": column}), on=column, how="left")
    errors_where(
        plan,
        entity,
        joined,
        ~_blank(column) & pl.col("area_id").is_null(),
        column,
        _message(gettext("Unknown area code “%(code)s”."), code=pl.col(column)),
    )
    return joined


def _level_label(level: pl.Expr) -> pl.Expr:
    return level.replace_strict({str(lv.value): str(lv.label) for lv in Level}, default=level)


def _changed_rows(plan: Plan, name: str) -> pl.DataFrame:
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed], how="diagonal_relaxed")


def _out_of_scope(plan: Plan, entity: str, frame: pl.DataFrame, column: str, ranges: Any) -> None:
    errors_where(
        plan, entity, frame, ~_blank(column) & ~scope_expr(column, ranges), column, str(OutOfScope.default_message)
    )


# --- current rows ------------------------------------------------------------------------------------------

_BASE_SELECT = (
    "SELECT b.code, b.name, a.code, b.certification, "
    + db.nullable_text("b.certified_year")
    + ", CAST(b.capacity AS TEXT), b.contact, b.phone FROM training_trainingbase b "
    "JOIN geo_adminarea a ON a.id = b.county_id"
)
_CLASS_SELECT = (
    "SELECT c.code, COALESCE(b.code, ''), c.organiser, a.code, c.type, c.subject, "
    + db.nullable_text("c.start_date")
    + ", "
    + db.nullable_text("c.end_date")
    + ", CAST(c.hours AS TEXT), "
    + db.money("c.subsidy_per_trainee")
    + ", COALESCE(p.code, '') FROM training_trainingclass c JOIN geo_adminarea a ON a.id = c.area_id "
    "LEFT JOIN training_trainingbase b ON b.id = c.base_id LEFT JOIN programs_project p ON p.id = c.project_id"
)
_ENROLMENT_SELECT = (
    "SELECT c.code, p.id_number, "
    + db.nullable_text("e.enrolled_on")
    + ", e.status, CAST(e.hours_attended AS TEXT), "
    + db.nullable_text("e.completed_on")
    + ", e.certificate_number, e.leader_role FROM training_enrolment e "
    "JOIN training_trainingclass c ON c.id = e.klass_id JOIN registry_person p ON p.id = e.person_id"
)
_TRANSFER_SELECT = (
    "SELECT c.code, p.id_number, t.employer, t.place, t.destination, t.sector, "
    + db.nullable_text("t.start_date")
    + ", "
    + db.money("t.monthly_wage")
    + " FROM training_transfer t JOIN training_enrolment e ON e.id = t.enrolment_id "
    "JOIN training_trainingclass c ON c.id = e.klass_id JOIN registry_person p ON p.id = e.person_id"
)
_TARGET_SELECT = (
    "SELECT a.code, CAST(t.year AS TEXT), CAST(t.trained AS TEXT), CAST(t.transferred AS TEXT) "
    "FROM training_target t JOIN geo_adminarea a ON a.id = t.area_id"
)


def _current(select: str, entity: Entity, keys: Sequence[str], where_column: str) -> pl.DataFrame:
    return db.fetch(select, entity.column_names, where_column, keys)


def _persons(id_numbers: Sequence[str]) -> pl.DataFrame:
    """ID number -> the registry person (``person``) and the village of the household."""
    return db.fetch(
        "SELECT p.id_number, CAST(p.id AS TEXT), a.code FROM registry_person p "
        "JOIN registry_household h ON h.id = p.household_id JOIN geo_adminarea a ON a.id = h.village_id",
        ["id_number", "person", "village"],
        "p.id_number",
        id_numbers,
    )


def _classes(plan: Plan, codes: Sequence[str]) -> pl.DataFrame:
    """Code -> the class's dates, hours, type and area, as the package gives them (over
    the database's)."""
    names = ["class", "class_start", "class_end", "class_hours", "class_type", "class_area"]
    stored = db.fetch(
        "SELECT c.code, "
        + db.nullable_text("c.start_date")
        + ", "
        + db.nullable_text("c.end_date")
        + ", CAST(c.hours AS TEXT), c.type, a.code FROM training_trainingclass c "
        "JOIN geo_adminarea a ON a.id = c.area_id",
        names,
        "c.code",
        codes,
    )
    package = plan.resolved.get("training_classes")
    if package is None or package.height == 0:
        return stored
    return pl.concat([package.select(names), stored.filter(~pl.col("class").is_in(package["class"].implode()))])


def _trainees(plan: Plan, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with ``person`` (null: no registry person has the ID number; a member of
    the package's members file counts) and the class's columns."""
    numbers = frame["id_number"].drop_nulls().unique().to_list()
    persons = _persons(numbers)
    members = plan.frames.get("members")
    if members is not None and members.height:
        extra = members.select(
            "id_number", pl.lit("new").alias("person"), pl.lit(None, dtype=pl.String).alias("village")
        )
        persons = pl.concat([persons, extra.filter(~pl.col("id_number").is_in(persons["id_number"].implode()))])
    classes = _classes(plan, frame["class"].drop_nulls().unique().to_list())
    return frame.join(persons, on="id_number", how="left").join(classes, on="class", how="left")


def _unknown_class(plan: Plan, entity: str, frame: pl.DataFrame) -> pl.DataFrame:
    errors_where(
        plan,
        entity,
        frame,
        ~_blank("class") & pl.col("class_end").is_null(),
        "class",
        _message(gettext("Unknown training class “%(code)s”."), code=pl.col("class")),
    )
    return frame.filter(pl.col("class_end").is_not_null())


# --- planners -----------------------------------------------------------------------------------------------


def plan_bases(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("training_bases")
    if frame is None:
        return
    name = "training_bases"
    joined = _unknown_area(plan, name, frame, "county")
    errors_where(
        plan,
        name,
        joined,
        pl.col("area_id").is_not_null() & (pl.col("area_level") != Level.COUNTY),
        "county",
        _message(
            gettext("Area “%(code)s” is a %(level)s, not a %(wanted)s."),
            code=pl.col("county"),
            level=_level_label(pl.col("area_level")),
            wanted=pl.lit(str(Level.COUNTY.label)),
        ),
    )
    current = _current(_BASE_SELECT, BASES, frame["code"].to_list(), "b.code")
    plan.changes[name] = compare(frame, current, ["code"], BASES.column_names[1:])
    _out_of_scope(plan, name, _changed_rows(plan, name), "county", ctx.ranges)


def plan_classes(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("training_classes")
    if frame is None:
        return
    name = "training_classes"
    bases = db.fetch(
        "SELECT b.code, a.code FROM training_trainingbase b JOIN geo_adminarea a ON a.id = b.county_id",
        ["base", "base_county"],
    )
    package_bases = plan.frames.get("training_bases")
    if package_bases is not None and package_bases.height:
        given = package_bases.select(pl.col("code").alias("base"), pl.col("county").alias("base_county"))
        bases = pl.concat([given, bases.filter(~pl.col("base").is_in(given["base"].implode()))])
    frame = frame.join(bases, on="base", how="left")
    errors_where(
        plan,
        name,
        frame,
        ~_blank("base") & pl.col("base_county").is_null(),
        "base",
        _message(gettext("Unknown training base “%(code)s”."), code=pl.col("base")),
    )
    # where it is held: the area given, or the base's county
    frame = frame.with_columns(
        pl.when(_blank("area")).then(pl.col("base_county")).otherwise(pl.col("area")).alias("area")
    )
    errors_where(
        plan, name, frame, _blank("area") & _blank("base"), "area", gettext("Where is the class held? Give its area.")
    )
    frame = _unknown_area(plan, name, frame, "area")
    errors_where(
        plan,
        name,
        frame,
        pl.col("base_county").is_not_null() & ~pl.col("area").str.starts_with(pl.col("base_county").str.slice(0, 6)),
        "area",
        _message(gettext("A base's class is held in the base's county %(county)s."), county=pl.col("base_county")),
    )
    rule_frame = frame.with_columns(
        pl.when(_blank("base")).then(None).otherwise(pl.col("base")).alias("base"),
        pl.col("area").alias("area_code"),
    )
    _refuse(plan, name, rule_frame, rules.CLASS_BASE_OR_ORGANISER)
    _refuse(plan, name, rule_frame, rules.CLASS_DATES_ORDERED)
    projects = db.fetch(
        "SELECT p.code, a.code FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id",
        ["project", "project_area"],
        "p.code",
        frame["project"].drop_nulls().unique().to_list(),
    )
    frame = frame.join(projects, on="project", how="left")
    errors_where(
        plan,
        name,
        frame,
        ~_blank("project") & pl.col("project_area").is_null(),
        "project",
        _message(gettext("Unknown project “%(code)s”."), code=pl.col("project")),
    )
    files = frame.select([*CLASSES.column_names, "_line"]).with_columns(pl.col("subsidy_per_trainee").fill_null("0.00"))
    # what the enrolments and transfers of the package see of their classes
    plan.resolved[name] = frame.select(
        pl.col("code").alias("class"),
        pl.col("start_date").alias("class_start"),
        pl.col("end_date").alias("class_end"),
        pl.col("hours").alias("class_hours"),
        pl.col("type").alias("class_type"),
        pl.col("area").alias("class_area"),
    )
    current = _current(_CLASS_SELECT, CLASSES, files["code"].to_list(), "c.code")
    plan.changes[name] = compare(files, current, ["code"], CLASSES.column_names[1:])
    changed = _changed_rows(plan, name).join(frame.select("code", "project_area"), on="code", how="left")
    _refuse(
        plan, name, changed.with_columns(pl.col("area").alias("area_code")), rules.CLASS_IN_SCOPE, ranges=ctx.ranges
    )
    errors_where(
        plan,
        name,
        changed,
        ~_blank("project_area") & ~scope_expr("project_area", ctx.ranges),
        "project",
        str(OutOfScope.default_message),
    )


def plan_enrolments(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("training_enrolments")
    if frame is None:
        return
    name = "training_enrolments"
    frame = _unknown_class(plan, name, _trainees(plan, frame))
    _refuse(plan, name, frame, rules.TRAINEE_IN_REGISTRY)
    frame = frame.filter(pl.col("person").is_not_null())
    _refuse(plan, name, frame, rules.ENROLMENT_NOT_AFTER_CLASS)
    _refuse(plan, name, frame, rules.COMPLETION_NOT_BEFORE_CLASS)
    _refuse(plan, name, frame, rules.HOURS_WITHIN_CLASS)
    completed = pl.col("status") == EnrolmentStatus.COMPLETED
    errors_where(
        plan,
        name,
        frame,
        completed & _blank("completed_on"),
        "completed_on",
        gettext("A completed enrolment gives its completion date."),
    )
    errors_where(
        plan,
        name,
        frame,
        ~completed & ~_blank("completed_on"),
        "completed_on",
        gettext("Only a completed enrolment has a completion date."),
    )
    errors_where(
        plan,
        name,
        frame,
        ~_blank("leader_role") & (pl.col("class_type") != ClassType.LEADERS),
        "leader_role",
        gettext("Only a leaders class names the trainee's leader role."),
    )
    files = frame.select([*ENROLMENTS.column_names, "_line"]).with_columns(pl.col("hours_attended").fill_null("0"))
    current = _current(_ENROLMENT_SELECT, ENROLMENTS, files["class"].unique().to_list(), "c.code")
    plan.changes[name] = changes = compare(files, current, ["class", "id_number"], ENROLMENTS.column_names[2:])
    # a completion (or attendance) for a trainee the database holds as dropped out
    stored = db.fetch(
        "SELECT c.code, p.id_number, e.status, CASE WHEN e.subsidy_id IS NULL THEN '0' ELSE '1' END "
        "FROM training_enrolment e JOIN training_trainingclass c ON c.id = e.klass_id "
        "JOIN registry_person p ON p.id = e.person_id",
        ["class", "id_number", "enrolment_status", "paid"],
        "c.code",
        changes.changed["class"].unique().to_list(),
    )
    changed = changes.changed.join(stored, on=["class", "id_number"], how="left")
    _refuse(plan, name, changed.filter(pl.col("status") != EnrolmentStatus.DROPPED), rules.COMPLETION_NEEDS_ENROLMENT)
    errors_where(
        plan,
        name,
        changed,
        pl.col("paid") == "1",
        "status",
        gettext("The subsidy for this completion has been paid; it cannot change."),
    )
    scoped = _changed_rows(plan, name).join(frame.select("class", "id_number", "class_area"), on=["class", "id_number"])
    _refuse(
        plan,
        name,
        scoped.with_columns(pl.col("class_area").alias("area_code")),
        rules.CLASS_IN_SCOPE,
        column="class",
        ranges=ctx.ranges,
    )


def plan_transfers(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("training_transfers")
    if frame is None:
        return
    name = "training_transfers"
    frame = _unknown_class(plan, name, _trainees(plan, frame))
    _refuse(plan, name, frame, rules.TRAINEE_IN_REGISTRY)
    frame = frame.filter(pl.col("person").is_not_null())
    enrolled = db.fetch(
        "SELECT p.id_number, c.code, e.status FROM training_enrolment e "
        "JOIN training_trainingclass c ON c.id = e.klass_id JOIN registry_person p ON p.id = e.person_id",
        ["id_number", "class", "enrolment_status"],
        "p.id_number",
        frame["id_number"].unique().to_list(),
    )
    package = plan.frames.get("training_enrolments")
    if package is not None and package.height:
        given = package.select("id_number", "class", pl.col("status").alias("enrolment_status"))
        enrolled = pl.concat([given, enrolled]).unique(["id_number", "class"], keep="first")
    frame = frame.join(enrolled, on=["id_number", "class"], how="left")
    _refuse(plan, name, frame, rules.TRANSFER_NEEDS_ENROLMENT)
    _refuse(plan, name, frame, rules.TRANSFER_AFTER_CLASS)
    _refuse(plan, name, frame, rules.WAGE_NOT_NEGATIVE)
    files = frame.select([*TRANSFERS.column_names, "_line"])
    current = _current(_TRANSFER_SELECT, TRANSFERS, files["class"].unique().to_list(), "c.code")
    plan.changes[name] = compare(
        files, current, list(TRANSFERS.key), ["place", "destination", "sector", "monthly_wage"]
    )
    scoped = _changed_rows(plan, name).join(
        frame.select(*TRANSFERS.key, "class_area").unique(list(TRANSFERS.key)), on=list(TRANSFERS.key)
    )
    _refuse(
        plan,
        name,
        scoped.with_columns(pl.col("class_area").alias("area_code")),
        rules.CLASS_IN_SCOPE,
        column="class",
        ranges=ctx.ranges,
    )


def plan_targets(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("training_targets")
    if frame is None:
        return
    name = "training_targets"
    joined = _unknown_area(plan, name, frame, "area")
    known = joined.filter(pl.col("area_id").is_not_null())
    _refuse(plan, name, known, rules.TARGET_AREA)
    current = _current(_TARGET_SELECT, TARGETS, frame["area"].unique().to_list(), "a.code")
    plan.changes[name] = compare(frame, current, ["area", "year"], ["trained", "transferred"])
    changed = _changed_rows(plan, name)
    _out_of_scope(plan, name, changed, "area", ctx.ranges)
    if ctx.user is not None and role_rank(ctx.user) < ROLE_RANK[Role.PROVINCE]:
        province = changed.join(known.select("area", "year", "area_level"), on=["area", "year"])
        errors_where(
            plan,
            name,
            province,
            pl.col("area_level") == Level.PROVINCE,
            "area",
            gettext("This action needs the role “%(role)s” or higher.") % {"role": Role.PROVINCE.label},
        )


# --- writers -------------------------------------------------------------------------------------------------


def _ids(select: str, names: list[str]) -> pl.DataFrame:
    return db.fetch(select, names)


def _area_ids() -> pl.DataFrame:
    return _ids("SELECT code, CAST(id AS TEXT) FROM geo_adminarea", ["code", "area_id"])


def _update(model: Any, key_fields: dict[str, str], frame: pl.DataFrame, values: dict[str, str]) -> None:
    """Update the rows of ``frame`` (``key_fields``: model lookup -> frame column;
    ``values``: model field -> frame column)."""
    for row in frame.iter_rows(named=True):
        model.objects.filter(**{lookup: row[col] for lookup, col in key_fields.items()}).update(
            **{f: row[col] for f, col in values.items()}
        )


def write_bases(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("training_bases")
    if changes is None:
        return
    areas = _area_ids().rename({"code": "county"})
    fields = ["code", "name", "county", "certification", "certified_year", "capacity", "contact", "phone"]

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(areas, on="county").with_columns(
            pl.col("capacity").fill_null("0"), pl.col("contact").fill_null(""), pl.col("phone").fill_null("")
        )

    write_rows(TrainingBase, ready(changes.new), fields, [pl.col("area_id") if f == "county" else f for f in fields])
    values = {f: f for f in fields[1:] if f != "county"} | {"county_id": "area_id"}
    _update(TrainingBase, {"code": "code"}, ready(changes.changed), values)
    ctx.progress("training_bases", changes.new.height + changes.changed.height)


def write_classes(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("training_classes")
    if changes is None:
        return
    areas = _area_ids().rename({"code": "area"})
    bases = _ids("SELECT code, CAST(id AS TEXT) FROM training_trainingbase", ["base", "base_id"])
    projects = _ids("SELECT code, CAST(id AS TEXT) FROM programs_project", ["project", "project_id"])
    fields = ["code", "base", "organiser", "area", "type", "subject", "start_date", "end_date", "hours"]
    fields += ["subsidy_per_trainee", "project"]

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.join(areas, on="area")
            .join(bases, on="base", how="left")
            .join(projects, on="project", how="left")
            .with_columns(pl.col("organiser").fill_null(""), pl.col("subsidy_per_trainee").fill_null("0.00"))
        )

    ids = {"area": "area_id", "base": "base_id", "project": "project_id"}
    write_rows(TrainingClass, ready(changes.new), fields, [pl.col(ids.get(f, f)) for f in fields])
    values = {(f + "_id" if f in ids else f): ids.get(f, f) for f in fields[1:]}
    _update(TrainingClass, {"code": "code"}, ready(changes.changed), values)
    ctx.progress("training_classes", changes.new.height + changes.changed.height)


def _with_enrolment_ids(frame: pl.DataFrame) -> pl.DataFrame:
    classes = _ids("SELECT code, CAST(id AS TEXT) FROM training_trainingclass", ["class", "klass_id"])
    persons = _persons(frame["id_number"].unique().to_list()).select("id_number", pl.col("person").alias("person_id"))
    return frame.join(classes, on="class").join(persons, on="id_number")


def write_enrolments(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("training_enrolments")
    if changes is None:
        return
    fields = ["klass", "person", "enrolled_on", "status", "hours_attended", "completed_on", "certificate_number"]
    fields += ["leader_role"]

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return _with_enrolment_ids(frame).with_columns(
            pl.col("hours_attended").fill_null("0"),
            pl.col("certificate_number").fill_null(""),
            pl.col("leader_role").fill_null(""),
        )

    ids = {"klass": "klass_id", "person": "person_id"}
    write_rows(Enrolment, ready(changes.new), fields, [pl.col(ids.get(f, f)) for f in fields])
    values = {f: f for f in fields[2:]}
    _update(Enrolment, {"klass_id": "klass_id", "person_id": "person_id"}, ready(changes.changed), values)
    ctx.progress("training_enrolments", changes.new.height + changes.changed.height)


def write_transfers(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("training_transfers")
    if changes is None:
        return
    enrolments = db.fetch(
        "SELECT c.code, p.id_number, CAST(e.id AS TEXT) FROM training_enrolment e "
        "JOIN training_trainingclass c ON c.id = e.klass_id JOIN registry_person p ON p.id = e.person_id",
        ["class", "id_number", "enrolment_id"],
        "c.code",
        pl.concat([changes.new["class"], changes.changed["class"]]).unique().to_list(),
    )
    fields = ["enrolment", "employer", "place", "destination", "sector", "start_date", "monthly_wage", "recorded_by"]
    user = getattr(ctx.user, "pk", None)

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(enrolments, on=["class", "id_number"]).with_columns(
            pl.lit(str(user) if user else None, dtype=pl.String).alias("recorded_by")
        )

    write_rows(
        Transfer, ready(changes.new), fields, [pl.col("enrolment_id") if f == "enrolment" else f for f in fields]
    )
    values = {f: f for f in ("place", "destination", "sector", "monthly_wage")}
    key = {"enrolment_id": "enrolment_id", "employer": "employer", "start_date": "start_date"}
    _update(Transfer, key, ready(changes.changed), values)
    ctx.progress("training_transfers", changes.new.height + changes.changed.height)


def write_targets(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("training_targets")
    if changes is None:
        return
    areas = _area_ids().rename({"code": "area"})
    fields = ["area", "year", "trained", "transferred"]

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(areas, on="area").with_columns(
            pl.col("trained").fill_null("0"), pl.col("transferred").fill_null("0")
        )

    write_rows(Target, ready(changes.new), fields, [pl.col("area_id") if f == "area" else f for f in fields])
    _update(
        Target,
        {"area_id": "area_id", "year": "year"},
        ready(changes.changed),
        {"trained": "trained", "transferred": "transferred"},
    )
    ctx.progress("training_targets", changes.new.height + changes.changed.height)


# --- export ------------------------------------------------------------------------------------------------------


def _where(ctx: ExportContext, *columns: str) -> tuple[str, list[str]]:
    """Rows whose area is in scope by any of ``columns`` (a record seen from two areas)."""
    parts = [ctx.where(c) for c in columns]
    if not parts[0][0]:
        return "", []
    return " OR ".join(f"({sql})" for sql, _p in parts), [p for _sql, params in parts for p in params]


def export_bases(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_BASE_SELECT, BASES.column_names, where=where, params=params).sort("code")


def export_classes(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_CLASS_SELECT, CLASSES.column_names, where=where, params=params).sort("code")


_HOME = (
    "(SELECT v.code FROM registry_household h JOIN geo_adminarea v ON v.id = h.village_id WHERE h.id = p.household_id)"
)
_CLASS_AREA = "(SELECT a.code FROM geo_adminarea a WHERE a.id = c.area_id)"


def export_enrolments(ctx: ExportContext) -> pl.DataFrame:
    """The enrolments of the classes held in scope and of the trainees living there."""
    where, params = _where(ctx, _CLASS_AREA, _HOME)
    return db.fetch(_ENROLMENT_SELECT, ENROLMENTS.column_names, where=where, params=params).sort("class", "id_number")


def export_transfers(ctx: ExportContext) -> pl.DataFrame:
    where, params = _where(ctx, _CLASS_AREA, _HOME)
    return db.fetch(_TRANSFER_SELECT, TRANSFERS.column_names, where=where, params=params).sort(list(TRANSFERS.key))


def export_targets(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_TARGET_SELECT, TARGETS.column_names, where=where, params=params).sort("year", "area")


# --- registration ----------------------------------------------------------------------------------------------

DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Rain Plan training** (`docs/training.md`): the rules of `fupin.training.rules` apply to the "
        "files as the services apply them to one record, with the same field and message. A trainee is a "
        "person of the registry (by ID number, in the database or the package's `members.csv`); a class is "
        "held by a base (in the base's county; `area` empty: the county) or names its organiser, its last "
        "day not before its first; an enrolment is not dated after its class's last day, its completion not "
        "before the first day, its hours within the class's; a row of `training_enrolments.csv` is the "
        "enrolment with its status, and an enrolment the database holds as dropped out is not completed; "
        "a transfer is of a trainee of the class, starts after the class ended and has a wage of zero or "
        "more; targets are for a county or the province (the province's plan needs the province role).",
    ],
    "import_roles": [
        "`training_bases.csv`, `training_classes.csv` and `training_targets.csv` need a county, "
        "`training_enrolments.csv` and `training_transfers.csv` a township (for new or changed rows only); "
        "importing enrolments and transfers needs the permission to see identifiers;",
    ],
}

_IDENTIFIERS = registry.Permission(
    "registry.view_identifiers",
    "id_number",
    _("importing trainees needs the permission to see ID numbers"),
)

registry.register(
    BASES,
    plan=plan_bases,
    write=write_bases,
    export=export_bases,
    needs_role=Role.COUNTY,
    models=(TrainingBase,),
    label=pgettext_lazy("exchange file", "training bases"),
    docs=DOCS,
)
registry.register(
    CLASSES,
    plan=plan_classes,
    write=write_classes,
    export=export_classes,
    needs_role=Role.COUNTY,
    models=(TrainingClass,),
    label=pgettext_lazy("exchange file", "training classes"),
)
registry.register(
    ENROLMENTS,
    plan=plan_enrolments,
    write=write_enrolments,
    export=export_enrolments,
    needs_role=Role.TOWNSHIP,
    needs_permission=_IDENTIFIERS,
    models=(Enrolment,),
    label=pgettext_lazy("exchange file", "training enrolments"),
    masked_order=("class", "id_number"),
)
registry.register(
    TRANSFERS,
    plan=plan_transfers,
    write=write_transfers,
    export=export_transfers,
    needs_role=Role.TOWNSHIP,
    needs_permission=_IDENTIFIERS,
    models=(Transfer,),
    label=pgettext_lazy("exchange file", "transfers to employment"),
    masked_order=("class", "id_number", "start_date"),
)
registry.register(
    TARGETS,
    plan=plan_targets,
    write=write_targets,
    export=export_targets,
    needs_role=Role.COUNTY,
    models=(Target,),
    label=pgettext_lazy("exchange file", "training targets"),
)
