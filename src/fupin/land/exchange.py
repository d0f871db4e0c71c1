"""Land transfer's files of the exchange package (``fupin.exchange.registry``): the land
transfer contracts (``land_contracts.csv``) and their transferor households with their
areas (``land_transferors.csv``).

Each planner compares its file with the database by natural key and applies the rules of
``land.rules`` to the whole file at once: the very expressions the services evaluate on
one record, with their field and message (``tests/land/test_parity.py``). The rules that
need other records (the village of a household, the contract of a transferor) are
evaluated on columns joined from the database and from the package's other file.

A new contract comes with its transferors in the same package; of a recorded contract only
the termination (``terminated_on``, ``termination_reason``) may change, and a transferor's
area may be corrected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.core.choices import Role
from fupin.core.rules import Rule
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, package_over_stored, scope_expr, write_rows
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, CODE, DATE, INT, SIGNED_DECIMAL, TEXT, Column, Entity
from fupin.land import rules
from fupin.land.choices import Mode, Payment, TransfereeKind
from fupin.land.models import LandContract, Transferor

CONTRACTS = Entity(
    "land_contracts",
    key=("number",),
    help=_(
        "Land transfer contracts (土地流转合同): one row per contract, in its village, with the transferee, the "
        "mode, the start and term and the rent or dividend; their transferors are in land_transferors."
    ),
    depends_on=("areas", "households", "industry_enterprises"),
    columns=(
        Column("number", TEXT, required=True, max_length=rules.NUMBER_MAX_LENGTH, example="LZ-2009-001"),
        Column("village", AREA, required=True, example="230129100201", help=_("the village's 12-digit code")),
        Column("transferee_kind", CODE, choices=TransfereeKind, required=True, example="cooperative"),
        Column(
            "transferee_enterprise",
            TEXT,
            max_length=18,
            example="",
            help=_("a leading enterprise's unified social credit code (transferee_kind enterprise)"),
        ),
        Column(
            "transferee_household",
            TEXT,
            max_length=20,
            example="",
            # no refers_to: the land rules name an unknown household, as the services do
            help=_("a large household's code (transferee_kind large_household)"),
        ),
        Column(
            "transferee_name",
            TEXT,
            max_length=rules.NAME_MAX_LENGTH,
            example="延寿县水稻种植合作社",
            help=_("a cooperative's or another party's name"),
        ),
        Column("mode", CODE, choices=Mode, required=True, example="lease"),
        Column("start_date", DATE, required=True, example="2009-03-01"),
        Column("term_years", INT, required=True, example="10", help=_("whole years")),
        Column("payment", CODE, choices=Payment, required=True, example="rent"),
        # signed, so that the rules say what the service says of a zero or negative rent
        Column("rent_per_mu", SIGNED_DECIMAL, digits=8, example="260.00", help=_("yuan per mu and year")),
        Column("dividend_terms", TEXT, max_length=rules.TERMS_MAX_LENGTH, example=""),
        Column("terminated_on", DATE, example="", help=_("the day the contract was ended before its term")),
        Column("termination_reason", TEXT, max_length=rules.REASON_MAX_LENGTH, example=""),
    ),
)

TRANSFERORS = Entity(
    "land_transferors",
    key=("contract", "household"),
    help=_("The transferor households of the land transfer contracts, each with its area in mu."),
    depends_on=("land_contracts", "households"),
    columns=(
        Column(
            "contract",
            TEXT,
            required=True,
            max_length=rules.NUMBER_MAX_LENGTH,
            example="LZ-2009-001",
            refers_to="land_contracts",
        ),
        # no refers_to="households": the land rules name an unknown household, as the services do
        Column("household", TEXT, required=True, max_length=20, example="2301291002000001"),
        # signed, so that the rule AREA_POSITIVE says what the service says of a negative area
        Column("area_mu", SIGNED_DECIMAL, required=True, digits=9, example="30.50", help=_("mu")),
    ),
)

FIXED = [c for c in CONTRACTS.column_names[1:] if c not in ("terminated_on", "termination_reason")]


# --- tools --------------------------------------------------------------------------------------


def _refuse(plan: Plan, entity: str, frame: pl.DataFrame, rule: Rule, column: str | None = None, **fill: Any) -> None:
    errors_where(plan, entity, frame, rule.where(), column or rule.field, rule.reason(**fill))


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column).cast(pl.String).str.strip_chars() == "")


def _message(message: str, **values: pl.Expr) -> pl.Expr:
    return Rule("", "", message).reason(**values)


def _households(codes: Sequence[str], plan: Plan) -> pl.DataFrame:
    """The households of ``codes`` with their villages: the package's (its households file,
    written before the land files) and the database's."""
    stored = db.fetch(
        "SELECT h.code, a.code FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        ["household", "household_village"],
        "h.code",
        codes,
    )
    return package_over_stored(
        stored, plan, "households", {"household": pl.col("code"), "household_village": pl.col("village")}
    )


_CONTRACT_SELECT = (
    "SELECT c.number, v.code, c.transferee_kind, COALESCE(e.code, ''), COALESCE(h.code, ''), c.transferee_name, "
    "c.mode, "
    + db.nullable_text("c.start_date")
    + ", CAST(c.term_years AS TEXT), c.payment, CASE WHEN c.rent_per_mu IS NULL THEN NULL ELSE "
    + db.money("c.rent_per_mu")
    + " END, c.dividend_terms, "
    + db.nullable_text("c.terminated_on")
    + ", c.termination_reason FROM land_landcontract c JOIN geo_adminarea v ON v.id = c.village_id "
    "LEFT JOIN industry_enterprise e ON e.id = c.transferee_enterprise_id "
    "LEFT JOIN registry_household h ON h.id = c.transferee_household_id"
)
_TRANSFEROR_SELECT = (
    "SELECT c.number, h.code, "
    + db.decimal("t.area_mu", 2)
    + " FROM land_transferor t JOIN land_landcontract c ON c.id = t.contract_id "
    "JOIN registry_household h ON h.id = t.household_id"
)
_CONTRACT_VILLAGE = "(SELECT v.code FROM geo_adminarea v WHERE v.id = c.village_id)"


def _normal(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty optional text as empty, not null (as the database holds it)."""
    texts = [c for c in ("transferee_enterprise", "transferee_household", "transferee_name") if c in frame.columns]
    texts += [c for c in ("dividend_terms", "termination_reason") if c in frame.columns]
    return frame.with_columns(pl.col(c).fill_null("") for c in texts)


def _changed_rows(plan: Plan, name: str) -> pl.DataFrame:
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed], how="diagonal_relaxed")


# --- planners -----------------------------------------------------------------------------------


def plan_contracts(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("land_contracts")
    if frame is None:
        return
    name = "land_contracts"
    frame = _normal(frame)
    areas = db.fetch(
        "SELECT code, level FROM geo_adminarea",
        ["village", "village_level"],
        "code",
        frame["village"].drop_nulls().unique().to_list(),
    )
    enterprises = db.fetch(
        "SELECT code, code FROM industry_enterprise",
        ["transferee_enterprise", "enterprise_found"],
        "code",
        frame["transferee_enterprise"].str.to_uppercase().unique().to_list(),
    )
    # an enterprise the package itself brings (industry's file, written before this one)
    brought = plan.frames.get("industry_enterprises")
    if brought is not None and "code" in brought.columns:
        codes = brought.select(pl.col("code").cast(pl.String).str.to_uppercase().alias("transferee_enterprise"))
        codes = codes.with_columns(pl.col("transferee_enterprise").alias("enterprise_found"))
        enterprises = pl.concat([enterprises, codes.cast(enterprises.schema)]).unique("transferee_enterprise")
    takers = _households(frame["transferee_household"].unique().to_list(), plan).select(
        pl.col("household").alias("transferee_household"), pl.col("household").alias("household_found")
    )
    limit = rules.second_round_end().isoformat()
    frame = (
        frame.with_columns(pl.col("transferee_enterprise").str.to_uppercase())
        .join(areas, on="village", how="left")
        .join(enterprises, on="transferee_enterprise", how="left")
        .join(takers, on="transferee_household", how="left")
        .with_columns(pl.lit(limit).alias("limit"), rules.ends().alias("end_date"))
    )
    _refuse(plan, name, frame, rules.VILLAGE_LEVEL)
    _refuse(plan, name, frame, rules.TERM_POSITIVE)
    _refuse(plan, name, frame, rules.TERM_WITHIN_CONTRACT)
    _refuse(plan, name, frame, rules.RENT_GIVEN)
    _refuse(plan, name, frame, rules.NO_RENT_WITH_DIVIDEND)
    errors_where(
        plan,
        name,
        frame,
        pl.col("rent_per_mu").cast(pl.Float64, strict=False) > float(rules.RENT_MAX),
        "rent_per_mu",
        gettext("At most %(max)s yuan per mu and year.") % {"max": f"{rules.RENT_MAX:,}"},
    )
    _refuse(plan, name, frame, rules.TRANSFEREE_ENTERPRISE)
    _refuse(plan, name, frame, rules.TRANSFEREE_HOUSEHOLD)
    _refuse(plan, name, frame, rules.TRANSFEREE_NAME)
    _refuse(plan, name, frame, rules.TERMINATION_WITHIN_TERM)
    files = frame.select([*CONTRACTS.column_names, "_line"])
    current = db.fetch(_CONTRACT_SELECT, CONTRACTS.column_names, "c.number", files["number"].to_list())
    plan.changes[name] = changes = compare(files, current, ["number"], CONTRACTS.column_names[1:])
    # what the transferors of the package see of their contracts
    plan.resolved[name] = frame.select(
        pl.col("number").alias("contract"),
        pl.col("village").alias("contract_village"),
        "transferee_kind",
        "transferee_household",
    )
    # of a recorded contract only the termination changes
    if changes.changed.height:
        stored = current.rename({c: f"{c}__db" for c in FIXED})
        changed = changes.changed.join(stored, on="number", how="left")
        for column in FIXED:
            errors_where(
                plan,
                name,
                changed,
                pl.col(column).fill_null("") != pl.col(f"{column}__db").fill_null(""),
                column,
                str(rules.CONTRACT_FIXED.message),
            )
    # a new contract names its transferors in the package
    package = plan.frames.get("land_transferors")
    counts = (
        package.group_by(pl.col("contract").alias("number")).agg(pl.len().alias("transferors"))
        if package is not None and package.height
        else pl.DataFrame({"number": [], "transferors": []}, schema={"number": pl.String, "transferors": pl.UInt32})
    )
    new = changes.new.join(counts, on="number", how="left")
    _refuse(plan, name, new, rules.TRANSFERORS_GIVEN)
    scoped = _changed_rows(plan, name)
    errors_where(
        plan,
        name,
        scoped,
        ~_blank("village") & ~scope_expr("village", ctx.ranges),
        "village",
        str(rules.CONTRACT_IN_SCOPE.message),
    )


def plan_transferors(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("land_transferors")
    if frame is None:
        return
    name = "land_transferors"
    names = ["contract", "contract_village", "transferee_kind", "transferee_household"]
    stored = db.fetch(
        "SELECT c.number, v.code, c.transferee_kind, COALESCE(h.code, '') FROM land_landcontract c "
        "JOIN geo_adminarea v ON v.id = c.village_id "
        "LEFT JOIN registry_household h ON h.id = c.transferee_household_id",
        names,
        "c.number",
        frame["contract"].unique().to_list(),
    )
    package = plan.resolved.get("land_contracts")
    if package is not None and package.height:
        stored = pl.concat(
            [package.select(names), stored.filter(~pl.col("contract").is_in(package["contract"].implode()))]
        )
    frame = frame.join(stored, on="contract", how="left").join(
        _households(frame["household"].unique().to_list(), plan), on="household", how="left"
    )
    errors_where(
        plan,
        name,
        frame,
        pl.col("contract_village").is_null(),
        "contract",
        _message(gettext("Unknown land transfer contract “%(contract)s”."), contract=pl.col("contract")),
    )
    frame = frame.filter(pl.col("contract_village").is_not_null()).with_columns(pl.lit(False).alias("repeated"))
    _refuse(plan, name, frame, rules.TRANSFEROR_IN_REGISTRY)
    _refuse(plan, name, frame, rules.TRANSFEROR_OF_VILLAGE)
    _refuse(plan, name, frame, rules.TRANSFEREE_NOT_TRANSFEROR)
    _refuse(plan, name, frame, rules.AREA_POSITIVE)
    _refuse(plan, name, frame, rules.AREA_WITHIN_MAX, max=pl.lit(f"{rules.AREA_MAX:,}"))
    files = frame.select([*TRANSFERORS.column_names, "_line"])
    current = db.fetch(_TRANSFEROR_SELECT, TRANSFERORS.column_names, "c.number", files["contract"].unique().to_list())
    plan.changes[name] = compare(files, current, ["contract", "household"], ["area_mu"])
    scoped = _changed_rows(plan, name).join(
        frame.select("contract", "household", "contract_village"), on=["contract", "household"]
    )
    errors_where(
        plan,
        name,
        scoped,
        ~scope_expr("contract_village", ctx.ranges),
        "contract",
        str(rules.CONTRACT_IN_SCOPE.message),
    )


# --- writers ------------------------------------------------------------------------------------


def write_contracts(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("land_contracts")
    if changes is None:
        return
    areas = db.fetch(
        "SELECT code, CAST(id AS TEXT) FROM geo_adminarea",
        ["village", "village_id"],
        "code",
        changes.new["village"].unique().to_list(),
    )
    enterprises = db.fetch(
        "SELECT code, CAST(id AS TEXT) FROM industry_enterprise", ["transferee_enterprise", "enterprise_id"]
    )
    takers = db.fetch(
        "SELECT code, CAST(id AS TEXT) FROM registry_household",
        ["transferee_household", "taker_id"],
        "code",
        changes.new["transferee_household"].unique().to_list(),
    )
    user = getattr(ctx.user, "pk", None)
    new = (
        changes.new.with_columns(pl.col("transferee_enterprise").str.to_uppercase())
        .join(areas, on="village")
        .join(enterprises, on="transferee_enterprise", how="left")
        .join(takers, on="transferee_household", how="left")
        .with_columns(
            rules.ends().cast(pl.String).alias("end_date"),
            pl.lit(str(user) if user else None, dtype=pl.String).alias("recorded_by"),
            # the transferee's name only for a cooperative or another party, as the service keeps it
            pl.when(pl.col("transferee_kind").is_in(["cooperative", "other"]))
            .then(pl.col("transferee_name").str.strip_chars())
            .otherwise(pl.lit(""))
            .alias("transferee_name"),
            pl.when(pl.col("transferee_kind") == "enterprise").then(pl.col("enterprise_id")).alias("enterprise_id"),
            pl.when(pl.col("transferee_kind") == "large_household").then(pl.col("taker_id")).alias("taker_id"),
        )
    )
    fields = ["number", "village", "transferee_kind", "transferee_enterprise", "transferee_household"]
    fields += ["transferee_name", "mode", "start_date", "term_years", "end_date", "payment", "rent_per_mu"]
    fields += ["dividend_terms", "terminated_on", "termination_reason", "recorded_by"]
    ids = {"village": "village_id", "transferee_enterprise": "enterprise_id", "transferee_household": "taker_id"}
    write_rows(LandContract, new, fields, [pl.col(ids.get(f, f)) for f in fields])
    for row in changes.changed.iter_rows(named=True):
        LandContract.objects.filter(number=row["number"]).update(
            terminated_on=row["terminated_on"] or None, termination_reason=row["termination_reason"] or ""
        )
    ctx.progress("land_contracts", changes.new.height + changes.changed.height)


def write_transferors(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("land_transferors")
    if changes is None:
        return
    numbers = pl.concat([changes.new["contract"], changes.changed["contract"]]).unique().to_list()
    contracts = db.fetch(
        "SELECT number, CAST(id AS TEXT) FROM land_landcontract", ["contract", "contract_id"], "number", numbers
    )
    households = db.fetch(
        "SELECT code, CAST(id AS TEXT) FROM registry_household",
        ["household", "household_id"],
        "code",
        pl.concat([changes.new["household"], changes.changed["household"]]).unique().to_list(),
    )
    new = changes.new.join(contracts, on="contract").join(households, on="household")
    write_rows(
        Transferor,
        new,
        ["contract", "household", "area_mu"],
        [pl.col("contract_id"), pl.col("household_id"), pl.col("area_mu")],
    )
    for row in changes.changed.join(contracts, on="contract").join(households, on="household").iter_rows(named=True):
        Transferor.objects.filter(contract_id=row["contract_id"], household_id=row["household_id"]).update(
            area_mu=row["area_mu"]
        )
    ctx.progress("land_transferors", changes.new.height + changes.changed.height)


# --- export -------------------------------------------------------------------------------------


def export_contracts(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("v.code")
    return db.fetch(_CONTRACT_SELECT, CONTRACTS.column_names, where=where, params=params).sort("number")


def export_transferors(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where(_CONTRACT_VILLAGE)
    return db.fetch(_TRANSFEROR_SELECT, TRANSFERORS.column_names, where=where, params=params).sort(
        "contract", "household"
    )


# --- registration -------------------------------------------------------------------------------

DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Land transfer** (`docs/land.md`): the rules of `fupin.land.rules` apply to the files as the "
        "services apply them to one record, with the same field and message. A contract is made in a village; "
        "its term runs at most to the end of the second-round household land contracts "
        "(`FUPIN_LAND_SECOND_ROUND_END`, default 2027-12-31); a rent contract gives its rent per mu, a dividend "
        "contract none; the transferee is named as its kind says (an enterprise's credit code, a large "
        "household's code, or a name); a new contract comes with its transferors in `land_transferors.csv`, "
        "households of the registry living in the contract's village, each with an area of more than zero mu; "
        "of a recorded contract only the termination may change, within its term.",
    ],
    "import_roles": [
        "`land_contracts.csv` and `land_transferors.csv` need a township (for new or changed rows only);",
    ],
}

registry.register(
    CONTRACTS,
    plan=plan_contracts,
    write=write_contracts,
    export=export_contracts,
    needs_role=Role.TOWNSHIP,
    models=(LandContract,),
    label=pgettext_lazy("exchange file", "land transfer contracts"),
    docs=DOCS,
)
registry.register(
    TRANSFERORS,
    plan=plan_transferors,
    write=write_transferors,
    export=export_transferors,
    needs_role=Role.TOWNSHIP,
    models=(Transferor,),
    label=pgettext_lazy("exchange file", "land transferors"),
)
