"""The registry's planners: each file of the package compared with the database by
natural key and checked against the registry's rules (``fupin.registry.rules``), the
workflow (``fupin.registry.workflow``, replayed in ``replay``) and the user's areas."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from fupin.core.bulk import next_id
from fupin.core.errors import OutOfScope
from fupin.core.masking import ID_SHOWN
from fupin.exchange import dbframes as db
from fupin.exchange import registry as exchange_registry
from fupin.exchange.errors import RowError
from fupin.exchange.planning import Changes, Plan, compare, errors_where, scope_expr
from fupin.exchange.registry import ImportContext
from fupin.geo.choices import Level
from fupin.registry.choices import Status
from fupin.registry.exchange.entities import HOUSEHOLDS, INCOMES, MEMBERS, STATUS_EVENTS
from fupin.registry.exchange.replay import replay
from fupin.registry.models import Household, IncomeRecord
from fupin.registry.rules import HOUSEHOLD_CODE_IN_VILLAGE, ID_NUMBER_TAKEN


def same_as_service(message: str, **values: pl.Expr) -> pl.Expr:
    """A service's message (``"... %(code)s ..."``, translated) with each placeholder filled
    from a column, row by row: the importer says what the service says."""
    parts: list[pl.Expr] = []
    rest = message
    while "%(" in rest:
        before, _sep, after = rest.partition("%(")
        name, _sep, rest = after.partition(")s")
        parts += [pl.lit(before), values[name]]
    parts.append(pl.lit(rest))
    return pl.concat_str(parts)


def _masked_id(column: str) -> pl.Expr:
    """An ID number as ``fupin.core.masking.mask_id`` shows it."""
    col = pl.col(column)
    return (
        pl.when(col.str.len_chars() == 18)
        .then(col.str.slice(0, ID_SHOWN) + pl.lit("*" * (18 - ID_SHOWN)))
        .otherwise(pl.lit("*").repeat_by(col.str.len_chars()).list.join(""))
    )


def plan_poverty_lines(plan: Plan, ctx: ImportContext) -> None:
    ranges = ctx.ranges
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
                str(OutOfScope.default_message),
            )


HOUSEHOLD_COLUMNS = [c.name for c in HOUSEHOLDS.columns if c.name != "code"]


# the households file's columns that are stored on the household itself
HOUSEHOLD_FIELDS = [c for c in HOUSEHOLDS.column_names if c != "secondary_causes"]


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


def plan_households(plan: Plan, ctx: ImportContext) -> None:
    ranges = ctx.ranges
    frame = plan.frames.get("households")
    codes: set[str] = set()
    for name, column in exchange_registry.referring("households"):
        if name in plan.frames:
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
            same_as_service(_("Unknown village code “%(code)s”."), code=pl.col("village")),
        )
        errors_where(
            plan,
            "households",
            checked,
            pl.col("level").is_not_null() & (pl.col("level") != "village"),
            "village",
            same_as_service(
                _("Area “%(code)s” is a %(level)s, not a village."),
                code=pl.col("village"),
                level=pl.col("level").replace_strict(
                    {str(v): str(k) for v, k in Level.choices}, default=pl.col("level")
                ),
            ),
        )
        errors_where(
            plan,
            "households",
            frame,
            ~scope_expr("village", ranges),
            "village",
            str(OutOfScope.default_message),
        )
        # a new household's code is its village's code followed by serial digits (the rule of
        # registry.rules.check_household_code; a stored household keeps its code when it moves)
        arriving = frame.join(current.select("code"), on="code", how="anti")
        errors_where(
            plan,
            "households",
            arriving,
            (pl.col("village") != "") & HOUSEHOLD_CODE_IN_VILLAGE.where(),
            HOUSEHOLD_CODE_IN_VILLAGE.field,
            HOUSEHOLD_CODE_IN_VILLAGE.reason(),
        )
        moved = frame.join(current.select("code", pl.col("village").alias("old")), on="code", how="inner")
        errors_where(plan, "households", moved, ~scope_expr("old", ranges), "code", str(OutOfScope.default_message))
        errors_where(
            plan,
            "households",
            frame,
            (pl.col("main_cause") != "") & pl.col("secondary_causes").str.contains(pl.col("main_cause"), literal=True),
            "secondary_causes",
            _("The main cause cannot also be a secondary cause."),
        )
        plan.changes["households"] = compare(frame, current.drop("id"), ["code"], HOUSEHOLD_COLUMNS)
        new = plan.changes["households"].new
        first = next_id(Household)
        ids = new.select("code", (pl.int_range(0, new.height) + first).cast(pl.String).alias("id"))
        known = pl.concat([known, ids])
    plan.resolved["household_ids"] = known
    # every household referred to must be in the package or in the database
    for name, column in exchange_registry.referring("households"):
        table = plan.frames.get(name)
        if table is None or name == "households":
            continue
        missing = table.join(known, left_on=column, right_on="code", how="anti")
        errors_where(
            plan,
            name,
            missing,
            pl.col(column) != "",
            column,
            pl.format(_("household “{}” is neither in the package nor in the database"), pl.col(column)),
        )
        if ranges is not None:
            # rows for households that are only in the database: those must be in scope too
            # (the household's village under a name of its own: the referring file may have a
            # column "village" of its own)
            stored_only = current.select("code", pl.col("village").alias("_household_village"))
            if frame is not None:
                stored_only = stored_only.join(frame.select("code"), on="code", how="anti")
            outside = table.join(stored_only, left_on=column, right_on="code")
            errors_where(
                plan,
                name,
                outside,
                ~scope_expr("_household_village", ranges),
                column,
                str(OutOfScope.default_message),
            )


def plan_helpers(plan: Plan, ctx: ImportContext) -> None:
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


MEMBER_COLUMNS = [c.name for c in MEMBERS.columns if c.name != "id_number"]


def plan_members(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("members")
    households = plan.frames.get("households")
    if frame is None and households is None:
        return
    names = MEMBERS.column_names
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
            _("Sex does not match the ID number."),
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
            ID_NUMBER_TAKEN.field,
            ID_NUMBER_TAKEN.reason(id=_masked_id("id_number"), household="db_household"),
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


INCOME_COLUMNS = [c.name for c in INCOMES.columns if c.name not in ("household", "year")]


def plan_incomes(plan: Plan, ctx: ImportContext) -> None:
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


def plan_status_events(plan: Plan, ctx: ImportContext) -> None:
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
        events = pl.DataFrame(schema=dict.fromkeys(STATUS_EVENTS.column_names, pl.String)).with_columns(
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
    plan.resolved["status_events"] = new = new.select(
        "_line", *STATUS_EVENTS.column_names, "stage_before", "stage_after", "status_before", "status_after"
    )
    plan.changes["status_events"] = Changes(new, new.clear(), events.height - new.height)
