"""Leading enterprises' files of the exchange package (``fupin.exchange.registry``):
enterprises, production bases (with their villages), the households linked to bases,
employees and order contracts.

Each planner compares its file with the database by natural key and applies the rules of
``industry.rules`` to the whole file at once: the very expressions the services evaluate on
one record, with their field and message (``tests/industry/test_parity.py``). The rules that
need other records (a base household in a county of the base's villages, an employee in the
registry) are evaluated on columns joined from the database and from the package's other
files. A package is imported whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.core.choices import Role
from fupin.core.errors import OutOfScope
from fupin.core.rules import Rule, amount
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, package_over_stored, scope_expr, write_rows
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import (
    AREA,
    CODE,
    DATE,
    ID_NUMBER,
    SIGNED_DECIMAL,
    TEXT,
    Column,
    Entity,
    year_column,
)
from fupin.geo.choices import Level as AreaLevel
from fupin.industry import rules
from fupin.industry.choices import Level, Sector, Status
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase

# --- the files --------------------------------------------------------------------------------------

ENTERPRISES = Entity(
    "industry_enterprises",
    key=("code",),
    help=_("Leading enterprises (扶贫龙头企业) by unified social credit code, in their county."),
    depends_on=("areas",),
    columns=(
        Column(
            "code",
            TEXT,
            required=True,
            max_length=40,
            example="91230129MA0000001J",
            help=_("unified social credit code (GB 32100, with its check character)"),
        ),
        Column("name", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="延寿县大豆龙头企业"),
        Column("county", AREA, required=True, example="230129000000", help=_("the county it is registered in")),
        Column("level", CODE, choices=Level, required=True, example="provincial"),
        Column("sector", CODE, choices=Sector, required=True, example="processing"),
        year_column("identified_year", example="2009", help_=_("year identified")),
        Column("status", CODE, choices=Status, example="active"),
    ),
)

BASES = Entity(
    "industry_bases",
    key=("code",),
    help=_("Production bases of leading enterprises, set up in one or more villages (codes joined by ;)."),
    depends_on=("industry_enterprises", "areas"),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="JD-YS-1"),
        Column(
            "enterprise",
            TEXT,
            required=True,
            max_length=40,
            example="91230129MA0000001J",
            refers_to="industry_enterprises",
        ),
        Column("name", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="大豆生产基地"),
        Column("product", TEXT, required=True, max_length=rules.PRODUCT_MAX_LENGTH, example="大豆"),
        Column("area_mu", SIGNED_DECIMAL, required=True, digits=8, example="1200.00", help=_("mu")),
        year_column("established_year", example="2008", help_=_("year established")),
        Column(
            "villages",
            TEXT,
            max_length=2000,
            example="230129100201;230129100202",
            help=_("12-digit codes of the villages, joined by ;"),
        ),
    ),
)

BASE_HOUSEHOLDS = Entity(
    "industry_base_households",
    key=("base", "household"),
    help=_("Households linked to production bases; each lives in a county of the base's villages."),
    depends_on=("industry_bases", "households"),
    columns=(
        Column(
            "base", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="JD-YS-1", refers_to="industry_bases"
        ),
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001", refers_to="households"),
        Column("joined_on", DATE, required=True, example="2009-04-01"),
    ),
)

EMPLOYMENTS = Entity(
    "industry_employments",
    key=("enterprise", "id_number", "start_date"),
    help=_("Members of registry households employed by leading enterprises, by ID number."),
    depends_on=("industry_enterprises", "members"),
    columns=(
        Column(
            "enterprise",
            TEXT,
            required=True,
            max_length=40,
            example="91230129MA0000001J",
            refers_to="industry_enterprises",
        ),
        Column("id_number", ID_NUMBER, required=True, example="230129198001011234", refers_to="members"),
        Column("start_date", DATE, required=True, example="2009-03-01"),
        Column("end_date", DATE, example="", help=_("empty: still employed")),
        # signed, so that the rule WAGE_NOT_NEGATIVE says what the service says of a negative wage
        Column("monthly_wage", SIGNED_DECIMAL, required=True, digits=7, example="1500.00", help=_("yuan a month")),
    ),
)

CONTRACTS = Entity(
    "industry_contracts",
    key=("number",),
    help=_(
        "Order contracts of leading enterprises with households: product, quantity, agreed price, inputs "
        "supplied on credit, and what was delivered and paid."
    ),
    depends_on=("industry_enterprises", "households"),
    columns=(
        Column("number", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="DD2009-0000001"),
        Column(
            "enterprise",
            TEXT,
            required=True,
            max_length=40,
            example="91230129MA0000001J",
            refers_to="industry_enterprises",
        ),
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001", refers_to="households"),
        year_column(),
        Column("product", TEXT, required=True, max_length=rules.PRODUCT_MAX_LENGTH, example="大豆"),
        Column("unit", TEXT, max_length=rules.UNIT_MAX_LENGTH, example="kg"),
        Column("quantity", SIGNED_DECIMAL, required=True, digits=10, example="2000.00"),
        Column("agreed_price", SIGNED_DECIMAL, required=True, digits=10, example="3.60", help=_("yuan per unit")),
        Column("inputs_on_credit", SIGNED_DECIMAL, digits=10, example="600.00", help=_("yuan")),
        Column("delivered", SIGNED_DECIMAL, digits=10, example="2000.00"),
        Column("paid", SIGNED_DECIMAL, digits=10, example="6600.00", help=_("yuan")),
    ),
)


# --- the planners' tools -------------------------------------------------------------------------------


def _refuse(
    plan: Plan, entity: str, frame: pl.DataFrame, rule: Rule, *, column: str | None = None, **fill: Any
) -> None:
    """The rows of ``frame`` that break ``rule``, as errors on the rule's field with its
    message (placeholders filled from the columns, or the expressions given)."""
    errors_where(plan, entity, frame, rule.where(), column or rule.field, rule.reason(**fill))


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column) == "")


def _changed_rows(plan: Plan, name: str) -> pl.DataFrame:
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed], how="diagonal_relaxed")


def _out_of_scope(plan: Plan, entity: str, frame: pl.DataFrame, column: str, ranges: Any) -> None:
    errors_where(
        plan, entity, frame, ~_blank(column) & ~scope_expr(column, ranges), column, str(OutOfScope.default_message)
    )


def _county(column: str) -> pl.Expr:
    return pl.col(column).str.slice(0, 6) + pl.lit("000000")


def _enterprises(plan: Plan) -> pl.DataFrame:
    """Credit code -> the enterprise's county, the package's over the database's."""
    stored = db.fetch(
        "SELECT e.code, a.code FROM industry_enterprise e JOIN geo_adminarea a ON a.id = e.county_id",
        ["enterprise", "enterprise_county"],
    )
    return package_over_stored(
        stored,
        plan,
        "industry_enterprises",
        {"enterprise": pl.col("code").str.to_uppercase(), "enterprise_county": pl.col("county")},
    )


def _with_enterprise(plan: Plan, name: str, frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(pl.col("enterprise").str.to_uppercase()).join(
        _enterprises(plan), on="enterprise", how="left"
    )
    errors_where(
        plan,
        name,
        frame,
        ~_blank("enterprise") & pl.col("enterprise_county").is_null(),
        "enterprise",
        pl.concat_str([pl.lit(gettext("Unknown leading enterprise ")), pl.col("enterprise")]),
    )
    return frame.filter(pl.col("enterprise_county").is_not_null())


def _household_villages(plan: Plan, codes: Sequence[str]) -> pl.DataFrame:
    """Household code -> its village, the package's over the database's."""
    stored = db.fetch(
        "SELECT h.code, a.code FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        ["household", "household_village"],
        "h.code",
        codes,
    )
    return package_over_stored(
        stored, plan, "households", {"household": pl.col("code"), "household_village": pl.col("village")}
    )


# --- current rows ------------------------------------------------------------------------------------------

_ENTERPRISE_SELECT = (
    "SELECT e.code, e.name, a.code, e.level, e.sector, CAST(e.identified_year AS TEXT), e.status "
    "FROM industry_enterprise e JOIN geo_adminarea a ON a.id = e.county_id"
)
_BASE_SELECT = (
    "SELECT b.code, e.code, b.name, b.product, "
    + db.money("b.area_mu")
    + ", CAST(b.established_year AS TEXT), '' FROM industry_productionbase b "
    "JOIN industry_enterprise e ON e.id = b.enterprise_id"
)
_LINK_SELECT = (
    "SELECT b.code, h.code, " + db.nullable_text("l.joined_on") + " FROM industry_baselink l "
    "JOIN industry_productionbase b ON b.id = l.base_id JOIN registry_household h ON h.id = l.household_id"
)
_EMPLOYMENT_SELECT = (
    "SELECT e.code, p.id_number, "
    + db.nullable_text("m.start_date")
    + ", "
    + db.nullable_text("m.end_date")
    + ", "
    + db.money("m.monthly_wage")
    + " FROM industry_employment m JOIN industry_enterprise e ON e.id = m.enterprise_id "
    "JOIN registry_person p ON p.id = m.person_id"
)
_CONTRACT_SELECT = (
    "SELECT c.number, e.code, h.code, CAST(c.year AS TEXT), c.product, c.unit, "
    + ", ".join(db.money(f"c.{f}") for f in ("quantity", "agreed_price", "inputs_on_credit", "delivered", "paid"))
    + " FROM industry_ordercontract c JOIN industry_enterprise e ON e.id = c.enterprise_id "
    "JOIN registry_household h ON h.id = c.household_id"
)


def _villages_of_bases(codes: Sequence[str]) -> pl.DataFrame:
    """Base code -> its villages joined by ";" (sorted), from the database."""
    rows = db.fetch(
        "SELECT b.code, a.code FROM industry_productionbase_villages v "
        "JOIN industry_productionbase b ON b.id = v.productionbase_id JOIN geo_adminarea a ON a.id = v.adminarea_id",
        ["code", "village"],
        "b.code",
        codes,
    )
    return rows.group_by("code").agg(pl.col("village").sort().str.join(";").alias("villages"))


# --- planners -----------------------------------------------------------------------------------------------


def plan_enterprises(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("industry_enterprises")
    if frame is None:
        return
    name = "industry_enterprises"
    frame = frame.with_columns(
        pl.col("code").str.strip_chars().str.to_uppercase(), pl.col("status").fill_null("active")
    )
    _refuse(plan, name, frame, rules.USCC_FORMAT)
    _refuse(plan, name, frame, rules.USCC_CHECK)
    areas = db.fetch(
        "SELECT code, level FROM geo_adminarea",
        ["county", "county_level"],
        "code",
        frame["county"].drop_nulls().unique().to_list(),
    )
    joined = frame.join(areas, on="county", how="left")
    errors_where(
        plan,
        name,
        joined,
        ~_blank("county") & (pl.col("county_level").fill_null("") != AreaLevel.COUNTY),
        "county",
        pl.concat_str([pl.lit(gettext("Not a county: ")), pl.col("county")]),
    )
    current = db.fetch(_ENTERPRISE_SELECT, ENTERPRISES.column_names, "e.code", frame["code"].to_list())
    plan.changes[name] = compare(frame, current, ["code"], ENTERPRISES.column_names[1:])
    _out_of_scope(plan, name, _changed_rows(plan, name), "county", ctx.ranges)


def plan_bases(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("industry_bases")
    if frame is None:
        return
    name = "industry_bases"
    frame = _with_enterprise(plan, name, frame)
    frame = frame.with_columns(
        pl.col("villages")
        .fill_null("")
        .str.replace_all(",", ";")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.filter(pl.element() != "")
        .list.unique()
        .list.sort()
        .list.join(";")
        .alias("villages")
    )
    _refuse(plan, name, frame, rules.BASE_AREA_POSITIVE)
    _refuse(plan, name, frame, rules.BASE_VILLAGES_GIVEN)
    each = frame.select("_line", "code", pl.col("villages").str.split(";").alias("village")).explode("village")
    each = each.filter(pl.col("village") != "")
    levels = db.fetch(
        "SELECT code, level FROM geo_adminarea",
        ["village", "village_level"],
        "code",
        each["village"].unique().to_list(),
    )
    each = each.join(levels, on="village", how="left")
    _refuse(plan, name, each, rules.BASE_VILLAGE_LEVEL)
    _out_of_scope(plan, name, each, "village", ctx.ranges)
    _out_of_scope(plan, name, frame, "enterprise_county", ctx.ranges)
    current = db.fetch(_BASE_SELECT, BASES.column_names, "b.code", frame["code"].to_list())
    villages = _villages_of_bases(frame["code"].to_list())
    current = (
        current.drop("villages").join(villages, on="code", how="left").with_columns(pl.col("villages").fill_null(""))
    )
    plan.changes[name] = compare(
        frame.select(["_line", *BASES.column_names]), current, ["code"], BASES.column_names[1:]
    )
    plan.resolved["industry_base_counties"] = frame.select("code", "villages")


def _base_counties(plan: Plan, codes: Sequence[str]) -> pl.DataFrame:
    """Base code -> the counties of its villages joined by ";" (the package's over the database's)."""
    stored = _villages_of_bases(codes)
    given = plan.resolved.get("industry_base_counties")
    if given is not None and given.height:
        stored = pl.concat([given, stored.filter(~pl.col("code").is_in(given["code"].implode()))])
    return stored.select(
        pl.col("code").alias("base"),
        pl.col("villages")
        .str.split(";")
        .list.eval(pl.element().str.slice(0, 6) + "000000")
        .list.unique()
        .list.sort()
        .list.join(";")
        .alias("base_counties"),
    )


def plan_base_households(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("industry_base_households")
    if frame is None:
        return
    name = "industry_base_households"
    bases = _base_counties(plan, frame["base"].drop_nulls().unique().to_list())
    frame = frame.join(bases, on="base", how="left")
    errors_where(
        plan,
        name,
        frame,
        pl.col("base_counties").is_null(),
        "base",
        pl.concat_str([pl.lit(gettext("Unknown production base ")), pl.col("base")]),
    )
    frame = frame.filter(pl.col("base_counties").is_not_null())
    homes = _household_villages(plan, frame["household"].drop_nulls().unique().to_list())
    frame = frame.join(homes, on="household", how="left").filter(pl.col("household_village").is_not_null())
    frame = frame.with_columns(_county("household_village").alias("household_county"))
    _refuse(plan, name, frame, rules.BASE_HOUSEHOLD_IN_COUNTIES)
    _out_of_scope(plan, name, frame, "household_village", ctx.ranges)
    columns = BASE_HOUSEHOLDS.column_names
    current = db.fetch(_LINK_SELECT, columns, "b.code", frame["base"].unique().to_list())
    plan.changes[name] = compare(frame.select(["_line", *columns]), current, ["base", "household"], ["joined_on"])


def plan_employments(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("industry_employments")
    if frame is None:
        return
    name = "industry_employments"
    frame = _with_enterprise(plan, name, frame)
    persons = db.fetch(
        "SELECT id_number, CAST(id AS TEXT) FROM registry_person",
        ["id_number", "person"],
        "id_number",
        frame["id_number"].drop_nulls().unique().to_list(),
    )
    members = plan.frames.get("members")
    if members is not None and members.height:
        extra = members.select("id_number", pl.lit("new").alias("person"))
        persons = pl.concat([persons, extra.filter(~pl.col("id_number").is_in(persons["id_number"].implode()))])
    frame = frame.join(persons, on="id_number", how="left")
    _refuse(plan, name, frame, rules.PERSON_IN_REGISTRY)
    _refuse(plan, name, frame, rules.EMPLOYMENT_DATES)
    _refuse(plan, name, frame, rules.WAGE_NOT_NEGATIVE)
    _out_of_scope(plan, name, frame, "enterprise_county", ctx.ranges)
    columns = EMPLOYMENTS.column_names
    current = db.fetch(_EMPLOYMENT_SELECT, columns, "e.code", frame["enterprise"].unique().to_list())
    plan.changes[name] = compare(
        frame.select(["_line", *columns]),
        current,
        ["enterprise", "id_number", "start_date"],
        ["end_date", "monthly_wage"],
    )


def plan_contracts(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("industry_contracts")
    if frame is None:
        return
    name = "industry_contracts"
    frame = _with_enterprise(plan, name, frame).with_columns(
        *(pl.col(c).fill_null("0") for c in ("inputs_on_credit", "delivered", "paid")), pl.col("unit").fill_null("kg")
    )
    _refuse(plan, name, frame, rules.CONTRACT_QUANTITY_POSITIVE)
    # the service blames the first negative of these (rules.CONTRACT_NOT_NEGATIVE)
    amounts = ("agreed_price", "inputs_on_credit", "delivered", "paid")
    for i, column in enumerate(amounts):
        first = pl.all_horizontal([amount(c).fill_null(0) >= 0 for c in amounts[:i]]) if i else pl.lit(True)
        errors_where(
            plan,
            name,
            frame,
            rules.CONTRACT_NOT_NEGATIVE.where() & (amount(column) < 0).fill_null(False) & first,
            column,
            rules.CONTRACT_NOT_NEGATIVE.reason(),
        )
    _refuse(plan, name, frame, rules.CONTRACT_DELIVERED_WITHIN)
    _out_of_scope(plan, name, frame, "enterprise_county", ctx.ranges)
    homes = _household_villages(plan, frame["household"].drop_nulls().unique().to_list())
    _out_of_scope(plan, name, frame.join(homes, on="household", how="inner"), "household_village", ctx.ranges)
    columns = CONTRACTS.column_names
    current = db.fetch(_CONTRACT_SELECT, columns, "c.number", frame["number"].to_list())
    plan.changes[name] = compare(frame.select(["_line", *columns]), current, ["number"], columns[1:])


# --- writers -------------------------------------------------------------------------------------------------


def _ids(select: str, names: list[str]) -> pl.DataFrame:
    return db.fetch(select, names)


def _update(model: Any, key_fields: dict[str, str], frame: pl.DataFrame, values: dict[str, str]) -> None:
    for row in frame.iter_rows(named=True):
        model.objects.filter(**{lookup: row[col] for lookup, col in key_fields.items()}).update(
            **{f: row[col] for f, col in values.items()}
        )


def _enterprise_ids() -> pl.DataFrame:
    return _ids("SELECT code, CAST(id AS TEXT) FROM industry_enterprise", ["enterprise", "enterprise_id"])


def _household_ids() -> pl.DataFrame:
    return _ids("SELECT code, CAST(id AS TEXT) FROM registry_household", ["household", "household_id"])


def write_enterprises(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("industry_enterprises")
    if changes is None:
        return
    areas = _ids("SELECT code, CAST(id AS TEXT) FROM geo_adminarea", ["county", "county_id"])
    fields = ["code", "name", "county", "level", "sector", "identified_year", "status"]

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(areas, on="county")

    write_rows(Enterprise, ready(changes.new), fields, [pl.col("county_id") if f == "county" else f for f in fields])
    values = {f: f for f in fields[1:] if f != "county"} | {"county_id": "county_id"}
    _update(Enterprise, {"code": "code"}, ready(changes.changed), values)
    ctx.progress("industry_enterprises", changes.new.height + changes.changed.height)


def write_bases(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("industry_bases")
    if changes is None:
        return
    fields = ["code", "enterprise", "name", "product", "area_mu", "established_year"]
    enterprises = _enterprise_ids()
    new = changes.new.join(enterprises, on="enterprise")
    write_rows(ProductionBase, new, fields, [pl.col("enterprise_id") if f == "enterprise" else f for f in fields])
    changed = changes.changed.join(enterprises, on="enterprise")
    values = {f: f for f in fields[2:]} | {"enterprise_id": "enterprise_id"}
    _update(ProductionBase, {"code": "code"}, changed, values)
    areas = dict(
        _ids("SELECT code, CAST(id AS TEXT) FROM geo_adminarea WHERE level = 'village'", ["c", "i"]).iter_rows()
    )
    for row in pl.concat([new, changed], how="diagonal_relaxed").iter_rows(named=True):
        base = ProductionBase.objects.get(code=row["code"])
        base.villages.set([int(areas[v]) for v in row["villages"].split(";") if v])
    ctx.progress("industry_bases", changes.new.height + changes.changed.height)


def write_base_households(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("industry_base_households")
    if changes is None:
        return
    bases = _ids("SELECT code, CAST(id AS TEXT) FROM industry_productionbase", ["base", "base_id"])

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(bases, on="base").join(_household_ids(), on="household")

    write_rows(
        BaseLink, ready(changes.new), ["base", "household", "joined_on"], ["base_id", "household_id", "joined_on"]
    )
    _update(
        BaseLink,
        {"base_id": "base_id", "household_id": "household_id"},
        ready(changes.changed),
        {"joined_on": "joined_on"},
    )
    ctx.progress("industry_base_households", changes.new.height + changes.changed.height)


def write_employments(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("industry_employments")
    if changes is None:
        return
    numbers = pl.concat([changes.new["id_number"], changes.changed["id_number"]]).unique().to_list()
    persons = db.fetch(
        "SELECT id_number, CAST(id AS TEXT) FROM registry_person", ["id_number", "person_id"], "id_number", numbers
    )

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(_enterprise_ids(), on="enterprise").join(persons, on="id_number")

    fields = ["enterprise", "person", "start_date", "end_date", "monthly_wage"]
    ids = {"enterprise": "enterprise_id", "person": "person_id"}
    write_rows(Employment, ready(changes.new), fields, [pl.col(ids.get(f, f)) for f in fields])
    key = {"enterprise_id": "enterprise_id", "person_id": "person_id", "start_date": "start_date"}
    _update(Employment, key, ready(changes.changed), {"end_date": "end_date", "monthly_wage": "monthly_wage"})
    ctx.progress("industry_employments", changes.new.height + changes.changed.height)


def write_contracts(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("industry_contracts")
    if changes is None:
        return
    fields = list(CONTRACTS.column_names)
    ids = {"enterprise": "enterprise_id", "household": "household_id"}

    def ready(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(_enterprise_ids(), on="enterprise").join(_household_ids(), on="household")

    write_rows(OrderContract, ready(changes.new), fields, [pl.col(ids.get(f, f)) for f in fields])
    values = {(f + "_id" if f in ids else f): ids.get(f, f) for f in fields[1:]}
    _update(OrderContract, {"number": "number"}, ready(changes.changed), values)
    ctx.progress("industry_contracts", changes.new.height + changes.changed.height)


# --- export ------------------------------------------------------------------------------------------------------


def _where(ctx: ExportContext, *columns: str) -> tuple[str, list[str]]:
    """Rows whose area is in scope by any of ``columns`` (a record seen from two areas)."""
    parts = [ctx.where(c) for c in columns]
    if not parts[0][0]:
        return "", []
    return " OR ".join(f"({sql})" for sql, _p in parts), [p for _sql, params in parts for p in params]


_ENTERPRISE_COUNTY = "(SELECT a.code FROM geo_adminarea a WHERE a.id = e.county_id)"
_HOME = "(SELECT v.code FROM geo_adminarea v WHERE v.id = h.village_id)"


def export_enterprises(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_ENTERPRISE_SELECT, ENTERPRISES.column_names, where=where, params=params).sort("code")


def export_bases(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where(_ENTERPRISE_COUNTY)
    frame = db.fetch(_BASE_SELECT, BASES.column_names, where=where, params=params)
    villages = _villages_of_bases(frame["code"].to_list())
    return (
        frame.drop("villages")
        .join(villages, on="code", how="left")
        .with_columns(pl.col("villages").fill_null(""))
        .select(BASES.column_names)
        .sort("code")
    )


def export_base_households(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where(_HOME)
    return db.fetch(_LINK_SELECT, BASE_HOUSEHOLDS.column_names, where=where, params=params).sort("base", "household")


def export_employments(ctx: ExportContext) -> pl.DataFrame:
    home = (
        "(SELECT v.code FROM registry_household h JOIN geo_adminarea v ON v.id = h.village_id "
        "WHERE h.id = p.household_id)"
    )
    where, params = _where(ctx, _ENTERPRISE_COUNTY, home)
    return db.fetch(_EMPLOYMENT_SELECT, EMPLOYMENTS.column_names, where=where, params=params).sort(
        list(EMPLOYMENTS.key)
    )


def export_contracts(ctx: ExportContext) -> pl.DataFrame:
    where, params = _where(ctx, _ENTERPRISE_COUNTY, _HOME)
    return db.fetch(_CONTRACT_SELECT, CONTRACTS.column_names, where=where, params=params).sort("number")


# --- registration ----------------------------------------------------------------------------------------------

DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Leading enterprises** (`docs/industry.md`): the rules of `fupin.industry.rules` apply to the "
        "files as the services apply them to one record, with the same field and message. An enterprise's "
        "code is a unified social credit code with its GB 32100 check character; a base is set up in one or "
        "more villages (`villages`, codes joined by `;`) on more than 0 mu; a household linked to a base "
        "lives in a county of the base's villages; an employee is a person of the registry (by ID number), "
        "the employment ending not before it starts, with a wage of zero or more; an order contract has a "
        "quantity above 0, no negative price or amount, and no more delivered than contracted.",
    ],
    "import_roles": [
        "`industry_enterprises.csv` and `industry_bases.csv` need a county, `industry_base_households.csv`, "
        "`industry_employments.csv` and `industry_contracts.csv` a township (for new or changed rows only); "
        "importing employees needs the permission to see identifiers;",
    ],
}

_IDENTIFIERS = registry.Permission(
    "registry.view_identifiers",
    "id_number",
    _("importing employees needs the permission to see ID numbers"),
)

registry.register(
    ENTERPRISES,
    plan=plan_enterprises,
    write=write_enterprises,
    export=export_enterprises,
    needs_role=Role.COUNTY,
    models=(Enterprise,),
    label=pgettext_lazy("exchange file", "leading enterprises"),
    docs=DOCS,
)
registry.register(
    BASES,
    plan=plan_bases,
    write=write_bases,
    export=export_bases,
    needs_role=Role.COUNTY,
    # the villages' table last: an emptying in reverse order deletes it first
    models=(ProductionBase, ProductionBase.villages.through),
    label=pgettext_lazy("exchange file", "production bases"),
)
registry.register(
    BASE_HOUSEHOLDS,
    plan=plan_base_households,
    write=write_base_households,
    export=export_base_households,
    needs_role=Role.TOWNSHIP,
    models=(BaseLink,),
    label=pgettext_lazy("exchange file", "households linked to bases"),
)
registry.register(
    EMPLOYMENTS,
    plan=plan_employments,
    write=write_employments,
    export=export_employments,
    needs_role=Role.TOWNSHIP,
    needs_permission=_IDENTIFIERS,
    models=(Employment,),
    label=pgettext_lazy("exchange file", "employees of leading enterprises"),
    masked_order=("enterprise", "id_number", "start_date"),
)
registry.register(
    CONTRACTS,
    plan=plan_contracts,
    write=write_contracts,
    export=export_contracts,
    needs_role=Role.TOWNSHIP,
    models=(OrderContract,),
    label=pgettext_lazy("exchange file", "order contracts"),
)
