"""Import of an exchange package: validate everything, then write everything in one
transaction, or write nothing.

``plan_import`` reads nothing but the package and the database: it checks types, code
lists, ID check digits, duplicates within the package and against the database,
references between files and to the database, scope, and workflow consistency (each
household's status events replayed through the workflow must end in its status), the
programs' rules (``load_programs``) and the funds ledger's (``load_funds``: it only grows,
and never beyond what was received), and works out what is new, changed or unchanged by
natural key. ``apply_import`` writes the
new and changed rows through the bulk path in one transaction with one audit event.
Importing the same package again finds nothing new or changed and writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_channel, audit_log
from fupin.core.bulk import analyze, next_id, reset_sequences
from fupin.core.choices import Channel, Role
from fupin.core.policy import ROLE_RANK, can_view_identifiers, role_rank
from fupin.core.scoping import _scope_ranges
from fupin.exchange import dbframes as db
from fupin.exchange import schema
from fupin.exchange.columns import check_columns
from fupin.exchange.errors import PackageInvalid, RowError
from fupin.exchange.load_funds import MODELS as FUNDS_MODELS
from fupin.exchange.load_funds import plan_fund_entries, write_fund_entries
from fupin.exchange.load_programs import MODELS as PROGRAM_MODELS
from fupin.exchange.load_programs import plan_programs, write_programs
from fupin.exchange.planning import Changes, Plan, compare, errors_where, scope_expr, write_rows
from fupin.exchange.reader import Package, read_package
from fupin.geo.models import AdminArea
from fupin.registry.choices import Action, Status
from fupin.registry.models import (
    Helper,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    SecondaryCause,
    StatusEvent,
)
from fupin.registry.workflow import OUTCOME, STARTS_FROM, STEPS

Progress = Callable[[str, int], None]


# --- planning ---------------------------------------------------------------------------------


def plan_import(package: Package, *, user: Any = None) -> Plan:
    plan = Plan(package=package, errors=list(package.errors))
    for name, table in package.tables.items():
        entity = schema.ENTITIES[name]
        frame, errors = check_columns(table, entity, plan.file(name))
        plan.errors += errors
        dupes = frame.filter(pl.struct(list(entity.key)).is_duplicated())
        if dupes.height:
            first = dupes.group_by(list(entity.key)).agg(pl.col("_line").min().alias("_first"))
            dupes = dupes.join(first, on=list(entity.key)).filter(pl.col("_line") != pl.col("_first"))
            for line, first_line, *key in dupes.select("_line", "_first", *entity.key).iter_rows():
                plan.errors.append(
                    RowError(
                        plan.file(name),
                        line,
                        entity.key[-1],
                        _("duplicate key %(key)s: the same as line %(line)s")
                        % {"key": "/".join(str(k) for k in key), "line": first_line},
                    )
                )
        plan.frames[name] = frame
    if not plan.frames and not plan.errors:
        plan.errors.append(
            RowError(
                (package.files and next(iter(package.files.values()))) or "package",
                0,
                "",
                _("the package holds no entity file"),
            )
        )
    if user is not None and "members" in plan.frames and not can_view_identifiers(user):
        # Comparing a package's ID numbers with the registry would tell which of them exist
        # (and where): a search by ID number, which is the permission's right.
        del plan.frames["members"]
        plan.errors.append(
            RowError(
                plan.file("members"),
                0,
                "id_number",
                _("importing household members needs the permission to see ID numbers"),
            )
        )
    if _needs_missing_tree(plan):
        return plan
    ranges = _scope_ranges(user) if user is not None else None
    _plan_areas(plan, ranges)
    _plan_poverty_lines(plan, ranges)
    _plan_households(plan, ranges)
    _plan_helpers(plan)
    _plan_members(plan)
    _plan_incomes(plan)
    _plan_status_events(plan)
    plan_programs(plan, ranges)
    plan_fund_entries(plan, ranges, user)
    if user is not None:
        _check_roles(plan, user)
    return plan


def _needs_missing_tree(plan: Plan) -> bool:
    """Every entity but the poverty lines (national ones have no area) refers to areas,
    directly or through its household. On a database without the administrative tree,
    each of its rows would fail alone; one error says why, and nothing else is checked."""
    needing = [name for name in plan.frames if name != "poverty_lines"]
    if not needing or AdminArea.objects.exists():
        return False
    plan.errors.append(
        RowError(plan.file(needing[0]), 0, "", _("the administrative tree is not loaded: run `fupin load_areas`"))
    )
    return True


def _check_roles(plan: Plan, user: Any) -> None:
    """Rows that would change need the role for them; unchanged rows (an export coming
    back) need none."""
    needs = {
        "areas": Role.PROVINCE,
        "poverty_lines": Role.CITY,
        "batches": Role.PROVINCE,
        "zones": Role.PROVINCE,
        "village_plans": Role.COUNTY,
        "projects": Role.COUNTY,
        "outputs": Role.TOWNSHIP,
        "labour_inputs": Role.TOWNSHIP,
        # disbursements need a township; the funds planner asks a county for the other kinds
        "fund_entries": Role.TOWNSHIP,
    }
    for name, changes in plan.changes.items():
        minimum = needs.get(name, Role.VILLAGE)
        if role_rank(user) >= ROLE_RANK[minimum]:
            continue
        for frame in (changes.new, changes.changed):
            if frame.height:
                plan.errors.append(
                    RowError(
                        plan.file(name),
                        int(str(frame["_line"].min())),
                        "",
                        _("your role may not change these records"),
                    )
                )
                break


def _plan_areas(plan: Plan, ranges: list[tuple[str, str]] | None) -> None:
    frame = plan.frames.get("areas")
    if frame is None:
        return
    current = db.fetch(
        "SELECT code, level, key_county, "
        + db.flag("key_village")
        + ", "
        + db.nullable_text("area_km2")
        + ", "
        + db.nullable_text("population")
        + " FROM geo_adminarea",
        ["code", "level", "key_county", "key_village", "area_km2", "population"],
    ).with_columns(pl.col("area_km2").cast(pl.Decimal(18, 2), strict=False).cast(pl.String))
    levels = current.select("code", "level")
    frame = frame.join(levels, on="code", how="left")
    errors_where(
        plan, "areas", frame, pl.col("level").is_null(), "code", pl.format(_("unknown area code “{}”"), pl.col("code"))
    )
    errors_where(
        plan,
        "areas",
        frame,
        (pl.col("key_county") != "") & (pl.col("level") != "county"),
        "key_county",
        _("only a county can be a key county"),
    )
    errors_where(
        plan,
        "areas",
        frame,
        (pl.col("key_village") == "1") & (pl.col("level") != "village"),
        "key_village",
        _("only a village can be a key village"),
    )
    cols = ["key_county", "key_village", "area_km2", "population"]
    plan.changes["areas"] = changes = compare(frame.drop("level"), current.select("code", *cols), ["code"], cols)
    errors_where(plan, "areas", changes.changed, ~scope_expr("code", ranges), "code", _("outside your areas"))


def _plan_poverty_lines(plan: Plan, ranges: list[tuple[str, str]] | None) -> None:
    frame = plan.frames.get("poverty_lines")
    if frame is None:
        return
    areas = db.fetch("SELECT code, level FROM geo_adminarea WHERE level IN ('province', 'city')", ["area", "level"])
    frame = frame.join(areas, on="area", how="left")
    errors_where(
        plan,
        "poverty_lines",
        frame,
        (pl.col("area") != "") & pl.col("level").is_null(),
        "area",
        pl.format(_("“{}” is not the code of a province or a city"), pl.col("area")),
    )
    current = db.fetch(
        "SELECT CAST(l.year AS TEXT), COALESCE(a.code, ''), " + db.money("l.amount") + ", l.basis, l.source "
        "FROM registry_povertyline l LEFT JOIN geo_adminarea a ON a.id = l.area_id",
        ["year", "area", "amount", "basis", "source"],
    )
    plan.changes["poverty_lines"] = changes = compare(
        frame.drop("level"), current, ["year", "area"], ["amount", "basis", "source"]
    )
    for rows in (changes.new, changes.changed):
        if ranges is not None:
            errors_where(
                plan,
                "poverty_lines",
                rows,
                pl.col("area") == "",
                "area",
                _("only the national administrator sets the national line"),
            )
            errors_where(
                plan,
                "poverty_lines",
                rows,
                (pl.col("area") != "") & ~scope_expr("area", ranges),
                "area",
                _("outside your areas"),
            )


HOUSEHOLD_COLUMNS = [c.name for c in schema.HOUSEHOLDS.columns if c.name != "code"]


# the households file's columns that are stored on the household itself
HOUSEHOLD_FIELDS = [c for c in schema.HOUSEHOLDS.column_names if c != "secondary_causes"]


def _current_households(codes: list[str]) -> pl.DataFrame:
    names = ["code", "id", *HOUSEHOLD_FIELDS[1:]]
    frame = db.fetch(
        "SELECT h.code, CAST(h.id AS TEXT), a.code, h.address, h.phone, "
        + db.flag("h.type_ordinary")
        + ", "
        + db.flag("h.type_dibao")
        + ", "
        + db.flag("h.type_wubao")
        + ", h.main_cause, h.status, "
        + db.flag("h.returned")
        + ", h.procedure, h.stage, "
        + db.nullable_text("h.stage_date")
        + ", "
        + db.nullable_flags([f"h.{f}" for f in Household.ASSURANCE_FIELDS])
        + " FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        names,
        "h.code",
        codes,
    )
    causes = db.fetch(
        "SELECT h.code, c.cause FROM registry_secondarycause c JOIN registry_household h ON h.id = c.household_id",
        ["code", "cause"],
        "h.code",
        frame["code"].to_list(),
    )
    joined = causes.group_by("code").agg(pl.col("cause").sort().str.join(";").alias("secondary_causes"))
    return frame.join(joined, on="code", how="left").with_columns(pl.col("secondary_causes").fill_null(""))


def _plan_households(plan: Plan, ranges: list[tuple[str, str]] | None) -> None:
    frame = plan.frames.get("households")
    codes: set[str] = set()
    for name in ("households", "helpers", "members", "incomes", "status_events", "beneficiaries"):
        if name in plan.frames:
            column = "code" if name == "households" else "household"
            codes |= set(plan.frames[name][column].drop_nulls().to_list())
    current = _current_households(sorted(codes)) if codes else _current_households([]).clear()
    known = current.select("code", "id")
    if frame is not None:
        villages = db.fetch("SELECT code, level FROM geo_adminarea", ["village", "level"])
        checked = frame.join(villages, on="village", how="left")
        errors_where(
            plan,
            "households",
            checked,
            (pl.col("village") != "") & pl.col("level").is_null(),
            "village",
            pl.format(_("unknown village code “{}”"), pl.col("village")),
        )
        errors_where(
            plan,
            "households",
            checked,
            pl.col("level").is_not_null() & (pl.col("level") != "village"),
            "village",
            pl.format(_("“{}” is a {}, not a village"), pl.col("village"), pl.col("level")),
        )
        errors_where(
            plan,
            "households",
            frame,
            ~scope_expr("village", ranges),
            "village",
            _("the village is outside your areas"),
        )
        # a new household's code is its village's code followed by serial digits (the rule of
        # registry.rules.check_household_code; a stored household keeps its code when it moves)
        arriving = frame.join(current.select("code"), on="code", how="anti")
        errors_where(
            plan,
            "households",
            arriving,
            (pl.col("village") != "") & ~pl.col("code").str.starts_with(pl.col("village")),
            "code",
            pl.format(_("the household code must begin with its village's code {}"), pl.col("village")),
        )
        moved = frame.join(current.select("code", pl.col("village").alias("old")), on="code", how="inner")
        errors_where(
            plan, "households", moved, ~scope_expr("old", ranges), "code", _("the household is outside your areas")
        )
        errors_where(
            plan,
            "households",
            frame,
            (pl.col("main_cause") != "") & pl.col("secondary_causes").str.contains(pl.col("main_cause"), literal=True),
            "secondary_causes",
            _("the main cause cannot also be a secondary cause"),
        )
        plan.changes["households"] = compare(frame, current.drop("id"), ["code"], HOUSEHOLD_COLUMNS)
        new = plan.changes["households"].new
        first = next_id(Household)
        ids = new.select("code", (pl.int_range(0, new.height) + first).cast(pl.String).alias("id"))
        known = pl.concat([known, ids])
    plan.household_ids = known
    # every household referred to must be in the package or in the database
    for name in ("helpers", "members", "incomes", "status_events", "beneficiaries"):
        table = plan.frames.get(name)
        if table is None:
            continue
        missing = table.join(known, left_on="household", right_on="code", how="anti")
        errors_where(
            plan,
            name,
            missing,
            pl.col("household") != "",
            "household",
            pl.format(_("household “{}” is neither in the package nor in the database"), pl.col("household")),
        )
        if ranges is not None:
            # rows for households that are only in the database: those must be in scope too
            stored_only = current.select("code", "village")
            if frame is not None:
                stored_only = stored_only.join(frame.select("code"), on="code", how="anti")
            outside = table.join(stored_only, left_on="household", right_on="code")
            errors_where(
                plan,
                name,
                outside,
                ~scope_expr("village", ranges),
                "household",
                _("the household is outside your areas"),
            )


def _plan_helpers(plan: Plan) -> None:
    frame = plan.frames.get("helpers")
    if frame is None:
        return
    current = db.fetch(
        "SELECT h.code, x.name, x.unit, x.post, x.phone FROM registry_helper x "
        "JOIN registry_household h ON h.id = x.household_id",
        ["household", "name", "unit", "post", "phone"],
        "h.code",
        frame["household"].unique().to_list(),
    ).unique(["household", "name"], keep="first")
    plan.changes["helpers"] = compare(frame, current, ["household", "name"], ["unit", "post", "phone"])


MEMBER_COLUMNS = [c.name for c in schema.MEMBERS.columns if c.name != "id_number"]


def _plan_members(plan: Plan) -> None:
    frame = plan.frames.get("members")
    households = plan.frames.get("households")
    if frame is None and households is None:
        return
    names = schema.MEMBERS.column_names
    select = (
        "SELECT p.id_number, h.code, p.name, p.sex, " + db.nullable_text("p.birth_date") + ", p.relation, "
        "p.education, p.health, p.disability, p.labour, p.migrant_work, "
        + db.nullable_text("p.migrant_months")
        + " FROM registry_person p JOIN registry_household h ON h.id = p.household_id"
    )
    if frame is not None:
        born = pl.col("id_number").str.slice(6, 8).str.to_date("%Y%m%d", strict=False).cast(pl.String)
        sex = (
            pl.when(pl.col("id_number").str.slice(16, 1).cast(pl.Int64, strict=False) % 2 == 1)
            .then(pl.lit("M"))
            .otherwise(pl.lit("F"))
        )
        errors_where(
            plan,
            "members",
            frame,
            (pl.col("sex") != "") & (pl.col("sex") != sex),
            "sex",
            _("the sex does not match the ID number"),
        )
        errors_where(
            plan,
            "members",
            frame,
            pl.col("birth_date").is_not_null() & (pl.col("birth_date") != born),
            "birth_date",
            _("the birth date does not match the ID number"),
        )
        frame = frame.with_columns(
            pl.when(pl.col("sex") == "").then(sex).otherwise(pl.col("sex")).alias("sex"),
            pl.col("birth_date").fill_null(born),
            pl.when(pl.col("health") == "").then(pl.lit("HEALTHY")).otherwise(pl.col("health")).alias("health"),
            pl.col("migrant_months").fill_null("0"),
        )
        plan.frames["members"] = frame
        current = db.fetch(select, names, "p.id_number", frame["id_number"].to_list())
        elsewhere = frame.join(current.select("id_number", pl.col("household").alias("db_household")), on="id_number")
        errors_where(
            plan,
            "members",
            elsewhere,
            pl.col("household") != pl.col("db_household"),
            "id_number",
            pl.format(
                _("this ID number is already registered in household {} in the database"), pl.col("db_household")
            ),
        )
        plan.changes["members"] = compare(frame, current, ["id_number"], MEMBER_COLUMNS)
    # exactly one head in every household the package touches
    touched = set()
    if households is not None:
        touched |= set(households["code"].to_list())
    if frame is not None:
        touched |= set(frame["household"].to_list())
    stored = db.fetch(
        "SELECT h.code, p.id_number, p.relation FROM registry_person p "
        "JOIN registry_household h ON h.id = p.household_id",
        ["household", "id_number", "relation"],
        "h.code",
        sorted(touched),
    )
    given = frame.select("household", "id_number", "relation") if frame is not None else stored.clear()
    together = pl.concat([stored.join(given, on="id_number", how="anti"), given])
    heads = together.group_by("household").agg((pl.col("relation") == "HEAD").sum().alias("heads"))
    all_touched = pl.DataFrame({"household": sorted(touched)}, schema={"household": pl.String})
    counted = all_touched.join(heads, on="household", how="left").with_columns(pl.col("heads").fill_null(0))
    for household, heads_n in counted.filter(pl.col("heads") != 1).iter_rows():
        where = "members" if frame is not None and household in set(frame["household"].to_list()) else "households"
        source = plan.frames[where]
        column = "household" if where == "members" else "code"
        line = source.filter(pl.col(column) == household)["_line"].min()
        reason = (
            _("household %(code)s has no head (relation HEAD)")
            if heads_n == 0
            else _("household %(code)s has %(n)s heads; a household has exactly one")
        ) % {"code": household, "n": heads_n}
        plan.errors.append(RowError(plan.file(where), int(str(line or 0)), "relation", reason))


INCOME_COLUMNS = [c.name for c in schema.INCOMES.columns if c.name not in ("household", "year")]


def _plan_incomes(plan: Plan) -> None:
    frame = plan.frames.get("incomes")
    if frame is None:
        return
    frame = frame.with_columns([pl.col(c).fill_null("0.00") for c in IncomeRecord.AMOUNT_FIELDS])
    plan.frames["incomes"] = frame
    amounts = ", ".join(db.money(f"i.{f}") for f in IncomeRecord.AMOUNT_FIELDS)
    current = db.fetch(
        "SELECT h.code, CAST(i.year AS TEXT), CAST(i.household_size AS TEXT), "
        + amounts
        + " FROM registry_incomerecord i JOIN registry_household h ON h.id = i.household_id",
        ["household", "year", "household_size", *IncomeRecord.AMOUNT_FIELDS],
        "h.code",
        frame["household"].unique().to_list(),
    )
    plan.changes["incomes"] = compare(frame, current, ["household", "year"], INCOME_COLUMNS)


def _plan_status_events(plan: Plan) -> None:
    events = plan.frames.get("status_events")
    households = plan.frames.get("households")
    if events is None and households is None:
        return
    codes = sorted(
        set(events["household"].to_list() if events is not None else [])
        | set(households["code"].to_list() if households is not None else [])
    )
    stored = db.fetch(
        "SELECT h.code, e.procedure, e.action, " + db.nullable_text("e.date") + ", e.note, CAST(e.id AS TEXT) "
        "FROM registry_statusevent e JOIN registry_household h ON h.id = e.household_id",
        ["household", "procedure", "action", "date", "note", "id"],
        "h.code",
        codes,
    )
    stored = (
        stored.with_columns(pl.col("id").cast(pl.Int64))
        .sort("household", "date", "id")
        .with_columns((pl.int_range(pl.len()).over("household") + 1).cast(pl.String).alias("seq"))
    )
    if events is None:
        events = pl.DataFrame(schema=dict.fromkeys(schema.STATUS_EVENTS.column_names, pl.String)).with_columns(
            pl.lit(0, dtype=pl.UInt32).alias("_line")
        )
    events = events.with_columns(pl.col("seq").cast(pl.Int64))
    # the database's steps must be the first steps of the package's, unchanged
    with_db = events.with_columns(pl.col("seq").cast(pl.String)).join(
        stored.drop("id"), on=["household", "seq"], how="inner", suffix="__db"
    )
    differ = pl.any_horizontal(
        [pl.col(c).fill_null("") != pl.col(f"{c}__db").fill_null("") for c in ("procedure", "action", "date", "note")]
    )
    errors_where(
        plan, "status_events", with_db, differ, "seq", _("this step differs from the step stored in the database")
    )
    stored_counts = stored.group_by("household").len()
    given_counts = events.group_by("household").len()
    short = stored_counts.join(given_counts, on="household", suffix="_pkg").filter(pl.col("len") > pl.col("len_pkg"))
    for household, n_db, n_pkg in short.iter_rows():
        plan.errors.append(
            RowError(
                plan.file("status_events"),
                0,
                "household",
                _("household %(code)s has %(db)s steps in the database but only %(pkg)s in the package")
                % {"code": household, "db": n_db, "pkg": n_pkg},
            )
        )
    # replay every household's steps through the workflow, as column expressions
    replayed, problems = replay(events)
    file = plan.file("status_events")
    for line, column, reason in problems.iter_rows():
        plan.errors.append(RowError(file, line, column, reason))
    # every household's own status must be where its steps end
    if households is not None:
        ends = replayed.group_by("household").agg(
            pl.col("status_after").last().alias("end_status"),
            pl.col("returned").last().alias("end_returned"),
            pl.col("open_procedure").last().alias("end_procedure"),
            pl.col("stage_after").last().alias("end_stage"),
            pl.col("date").last().alias("end_date"),
        )
        stored_only = stored.select("household").unique().join(ends.select("household"), on="household", how="anti")
        checked = (
            households.join(ends, left_on="code", right_on="household", how="left")
            .join(
                stored_only.with_columns(pl.lit(True).alias("stored_only")),
                left_on="code",
                right_on="household",
                how="left",
            )
            .filter(pl.col("stored_only").is_null())  # steps all in the database: _compare shows any change
            .with_columns(
                pl.col("end_status").fill_null(str(Status.NON_POOR)),
                pl.col("end_returned").fill_null("0"),
                pl.col("end_procedure").fill_null(""),
                pl.col("end_stage").fill_null(""),
            )
        )
        wrong = (
            (pl.col("status") != pl.col("end_status"))
            | (pl.col("returned") != pl.col("end_returned"))
            | (pl.col("procedure") != pl.col("end_procedure"))
            | (pl.col("stage") != pl.col("end_stage"))
            | pl.col("stage_date").ne_missing(pl.col("end_date"))
        )
        dash = lambda c: pl.when(pl.col(c).fill_null("") == "").then(pl.lit("-")).otherwise(pl.col(c))  # noqa: E731
        errors_where(
            plan,
            "households",
            checked,
            wrong,
            "status",
            pl.format(
                _(
                    "status, procedure and stage ({}/{}/{}/{}) do not agree with the household's status events, "
                    "which end in {}/{}/{}/{}"
                ),
                pl.col("status"),
                dash("procedure"),
                dash("stage"),
                dash("stage_date"),
                pl.col("end_status"),
                dash("end_procedure"),
                dash("end_stage"),
                dash("end_date"),
            ),
        )
    new = replayed.join(stored.select("household", "seq"), on=["household", "seq"], how="anti")
    plan.events = new.select(
        "_line", *schema.STATUS_EVENTS.column_names, "stage_before", "stage_after", "status_before", "status_after"
    )
    plan.changes["status_events"] = Changes(plan.events, plan.events.clear(), events.height - new.height)


# the stage after each action; an objection's depends on the stage it interrupts
# plain str, not the TextChoices members: Polars would make an Enum type of those
_STAGE_AFTER = {
    str(a): str(next(iter(set(step.moves.values())))) for a, step in STEPS.items() if a != str(Action.OBJECT)
}
_OBJECTION_BACK = {str(k): str(v) for k, v in STEPS[str(Action.OBJECT)].moves.items()}
_OUTCOME = {str(k): str(v) for k, v in OUTCOME.items()}
_STARTS_FROM = {str(k): str(v) for k, v in STARTS_FROM.items()}
_ALLOWED = pl.DataFrame(
    [(str(a), str(before)) for a, step in STEPS.items() for before in step.moves],
    schema={"action": pl.String, "stage_before": pl.String},
    orient="row",
).with_columns(pl.lit(True).alias("_legal"))


def replay(events: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Replay every household's steps through the workflow (``registry.workflow``) with
    column expressions: the stages and statuses before and after each step, and the
    problems found as (line, column, reason). Only the first illegal step of a household
    is reported, since everything after it follows from it."""
    hh = "household"
    ev = events.sort(hh, "seq").with_columns(
        (pl.int_range(pl.len()).over(hh) + 1).alias("_rn"),
        pl.col("seq").cast(pl.String),
        pl.col("action").replace_strict(_STAGE_AFTER, default=None).alias("stage_after"),
    )
    first = pl.col("_rn") == 1
    for _round in range(32):  # an objection's stage comes from the step before it; chains of them are short
        before = pl.when(first).then(pl.lit("")).otherwise(pl.col("stage_after").shift(1).over(hh))
        ev = ev.with_columns(before.alias("stage_before")).with_columns(
            pl.when(pl.col("action") == str(Action.OBJECT))
            .then(pl.col("stage_before").replace_strict(_OBJECTION_BACK, default="?"))
            .otherwise(pl.col("stage_after"))
            .alias("stage_after")
        )
        if ev.filter(pl.col("stage_after").is_null() | pl.col("stage_before").is_null()).height == 0:
            break
    last_apply = pl.when(pl.col("action") == str(Action.APPLY)).then(pl.col("procedure")).forward_fill().over(hh)
    outcome = pl.when(pl.col("action") == str(Action.APPROVE)).then(
        pl.col("procedure").replace_strict(OUTCOME, default=None)
    )
    ev = ev.with_columns(
        last_apply.alias("_open"),
        outcome.forward_fill().over(hh).fill_null(str(Status.NON_POOR)).alias("status_after"),
        ((pl.col("action") == str(Action.APPROVE)) & (pl.col("procedure") == "return"))
        .cast(pl.Int8)
        .cum_max()
        .over(hh)
        .cast(pl.String)
        .alias("returned"),
        pl.col("date").shift(1).over(hh).alias("_prev_date"),
        pl.col("action").shift(1).over(hh).alias("_prev_action"),
    ).with_columns(
        pl.when(first)
        .then(pl.lit(str(Status.NON_POOR)))
        .otherwise(pl.col("status_after").shift(1).over(hh))
        .alias("status_before"),
        pl.when(pl.col("stage_after") != "").then(pl.col("_open")).otherwise(pl.lit("")).alias("open_procedure"),
    )
    ev = ev.join(_ALLOWED, on=["action", "stage_before"], how="left")
    starts = pl.col("procedure").replace_strict(_STARTS_FROM, default=None)
    illegal = (
        pl.col("_legal").is_null()
        | ((pl.col("action") == str(Action.APPLY)) & starts.ne_missing(pl.col("status_before")))
        | ((pl.col("action") != str(Action.APPLY)) & pl.col("procedure").ne_missing(pl.col("_open")))
    )
    ev = ev.with_columns(illegal.alias("_illegal"))
    ev = ev.with_columns(
        (pl.col("_illegal") & (pl.col("_illegal").cast(pl.Int32).cum_sum().over(hh) == 1)).alias("_first_illegal")
    )
    days = (pl.col("date").str.to_date() - pl.col("_prev_date").str.to_date()).dt.total_days()
    notice = pl.col("_prev_action").is_in([str(Action.FIRST_NOTICE), str(Action.SECOND_NOTICE)]) & pl.col(
        "action"
    ).is_in([str(Action.REVIEW), str(Action.APPROVE)])
    checks = [
        (
            pl.col("seq") != pl.col("_rn").cast(pl.String),
            "seq",
            pl.lit(_("steps must be numbered 1, 2, 3… without gaps")),
        ),
        (
            pl.col("_first_illegal"),
            "action",
            pl.format(
                _("“{}” of {} is not possible here (stage “{}”, status “{}”)"),
                pl.col("action"),
                pl.col("procedure"),
                pl.when(pl.col("stage_before") == "").then(pl.lit("-")).otherwise(pl.col("stage_before")),
                pl.col("status_before"),
            ),
        ),
        (pl.col("date") < pl.col("_prev_date"), "date", pl.lit(_("a step cannot be dated before the previous step"))),
        (
            notice & (days < settings.FUPIN_NOTICE_DAYS),
            "date",
            pl.lit(
                _("the public notice must stand %(days)s days before this step") % {"days": settings.FUPIN_NOTICE_DAYS}
            ),
        ),
    ]
    problems = pl.concat(
        [
            ev.filter(mask.fill_null(False)).select(
                pl.col("_line"), pl.lit(col).alias("column"), reason.alias("reason")
            )
            for mask, col, reason in checks
        ]
    ).sort("_line")
    return ev, problems


# --- writing ------------------------------------------------------------------------------------


def apply_import(plan: Plan, *, user: Any = None, progress: Progress | None = None) -> dict[str, Any]:
    if plan.errors:
        raise PackageInvalid(plan.errors)
    progress = progress or (lambda _label, _n: None)
    counts = plan.counts()
    if not plan.has_changes:
        return {"counts": counts, "changed": False}
    started = time.perf_counter()
    ids = (
        plan.household_ids
        if plan.household_ids is not None
        else pl.DataFrame(schema={"code": pl.String, "id": pl.String})
    )

    def with_ids(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(ids.rename({"code": "household", "id": "household__id"}), on="household", how="left")

    with audit_channel(Channel.IMPORT), transaction.atomic():
        for name in ("areas", "poverty_lines"):
            _update_reference(name, plan.changes.get(name))
        hh = plan.changes.get("households")
        if hh is not None:
            new = hh.new.join(ids, on="code").join(
                db.fetch(
                    "SELECT code, CAST(id AS TEXT) FROM geo_adminarea WHERE level = 'village'", ["village", "vid"]
                ),
                on="village",
            )
            stored = ["id", *HOUSEHOLD_FIELDS]
            write_rows(
                Household, new, stored, [pl.col("vid").alias("village") if f == "village" else f for f in stored]
            )
            reset_sequences(Household)
            _update_households(hh.changed)
            touched = pl.concat(
                [
                    new.select("code", "secondary_causes", "id"),
                    hh.changed.join(ids, on="code").select("code", "secondary_causes", "id"),
                ]
            )
            SecondaryCause.objects.filter(
                household_id__in=hh.changed.join(ids, on="code")["id"].cast(pl.Int64).to_list()
            ).delete()
            causes = (
                touched.select(
                    pl.col("id").alias("household_id"), pl.col("secondary_causes").str.split(";").alias("cause")
                )
                .explode("cause")
                .filter(pl.col("cause") != "")
            )
            write_rows(SecondaryCause, causes, ["household", "cause"], ["household_id", "cause"])
            progress("households", new.height + hh.changed.height)
        helpers = plan.changes.get("helpers")
        if helpers is not None:
            write_rows(
                Helper,
                with_ids(helpers.new),
                ["household", "name", "unit", "post", "phone"],
                ["household__id", "name", "unit", "post", "phone"],
            )
            for household_id, name, unit, post, phone in (
                with_ids(helpers.changed).select("household__id", "name", "unit", "post", "phone").iter_rows()
            ):
                Helper.objects.filter(household_id=int(household_id), name=name).update(
                    unit=unit, post=post, phone=phone
                )
            progress("helpers", helpers.new.height + helpers.changed.height)
        members = plan.changes.get("members")
        if members is not None:
            fields = ["household", *(c for c in schema.MEMBERS.column_names if c != "household")]
            cols: list[str | pl.Expr] = ["household__id", *fields[1:]]
            write_rows(Person, with_ids(members.new), fields, cols)
            _update_rows(Person, with_ids(members.changed), "id_number", fields, cols)
            progress("members", members.new.height + members.changed.height)
        incomes = plan.changes.get("incomes")
        if incomes is not None:
            fields = ["household", "year", "household_size", *IncomeRecord.AMOUNT_FIELDS]
            write_rows(IncomeRecord, with_ids(incomes.new), fields, ["household__id", *fields[1:]])
            for row in with_ids(incomes.changed).select("household__id", *fields[1:]).iter_rows(named=True):
                IncomeRecord.objects.filter(
                    household_id=int(row.pop("household__id")), year=int(row.pop("year"))
                ).update(**{k: Decimal(v) if k in IncomeRecord.AMOUNT_FIELDS else int(v) for k, v in row.items()})
            progress("incomes", incomes.new.height + incomes.changed.height)
        if plan.events is not None and plan.events.height:
            fields = [
                "household",
                "procedure",
                "action",
                "date",
                "stage_before",
                "stage_after",
                "status_before",
                "status_after",
                "note",
            ]
            write_rows(StatusEvent, with_ids(plan.events), fields, ["household__id", *fields[1:]])
            progress("status_events", plan.events.height)
        write_programs(plan, progress)
        write_fund_entries(plan, user, progress)
        summary = {
            "counts": counts,
            "sha256": plan.package.sha256,
            "bytes": plan.package.size,
            "files": sorted(plan.package.files.values()),
        }
        audit_log(
            actor=user,
            action="exchange.import",
            object_type="exchange.package",
            object_id=plan.package.sha256[:16],
            after=summary,
        )
    analyze(Household, Person, IncomeRecord, StatusEvent, SecondaryCause, Helper, *PROGRAM_MODELS, *FUNDS_MODELS)
    return {"counts": counts, "changed": True, "seconds": time.perf_counter() - started}


def _update_reference(name: str, changes: Changes | None) -> None:
    if changes is None:
        return
    if name == "areas":
        for code, key_county, key_village, area_km2, population in changes.changed.select(
            "code", "key_county", "key_village", "area_km2", "population"
        ).iter_rows():
            AdminArea.objects.filter(code=code).update(
                key_county=key_county or "",
                key_village=key_village == "1",
                area_km2=Decimal(area_km2) if area_km2 else None,
                population=int(population) if population else None,
            )
    else:
        areas = dict(AdminArea.objects.filter(level__in=["province", "city"]).values_list("code", "id"))
        for frame in (changes.new, changes.changed):
            for year, area, amount, basis, source in frame.select(
                "year", "area", "amount", "basis", "source"
            ).iter_rows():
                scope = "national" if not area else ("provincial" if area.endswith("00000000") else "municipal")
                PovertyLine.objects.update_or_create(
                    year=int(year),
                    area_id=areas.get(area) if area else None,
                    defaults={"amount": Decimal(amount), "basis": basis or "", "source": source or "", "scope": scope},
                )


def _update_households(changed: pl.DataFrame) -> None:
    if changed.height == 0:
        return
    villages = dict(AdminArea.objects.filter(level="village").values_list("code", "id"))
    for row in changed.iter_rows(named=True):
        Household.objects.filter(code=row["code"]).update(
            village_id=villages[row["village"]],
            address=row["address"] or "",
            phone=row["phone"] or "",
            type_ordinary=row["type_ordinary"] == "1",
            type_dibao=row["type_dibao"] == "1",
            type_wubao=row["type_wubao"] == "1",
            main_cause=row["main_cause"] or "",
            status=row["status"],
            returned=row["returned"] == "1",
            procedure=row["procedure"] or "",
            stage=row["stage"] or "",
            stage_date=row["stage_date"],
            **{f: _nullable_bool(row[f]) for f in Household.ASSURANCE_FIELDS},
        )


def _nullable_bool(value: str | None) -> bool | None:
    return None if value is None else value == "1"


def _update_rows(
    model: type[Person], frame: pl.DataFrame, key: str, fields: list[str], cols: list[str | pl.Expr]
) -> None:
    if frame.height == 0:
        return
    for values in frame.select(cols).iter_rows():
        row = dict(zip(fields, values, strict=True))
        household = row.pop("household")
        model.objects.filter(**{key: row[key]}).update(household_id=int(household), **row)


# --- the whole thing ------------------------------------------------------------------------------


def import_package(
    path: Path | str, *, user: Any = None, dry_run: bool = False, progress: Progress | None = None
) -> tuple[Plan, dict[str, Any] | None]:
    """Validate the package; unless ``dry_run`` or invalid, import it. Returns the plan
    (with ``errors``) and the result of the import (None if nothing was written)."""
    plan = plan_import(read_package(Path(path)), user=user)
    if plan.errors or dry_run:
        return plan, None
    return plan, apply_import(plan, user=user, progress=progress)
