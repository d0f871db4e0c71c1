"""Planning and writing the funds ledger's file, ``fund_entries``.

The ledger is append-only (``fupin.funds``): an import only adds entries. An entry whose
number is already in the ledger must come back exactly as it is there (an export imported
again); with any other value it is an error, since a correction is a reversing entry.

New entries are checked as the services check them (``fupin.funds.services``): the kind
decides the targets (an appropriation reaches an area or a project, and who may
appropriate which source where is the table of ``funds.authority``; an allocation
goes to an area below or to a project in the area; a disbursement is a project's), only a
reversal is negative and it repeats the entry it reverses with the opposite amount, once.
The rules are those of ``fupin.funds.rules`` and ``fupin.funds.authority``, applied to the
whole file. Then the ledger's invariant: a posting never overdraws, checked per account
(node, source and fund year) in order of date and line after the ledger's balances. The
writer posts the entries through the bulk path and adds
them to the accounts with the accounts' rows locked, checking the invariant again there
(the ledger may have moved since the plan was made)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from fupin.core.choices import Role
from fupin.core.policy import ROLE_RANK, role_rank
from fupin.exchange import dbframes as db
from fupin.exchange.errors import PackageInvalid, RowError
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr, write_rows
from fupin.funds import authority, rules
from fupin.funds.choices import EntryKind
from fupin.funds.models import Account, Entry
from fupin.programs import rules as program_rules
from fupin.programs.exchange.load import area_levels, refuse, refuse_where

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
NODE = rules.ACCOUNT
MONEY = pl.Decimal(20, 2)
SUMS = rules.SUMS
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
        refuse_where(
            plan,
            NAME,
            both,
            pl.col(column).fill_null("") != pl.col(f"{column}__db").fill_null(""),
            rules.NEVER_CHANGED,
            field=column,
            value__db=_dash(f"{column}__db"),
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
    reversal = pl.col("reverses") != ""
    areas = area_levels(plan)
    projects = plan.resolved["projects"].rename({"code": "project", "area": "project_area"})
    rows = (
        new.join(areas.rename({"code": "area", "level": "area_level"}), on="area", how="left")
        .join(areas.rename({"code": "to_area", "level": "to_level"}), on="to_area", how="left")
        .join(projects, on="project", how="left")
    )
    refuse(plan, NAME, rows, rules.AMOUNT_POSITIVE)
    refuse(plan, NAME, rows, rules.REVERSAL_NEGATIVE)
    refuse(plan, NAME, rows.rename({"area_level": "level"}), program_rules.AREA_KNOWN, field="area", code="area")
    refuse(
        plan,
        NAME,
        rows.filter(pl.col("to_area") != "").rename({"to_level": "level"}),
        program_rules.AREA_KNOWN,
        field="to_area",
        code="to_area",
    )
    refuse_where(
        plan,
        NAME,
        rows,
        (pl.col("project") != "") & pl.col("project_area").is_null(),
        program_rules.MISSING_PROJECT,
    )
    for rule in (
        rules.APPROPRIATION_NO_TO_AREA,
        rules.APPROPRIATION_PROJECT_AREA,
        rules.ALLOCATE_ONE_TARGET,
        rules.ALLOCATE_BELOW,
        rules.ALLOCATE_PROJECT_IN,
        rules.DISBURSEMENT_PROJECT,
        rules.DISBURSEMENT_NO_TO_AREA,
        rules.DISBURSEMENT_AREA,
    ):
        refuse(plan, NAME, rows, rule)
    refuse(plan, NAME, rows, rules.ENTRY_DATE, first=rules.entry_date_first())
    for field, reason in authority.refused_appropriations(
        rows.filter((pl.col("kind") == str(EntryKind.APPROPRIATION)) & ~reversal), user
    ):
        errors_where(plan, NAME, reason, pl.lit(True), field, pl.col("_reason"))
    # a disbursement is not dated before the project's first allocation of its source and year
    key = ["project", "source", "year"]
    allocations = pl.concat([ledger.select(*key, "date", "kind"), new.select(*key, "date", "kind")]).filter(
        (pl.col("kind") == str(EntryKind.ALLOCATION)) & (pl.col("project") != "")
    )
    first = allocations.group_by(key).agg(pl.col("date").min().alias("first_allocation"))
    refuse(plan, NAME, new.join(first, on=key, how="inner"), rules.DISBURSED_AFTER_ALLOCATION)
    _check_reversals(plan, new.filter(reversal), frame, ledger)
    if ranges is not None:
        refuse_where(plan, NAME, new, ~scope_expr("area", ranges), program_rules.OUT_OF_SCOPE, field="area")
    if user is not None and role_rank(user) < ROLE_RANK[Role.COUNTY]:
        refuse(plan, NAME, new, rules.DISBURSEMENTS_ONLY)


REVERSAL_SAME = ["kind", "source", "year", "area", "to_area", "project"]


def _check_reversals(plan: Plan, reversals: pl.DataFrame, frame: pl.DataFrame, ledger: pl.DataFrame) -> None:
    if reversals.height == 0:
        return
    wanted = ["number", *REVERSAL_SAME, "date", "amount", "reverses"]
    originals = pl.concat([frame.select(wanted), ledger.select(wanted)]).unique("number", keep="first")
    originals = originals.rename({c: f"{c}__orig" for c in wanted}).rename({"number__orig": "reverses"})
    rows = reversals.join(originals, on="reverses", how="left")
    found = pl.col("kind__orig").is_not_null()
    refuse_where(plan, NAME, rows, ~found, rules.REVERSED_MISSING)
    rows = rows.filter(found)
    refuse_where(plan, NAME, rows, pl.col("reverses__orig") != "", rules.REVERSAL_OF_REVERSAL)
    for column in REVERSAL_SAME:
        refuse_where(
            plan,
            NAME,
            rows,
            pl.col(column) != pl.col(f"{column}__orig"),
            rules.REVERSAL_REPEATS,
            field=column,
            value__orig=_dash(f"{column}__orig"),
        )
    refuse(plan, NAME, rows, rules.REVERSAL_OPPOSITE)
    refuse(plan, NAME, rows, rules.REVERSAL_AFTER)
    # an entry is reversed once: not already in the ledger, not twice in the package
    stored = ledger.filter(pl.col("reverses") != "").select("reverses", pl.col("number").alias("by"))
    again = rows.join(stored, on="reverses", how="inner").filter(pl.col("by") != pl.col("number"))
    refuse_where(plan, NAME, again, pl.lit(True), rules.ALREADY_REVERSED)
    twice = reversals.with_columns(pl.col("_line").min().over("reverses").alias("first"))
    refuse_where(plan, NAME, twice, pl.col("_line") != pl.col("first"), rules.REVERSED_TWICE)


def _deltas(new: pl.DataFrame) -> pl.DataFrame:
    """What each new entry adds to the accounts it touches: one row per entry and node,
    with the entry's line and date and its part there (an allocation touches two nodes)."""
    amount = pl.col("amount").cast(MONEY)
    zero = pl.lit(0).cast(MONEY)
    kind = pl.col("kind")

    def part(
        mask: pl.Expr,
        name: pl.Expr,
        node: pl.Expr,
        code: pl.Expr,
        received: pl.Expr,
        allocated: pl.Expr,
        disbursed: pl.Expr,
    ) -> pl.DataFrame:
        return new.filter(mask).select(
            "_line",
            "date",
            name.alias("part"),
            node.alias("node"),
            code.alias("code"),
            "source",
            "year",
            received.alias("received"),
            allocated.alias("allocated"),
            disbursed.alias("disbursed"),
        )

    area, project = pl.lit("area"), pl.lit("project")
    at_project = pl.col("project") != ""
    to_area = pl.col("to_area") != ""
    return pl.concat(
        [
            part(
                kind == str(EntryKind.APPROPRIATION),
                pl.when(at_project).then(pl.lit("appropriation:project")).otherwise(pl.lit("appropriation:area")),
                pl.when(at_project).then(project).otherwise(area),
                pl.when(at_project).then(pl.col("project")).otherwise(pl.col("area")),
                amount,
                zero,
                zero,
            ),
            part(
                kind == str(EntryKind.ALLOCATION), pl.lit("allocation:from"), area, pl.col("area"), zero, amount, zero
            ),
            part(
                kind == str(EntryKind.ALLOCATION),
                pl.lit("allocation:to"),
                pl.when(to_area).then(area).otherwise(project),
                pl.when(to_area).then(pl.col("to_area")).otherwise(pl.col("project")),
                amount,
                zero,
                zero,
            ),
            part(
                kind == str(EntryKind.DISBURSEMENT),
                pl.lit("disbursement:project"),
                project,
                pl.col("project"),
                zero,
                zero,
                amount,
            ),
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


def _check_balances(plan: Plan, deltas: pl.DataFrame) -> None:
    """A posting never overdraws (``funds.rules.overdrafts``): each account's new entries
    in order of date and line, after its balance in the ledger."""
    if deltas.height == 0:
        return
    for line, reason in rules.overdraft_reasons(rules.overdrafts(deltas, _accounts())):
        plan.errors.append(RowError(plan.file(NAME), line, rules.OVERDRAWN.field, reason))


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
                    rules.shortfall_reason(node, code, source, year, dict(zip(SUMS, sums, strict=True))),
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
            [RowError(plan.file(NAME), 0, rules.LEDGER_MOVED.field, rules.LEDGER_MOVED.text())]
        ) from exc


MODELS = (Entry, Account)
