"""Planning and writing the funds ledger's file, ``fund_entries``.

The ledger is append-only (``fupin.funds``): an import only adds entries. An entry whose
number is already in the ledger must come back exactly as it is there (an export imported
again); with any other value it is an error, since a correction is a reversing entry.

New entries are checked as the services check them (``fupin.funds.services``): the kind
decides the targets (an appropriation reaches an area or a project, and who may
appropriate which source where is the table of ``funds.authority``; an allocation
goes to an area below or to a project in the area; a disbursement is a project's), only a
reversal is negative and it repeats the entry it reverses with the opposite amount, once.
Then the ledger's invariant is checked on the balances the import would leave, for every
node (area or project), source and fund year: what a node allocated and disbursed never
exceeds what it received. The writer posts the entries through the bulk path and adds
them to the accounts with the accounts' rows locked, checking the invariant again there
(the ledger may have moved since the plan was made)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.core.choices import Role
from fupin.core.policy import ROLE_RANK, role_rank
from fupin.exchange import dbframes as db
from fupin.exchange.errors import PackageInvalid, RowError
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr, within, write_rows
from fupin.funds import authority
from fupin.funds.choices import EntryKind
from fupin.funds.models import Account, Entry
from fupin.funds.rules import YEAR_DATE_BEFORE
from fupin.programs.exchange.load import area_levels

NAME = "fund_entries"
LEDGER_COLUMNS = [
    "kind",
    "source",
    "year",
    "date",
    "amount",
    "area",
    "to_area",
    "project",
    "reverses",
    "document",
    "note",
]
NODE = ["node", "code", "source", "year"]
MONEY = pl.Decimal(20, 2)
SUMS = ["received", "allocated", "disbursed"]
CHUNK = 5000


def _ledger() -> pl.DataFrame:
    """Every entry of the ledger in the file's form."""
    return db.fetch(
        "SELECT "
        + db.ledger_key("e")
        + ", e.kind, e.source, CAST(e.year AS TEXT), "
        + db.nullable_text("e.date")
        + ", "
        + db.money("e.amount")
        + ", a.code, COALESCE(t.code, ''), COALESCE(p.code, ''), COALESCE("
        + db.ledger_key("r")
        + ", ''), e.document, e.note FROM funds_entry e JOIN geo_adminarea a ON a.id = e.area_id "
        "LEFT JOIN geo_adminarea t ON t.id = e.to_area_id LEFT JOIN programs_project p ON p.id = e.project_id "
        "LEFT JOIN funds_entry r ON r.id = e.reverses_id",
        ["number", *LEDGER_COLUMNS],
    )


def _dash(column: str) -> pl.Expr:
    return pl.when(pl.col(column).fill_null("") == "").then(pl.lit("-")).otherwise(pl.col(column))


def _file_errors(plan: Plan) -> int:
    file = plan.file(NAME)
    return sum(1 for e in plan.errors if e.file == file)


def plan_fund_entries(plan: Plan, ranges: list[tuple[str, str]] | None, user: Any) -> None:
    frame = plan.frames.get(NAME)
    if frame is None:
        return
    ledger = _ledger()
    plan.changes[NAME] = changes = compare(frame, ledger, ["number"], LEDGER_COLUMNS)
    # an entry in the ledger is never changed
    both = changes.changed.join(ledger, on="number", suffix="__db")
    for column in LEDGER_COLUMNS:
        errors_where(
            plan,
            NAME,
            both,
            pl.col(column).fill_null("") != pl.col(f"{column}__db").fill_null(""),
            column,
            pl.format(
                _("entry {} is in the ledger with “{}” here: entries are never changed; post a reversing entry"),
                "number",
                _dash(f"{column}__db"),
            ),
        )
    before = _file_errors(plan)
    _check_entries(plan, changes.new, frame, ledger, ranges, user)
    if _file_errors(plan) == before:
        deltas = _deltas(changes.new)
        _check_balances(plan, deltas)
        plan.resolved["fund_deltas"] = deltas


def _check_entries(
    plan: Plan,
    new: pl.DataFrame,
    frame: pl.DataFrame,
    ledger: pl.DataFrame,
    ranges: list[tuple[str, str]] | None,
    user: Any,
) -> None:
    if new.height == 0:
        return
    amount = pl.col("amount").cast(MONEY, strict=False)
    reversal = pl.col("reverses") != ""
    areas = area_levels(plan)
    projects = plan.resolved["projects"].rename({"code": "project", "area": "project_area"})
    rows = (
        new.join(areas.rename({"code": "area", "level": "area_level"}), on="area", how="left")
        .join(areas.rename({"code": "to_area", "level": "to_level"}), on="to_area", how="left")
        .join(projects, on="project", how="left")
    )
    appropriation = pl.col("kind") == str(EntryKind.APPROPRIATION)
    allocation = pl.col("kind") == str(EntryKind.ALLOCATION)
    disbursement = pl.col("kind") == str(EntryKind.DISBURSEMENT)
    to_area = pl.col("to_area") != ""
    project = pl.col("project") != ""
    known_project = pl.col("project_area").is_not_null()
    rules: list[tuple[pl.Expr, str, pl.Expr | str]] = [
        (amount == 0, "amount", _("an entry moves money: the amount is not zero")),
        (~reversal & (amount < 0), "amount", _("only a reversing entry (with reverses) has a negative amount")),
        (reversal & (amount > 0), "amount", _("a reversing entry has the negative amount of the entry it reverses")),
        (pl.col("area_level").is_null(), "area", pl.format(_("unknown area code “{}”"), "area")),
        (to_area & pl.col("to_level").is_null(), "to_area", pl.format(_("unknown area code “{}”"), "to_area")),
        (
            project & ~known_project,
            "project",
            pl.format(_("project “{}” is neither in the package nor in the database"), "project"),
        ),
        (appropriation & to_area, "to_area", _("an appropriation reaches its area only: leave to_area empty")),
        (
            appropriation & known_project & (pl.col("area") != pl.col("project_area")),
            "area",
            pl.format(_("an appropriation at a project has its project's area ({})"), "project_area"),
        ),
        (
            allocation & ~to_area & ~project,
            "to_area",
            _("an allocation goes to an area below (to_area) or to a project (project): give one"),
        ),
        (allocation & to_area & project, "project", _("an allocation goes to an area or to a project, not both")),
        (
            allocation & to_area & ((pl.col("to_area") == pl.col("area")) | ~within("to_area", "area")),
            "to_area",
            pl.format(_("{} is not an area below {}"), "to_area", "area"),
        ),
        (
            allocation & known_project & ~within("project_area", "area"),
            "project",
            pl.format(_("project {} is in {}, not in {}"), "project", "project_area", "area"),
        ),
        (disbursement & ~project, "project", _("a disbursement is made by a project: give its code")),
        (disbursement & to_area, "to_area", _("a disbursement goes to no area: leave to_area empty")),
        (
            disbursement & known_project & (pl.col("area") != pl.col("project_area")),
            "area",
            pl.format(_("a disbursement's area is its project's area ({})"), "project_area"),
        ),
    ]
    # the date agrees with the fund year (funds.rules.check_entry_date)
    dated = pl.col("date").str.slice(0, 4).cast(pl.Int64, strict=False)
    fund_year = pl.col("year").cast(pl.Int64, strict=False)
    rules.append(
        (
            dated < fund_year - YEAR_DATE_BEFORE,
            "date",
            pl.format(_("an entry of fund year {} is dated in {} or later"), "year", fund_year - YEAR_DATE_BEFORE),
        )
    )
    for mask, column, reason in rules:
        errors_where(plan, NAME, rows, mask.fill_null(False), column, reason)
    _check_authority(plan, rows.filter(appropriation & ~reversal), user)
    # a disbursement is not dated before the project's first allocation of its source and year
    key = ["project", "source", "year"]
    allocations = pl.concat([ledger.select(*key, "date", "kind"), new.select(*key, "date", "kind")]).filter(
        (pl.col("kind") == str(EntryKind.ALLOCATION)) & (pl.col("project") != "")
    )
    first = allocations.group_by(key).agg(pl.col("date").min().alias("first_allocation"))
    early = new.join(first, on=key, how="inner")
    errors_where(
        plan,
        NAME,
        early,
        disbursement & (amount > 0) & (pl.col("date") < pl.col("first_allocation")),
        "date",
        pl.format(_("a disbursement cannot be dated before the project's first allocation ({})"), "first_allocation"),
    )
    _check_reversals(plan, new.filter(reversal), frame, ledger)
    if ranges is not None:
        errors_where(plan, NAME, new, ~scope_expr("area", ranges), "area", _("the area is outside your areas"))
    if user is not None and role_rank(user) < ROLE_RANK[Role.COUNTY]:
        errors_where(
            plan,
            NAME,
            new,
            ~disbursement,
            "kind",
            _("your role may record disbursements only; appropriations and allocations need a county office"),
        )


def _check_authority(plan: Plan, appropriations: pl.DataFrame, user: Any) -> None:
    """Who may appropriate which source where (``funds.authority``), for the whole file:
    the rows whose (source, place) is not among the user's allowed pairs are refused with
    the table's own reason. The place is ``project`` for an appropriation at a project,
    else the area's level."""
    place = pl.when(pl.col("project") != "").then(pl.lit(authority.PROJECT)).otherwise(pl.col("area_level"))
    rows = (
        appropriations.with_columns(place.alias("_place"))
        .filter(pl.col("_place").is_not_null() & pl.col("source").is_in(list(authority.AUTHORITY)))
        .select("_line", "source", "_place")
    )
    allowed = pl.DataFrame(
        authority.allowed_pairs(user), schema={"source": pl.String, "_place": pl.String}, orient="row"
    )
    refused = rows.join(allowed, on=["source", "_place"], how="anti")
    if refused.height == 0:
        return
    reasons = []
    for source, where in refused.select("source", "_place").unique().iter_rows():
        error = authority.refusal(user, source, where)
        if error is not None:
            reasons.append((source, where, error.field or "source", str(error.message)))
    blamed = refused.join(
        pl.DataFrame(
            reasons,
            schema={"source": pl.String, "_place": pl.String, "_field": pl.String, "_reason": pl.String},
            orient="row",
        ),
        on=["source", "_place"],
    ).sort("_line")
    for field in ("area", "source"):
        errors_where(plan, NAME, blamed, pl.col("_field") == field, field, pl.col("_reason"))


REVERSAL_SAME = ["kind", "source", "year", "area", "to_area", "project"]


def _check_reversals(plan: Plan, reversals: pl.DataFrame, frame: pl.DataFrame, ledger: pl.DataFrame) -> None:
    if reversals.height == 0:
        return
    wanted = ["number", *REVERSAL_SAME, "date", "amount", "reverses"]
    originals = pl.concat([frame.select(wanted), ledger.select(wanted)]).unique("number", keep="first")
    originals = originals.rename({c: f"{c}__orig" for c in wanted}).rename({"number__orig": "reverses"})
    rows = reversals.join(originals, on="reverses", how="left")
    found = pl.col("kind__orig").is_not_null()
    errors_where(
        plan,
        NAME,
        rows,
        ~found,
        "reverses",
        pl.format(_("entry “{}” is neither in the package nor in the ledger"), "reverses"),
    )
    errors_where(
        plan,
        NAME,
        rows,
        found & (pl.col("reverses__orig") != ""),
        "reverses",
        pl.format(_("entry {} is itself a reversal, which cannot be reversed"), "reverses"),
    )
    for column in REVERSAL_SAME:
        errors_where(
            plan,
            NAME,
            rows,
            found & (pl.col(column) != pl.col(f"{column}__orig")),
            column,
            pl.format(_("a reversal repeats the entry it reverses, which has “{}” here"), _dash(f"{column}__orig")),
        )
    amount = pl.col("amount").cast(MONEY, strict=False)
    errors_where(
        plan,
        NAME,
        rows,
        found & (amount + pl.col("amount__orig").cast(MONEY, strict=False) != 0),
        "amount",
        pl.format(_("a reversal's amount is the opposite of the reversed entry's: -{}"), "amount__orig"),
    )
    errors_where(
        plan,
        NAME,
        rows,
        found & (pl.col("date") < pl.col("date__orig")),
        "date",
        pl.format(_("a reversal cannot come before the entry it reverses ({})"), "date__orig"),
    )
    # an entry is reversed once: not already in the ledger, not twice in the package
    stored = ledger.filter(pl.col("reverses") != "").select("reverses", pl.col("number").alias("by"))
    again = rows.join(stored, on="reverses", how="inner").filter(pl.col("by") != pl.col("number"))
    errors_where(
        plan,
        NAME,
        again,
        pl.lit(True),
        "reverses",
        pl.format(_("entry {} has already been reversed by entry {}"), "reverses", "by"),
    )
    twice = reversals.with_columns(pl.col("_line").min().over("reverses").alias("_first"))
    errors_where(
        plan,
        NAME,
        twice,
        pl.col("_line") != pl.col("_first"),
        "reverses",
        pl.format(_("entry {} is reversed twice in the package: first on line {}"), "reverses", "_first"),
    )


def _deltas(new: pl.DataFrame) -> pl.DataFrame:
    """What each new entry adds to the accounts it touches: one row per entry and node,
    with the entry's line and date (an allocation touches two nodes)."""
    amount = pl.col("amount").cast(MONEY)
    zero = pl.lit(0).cast(MONEY)
    kind = pl.col("kind")

    def part(mask: pl.Expr, node: pl.Expr, code: pl.Expr, received: pl.Expr, allocated: pl.Expr, disbursed: pl.Expr):
        return new.filter(mask).select(
            "_line",
            "date",
            node.alias("node"),
            code.alias("code"),
            "source",
            "year",
            received.alias("received"),
            allocated.alias("allocated"),
            disbursed.alias("disbursed"),
        )

    area, project = pl.lit("area"), pl.lit("project")
    to_area = pl.col("to_area") != ""
    return pl.concat(
        [
            part(
                kind == str(EntryKind.APPROPRIATION),
                pl.when(pl.col("project") != "").then(project).otherwise(area),
                pl.when(pl.col("project") != "").then(pl.col("project")).otherwise(pl.col("area")),
                amount,
                zero,
                zero,
            ),
            part(kind == str(EntryKind.ALLOCATION), area, pl.col("area"), zero, amount, zero),
            part(
                kind == str(EntryKind.ALLOCATION),
                pl.when(to_area).then(area).otherwise(project),
                pl.when(to_area).then(pl.col("to_area")).otherwise(pl.col("project")),
                amount,
                zero,
                zero,
            ),
            part(kind == str(EntryKind.DISBURSEMENT), project, pl.col("project"), zero, zero, amount),
        ]
    )


def _accounts() -> pl.DataFrame:
    return db.fetch(
        "SELECT CASE WHEN acc.area_id IS NULL THEN 'project' ELSE 'area' END, COALESCE(a.code, p.code), acc.source, "
        "CAST(acc.year AS TEXT), "
        + ", ".join(db.money(f"acc.{s}") for s in SUMS)
        + " FROM funds_account acc LEFT JOIN geo_adminarea a ON a.id = acc.area_id "
        "LEFT JOIN programs_project p ON p.id = acc.project_id",
        [*NODE, *SUMS],
    ).with_columns([pl.col(s).cast(MONEY) for s in SUMS])


def _shortfall_reason(node: str, code: str, source: str, year: str, sums: dict[str, Decimal]) -> str:
    values = {"code": code, "source": source, "year": year, **{k: f"{v:,.2f}" for k, v in sums.items()}}
    if node == "area":
        return (
            _(
                "after this import area %(code)s would have allocated %(allocated)s yuan of %(source)s funds of "
                "%(year)s but received only %(received)s"
            )
            % values
        )
    return (
        _(
            "after this import project %(code)s would have disbursed %(disbursed)s yuan of %(source)s funds of "
            "%(year)s but received only %(received)s"
        )
        % values
    )


def _check_balances(plan: Plan, deltas: pl.DataFrame) -> None:
    """The invariant on the balances the import would leave: at every node, source and
    year, allocated + disbursed ≤ received. Each shortfall is reported on the latest entry
    (by date, then line) that takes money from the node."""
    if deltas.height == 0:
        return
    totals = deltas.group_by(NODE).agg([pl.col(s).sum() for s in SUMS])
    final = (
        totals.join(_accounts(), on=NODE, how="left", suffix="__db")
        .with_columns([(pl.col(s) + pl.col(f"{s}__db").fill_null(0)).alias(s) for s in SUMS])
        .select(*NODE, *SUMS)
    )
    short = final.filter(pl.col("received") - pl.col("allocated") - pl.col("disbursed") < 0)
    if short.height == 0:
        return
    takes = (pl.col("received") - pl.col("allocated") - pl.col("disbursed")) < 0
    blamed = (
        deltas.join(short.select(NODE), on=NODE, how="semi")
        .sort(takes, "date", "_line")
        .group_by(NODE, maintain_order=True)
        .agg(pl.col("_line").last())
    )
    for node, code, source, year, line, received, allocated, disbursed in (
        blamed.join(short, on=NODE).select(*NODE, "_line", *SUMS).iter_rows()
    ):
        sums = {"received": received, "allocated": allocated, "disbursed": disbursed}
        plan.errors.append(RowError(plan.file(NAME), line, "amount", _shortfall_reason(node, code, source, year, sums)))


# --- writing ---------------------------------------------------------------------------------------------


def _ids(select: str, names: list[str], column: str, keys: pl.Series) -> pl.DataFrame:
    values = [k for k in keys.unique().to_list() if k]
    return db.fetch(select, names, column, values)


def write_fund_entries(plan: Plan, user: Any, progress: Callable[[str, int], None]) -> None:
    changes = plan.changes.get(NAME)
    if changes is None or changes.new.height == 0:
        return
    new = changes.new.sort("date", "number")
    area_ids = _ids(
        "SELECT code, CAST(id AS TEXT) FROM geo_adminarea",
        ["code", "id"],
        "code",
        pl.concat([new["area"], new["to_area"]]),
    )
    project_ids = _ids(
        "SELECT code, CAST(id AS TEXT) FROM programs_project", ["project", "project__id"], "code", new["project"]
    )
    rows = (
        new.join(area_ids.rename({"code": "area", "id": "area__id"}), on="area", how="left")
        .join(area_ids.rename({"code": "to_area", "id": "to_area__id"}), on="to_area", how="left")
        .join(project_ids, on="project", how="left")
    )
    actor = str(user.pk) if getattr(user, "pk", None) else None
    fields = [
        "number",
        "kind",
        "source",
        "year",
        "date",
        "amount",
        "area",
        "to_area",
        "project",
        "document",
        "note",
        "recorded_by",
    ]
    columns: list[str | pl.Expr] = [
        *fields[:6],
        "area__id",
        "to_area__id",
        "project__id",
        "document",
        "note",
        pl.lit(actor, dtype=pl.String).alias("recorded_by"),
    ]
    write_rows(Entry, rows.filter(pl.col("reverses") == ""), fields, columns)
    reversals = rows.filter(pl.col("reverses") != "")
    if reversals.height:
        keys = db.fetch(
            "SELECT " + db.ledger_key("e") + ", CAST(e.id AS TEXT) FROM funds_entry e", ["reverses", "reverses__id"]
        )
        write_rows(Entry, reversals.join(keys, on="reverses"), [*fields, "reverses"], [*columns, "reverses__id"])
    _post_to_accounts(plan, plan.resolved.get("fund_deltas", _deltas(new)))
    progress(NAME, new.height)


def _post_to_accounts(plan: Plan, deltas: pl.DataFrame) -> None:
    """Add the new entries to their accounts and check the invariant there: the accounts
    that exist are locked (in id order, as the services lock them) and updated, the
    missing ones are written through the bulk path with their balances. An account created
    meanwhile by a posting in Fupin breaks its unique constraint: the import then fails as
    a whole and can be run again."""
    totals = deltas.group_by(NODE).agg([pl.col(s).sum() for s in SUMS])
    ids = pl.concat(
        [
            _ids(
                "SELECT code, CAST(id AS TEXT) FROM geo_adminarea", ["code", "id"], "code", totals["code"]
            ).with_columns(pl.lit("area").alias("node")),
            _ids(
                "SELECT code, CAST(id AS TEXT) FROM programs_project", ["code", "id"], "code", totals["code"]
            ).with_columns(pl.lit("project").alias("node")),
        ]
    )
    totals = totals.join(ids, on=["node", "code"]).with_columns(
        (pl.col("node") + ":" + pl.col("id") + ":" + pl.col("source") + ":" + pl.col("year")).alias("key")
    )
    areas = sorted(int(i) for i in totals.filter(pl.col("node") == "area")["id"].to_list())
    projects = sorted(int(i) for i in totals.filter(pl.col("node") == "project")["id"].to_list())
    nodes = [Q(area_id__in=areas[i : i + CHUNK]) for i in range(0, len(areas), CHUNK)]
    nodes += [Q(project_id__in=projects[i : i + CHUNK]) for i in range(0, len(projects), CHUNK)]
    rows = []
    for q in nodes:
        accounts = Account.objects.select_for_update().filter(q).order_by("pk")
        for pk, area, project, source, year, *sums in accounts.values_list(
            "pk", "area_id", "project_id", "source", "year", *SUMS
        ):
            node = f"area:{area}" if area is not None else f"project:{project}"
            rows.append((f"{node}:{source}:{year}", str(pk), *(str(v) for v in sums)))
    stored = pl.DataFrame(
        rows, schema={"key": pl.String, "pk": pl.String, **dict.fromkeys(SUMS, pl.String)}, orient="row"
    ).with_columns([pl.col(s).cast(MONEY) for s in SUMS])
    final = totals.join(stored, on="key", how="left", suffix="__db").with_columns(
        [(pl.col(s) + pl.col(f"{s}__db").fill_null(0)).alias(s) for s in SUMS]
    )
    short = final.filter(pl.col("received") - pl.col("allocated") - pl.col("disbursed") < 0)
    if short.height:
        raise PackageInvalid(
            [
                RowError(
                    plan.file(NAME),
                    0,
                    "amount",
                    _shortfall_reason(node, code, source, year, dict(zip(SUMS, sums, strict=True))),
                )
                for node, code, source, year, *sums in short.select(*NODE, *SUMS).iter_rows()
            ]
        )
    money = [pl.col(s).cast(pl.String) for s in SUMS]
    update = final.filter(pl.col("pk").is_not_null())
    if update.height:
        # one statement, many rows (Django's bulk_update builds a CASE per row: slow at thousands)
        table = connection.ops.quote_name(Account._meta.db_table)
        sets = ", ".join(f"{connection.ops.quote_name(s)} = %s" for s in SUMS)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s", list(update.select(*money, "pk").iter_rows())
            )
    create = final.filter(pl.col("pk").is_null()).with_columns(
        pl.when(pl.col("node") == "area").then(pl.col("id")).alias("area"),
        pl.when(pl.col("node") == "project").then(pl.col("id")).alias("project"),
    )
    try:
        with transaction.atomic():
            write_rows(
                Account,
                create,
                ["area", "project", "source", "year", *SUMS],
                ["area", "project", "source", "year", *money],
            )
    except IntegrityError as exc:
        raise PackageInvalid(
            [RowError(plan.file(NAME), 0, "", _("the ledger changed while the import ran: import the package again"))]
        ) from exc


MODELS = (Entry, Account)
