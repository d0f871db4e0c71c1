"""The discounted loans' files of the exchange package (``fupin.exchange.registry``):
pilots, loans, repayments and discounts.

Each planner applies the rules of ``credit.loans.rules`` to the whole file, the very
expressions the services evaluate on one record, with their field and message
(``tests/credit/loans/test_parity.py``). A repayment is checked against what is
outstanding after the database's repayments and the file's earlier ones (by date); a
discount against the rule's amount for the loan and year (``selectors.discount_quote``, the
computation the service uses), for loans already recorded. Discounts are written through
the service that pays them (one ledger disbursement per project, year, source and date),
inside the import's one transaction: a refusal there undoes the whole import."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.core.choices import Role
from fupin.core.rules import Rule
from fupin.credit.loans import rules, selectors, services
from fupin.credit.loans.choices import BorrowerKind
from fupin.credit.loans.models import Discount, DiscountPayment, DiscountPilot, Loan, LoanRepayment
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, package_over_stored, scope_expr, write_rows
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, CODE, DATE, SIGNED_DECIMAL, TEXT, Column, Entity, year_column
from fupin.funds.choices import Source
from fupin.funds.models import Entry
from fupin.programs.models import Project

PILOTS = Entity(
    "discount_pilots",
    key=("area", "first_year"),
    help=_("The areas and years of the loan discount reform pilot (扶贫贴息贷款改革试点)."),
    depends_on=("areas",),
    columns=(
        Column("area", AREA, required=True, example="230129000000", help=_("a county, a city or the province")),
        year_column("first_year", example="2008"),
        year_column("last_year", example="2010"),
        Column(
            "rate", SIGNED_DECIMAL, digits=3, example="3.00", help=_("enterprise and project discount rate, % a year")
        ),
        Column("note", TEXT, max_length=rules.NOTE_MAX_LENGTH, example=""),
    ),
)

LOANS = Entity(
    "discount_loans",
    key=("code",),
    help=_(
        "Discounted loans (扶贫贴息贷款) to a registry household, a leading enterprise or a project: "
        "lender, principal, rate, drawn and maturity dates. A recorded loan's lender, rate and purpose may change."
    ),
    depends_on=("households", "projects", "industry_enterprises"),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="L-2009-1"),
        Column("kind", CODE, choices=BorrowerKind, required=True, example="household"),
        Column("household", TEXT, max_length=20, example="2301291002000001", help=_("household code")),
        Column("enterprise", TEXT, max_length=18, example="", help=_("unified social credit code")),
        Column("project", TEXT, max_length=32, example="", help=_("project code")),
        Column("lender", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="中国农业银行"),
        Column("principal", SIGNED_DECIMAL, required=True, digits=14, example="10000.00", help=_("yuan")),
        Column("rate", SIGNED_DECIMAL, required=True, digits=3, example="5.31", help=_("annual interest, %")),
        Column("drawn_on", DATE, required=True, example="2009-07-01"),
        Column("matures_on", DATE, required=True, example="2010-07-01"),
        Column("purpose", TEXT, max_length=rules.NAME_MAX_LENGTH, example="养牛"),
    ),
)

REPAYMENTS = Entity(
    "discount_repayments",
    key=("loan", "paid_on"),
    help=_("Repayments of principal of the discounted loans: never beyond what is outstanding."),
    depends_on=("discount_loans",),
    columns=(
        Column(
            "loan",
            TEXT,
            required=True,
            max_length=rules.CODE_MAX_LENGTH,
            example="L-2009-1",
            refers_to="discount_loans",
        ),
        Column("paid_on", DATE, required=True, example="2009-10-01"),
        Column("amount", SIGNED_DECIMAL, required=True, digits=14, example="4000.00", help=_("yuan")),
    ),
)

DISCOUNTS = Entity(
    "loan_discounts",
    key=("loan", "year"),
    help=_(
        "Interest discounts paid on recorded loans, from a county's discount project of the funds ledger: "
        "the amount (empty: the rule's) is refused beyond the rule's and outside the pilot."
    ),
    depends_on=("discount_loans", "discount_repayments", "discount_pilots", "projects", "fund_entries"),
    columns=(
        Column(
            "loan",
            TEXT,
            required=True,
            max_length=rules.CODE_MAX_LENGTH,
            example="L-2009-1",
            refers_to="discount_loans",
        ),
        year_column("year", example="2009"),
        Column("amount", SIGNED_DECIMAL, digits=14, example="201.64", help=_("yuan; empty: the rule's amount")),
        Column("project", TEXT, required=True, max_length=32, example="TX2009-230129", refers_to="projects"),
        Column("source", CODE, choices=Source, required=True, example="central"),
        Column("paid_on", DATE, required=True, example="2009-12-20"),
        Column(
            "entry",
            TEXT,
            max_length=40,
            example="",
            help=_("the ledger disbursement that paid it, when the ledger already holds it; empty: the import pays it"),
        ),
    ),
)


# --- tools ----------------------------------------------------------------------------------------


def _refuse(
    plan: Plan, entity: str, frame: pl.DataFrame, rule: Rule, *, column: str | None = None, **values: Any
) -> None:
    errors_where(plan, entity, frame, rule.where(), column or rule.field, rule.reason(**values))


def _in_scope(frame: pl.DataFrame, column: str, ctx: ImportContext) -> pl.DataFrame:
    return frame.with_columns(scope_expr(column, ctx.ranges).fill_null(False).alias("in_scope"))


def _changed(plan: Plan, name: str) -> pl.DataFrame:
    changes = plan.changes[name]
    return pl.concat([changes.new, changes.changed], how="diagonal_relaxed")


_PILOT_SELECT = (
    "SELECT a.code, CAST(p.first_year AS TEXT), CAST(p.last_year AS TEXT), "
    + db.money("p.rate")
    + ", p.note FROM credit_discountpilot p JOIN geo_adminarea a ON a.id = p.area_id"
)
_LOAN_SELECT = (
    "SELECT l.code, l.kind, COALESCE(h.code, ''), COALESCE(e.code, ''), COALESCE(pr.code, ''), l.lender, "
    + db.money("l.principal")
    + ", "
    + db.money("l.rate")
    + ", "
    + db.nullable_text("l.drawn_on")
    + ", "
    + db.nullable_text("l.matures_on")
    + ", l.purpose FROM credit_loan l JOIN geo_adminarea a ON a.id = l.area_id "
    "LEFT JOIN registry_household h ON h.id = l.household_id LEFT JOIN industry_enterprise e ON e.id = l.enterprise_id "
    "LEFT JOIN programs_project pr ON pr.id = l.project_id"
)
_REPAYMENT_SELECT = (
    "SELECT l.code, " + db.nullable_text("r.paid_on") + ", " + db.money("r.amount") + " FROM credit_loanrepayment r "
    "JOIN credit_loan l ON l.id = r.loan_id JOIN geo_adminarea a ON a.id = l.area_id"
)
_DISCOUNT_SELECT = (
    "SELECT l.code, CAST(d.year AS TEXT), "
    + db.money("d.amount")
    + ", pr.code, en.source, "
    + db.nullable_text("en.date")
    + ", "
    + db.ledger_key("en")
    + " FROM credit_discount d JOIN credit_loan l ON l.id = d.loan_id JOIN geo_adminarea a ON a.id = l.area_id "
    "JOIN credit_discountpayment p ON p.id = d.payment_id JOIN programs_project pr ON pr.id = p.project_id "
    "JOIN funds_entry en ON en.id = p.entry_id"
)


def _loans(codes: Sequence[str]) -> pl.DataFrame:
    return db.fetch(
        "SELECT l.code, CAST(l.id AS TEXT), a.code, "
        + db.money("l.principal")
        + ", "
        + db.nullable_text("l.drawn_on")
        + " FROM credit_loan l JOIN geo_adminarea a ON a.id = l.area_id",
        ["loan", "loan_id", "loan_area", "principal", "drawn_on"],
        "l.code",
        codes,
    )


# --- planners ---------------------------------------------------------------------------------------


def plan_pilots(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("discount_pilots")
    if frame is None:
        return
    name = "discount_pilots"
    areas = db.fetch(
        "SELECT code, level FROM geo_adminarea", ["area", "area_level"], "code", frame["area"].unique().to_list()
    )
    joined = frame.join(areas, on="area", how="left")
    _before, _sep, _after = gettext("Unknown area code “%(code)s”.").partition("%(code)s")
    errors_where(
        plan,
        name,
        joined,
        pl.col("area_level").is_null(),
        "area",
        pl.concat_str([pl.lit(_before), pl.col("area"), pl.lit(_after)]),
    )
    known = joined.filter(pl.col("area_level").is_not_null())
    _refuse(plan, name, known, rules.PILOT_AREA_LEVEL)
    _refuse(plan, name, _in_scope(known, "area", ctx), rules.LOAN_IN_SCOPE, column="area")
    _refuse(plan, name, known, rules.PILOT_YEARS_ORDERED)
    _refuse(plan, name, known, rules.RATE_RANGE)
    current = db.fetch(_PILOT_SELECT, PILOTS.column_names, "a.code", frame["area"].unique().to_list())
    plan.changes[name] = compare(frame, current, ["area", "first_year"], ["last_year", "rate", "note"])


def _codes(frame: pl.DataFrame, column: str) -> list[str]:
    return [v for v in frame[column].unique().to_list() if v]


def plan_loans(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("discount_loans")
    if frame is None:
        return
    name = "discount_loans"
    households = db.fetch(
        "SELECT h.code, a.code FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        ["household", "household_area"],
        "h.code",
        _codes(frame, "household"),
    )
    households = package_over_stored(
        households, plan, "households", {"household": pl.col("code"), "household_area": pl.col("village")}
    )
    enterprises = db.fetch(
        "SELECT e.code, a.code FROM industry_enterprise e JOIN geo_adminarea a ON a.id = e.county_id",
        ["enterprise", "enterprise_area"],
        "e.code",
        _codes(frame, "enterprise"),
    )
    enterprises = package_over_stored(
        enterprises,
        plan,
        "industry_enterprises",
        {"enterprise": pl.col("code").str.to_uppercase(), "enterprise_area": pl.col("county")},
    )
    projects = db.fetch(
        "SELECT p.code, a.code FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id",
        ["project", "project_area"],
        "p.code",
        _codes(frame, "project"),
    )
    projects = package_over_stored(
        projects, plan, "projects", {"project": pl.col("code"), "project_area": pl.col("area")}
    )
    joined = (
        frame.join(households, on="household", how="left")
        .join(enterprises, on="enterprise", how="left")
        .join(projects, on="project", how="left")
        .with_columns(
            pl.col("household_area").alias("household_id"),
            pl.col("enterprise_area").alias("enterprise_id"),
            pl.col("project_area").alias("project_id"),
        )
    )
    kind = pl.col("kind")
    for rule, wanted in (
        (rules.HOUSEHOLD_KNOWN, BorrowerKind.HOUSEHOLD),
        (rules.ENTERPRISE_KNOWN, BorrowerKind.ENTERPRISE),
        (rules.PROJECT_KNOWN, BorrowerKind.PROJECT),
    ):
        errors_where(plan, name, joined, (kind == wanted) & rule.where(), rule.field, rule.reason())
    joined = joined.with_columns(
        pl.when(kind == BorrowerKind.HOUSEHOLD)
        .then(pl.col("household_area"))
        .when(kind == BorrowerKind.ENTERPRISE)
        .then(pl.col("enterprise_area"))
        .otherwise(pl.col("project_area"))
        .alias("area")
    )
    known = joined.filter(pl.col("area").is_not_null())
    _refuse(plan, name, _in_scope(known, "area", ctx), rules.LOAN_IN_SCOPE, column="code")
    for rule in (rules.PRINCIPAL_POSITIVE, rules.PRINCIPAL_WITHIN_MAX, rules.RATE_RANGE, rules.LOAN_DATES_ORDERED):
        _refuse(plan, name, joined, rule)
    current = db.fetch(_LOAN_SELECT, LOANS.column_names, "l.code", frame["code"].unique().to_list())
    plan.changes[name] = compare(frame, current, ["code"], ["lender", "rate", "purpose"])
    # the loans of the package with their borrower's area (the later files' planners read it)
    plan.resolved["discount_loan_areas"] = joined.select("code", "area")


def _known_loans(plan: Plan, codes: Sequence[str]) -> pl.DataFrame:
    """Loan code -> (principal, drawn_on, area) from the database and the package."""
    stored = db.fetch(
        "SELECT l.code, "
        + db.money("l.principal")
        + ", "
        + db.nullable_text("l.drawn_on")
        + ", a.code FROM credit_loan l JOIN geo_adminarea a ON a.id = l.area_id",
        ["loan", "principal", "drawn_on", "loan_area"],
        "l.code",
        list(codes),
    )
    package = plan.frames.get("discount_loans")
    resolved = plan.resolved.get("discount_loan_areas")
    if package is not None and package.height and resolved is not None:
        given = package.join(resolved, on="code", how="left").filter(pl.col("area").is_not_null())
        given = given.select(pl.col("code").alias("loan"), "principal", "drawn_on", pl.col("area").alias("loan_area"))
        stored = pl.concat([given, stored]).unique("loan", keep="first")
    return stored.with_columns(pl.lit("1").alias("loan_id"))


def plan_repayments(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("discount_repayments")
    if frame is None:
        return
    name = "discount_repayments"
    joined = frame.join(_known_loans(plan, frame["loan"].unique().to_list()), on="loan", how="left")
    _refuse(plan, name, joined, rules.LOAN_KNOWN)
    known = joined.filter(pl.col("loan_id").is_not_null())
    _refuse(plan, name, _in_scope(known, "loan_area", ctx), rules.LOAN_IN_SCOPE, column="loan")
    current = db.fetch(_REPAYMENT_SELECT, REPAYMENTS.column_names, "l.code", frame["loan"].unique().to_list())
    plan.changes[name] = compare(frame, current, ["loan", "paid_on"], ["amount"])
    new = plan.changes[name].new.join(known.select("loan", "paid_on", "principal", "drawn_on"), on=["loan", "paid_on"])
    _refuse(plan, name, new, rules.REPAYMENT_POSITIVE)
    _refuse(plan, name, new, rules.REPAYMENT_BEFORE_DRAWN)
    # outstanding before each new row: principal − recorded repayments − the file's earlier rows
    repaid = (
        current.group_by("loan").agg(pl.col("amount").cast(pl.Float64).sum().alias("recorded"))
        if current.height
        else pl.DataFrame({"loan": [], "recorded": []}, schema={"loan": pl.String, "recorded": pl.Float64})
    )
    ordered = (
        new.join(repaid, on="loan", how="left")
        .sort("loan", "paid_on", "_line")
        .with_columns(
            (
                pl.col("amount").cast(pl.Float64, strict=False).cum_sum().over("loan")
                - pl.col("amount").cast(pl.Float64, strict=False)
            ).alias("earlier")
        )
        .with_columns(
            (pl.col("principal").cast(pl.Float64) - pl.col("recorded").fill_null(0.0) - pl.col("earlier")).alias(
                "outstanding_value"
            )
        )
        .with_columns(
            pl.col("outstanding_value").round(2).alias("outstanding"),
            pl.col("outstanding_value")
            .map_elements(lambda v: f"{v:.2f}", return_dtype=pl.String)
            .alias("outstanding_text"),
        )
    )
    _refuse(plan, name, ordered, rules.REPAYMENT_BEYOND_OUTSTANDING, outstanding="outstanding_text")
    errors_where(
        plan,
        name,
        plan.changes[name].changed,
        pl.lit(True),
        "amount",
        gettext("A recorded repayment cannot be changed: record a new one."),
    )


def _package_loans(plan: Plan, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The loans the discounts name, and the other loans of their households: from the
    database, and from the package's ``discount_loans`` (which wins)."""
    select = (
        "SELECT l.code, l.kind, COALESCE(h.code, ''), "
        + db.money("l.principal")
        + ", "
        + db.nullable_text("l.drawn_on")
        + ", "
        + db.nullable_text("l.matures_on")
        + ", a.code "
        "FROM credit_loan l JOIN geo_adminarea a ON a.id = l.area_id "
        "LEFT JOIN registry_household h ON h.id = l.household_id"
    )
    names = ["code", "kind", "household", "principal", "drawn_on", "matures_on", "area"]
    stored = db.fetch(select, names, "l.code", list(codes))
    households = [h for h in stored["household"].unique().to_list() if h]
    package = plan.frames.get("discount_loans")
    rows: pl.DataFrame | None = None
    if package is not None and package.height:
        resolved = plan.resolved.get("discount_loan_areas")
        rows = package.join(resolved.select("code", "area"), on="code", how="left") if resolved is not None else None
        if rows is not None:
            households += [h for h in rows["household"].unique().to_list() if h]
    if households:
        stored = pl.concat([stored, db.fetch(select, names, "h.code", households)]).unique("code")
    loans = {r["code"]: r for r in stored.iter_rows(named=True)}
    if rows is not None:
        for r in rows.select(names).iter_rows(named=True):
            if r["area"] is not None:
                loans[r["code"]] = r
    return loans


def _package_repayments(plan: Plan, codes: Sequence[str]) -> dict[str, list[tuple[dt.date, Decimal]]]:
    current = db.fetch(_REPAYMENT_SELECT, REPAYMENTS.column_names, "l.code", list(codes))
    package = plan.frames.get("discount_repayments")
    if package is not None and package.height:
        current = pl.concat([package.select(REPAYMENTS.column_names), current]).unique(
            ["loan", "paid_on"], keep="first"
        )
    out: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for loan, paid_on, amount in current.iter_rows():
        if paid_on and amount:
            out[loan].append((dt.date.fromisoformat(paid_on), Decimal(amount)))
    return out


def _package_pilots(plan: Plan) -> list[tuple[Any, str, int, int, Decimal]]:
    current = db.fetch(_PILOT_SELECT, PILOTS.column_names)
    package = plan.frames.get("discount_pilots")
    if package is not None and package.height:
        current = pl.concat([package.select(PILOTS.column_names), current]).unique(["area", "first_year"], keep="first")
    return [
        (
            f"{r['area']}/{r['first_year']}",
            r["area"],
            int(r["first_year"]),
            int(r["last_year"]),
            Decimal(r["rate"] or rules.DEFAULT_ENTERPRISE_RATE),
        )
        for r in current.iter_rows(named=True)
    ]


def plan_discounts(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("loan_discounts")
    if frame is None:
        return
    name = "loan_discounts"
    codes = frame["loan"].unique().to_list()
    loans = _package_loans(plan, codes)
    known = pl.DataFrame(
        {"loan": list(loans), "loan_id": ["1"] * len(loans)}, schema={"loan": pl.String, "loan_id": pl.String}
    )
    joined = frame.join(known, on="loan", how="left")
    _refuse(plan, name, joined, rules.LOAN_KNOWN)
    projects = db.fetch(
        "SELECT p.code, a.code FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id",
        ["project", "project_area"],
        "p.code",
        frame["project"].unique().to_list(),
    )
    package_projects = plan.frames.get("projects")
    if package_projects is not None and package_projects.height:
        given_projects = package_projects.select(pl.col("code").alias("project"), pl.col("area").alias("project_area"))
        projects = pl.concat([given_projects, projects]).unique("project", keep="first")
    joined = joined.join(projects, on="project", how="left").with_columns(
        pl.col("project_area").is_not_null().cast(pl.String).replace("false", None).alias("project_id")
    )
    _refuse(plan, name, joined.filter(pl.col("loan_id").is_not_null()), rules.PROJECT_KNOWN)
    # the ledger entry, when given: in the database or the package
    numbers = [n for n in frame["entry"].unique().to_list() if n]
    found = set(db.fetch("SELECT number FROM funds_entry", ["number"], "number", numbers)["number"].to_list())
    entries = plan.frames.get("fund_entries")
    if entries is not None and entries.height:
        found |= set(entries["number"].to_list())
    joined = joined.with_columns(
        pl.when(pl.col("entry").is_null() | (pl.col("entry") == "") | pl.col("entry").is_in(list(found)))
        .then(pl.lit("1"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("entry_found")
    )
    _refuse(plan, name, joined, rules.ENTRY_KNOWN)
    usable = joined.filter(pl.col("loan_id").is_not_null() & pl.col("project_area").is_not_null()).with_columns(
        pl.col("loan")
        .replace_strict({c: r["area"] for c, r in loans.items()}, default=None, return_dtype=pl.String)
        .alias("loan_area")
    )
    _refuse(plan, name, _in_scope(usable, "loan_area", ctx), rules.LOAN_IN_SCOPE, column="loan")
    current = db.fetch(_DISCOUNT_SELECT, DISCOUNTS.column_names, "l.code", codes)
    plan.changes[name] = compare(frame, current, ["loan", "year"], ["amount"])
    _refuse(plan, name, plan.changes[name].changed.with_columns(pl.lit(True).alias("paid")), rules.DISCOUNT_TWICE)
    new = plan.changes[name].new.join(usable.select("loan", "year", "loan_area", "project_area"), on=["loan", "year"])
    # the rule's amount for each (loan, year), by the computation the service uses
    pilots = _package_pilots(plan)
    repaid = _package_repayments(plan, codes)
    rows = []
    for row in new.iter_rows(named=True):
        loan, year = loans[row["loan"]], int(row["year"])
        pilot = rules.pilot_holding(loan["area"], year, pilots)
        siblings = [
            (c, dt.date.fromisoformat(r["drawn_on"]), Decimal(r["principal"]), dt.date.fromisoformat(r["matures_on"]))
            for c, r in loans.items()
            if loan["household"] and r["household"] == loan["household"]
        ]
        _basis, _days, _rate, cap = rules.discount_due(
            kind=loan["kind"],
            code=row["loan"],
            principal=Decimal(loan["principal"]),
            drawn=dt.date.fromisoformat(loan["drawn_on"]),
            matures=dt.date.fromisoformat(loan["matures_on"]),
            year=year,
            repayments=repaid.get(row["loan"], []),
            siblings=siblings,
            pilot_rate=pilot[4] if pilot else None,
        )
        rows.append(
            {"_line": row["_line"], "pilot": pilot[0] if pilot else None, "cap": float(cap), "cap_text": f"{cap:.2f}"}
        )
    schema: dict[str, Any] = {
        "_line": new.schema["_line"],
        "pilot": pl.String,
        "cap": pl.Float64,
        "cap_text": pl.String,
    }
    checked = new.join(pl.DataFrame(rows, schema=schema), on="_line", how="left").with_columns(
        pl.col("project_area").str.slice(0, 6).alias("project_county"),
        pl.col("loan_area").str.slice(0, 6).alias("loan_county"),
        pl.coalesce(pl.col("amount").replace("", None), pl.col("cap_text")).alias("amount"),
    )
    for rule in (
        rules.DISCOUNT_OUTSIDE_PILOT,
        rules.DISCOUNT_PROJECT_COUNTY,
        rules.DISCOUNT_NOTHING_DUE,
        rules.DISCOUNT_BEYOND_CAP,
        rules.REPAYMENT_POSITIVE,
    ):
        _refuse(plan, name, checked.filter(rule.where()), rule, cap="cap_text")
        checked = checked.filter(~rule.where())


# --- writers ------------------------------------------------------------------------------------------


def write_pilots(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("discount_pilots")
    if changes is None:
        return
    areas = db.fetch("SELECT code, CAST(id AS TEXT) FROM geo_adminarea", ["area", "area_id"])
    fields = ["area", "first_year", "last_year", "rate", "note"]
    ready = changes.new.join(areas, on="area").with_columns(
        pl.col("rate").fill_null(str(rules.DEFAULT_ENTERPRISE_RATE)), pl.col("note").fill_null("")
    )
    write_rows(DiscountPilot, ready, fields, [pl.col("area_id") if f == "area" else f for f in fields])
    for row in changes.changed.iter_rows(named=True):
        DiscountPilot.objects.filter(area__code=row["area"], first_year=int(row["first_year"])).update(
            last_year=int(row["last_year"]), rate=row["rate"] or rules.DEFAULT_ENTERPRISE_RATE, note=row["note"] or ""
        )
    ctx.progress("discount_pilots", changes.new.height + changes.changed.height)


def write_loans(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("discount_loans")
    if changes is None:
        return
    new = changes.new
    areas = db.fetch("SELECT code, CAST(id AS TEXT) FROM geo_adminarea", ["area", "area_id"])
    resolved = plan.resolved["discount_loan_areas"].join(areas, on="area")
    ids = {
        column: db.fetch(
            f"SELECT code, CAST(id AS TEXT) FROM {table}", [column, f"{column}_id"], "code", _codes(new, column)
        )
        for column, table in (
            ("household", "registry_household"),
            ("enterprise", "industry_enterprise"),
            ("project", "programs_project"),
        )
    }
    ready = new.join(resolved.select("code", "area_id"), on="code")
    for column, found in ids.items():
        ready = ready.join(found, on=column, how="left")
    ready = ready.with_columns(pl.col("purpose").fill_null(""))
    fields = ["code", "kind", "household", "enterprise", "project", "area", "lender", "principal", "rate"]
    fields += ["drawn_on", "matures_on", "purpose"]
    columns = [pl.col(f"{f}_id") if f in ("household", "enterprise", "project", "area") else f for f in fields]
    write_rows(Loan, ready, fields, columns)
    for row in changes.changed.iter_rows(named=True):
        Loan.objects.filter(code=row["code"]).update(
            lender=row["lender"], rate=row["rate"], purpose=row["purpose"] or ""
        )
    ctx.progress("discount_loans", new.height + changes.changed.height)


def write_repayments(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("discount_repayments")
    if changes is None:
        return
    ids = _loans(changes.new["loan"].unique().to_list())
    write_rows(
        LoanRepayment,
        changes.new.join(ids, on="loan"),
        ["loan", "paid_on", "amount"],
        [pl.col("loan_id"), "paid_on", "amount"],
    )
    ctx.progress("discount_repayments", changes.new.height)


def write_discounts(plan: Plan, ctx: ImportContext) -> None:
    """Rows naming a ledger entry (written by the funds' file before) are recorded against
    it; the others are paid through the service, one disbursement per project, year,
    source and date."""
    changes = plan.changes.get("loan_discounts")
    if changes is None or not changes.new.height:
        return
    loans = {
        loan.code: loan
        for loan in Loan.objects.filter(code__in=changes.new["loan"].unique().to_list()).select_related("area")
    }
    groups: dict[tuple[str, int, str, str], list[tuple[Loan, Any]]] = defaultdict(list)
    recorded: dict[str, list[tuple[Loan, int, Decimal | None]]] = defaultdict(list)
    for row in changes.new.iter_rows(named=True):
        amount = Decimal(row["amount"]) if row["amount"] else None
        if row["entry"]:
            recorded[row["entry"]].append((loans[row["loan"]], int(row["year"]), amount))
        else:
            groups[(row["project"], int(row["year"]), row["source"], row["paid_on"])].append(
                (loans[row["loan"]], amount)
            )
    for number, items in sorted(recorded.items()):
        entry = Entry.objects.select_related("project").get(number=number)
        quotes = [(loan, year, selectors.discount_quote(loan, year), amount) for loan, year, amount in items]
        payment = DiscountPayment.objects.filter(entry=entry).first()
        if payment is None:
            total = sum((a if a is not None else q.cap for _l, _y, q, a in quotes), Decimal("0"))
            payment = DiscountPayment.objects.create(project=entry.project, year=entry.year, entry=entry, amount=total)
        for loan, year, quote, amount in quotes:
            if quote.pilot is None:
                raise rules.DISCOUNT_OUTSIDE_PILOT.refusal(record=loan.code, year=year)
            Discount.objects.create(
                loan=loan,
                year=year,
                pilot=quote.pilot,
                basis=quote.basis,
                days=quote.days,
                rate=quote.rate,
                amount=amount if amount is not None else quote.cap,
                payment=payment,
            )
    for (project, year, source, paid_on), pay in sorted(groups.items(), key=lambda kv: kv[0]):
        services.discount_pay(
            actor=ctx.user,
            project=Project.objects.get(code=project),
            year=year,
            source=source,
            loans=pay,
            on=dt.date.fromisoformat(paid_on),
        )
    ctx.progress("loan_discounts", changes.new.height)


# --- export ------------------------------------------------------------------------------------------


def export_pilots(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_PILOT_SELECT, PILOTS.column_names, where=where, params=params).sort("area", "first_year")


def export_loans(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_LOAN_SELECT, LOANS.column_names, where=where, params=params).sort("code")


def export_repayments(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_REPAYMENT_SELECT, REPAYMENTS.column_names, where=where, params=params).sort("loan", "paid_on")


def export_discounts(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(_DISCOUNT_SELECT, DISCOUNTS.column_names, where=where, params=params).sort("loan", "year")


DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Discounted loans** (`docs/credit-loans.md`): the rules of `fupin.credit.loans.rules` apply to "
        "the files as the services apply them to one record. A loan's borrower is a household of the "
        "registry, a leading enterprise or a project, by code; its principal is more than zero, its rate "
        "0 to 100 %, it matures after it is drawn. A repayment is never more than what is outstanding "
        "(after the recorded repayments and the file's earlier ones). A discount is for a recorded loan "
        "inside the pilot in its year, from a discount project of the loan's county, not beyond the "
        "rule's amount, once per loan and year; it is paid through the funds ledger.",
    ],
    "import_roles": [
        "`discount_pilots.csv` needs a county, `discount_loans.csv`, `discount_repayments.csv` and "
        "`loan_discounts.csv` a township;",
    ],
}

registry.register(
    PILOTS,
    plan=plan_pilots,
    write=write_pilots,
    export=export_pilots,
    needs_role=Role.COUNTY,
    models=(DiscountPilot,),
    label=pgettext_lazy("exchange file", "loan discount pilots"),
    docs=DOCS,
)
registry.register(
    LOANS,
    plan=plan_loans,
    write=write_loans,
    export=export_loans,
    needs_role=Role.TOWNSHIP,
    models=(Loan,),
    label=pgettext_lazy("exchange file", "discounted loans"),
)
registry.register(
    REPAYMENTS,
    plan=plan_repayments,
    write=write_repayments,
    export=export_repayments,
    needs_role=Role.TOWNSHIP,
    models=(LoanRepayment,),
    label=pgettext_lazy("exchange file", "loan repayments"),
)
registry.register(
    DISCOUNTS,
    plan=plan_discounts,
    write=write_discounts,
    export=export_discounts,
    needs_role=Role.TOWNSHIP,
    models=(DiscountPayment, Discount),
    label=pgettext_lazy("exchange file", "loan discounts"),
)
