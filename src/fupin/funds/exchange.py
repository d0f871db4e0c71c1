"""The funds ledger's file of the exchange package (``fupin.exchange.registry``).

The planner and the writer are still ``fupin.exchange.load_funds`` (to be moved here)."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.choices import Role
from fupin.exchange import dbframes as db
from fupin.exchange import load_funds, registry
from fupin.exchange.planning import Plan
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, CODE, DATE, SIGNED_DECIMAL, TEXT, Column, Entity, year_column
from fupin.funds.choices import EntryKind, Source
from fupin.funds.rules import YEAR_DATE_BEFORE

FUND_ENTRIES = Entity(
    "fund_entries",
    key=("number",),
    help=_(
        "The funds ledger: appropriations (funds enter at an area or a project), allocations (an area passes "
        "funds to an area below it or to a project in it) and disbursements (a project pays out). Entries are "
        "never changed: a correction is a reversing entry, the same movement with the opposite amount."
    ),
    depends_on=("projects",),
    columns=(
        Column(
            "number",
            TEXT,
            required=True,
            max_length=40,
            example="HLJ-2009-000123",
            help=_("the entry's number, unique in the ledger"),
        ),
        Column("kind", CODE, choices=EntryKind, required=True, example="allocation"),
        Column("source", CODE, choices=Source, required=True, example="central"),
        year_column(help_=_("fund year")),
        Column("date", DATE, required=True, example="2009-05-12"),
        Column(
            "amount",
            SIGNED_DECIMAL,
            required=True,
            digits=14,
            example="250000.00",
            help=_("yuan; more than zero, negative only in a reversing entry"),
        ),
        Column(
            "area",
            AREA,
            required=True,
            example="230129000000",
            help=_(
                "the area the money comes from (appropriation: the area it reaches, or its project's; "
                "disbursement: the project's)"
            ),
        ),
        Column("to_area", AREA, example="", help=_("allocation to an area: the area below it that receives")),
        Column(
            "project",
            TEXT,
            max_length=32,
            example="YS-2009-001",
            help=_("allocation to a project, appropriation at a project, or disbursement: the project"),
        ),
        Column(
            "reverses",
            TEXT,
            max_length=40,
            example="",
            help=_("a reversing entry: the number of the entry it reverses (same kind, source, year, areas, project)"),
        ),
        Column("document", TEXT, max_length=100, example="黑财农〔2009〕12号", help=_("document number")),
        Column("note", TEXT, max_length=200, example=""),
    ),
)


def plan_fund_entries(plan: Plan, ctx: ImportContext) -> None:
    load_funds.plan_fund_entries(plan, ctx.ranges, ctx.user)


def write_fund_entries(plan: Plan, ctx: ImportContext) -> None:
    load_funds.write_fund_entries(plan, ctx.user, ctx.progress)


def export_fund_entries(ctx: ExportContext) -> pl.DataFrame:
    """Ledger entries by the area the money comes from."""
    where, params = ctx.where("a.code")
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
        FUND_ENTRIES.column_names,
        where=where,
        params=params,
    ).sort("date", "number")


# what docs/data-exchange.md says of the ledger's file, by section (fupin.exchange.registry.DOC_SECTIONS)
DOCS: dict[str, list[Any]] = {
    "field_rules": [
        f"- A fund entry of fund year Y is dated in Y-{YEAR_DATE_BEFORE} or later; a disbursement is not dated "
        "before the project's first allocation of the same source and fund year.",
    ],
    "import": [
        "- **Fund entries: the ledger only grows.** An entry whose `number` is already in the ledger must be "
        "exactly as it is there (an export coming back); a difference in any column is an error, since "
        "entries are never changed: a correction is a new, reversing entry. New entries follow the "
        "ledger\u2019s rules: an `appropriation` reaches an area (`area`) or a project (`project`, with `area` "
        "its area) and names no `to_area`; which office may appropriate which `source` where is the table of "
        "`fupin.funds.authority` (`docs/programs.md`): central and provincial funds at the province by the "
        "province office, city funds at a city, county funds at a county, sector funds and social funds at the "
        "province, a city or a county by that office or above, credit, households\u2019 own money and labour at "
        "a project by a county office or above; an `allocation` goes from `area` to an area strictly below it "
        "(`to_area`) or to a project in it (`project`), one of the two; a `disbursement` is a project\u2019s "
        "(`project`, with `area` its area). Amounts are more than zero; a reversing entry names the entry it reverses "
        "(`reverses`, in the package or the ledger), repeats its kind, source, year, areas and project with "
        "the opposite amount and is dated on or after it; a reversal is not reversed, and no entry is "
        "reversed twice.",
        "- **Fund balances**: for every node (area or project), fund source and fund year, the balances the "
        "import would leave must keep what the node allocated and disbursed within what it received "
        "(appropriations and allocations to it). This is checked on the ledger as it would be after the "
        "import, whatever the order of the rows; a shortfall is reported on the latest entry (by date, then "
        "line) that takes money from that node. The new entries are then written and added to the "
        "accounts with the accounts\u2019 rows locked, and the invariant is checked again there.",
        "- **Entry numbers**: an entry posted in Fupin gets a number of its own (`FE` and 14 hexadecimal "
        "digits); an import brings its own (any text up to 40 characters, unique in the ledger). An entry "
        "written without a number by a bulk loader is exported as `#` and its database id, and an import of "
        "that export elsewhere keeps `#…` as its number.",
    ],
    "import_roles": [
        "`fund_entries.csv` needs a "
        "township for disbursements and a county for appropriations and allocations (for new or changed "
        "rows only).",
    ],
}

registry.register(
    FUND_ENTRIES,
    plan=plan_fund_entries,
    write=write_fund_entries,
    export=export_fund_entries,
    # disbursements need a township; the funds planner asks a county for the other kinds
    needs_role=Role.TOWNSHIP,
    models=load_funds.MODELS,
    label=pgettext_lazy("exchange file", "fund entries"),
    docs=DOCS,
)
