"""The village mutual funds' files of the exchange package (``fupin.exchange.registry``):
funds with their rules, member households, loans and repayments.

Each planner applies the rules of ``credit.mutual.rules`` to the whole file at once, the
very expressions the services evaluate on one record, with their field and message
(``tests/credit/mutual/test_parity.py``), on columns joined from the database and from the
package's other files: the village of a member household, the fund's village, another
membership of the household, the fund's loan ceiling and longest term, the principal
outstanding before a repayment (the database's, less the package's earlier repayments of
the loan). A fund's rules may change through an import; a member, a loan or a repayment
already recorded may not (change it through its page). Seed capital (fiscal seed is a
ledger disbursement) and public-welfare spending are recorded through the services only.

The cash rule of a loan approved in the package is checked on the fund's balance after
every record of the database and the package's shares and repayments, the package's loans
in order of approval (the service checks it day by day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.choices import Role
from fupin.core.errors import OutOfScope
from fupin.credit.mutual import rules, selectors
from fupin.credit.mutual.choices import OfficerRole, SeedKind
from fupin.credit.mutual.models import (
    FundLoan,
    FundOfficer,
    FundRepayment,
    FundSeed,
    FundWelfareSpending,
    Membership,
    MutualFund,
)
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, package_over_stored, scope_expr, write_rows
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, BOOL, CODE, DATE, DECIMAL, ID_NUMBER, INT, TEXT, Column, Entity

FUNDS = Entity(
    "mutual_funds",
    key=("code",),
    help=_("Village mutual funds (互助资金): one per key village, with the fund's rules."),
    depends_on=("areas",),
    columns=(
        Column("code", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="HZ230129100201"),
        Column("name", TEXT, required=True, max_length=rules.NAME_MAX_LENGTH, example="某村互助资金协会"),
        Column("village", AREA, required=True, example="230129100201", help=_("the fund's village")),
        Column("established_on", DATE, required=True, example="2009-04-01"),
        Column("closed_on", DATE, example="", help=_("empty while the fund is open")),
        Column("share_value", DECIMAL, required=True, example="100.00", help=_("yuan per share")),
        Column("loan_ceiling", DECIMAL, required=True, example="5000.00", help=_("yuan")),
        Column("longest_term", INT, required=True, minimum=1, maximum=rules.TERM_MAX, example="12"),
        Column("fee_rate", DECIMAL, required=True, example="6.00", help=_("occupancy fee, per cent a year")),
        Column("welfare_share", DECIMAL, required=True, example="10.00", help=_("per cent of fees for public welfare")),
    ),
)

MEMBERS = Entity(
    "mutual_members",
    key=("fund", "household"),
    help=_("Member households of the funds (one membership per household) and their shares."),
    depends_on=("mutual_funds", "households"),
    columns=(
        Column("fund", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_funds"),
        Column("household", TEXT, required=True, max_length=20, refers_to="households"),
        Column("joined_on", DATE, required=True, example="2009-04-10"),
        Column("shares", INT, required=True, minimum=0, maximum=10_000, example="2"),
        Column("base_paid_by_fund", BOOL, example="0", help=_("1: the fund pays the base share (poor households)")),
    ),
)

LOANS = Entity(
    "mutual_loans",
    key=("fund", "number"),
    help=_("Loan applications and loans of the funds to their members; approved_on given: approved and lent."),
    depends_on=("mutual_members",),
    columns=(
        Column("fund", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_funds"),
        Column("number", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, example="2009-0001"),
        Column("household", TEXT, required=True, max_length=20, refers_to="households"),
        Column("applied_on", DATE, required=True, example="2009-05-01"),
        Column("amount", DECIMAL, required=True, example="3000.00"),
        Column("term_months", INT, required=True, minimum=0, maximum=10_000, example="6"),
        Column("fee_rate", DECIMAL, required=True, example="6.00"),
        Column("purpose", TEXT, required=True, max_length=rules.PURPOSE_MAX_LENGTH, example="养牛"),
        Column("approved_on", DATE, example="2009-05-05"),
    ),
)

REPAYMENTS = Entity(
    "mutual_repayments",
    key=("fund", "loan", "paid_on"),
    help=_("Repayments of the funds' loans: principal and occupancy fee."),
    depends_on=("mutual_loans",),
    columns=(
        Column("fund", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_funds"),
        Column("loan", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_loans"),
        Column("paid_on", DATE, required=True, example="2009-11-05"),
        Column("principal", DECIMAL, example="3000.00"),
        Column("fee", DECIMAL, example="90.00"),
    ),
)


SEEDS = Entity(
    "mutual_seeds",
    key=("fund", "kind", "received_on"),
    help=_("Seed capital of the funds: fiscal (a disbursement of the funds ledger, by its entry) or other."),
    depends_on=("mutual_funds", "fund_entries"),
    columns=(
        Column("fund", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_funds"),
        Column("kind", CODE, choices=SeedKind, required=True, example="fiscal"),
        Column("amount", DECIMAL, required=True, example="300000.00"),
        Column("received_on", DATE, required=True, example="2009-04-01"),
        Column("donor", TEXT, max_length=rules.NAME_MAX_LENGTH, example=""),
        Column("entry", TEXT, max_length=40, example="DEMO-HZ-2009-00042", help=_("the ledger entry (fiscal seed)")),
    ),
)

OFFICERS = Entity(
    "mutual_officers",
    key=("fund", "id_number"),
    help=_("The council and supervisors of the funds: persons of the fund's village."),
    depends_on=("mutual_funds", "members"),
    columns=(
        Column("fund", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_funds"),
        Column("id_number", ID_NUMBER, required=True, example="230129198001011234", refers_to="members"),
        Column("role", CODE, choices=OfficerRole, required=True, example="council_chair"),
        Column("since", DATE, required=True, example="2009-04-01"),
    ),
)

WELFARE = Entity(
    "mutual_welfare",
    key=("fund", "spent_on", "purpose"),
    help=_("Spending of the funds' public-welfare funds."),
    depends_on=("mutual_repayments",),
    columns=(
        Column("fund", TEXT, required=True, max_length=rules.CODE_MAX_LENGTH, refers_to="mutual_funds"),
        Column("spent_on", DATE, required=True, example="2009-12-31"),
        Column("amount", DECIMAL, required=True, example="50.00"),
        Column("purpose", TEXT, required=True, max_length=rules.PURPOSE_MAX_LENGTH, example="村内道路维修"),
    ),
)


def _refuse(plan: Plan, entity: str, frame: pl.DataFrame, rule: Any, column: str | None = None, **cols: Any) -> None:
    errors_where(plan, entity, frame, rule.where(), column or rule.field, rule.reason(**cols))


def fen(expr: pl.Expr) -> pl.Expr:
    """Yuan text → whole fen."""
    return (expr.cast(pl.String).cast(pl.Float64, strict=False).fill_null(0) * 100).round(0).cast(pl.Int64)


def yuan(expr: pl.Expr) -> pl.Expr:
    """Whole fen → yuan text with two decimals (as the services print a Decimal)."""
    sign = pl.when(expr < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    cents = (expr.abs() % 100).cast(pl.String).str.zfill(2)
    return pl.concat_str([sign, (expr.abs() // 100).cast(pl.String), pl.lit("."), cents])


def _money(column: str) -> pl.Expr:
    return yuan(fen(pl.col(column))).alias(column)


_FUND_SELECT = (
    "SELECT f.code, f.name, v.code, CAST(f.established_on AS TEXT), "
    + db.nullable_text("f.closed_on")
    + ", "
    + db.money("f.share_value")
    + ", "
    + db.money("f.loan_ceiling")
    + ", CAST(f.longest_term AS TEXT), "
    + db.money("f.fee_rate")
    + ", "
    + db.money("f.welfare_share")
    + " FROM credit_mutualfund f JOIN geo_adminarea v ON v.id = f.village_id"
)
_MEMBER_SELECT = (
    "SELECT f.code, h.code, CAST(m.joined_on AS TEXT), CAST(m.shares AS TEXT), "
    + db.flag("m.base_paid_by_fund")
    + " FROM credit_membership m JOIN credit_mutualfund f ON f.id = m.fund_id "
    "JOIN registry_household h ON h.id = m.household_id"
)
_LOAN_SELECT = (
    "SELECT f.code, l.number, h.code, CAST(l.applied_on AS TEXT), "
    + db.money("l.amount")
    + ", CAST(l.term_months AS TEXT), "
    + db.money("l.fee_rate")
    + ", l.purpose, "
    + db.nullable_text("l.approved_on")
    + " FROM credit_fundloan l JOIN credit_mutualfund f ON f.id = l.fund_id "
    "JOIN credit_membership m ON m.id = l.member_id JOIN registry_household h ON h.id = m.household_id"
)
_REPAYMENT_SELECT = (
    "SELECT f.code, l.number, CAST(r.paid_on AS TEXT), "
    + db.money("r.principal")
    + ", "
    + db.money("r.fee")
    + " FROM credit_fundrepayment r JOIN credit_fundloan l ON l.id = r.loan_id "
    "JOIN credit_mutualfund f ON f.id = l.fund_id"
)


def _funds(plan: Plan) -> pl.DataFrame:
    """Every fund of the database and the package: code → its village, rules and dates."""
    stored = db.fetch(_FUND_SELECT, FUNDS.column_names)
    package = plan.frames.get("mutual_funds")
    if package is not None:
        stored = pl.concat(
            [stored.filter(~pl.col("code").is_in(package["code"].implode())), package.select(FUNDS.column_names)],
            how="vertical_relaxed",
        )
    return stored.select(
        pl.col("code").alias("fund"),
        pl.col("village").alias("fund_village"),
        pl.col("established_on"),
        pl.col("closed_on").fill_null(""),
        _money("share_value"),
        _money("loan_ceiling"),
        pl.col("longest_term"),
        _money("fee_rate").alias("fund_fee_rate"),
    )


def _with_fund(plan: Plan, entity: str, frame: pl.DataFrame) -> pl.DataFrame:
    joined = frame.join(_funds(plan), on="fund", how="left").with_columns(pl.col("fund_village").fill_null(""))
    _refuse(plan, entity, joined, rules.IMPORT_UNKNOWN_FUND)
    return joined.filter(pl.col("fund_village") != "")


def _households(codes: list[str], plan: Plan | None = None) -> pl.DataFrame:
    """Household code → its village and status: the package's households, else the database's."""
    stored = db.fetch(
        "SELECT h.code, v.code, h.status FROM registry_household h JOIN geo_adminarea v ON v.id = h.village_id",
        ["household", "household_village", "household_status"],
        "h.code",
        codes,
    )
    return package_over_stored(
        stored,
        plan,
        "households",
        {
            "household": pl.col("code"),
            "household_village": pl.col("village"),
            "household_status": pl.col("status").fill_null("non_poor"),
        },
    )


def _in_scope(plan: Plan, entity: str, frame: pl.DataFrame, ranges: Any) -> None:
    errors_where(plan, entity, frame, ~scope_expr("fund_village", ranges), "fund", str(OutOfScope.default_message))


def _no_change(plan: Plan, entity: str, frame: pl.DataFrame) -> None:
    _refuse(plan, entity, frame, rules.IMPORT_NO_CHANGE)


# --- planners ---------------------------------------------------------------------------------------


def plan_funds(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("mutual_funds")
    if frame is None:
        return
    name = "mutual_funds"
    current = db.fetch(_FUND_SELECT, FUNDS.column_names)
    files = frame.select([*FUNDS.column_names, "_line"]).with_columns(
        *(_money(c) for c in ("share_value", "loan_ceiling", "fee_rate", "welfare_share"))
    )
    plan.changes[name] = changes = compare(files, current, ["code"], FUNDS.column_names[1:])
    rows = pl.concat([changes.new, changes.changed], how="vertical_relaxed")
    villages = db.fetch(
        "SELECT a.code, " + db.flag("a.key_village") + ", COALESCE(p.status, ''), COALESCE(f.code, '') "
        "FROM geo_adminarea a LEFT JOIN programs_villageplan p ON p.village_id = a.id "
        "LEFT JOIN credit_mutualfund f ON f.village_id = a.id",
        ["village", "village_key", "plan_status", "stored_fund"],
        "a.code",
        rows["village"].unique().to_list(),
    )
    rows = _package_village_facts(plan, rows.join(villages, on="village", how="left")).with_columns(
        pl.when(pl.col("stored_fund") != pl.col("code"))
        .then(pl.col("stored_fund"))
        .otherwise(pl.lit(""))
        .alias("existing_fund"),
        pl.col("village").alias("fund_village"),
    )
    # two funds of the package in one village
    rows = rows.with_columns(
        pl.when(
            (pl.col("existing_fund").fill_null("") == "") & (pl.col("code") != pl.col("code").first().over("village"))
        )
        .then(pl.col("code").first().over("village"))
        .otherwise(pl.col("existing_fund"))
        .alias("existing_fund")
    )
    for rule in (
        rules.FUND_KEY_VILLAGE,
        rules.FUND_VILLAGE_PLAN,
        rules.FUND_ONE_PER_VILLAGE,
        rules.FUND_CLOSED_AFTER_ESTABLISHED,
        rules.FUND_SHARE_VALUE,
        rules.FUND_CEILING_POSITIVE,
        rules.FUND_TERM_POSITIVE,
        rules.FUND_RATE_RANGE,
        rules.FUND_WELFARE_RANGE,
    ):
        _refuse(plan, name, rows, rule)
    errors_where(plan, name, rows, ~scope_expr("village", ctx.ranges), "village", str(OutOfScope.default_message))


def _package_village_facts(plan: Plan, rows: pl.DataFrame) -> pl.DataFrame:
    """The key-village flag and the plan's status as the package sets them (its areas and
    village plans), else as the database holds them."""
    areas = plan.frames.get("areas")
    if areas is not None and "key_village" in areas.columns:
        flags = areas.select(pl.col("code").alias("village"), pl.col("key_village").alias("_key"))
        rows = rows.join(flags, on="village", how="left").with_columns(
            pl.coalesce(pl.col("_key"), pl.col("village_key")).alias("village_key")
        )
    plans = plan.frames.get("village_plans")
    if plans is not None:
        statuses = plans.select("village", pl.col("status").alias("_plan"))
        rows = rows.join(statuses, on="village", how="left").with_columns(
            pl.coalesce(pl.col("_plan"), pl.col("plan_status")).alias("plan_status")
        )
    return rows


def plan_members(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("mutual_members")
    if frame is None:
        return
    name = "mutual_members"
    files = frame.select([*MEMBERS.column_names, "_line"]).with_columns(pl.col("base_paid_by_fund").fill_null("0"))
    current = db.fetch(_MEMBER_SELECT, MEMBERS.column_names)
    plan.changes[name] = changes = compare(files, current, ["fund", "household"], MEMBERS.column_names[2:])
    _no_change(plan, name, changes.changed)
    rows = _with_fund(plan, name, changes.new)
    rows = rows.join(_households(rows["household"].unique().to_list(), plan), on="household", how="left")
    _refuse(plan, name, rows, rules.IMPORT_UNKNOWN_HOUSEHOLD)
    rows = rows.filter(pl.col("household_village").is_not_null())
    stored = db.fetch(
        "SELECT h.code, f.code FROM credit_membership m JOIN registry_household h ON h.id = m.household_id "
        "JOIN credit_mutualfund f ON f.id = m.fund_id",
        ["household", "stored_membership"],
        "h.code",
        rows["household"].unique().to_list(),
    )
    rows = rows.join(stored, on="household", how="left").with_columns(
        # a membership in the database, or an earlier row of the package for the same household
        pl.coalesce(
            pl.col("stored_membership"),
            pl.when(pl.int_range(pl.len()).over("household") > 0).then(pl.col("fund").first().over("household")),
        ).alias("other_membership")
    )
    for rule in (
        rules.MEMBER_OF_VILLAGE,
        rules.MEMBER_ONCE,
        rules.MEMBER_SHARES,
        rules.MEMBER_BASE_POOR,
        rules.MEMBER_NOT_BEFORE_FUND,
    ):
        _refuse(plan, name, rows, rule)
    _in_scope(plan, name, rows, ctx.ranges)


def _members(plan: Plan, households: list[str]) -> pl.DataFrame:
    stored = db.fetch(
        "SELECT h.code, f.code, CAST(m.joined_on AS TEXT) FROM credit_membership m "
        "JOIN registry_household h ON h.id = m.household_id JOIN credit_mutualfund f ON f.id = m.fund_id",
        ["household", "member_fund", "joined_on"],
        "h.code",
        households,
    )
    package = plan.changes.get("mutual_members")
    if package is not None and package.new.height:
        new = package.new.select("household", pl.col("fund").alias("member_fund"), "joined_on")
        stored = pl.concat([stored, new.filter(~pl.col("household").is_in(stored["household"].implode()))])
    return stored


def plan_loans(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("mutual_loans")
    if frame is None:
        return
    name = "mutual_loans"
    files = frame.select([*LOANS.column_names, "_line"]).with_columns(_money("amount"), _money("fee_rate"))
    current = db.fetch(_LOAN_SELECT, LOANS.column_names)
    plan.changes[name] = changes = compare(files, current, ["fund", "number"], LOANS.column_names[2:])
    _no_change(plan, name, changes.changed)
    rows = _with_fund(plan, name, changes.new)
    rows = rows.join(_members(plan, rows["household"].unique().to_list()), on="household", how="left")
    for rule in (
        rules.LOAN_MEMBER,
        rules.LOAN_POSITIVE,
        rules.LOAN_CEILING,
        rules.LOAN_TERM,
        rules.LOAN_RATE,
        rules.LOAN_NOT_BEFORE_MEMBERSHIP,
        rules.LOAN_APPROVED_AFTER_APPLIED,
    ):
        _refuse(plan, name, rows, rule)
    dated = rows.with_columns(pl.col("applied_on").alias("date"))
    _refuse(plan, name, dated, rules.DATE_NOT_BEFORE_FUND, column="applied_on")
    _refuse(plan, name, dated, rules.DATE_NOT_AFTER_CLOSE, column="applied_on")
    _in_scope(plan, name, rows, ctx.ranges)
    _cash(plan, name, rows)


def _cash(plan: Plan, name: str, rows: pl.DataFrame) -> None:
    """The loans approved in the package within the fund's cash (see the module's note)."""
    lent = rows.filter(pl.col("approved_on").fill_null("") != "")
    if lent.height == 0:
        return
    cash: dict[str, int] = {}
    for code in lent["fund"].unique().to_list():
        fund = MutualFund.objects.filter(code=code).first()
        cash[code] = int(selectors.balance_sheet_cash(fund, selectors_far()) * 100) if fund is not None else 0
    inflow: dict[str, int] = {}
    members = plan.changes.get("mutual_members")
    if members is not None and members.new.height:
        funds = _funds(plan)
        paid = members.new.join(funds, on="fund").with_columns(
            (
                fen(pl.col("share_value"))
                * (pl.col("shares").cast(pl.Int64) - pl.col("base_paid_by_fund").cast(pl.Int64))
            ).alias("_paid")
        )
        for code, value in paid.group_by("fund").agg(pl.col("_paid").sum()).iter_rows():
            inflow[code] = inflow.get(code, 0) + int(value)
    seeds = plan.frames.get("mutual_seeds")
    if seeds is not None and seeds.height:
        stored = db.fetch(_SEED_SELECT, SEEDS.column_names).select(list(SEEDS.key))
        new = seeds.join(stored, on=list(SEEDS.key), how="anti").with_columns(fen(pl.col("amount")).alias("_s"))
        for code, value in new.group_by("fund").agg(pl.col("_s").sum()).iter_rows():
            inflow[code] = inflow.get(code, 0) + int(value)
    frame = lent.sort("approved_on", "_line").with_columns(fen(pl.col("amount")).alias("_fen"))
    frame = frame.with_columns((pl.col("_fen").cum_sum().over("fund") - pl.col("_fen")).alias("_before"))
    frame = frame.with_columns(
        yuan(
            pl.col("fund").replace_strict({k: v + inflow.get(k, 0) for k, v in cash.items()}, return_dtype=pl.Int64)
            - pl.col("_before")
        ).alias("cash")
    )
    _refuse(plan, name, frame, rules.LOAN_CASH)


def selectors_far() -> dt.date:
    return dt.date(9999, 12, 31)


def plan_repayments(plan: Plan, ctx: ImportContext) -> None:
    frame = plan.frames.get("mutual_repayments")
    if frame is None:
        return
    name = "mutual_repayments"
    files = frame.select([*REPAYMENTS.column_names, "_line"]).with_columns(_money("principal"), _money("fee"))
    current = db.fetch(_REPAYMENT_SELECT, REPAYMENTS.column_names)
    plan.changes[name] = changes = compare(files, current, ["fund", "loan", "paid_on"], REPAYMENTS.column_names[3:])
    _no_change(plan, name, changes.changed)
    rows = _with_fund(plan, name, changes.new)
    stored = db.fetch(
        "SELECT f.code, l.number, l.status, "
        + db.nullable_text("l.approved_on")
        + ", "
        + db.money(
            "l.amount - l.written_off - COALESCE((SELECT SUM(r.principal) FROM credit_fundrepayment r "
            "WHERE r.loan_id = l.id), 0)"
        )
        + " FROM credit_fundloan l JOIN credit_mutualfund f ON f.id = l.fund_id",
        ["fund", "loan", "loan_status", "approved_on", "db_outstanding"],
    )
    package = plan.changes.get("mutual_loans")
    if package is not None and package.new.height:
        new = package.new.select(
            "fund",
            pl.col("number").alias("loan"),
            pl.when(pl.col("approved_on").fill_null("") != "")
            .then(pl.lit("approved"))
            .otherwise(pl.lit("applied"))
            .alias("loan_status"),
            "approved_on",
            _money("amount").alias("db_outstanding"),
        )
        stored = pl.concat([stored, new], how="vertical_relaxed")
    rows = rows.join(stored, on=["fund", "loan"], how="left").with_columns(pl.col("loan_status").fill_null(""))
    _refuse(plan, name, rows, rules.IMPORT_UNKNOWN_LOAN)
    rows = rows.filter(pl.col("loan_status") != "")
    # the package's repayments of a loan in order of date: each against what the earlier left
    rows = rows.sort("paid_on", "_line").with_columns(fen(pl.col("principal")).alias("_p"))
    rows = rows.with_columns(
        yuan(fen(pl.col("db_outstanding")) - (pl.col("_p").cum_sum().over(["fund", "loan"]) - pl.col("_p"))).alias(
            "outstanding"
        ),
        pl.col("principal").fill_null("0.00"),
        pl.col("fee").fill_null("0.00"),
    )
    for rule in (
        rules.REPAYMENT_LENT,
        rules.REPAYMENT_POSITIVE,
        rules.REPAYMENT_OUTSTANDING,
        rules.REPAYMENT_NOT_BEFORE_LOAN,
    ):
        _refuse(plan, name, rows, rule)
    _in_scope(plan, name, rows, ctx.ranges)


_SEED_SELECT = (
    "SELECT f.code, s.kind, " + db.money("s.amount") + ", CAST(s.received_on AS TEXT), s.donor, "
    "CASE WHEN s.entry_id IS NULL THEN '' ELSE " + db.ledger_key("e") + " END "
    "FROM credit_fundseed s JOIN credit_mutualfund f ON f.id = s.fund_id LEFT JOIN funds_entry e ON e.id = s.entry_id"
)
_OFFICER_SELECT = (
    "SELECT f.code, p.id_number, o.role, CAST(o.since AS TEXT) FROM credit_fundofficer o "
    "JOIN credit_mutualfund f ON f.id = o.fund_id JOIN registry_person p ON p.id = o.person_id"
)
_WELFARE_SELECT = (
    "SELECT f.code, CAST(w.spent_on AS TEXT), " + db.money("w.amount") + ", w.purpose "
    "FROM credit_fundwelfarespending w JOIN credit_mutualfund f ON f.id = w.fund_id"
)


def _simple(plan: Plan, ctx: ImportContext, entity: Entity, select: str, money: tuple[str, ...]) -> pl.DataFrame | None:
    """Compare a file with the database (new rows only; a changed row is refused) and
    join the fund of each new row (refused when unknown or out of scope)."""
    frame = plan.frames.get(entity.name)
    if frame is None:
        return None
    files = frame.select([*entity.column_names, "_line"]).with_columns(*(_money(c) for c in money))
    current = db.fetch(select, entity.column_names)
    keys = list(entity.key)
    rest = [c for c in entity.column_names if c not in keys]
    plan.changes[entity.name] = changes = compare(files, current, keys, rest)
    _no_change(plan, entity.name, changes.changed)
    rows = _with_fund(plan, entity.name, changes.new)
    _in_scope(plan, entity.name, rows, ctx.ranges)
    return rows


def plan_seeds(plan: Plan, ctx: ImportContext) -> None:
    rows = _simple(plan, ctx, SEEDS, _SEED_SELECT, ("amount",))
    if rows is None:
        return
    rows = rows.with_columns(pl.col("entry").fill_null(""), pl.col("donor").fill_null(""))
    for rule in (rules.SEED_POSITIVE, rules.SEED_NOT_BEFORE_FUND, rules.IMPORT_SEED_ENTRY):
        _refuse(plan, SEEDS.name, rows, rule)


def _person_villages(plan: Plan, numbers: list[str]) -> pl.DataFrame:
    stored = db.fetch(
        "SELECT p.id_number, v.code FROM registry_person p JOIN registry_household h ON h.id = p.household_id "
        "JOIN geo_adminarea v ON v.id = h.village_id",
        ["id_number", "person_village"],
        "p.id_number",
        numbers,
    )
    members = plan.frames.get("members")
    if members is not None and {"id_number", "household"} <= set(members.columns):
        homes = _households(members["household"].unique().to_list(), plan)
        mine = (
            members.select("id_number", "household")
            .join(homes, on="household")
            .select("id_number", pl.col("household_village").alias("person_village"))
        )
        stored = pl.concat([mine, stored.filter(~pl.col("id_number").is_in(mine["id_number"].implode()))])
    return stored


def plan_officers(plan: Plan, ctx: ImportContext) -> None:
    rows = _simple(plan, ctx, OFFICERS, _OFFICER_SELECT, ())
    if rows is None:
        return
    rows = rows.join(_person_villages(plan, rows["id_number"].unique().to_list()), on="id_number", how="left")
    _refuse(plan, OFFICERS.name, rows, rules.IMPORT_UNKNOWN_PERSON)
    _refuse(plan, OFFICERS.name, rows.filter(pl.col("person_village").is_not_null()), rules.OFFICER_OF_VILLAGE)


def plan_welfare(plan: Plan, ctx: ImportContext) -> None:
    rows = _simple(plan, ctx, WELFARE, _WELFARE_SELECT, ("amount",))
    if rows is None:
        return
    dated = rows.with_columns(pl.col("spent_on").alias("date"))
    _refuse(plan, WELFARE.name, rows, rules.WELFARE_POSITIVE)
    _refuse(plan, WELFARE.name, dated, rules.DATE_NOT_BEFORE_FUND, column="spent_on")


# --- writers -----------------------------------------------------------------------------------------


def _ids(select: str, names: list[str]) -> pl.DataFrame:
    return db.fetch(select, names)


def write_funds(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("mutual_funds")
    if changes is None:
        return
    areas = _ids("SELECT code, CAST(id AS TEXT) FROM geo_adminarea", ["village", "village_id"])
    fields = ["code", "name", "village", "established_on", "closed_on", "share_value", "loan_ceiling"]
    fields += ["longest_term", "fee_rate", "welfare_share"]
    new = changes.new.join(areas, on="village")
    write_rows(MutualFund, new, fields, [pl.col("village_id") if f == "village" else f for f in fields])
    for row in changes.changed.join(areas, on="village").iter_rows(named=True):
        MutualFund.objects.filter(code=row["code"]).update(
            **{f: row[f] for f in fields[1:] if f != "village"}, village_id=row["village_id"]
        )
    ctx.progress("mutual_funds", changes.new.height + changes.changed.height)


def write_members(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("mutual_members")
    if changes is None or changes.new.height == 0:
        return
    funds = _ids(
        "SELECT code, CAST(id AS TEXT), " + db.money("share_value") + " FROM credit_mutualfund",
        ["fund", "fund_id", "share_value"],
    )
    households = _ids(
        "SELECT code, CAST(id AS TEXT), status FROM registry_household", ["household", "household_id", "status"]
    )
    frame = changes.new.join(funds, on="fund").join(households, on="household")
    frame = frame.with_columns(
        yuan(
            fen(pl.col("share_value")) * (pl.col("shares").cast(pl.Int64) - pl.col("base_paid_by_fund").cast(pl.Int64))
        ).alias("paid_in"),
        (pl.col("status") == "poor").cast(pl.Int8).cast(pl.String).alias("poor"),
    )
    fields = ["fund", "household", "joined_on", "shares", "base_paid_by_fund", "paid_in", "poor"]
    ids = {"fund": "fund_id", "household": "household_id"}
    write_rows(Membership, frame, fields, [pl.col(ids.get(f, f)) for f in fields])
    ctx.progress("mutual_members", frame.height)


def write_loans(plan: Plan, ctx: ImportContext) -> None:
    from fupin.credit.mutual.services import add_months

    changes = plan.changes.get("mutual_loans")
    if changes is None or changes.new.height == 0:
        return
    members = _ids(
        "SELECT f.code, h.code, CAST(m.id AS TEXT), CAST(f.id AS TEXT) FROM credit_membership m "
        "JOIN credit_mutualfund f ON f.id = m.fund_id JOIN registry_household h ON h.id = m.household_id",
        ["fund", "household", "member_id", "fund_id"],
    )
    frame = changes.new.join(members, on=["fund", "household"])
    due = [
        add_months(dt.date.fromisoformat(a), int(t)).isoformat() if a else None
        for a, t in zip(frame["approved_on"].fill_null("").to_list(), frame["term_months"].to_list(), strict=True)
    ]
    frame = frame.with_columns(
        pl.Series("due_on", due, dtype=pl.String),
        pl.when(pl.col("approved_on").fill_null("") != "")
        .then(pl.lit("approved"))
        .otherwise(pl.lit("applied"))
        .alias("status"),
        pl.lit("0.00").alias("written_off"),
    )
    fields = ["fund", "number", "member", "applied_on", "amount", "term_months", "fee_rate", "purpose", "status"]
    fields += ["approved_on", "due_on", "written_off"]
    ids = {"fund": "fund_id", "member": "member_id"}
    write_rows(FundLoan, frame, fields, [pl.col(ids.get(f, f)) for f in fields])
    ctx.progress("mutual_loans", frame.height)


def write_repayments(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("mutual_repayments")
    if changes is None or changes.new.height == 0:
        return
    loans = _ids(
        "SELECT f.code, l.number, CAST(l.id AS TEXT) FROM credit_fundloan l "
        "JOIN credit_mutualfund f ON f.id = l.fund_id",
        ["fund", "loan", "loan_id"],
    )
    frame = changes.new.join(loans, on=["fund", "loan"]).with_columns(
        pl.col("principal").fill_null("0.00"), pl.col("fee").fill_null("0.00")
    )
    write_rows(
        FundRepayment, frame, ["loan", "paid_on", "principal", "fee"], ["loan_id", "paid_on", "principal", "fee"]
    )
    for loan in FundLoan.objects.filter(
        pk__in=[int(i) for i in frame["loan_id"].unique().to_list()], status="approved"
    ):
        if selectors.outstanding(loan) <= Decimal(0):
            FundLoan.objects.filter(pk=loan.pk).update(status="repaid")
    ctx.progress("mutual_repayments", frame.height)


def _fund_ids() -> pl.DataFrame:
    return _ids("SELECT code, CAST(id AS TEXT) FROM credit_mutualfund", ["fund", "fund_id"])


def write_seeds(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("mutual_seeds")
    if changes is None or changes.new.height == 0:
        return
    entries = _ids("SELECT " + db.ledger_key("e") + ", CAST(e.id AS TEXT) FROM funds_entry e", ["entry", "entry_id"])
    frame = (
        changes.new.join(_fund_ids(), on="fund")
        .with_columns(pl.col("entry").fill_null(""), pl.col("donor").fill_null(""))
        .join(entries, on="entry", how="left")
    )
    fields = ["fund", "kind", "amount", "received_on", "donor", "entry"]
    write_rows(FundSeed, frame, fields, ["fund_id", "kind", "amount", "received_on", "donor", "entry_id"])
    ctx.progress("mutual_seeds", frame.height)


def write_officers(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("mutual_officers")
    if changes is None or changes.new.height == 0:
        return
    persons = db.fetch(
        "SELECT p.id_number, CAST(p.id AS TEXT) FROM registry_person p",
        ["id_number", "person_id"],
        "p.id_number",
        changes.new["id_number"].unique().to_list(),
    )
    frame = changes.new.join(_fund_ids(), on="fund").join(persons, on="id_number")
    write_rows(FundOfficer, frame, ["fund", "person", "role", "since"], ["fund_id", "person_id", "role", "since"])
    ctx.progress("mutual_officers", frame.height)


def write_welfare(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("mutual_welfare")
    if changes is None or changes.new.height == 0:
        return
    frame = changes.new.join(_fund_ids(), on="fund")
    fields = ["fund", "spent_on", "amount", "purpose"]
    write_rows(FundWelfareSpending, frame, fields, ["fund_id", "spent_on", "amount", "purpose"])
    ctx.progress("mutual_welfare", frame.height)


# --- exports -----------------------------------------------------------------------------------------


def _export(select: str, entity: Entity, ctx: ExportContext, column: str) -> pl.DataFrame:
    where, params = ctx.where(column)
    return db.fetch(select, entity.column_names, where=where, params=params).sort(list(entity.key))


_FUND_VILLAGE = (
    "(SELECT v.code FROM credit_mutualfund f2 JOIN geo_adminarea v ON v.id = f2.village_id WHERE f2.id = f.id)"
)


def export_funds(ctx: ExportContext) -> pl.DataFrame:
    return _export(_FUND_SELECT, FUNDS, ctx, "v.code")


def export_members(ctx: ExportContext) -> pl.DataFrame:
    return _export(_MEMBER_SELECT, MEMBERS, ctx, _FUND_VILLAGE)


def export_loans(ctx: ExportContext) -> pl.DataFrame:
    return _export(_LOAN_SELECT, LOANS, ctx, _FUND_VILLAGE)


def export_repayments(ctx: ExportContext) -> pl.DataFrame:
    return _export(_REPAYMENT_SELECT, REPAYMENTS, ctx, _FUND_VILLAGE)


def export_seeds(ctx: ExportContext) -> pl.DataFrame:
    return _export(_SEED_SELECT, SEEDS, ctx, _FUND_VILLAGE)


def export_officers(ctx: ExportContext) -> pl.DataFrame:
    return _export(_OFFICER_SELECT, OFFICERS, ctx, _FUND_VILLAGE)


def export_welfare(ctx: ExportContext) -> pl.DataFrame:
    return _export(_WELFARE_SELECT, WELFARE, ctx, _FUND_VILLAGE)


DOCS: dict[str, list[Any]] = {
    "import": [
        "- **Village mutual funds** (`docs/credit-mutual.md`): the rules of `fupin.credit.mutual.rules` apply "
        "to the files as the services apply them to one record, with the same field and message. A fund is "
        "set up in a key village whose entire village advancement plan is running or accepted, one per "
        "village; a member is a household of the registry living in the fund's village, one membership per "
        "household, the base share paid by the fund for poor households only; a loan is to a member, within "
        "the fund's ceiling and longest term and its cash; a repayment is of an approved loan and not beyond "
        "what is outstanding (the package's repayments of a loan in order of date). Members, loans and "
        "repayments already recorded are not changed by an import. Seed capital and public-welfare "
        "spending are recorded through the pages and the API only.",
    ],
    "import_roles": [
        "`mutual_funds.csv` needs a county; `mutual_members.csv`, `mutual_loans.csv` and "
        "`mutual_repayments.csv` a village clerk of the fund's village (for new or changed rows only);",
    ],
}

registry.register(
    FUNDS,
    plan=plan_funds,
    write=write_funds,
    export=export_funds,
    needs_role=Role.COUNTY,
    models=(MutualFund,),
    label=pgettext_lazy("exchange file", "mutual funds"),
    docs=DOCS,
)
registry.register(
    MEMBERS,
    plan=plan_members,
    write=write_members,
    export=export_members,
    models=(Membership,),
    label=pgettext_lazy("exchange file", "mutual fund members"),
)
registry.register(
    LOANS,
    plan=plan_loans,
    write=write_loans,
    export=export_loans,
    models=(FundLoan,),
    label=pgettext_lazy("exchange file", "mutual fund loans"),
)
registry.register(
    REPAYMENTS,
    plan=plan_repayments,
    write=write_repayments,
    export=export_repayments,
    models=(FundRepayment,),
    label=pgettext_lazy("exchange file", "mutual fund repayments"),
)
registry.register(
    SEEDS,
    plan=plan_seeds,
    write=write_seeds,
    export=export_seeds,
    needs_role=Role.COUNTY,
    models=(FundSeed,),
    label=pgettext_lazy("exchange file", "mutual fund seed capital"),
)
registry.register(
    OFFICERS,
    plan=plan_officers,
    write=write_officers,
    export=export_officers,
    needs_permission=registry.Permission(
        "registry.view_identifiers", "id_number", _("importing council members needs the permission to see ID numbers")
    ),
    models=(FundOfficer,),
    label=pgettext_lazy("exchange file", "mutual fund council and supervisors"),
)
registry.register(
    WELFARE,
    plan=plan_welfare,
    write=write_welfare,
    export=export_welfare,
    models=(FundWelfareSpending,),
    label=pgettext_lazy("exchange file", "mutual fund public-welfare spending"),
)
