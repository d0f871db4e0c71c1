"""The rules of the programs, each written once (``fupin.core.rules.Rule``): the services
(``programs.services``) apply them to one record, the importer (``programs.exchange``) to a
whole package, with the same expression and the same message. A rule's expression reads
the columns of the exchange files (``start_year``, ``area``, ``plan``...); the service
gives the one record's values under the same names. ``tests/programs/test_parity.py``
feeds every refusal of the services through the importer.

The rules that only an import can break (a file refers to a record of another file or of
the database, a value an import may not change) are declared here too, so that no
loader writes a rule's text."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import Conflict, InvalidTransition, OutOfScope
from fupin.core.rules import Rule, given, number, text, within
from fupin.programs.choices import CHECKLIST, CHECKLIST_FIELDS, PlanStatus, ProgramType

# the longest note of a batch, plan, zone or project (a note is not a document store)
NOTE_MAX_LENGTH = 2000

# labour of a project in a year: at least one person, and each gives at least one day
LABOUR_MIN_PERSONS = 1

# a plan's status only moves forward
STATUS_RANK = {str(PlanStatus.PLANNED): 0, str(PlanStatus.IN_PROGRESS): 1, str(PlanStatus.ACCEPTED): 2}

_accepted = text("status") == str(PlanStatus.ACCEPTED)
_planned = text("status") == str(PlanStatus.PLANNED)

# --- areas ------------------------------------------------------------------------------------

# level: the area's level (null: no such area); the field is the caller's (village, area, counties)
AREA_KNOWN = Rule("unknown_area", "area", _("Unknown area code “%(code)s”."), lambda: pl.col("level").is_null())
# level_label and wanted_label: the labels of the area's level and of the level wanted
AREA_LEVEL = Rule(
    "wrong_level",
    "area",
    _("Area “%(code)s” is a %(level_label)s, not a %(wanted_label)s."),
    lambda: pl.col("level").is_not_null() & (text("level") != text("wanted")),
)

OUT_OF_SCOPE = Rule("out_of_scope", "area", OutOfScope.default_message, error=OutOfScope)

# --- years ------------------------------------------------------------------------------------

YEARS_IN_ORDER = Rule(
    "years_out_of_order",
    "end_year",
    _("The last year comes before the first."),
    lambda: number("end_year") < number("start_year"),
)

# other, other_start, other_end: another batch and its years
BATCHES_OVERLAP = Rule(
    "batches_overlap",
    "start_year",
    _("Its years overlap those of batch %(other)s (%(other_start)s-%(other_end)s)."),
    lambda: (
        (text("number") != text("other"))
        & (number("start_year") <= number("other_end"))
        & (number("other_start") <= number("end_year"))
    ),
)

# start and end: the project's years
IN_PROJECT_YEARS = Rule(
    "outside_project_years",
    "year",
    _("The year must be within the project's years %(start)s-%(end)s."),
    lambda: (number("year") < number("start")) | (number("year") > number("end")),
)

# --- village plans ----------------------------------------------------------------------------

# batch: the plan the village already has is in that batch (a service creating a second plan)
ONE_PLAN_PER_VILLAGE = Rule("plan_exists", "village", _("The village already has a plan in %(batch)s."), error=Conflict)
PLAN_STARTS_PLANNED = Rule(
    "not_planned",
    "status",
    _("Only a planned village plan can start; this one is “%(status_label)s”."),
    lambda: ~_planned,
    error=InvalidTransition,
)
ALREADY_ACCEPTED = Rule(
    "already_accepted", "status", _("The plan is already accepted."), lambda: _accepted, error=InvalidTransition
)
ACCEPTED_CHECKLIST_STAYS = Rule(
    "checklist_accepted",
    "",
    _("The plan is accepted: its checklist can no longer be unticked."),
    error=InvalidTransition,
)
ACCEPTED_BY = Rule(
    "accepted_by_missing",
    "accepted_by",
    _("Name the officials who accepted the village."),
    lambda: _accepted & ~given("accepted_by"),
)
ACCEPTED_AFTER_START = Rule(
    "accepted_before_start",
    "accepted_on",
    _("Acceptance cannot come before the start."),
    lambda: given("accepted_on") & given("started_on") & (text("accepted_on") < text("started_on")),
)


def _ticked(name: str) -> pl.Expr:
    return text(name).is_in(["1", "true"])


_CHECKLIST_LABELS = {name: label for name, _group, label in CHECKLIST}

# an accepted plan has every item of the checklist ticked; the field is the first missing item
CHECKLIST_COMPLETE = Rule(
    "checklist_incomplete",
    CHECKLIST_FIELDS[0],
    _("The acceptance checklist is not complete: %(items)s."),
    lambda: _accepted & ~pl.all_horizontal([_ticked(f) for f in CHECKLIST_FIELDS]),
)


def checklist_missing() -> pl.Expr:
    """The labels of the unticked items, for ``CHECKLIST_COMPLETE``'s message."""
    return pl.concat_str(
        [pl.when(~_ticked(f)).then(pl.lit(str(_CHECKLIST_LABELS[f]))) for f in CHECKLIST_FIELDS],
        separator="; ",
        ignore_nulls=True,
    )


def checklist_first_missing() -> pl.Expr:
    """The first unticked item, the field ``CHECKLIST_COMPLETE`` blames."""
    return pl.coalesce([pl.when(~_ticked(f)).then(pl.lit(f)) for f in CHECKLIST_FIELDS])


# a village plan's progress as a file states it (the services reach these states by steps)
ACCEPTED_ON_GIVEN = Rule(
    "accepted_on_missing",
    "accepted_on",
    _("an accepted plan has its date of acceptance"),
    lambda: _accepted & ~given("accepted_on"),
)
ACCEPTED_ON_ONLY = Rule(
    "accepted_on_not_accepted",
    "accepted_on",
    _("only an accepted plan has a date of acceptance"),
    lambda: ~_accepted & given("accepted_on"),
)
ACCEPTED_BY_ONLY = Rule(
    "accepted_by_not_accepted",
    "accepted_by",
    _("only an accepted plan has the officials who accepted it"),
    lambda: ~_accepted & given("accepted_by"),
)
NOT_STARTED = Rule(
    "planned_started",
    "started_on",
    _("a planned village plan has not started: leave started_on empty"),
    lambda: _planned & given("started_on"),
)
STARTED_ON_GIVEN = Rule(
    "started_on_missing",
    "started_on",
    _("a plan in progress or accepted has the date it started"),
    lambda: ~_planned & given("status") & ~given("started_on"),
)
# against the database (the columns ``*__db`` hold the stored plan's values)
PLAN_STAYS_IN_BATCH = Rule(
    "plan_moves_batch",
    "batch",
    _("the village's plan is in batch %(batch__db)s in the database; a plan does not move to another batch"),
    lambda: text("batch") != text("batch__db"),
)
STATUS_FORWARD = Rule(
    "status_back",
    "status",
    _("the plan is “%(status__db)s” in the database: its status does not go back"),
    lambda: (
        text("status").replace_strict(STATUS_RANK, default=None)
        < text("status__db").replace_strict(STATUS_RANK, default=None)
    ),
)
# the field is each of started_on, accepted_on, accepted_by
ACCEPTANCE_STANDS = Rule(
    "acceptance_changed",
    "accepted_on",
    _("the plan was accepted on %(accepted_on__db)s: its acceptance is not changed by an import"),
)

# --- zones and projects -------------------------------------------------------------------

ZONE_HAS_COUNTIES = Rule(
    "zone_without_counties", "counties", _("A zone has at least one county."), lambda: ~given("counties")
)
PLAN_PROJECT_PROGRAM = Rule(
    "plan_project_program",
    "program",
    _("A village plan's projects belong to entire village advancement."),
    lambda: given("plan") & (text("program") != str(ProgramType.VILLAGE_ADVANCEMENT)),
)
# plan: the village of the project's plan
PLAN_PROJECT_AREA = Rule(
    "plan_project_area",
    "area",
    _("A village plan's project is in the plan's village (%(plan)s)."),
    lambda: given("plan") & (text("area") != text("plan")),
)
# counties: the zone's county codes separated by ";" (county codes end in six zeros)
ZONE_PROJECT_AREA = Rule(
    "zone_project_area",
    "area",
    _("A zone's project is in one of its counties (%(counties)s)."),
    lambda: (
        given("zone")
        & pl.col("counties").is_not_null()
        & ~text("counties").str.contains(text("area").str.slice(0, 6) + "000000", literal=True)
    ),
)


def counties_listed() -> pl.Expr:
    """The zone's counties as ``ZONE_PROJECT_AREA`` lists them."""
    return text("counties").str.replace_all(";", ", ")


ZONE_KEEPS_PROJECTS = Rule(
    "zone_loses_project",
    "counties",
    _("project %(project)s of this zone lies in %(area)s, outside these counties"),
)

# --- outputs, beneficiaries, labour -----------------------------------------------------------

# kind_unit: the catalogue's unit of the kind (null: no such kind)
OUTPUT_KIND_KNOWN = Rule(
    "unknown_output_kind",
    "kind",
    _("“%(kind)s” is not in the output catalogue."),
    lambda: pl.col("kind_unit").is_null(),
)
# kind_name, kind_unit_label, unit_label: for the message
OUTPUT_UNIT = Rule(
    "wrong_unit",
    "unit",
    _("“%(kind_name)s” is counted in %(kind_unit_label)s, not %(unit_label)s."),
    lambda: pl.col("kind_unit").is_not_null() & given("unit") & (text("unit") != text("kind_unit")),
)
# village: the household's village; project_area: the project's area
BENEFICIARY_IN_AREA = Rule(
    "beneficiary_outside_area",
    "household",
    _("Household %(household)s lives in %(village)s, outside the project's area %(project_area)s."),
    lambda: pl.col("village").is_not_null() & pl.col("project_area").is_not_null() & ~within("village", "project_area"),
)
LABOUR_PERSONS = Rule(
    "no_persons", "persons", _("At least one person."), lambda: number("persons") < LABOUR_MIN_PERSONS
)
LABOUR_DAYS = Rule(
    "days_below_persons",
    "person_days",
    _("Each person gives at least one day."),
    lambda: number("person_days") < number("persons"),
)

# --- references between files, and what an import does not change --------------------------

MISSING_BATCH = Rule("missing_batch", "batch", _("batch %(batch)s is neither in the package nor in the database"))
MISSING_PLAN = Rule(
    "missing_plan", "plan", _("village %(plan)s has no plan, neither in the package nor in the database")
)
MISSING_ZONE = Rule("missing_zone", "zone", _("zone “%(zone)s” is neither in the package nor in the database"))
MISSING_PROJECT = Rule(
    "missing_project", "project", _("project “%(project)s” is neither in the package nor in the database")
)
# value__db: the value in the database ("-" for none); the field is the column
FIXED_BY_IMPORT = Rule(
    "fixed_by_import", "", _("cannot be changed by an import: it is “%(value__db)s” in the database")
)


# --- the one-record checks the services call ------------------------------------------------


def check_in_project_years(year: int, *, start: int, end: int, record: str | None) -> int:
    """A year of the project's (outputs, beneficiaries and labour fall within it)."""
    IN_PROJECT_YEARS.check(record=record, values={"year": year, "start": start, "end": end})
    return year


def check_labour(persons: int, person_days: int, *, record: str | None) -> None:
    values = {"persons": persons, "person_days": person_days}
    LABOUR_PERSONS.check(record=record, values=values)
    LABOUR_DAYS.check(record=record, values=values)
