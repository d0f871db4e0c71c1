"""The funds' part of the demo province (``fupin.demo.registry``): the ledger of the money
behind the demo's programs, generated with them (``fupin.programs.demo``), written here
through the bulk path. The accounts are the sums of the entries, as the services would have
left them (``fupin.funds.services.check_accounts`` agrees)."""

from __future__ import annotations

from typing import Any

from fupin.core.bulk import bulk_insert, reset_sequences
from fupin.demo.registry import Context, part
from fupin.funds.models import Account, Entry
from fupin.programs.demo import Ledger, yuan


def write_ledger(ledger: Ledger) -> dict[str, int]:
    """Write the ledger's entries and accounts (inside the caller's transaction)."""
    bulk_insert(
        Entry,
        [
            "number",
            "kind",
            "source",
            "year",
            "date",
            "amount",
            "area_id",
            "to_area_id",
            "project_id",
            "document",
            "note",
        ],
        (
            (
                f"DEMO-{e['year']}-{i:06d}",
                e["kind"],
                e["source"],
                e["year"],
                e["date"],
                yuan(e["fen"]),
                e["area_id"],
                e.get("to_area_id"),
                e.get("project_id"),
                f"黑扶资〔{e['year']}〕{(i % 240) + 1}号" if e["kind"] != "disbursement" else "",
                "",
            )
            for i, e in enumerate(ledger.entries, start=1)
        ),
    )
    bulk_insert(
        Account,
        ["area_id", "project_id", "source", "year", "received", "allocated", "disbursed"],
        (
            (
                node_id if node == "area" else None,
                node_id if node == "project" else None,
                source,
                year,
                yuan(v["received"]),
                yuan(v["allocated"]),
                yuan(v["disbursed"]),
            )
            for (node, node_id, source, year), v in ledger.accounts.items()
        ),
    )
    reset_sequences(Entry, Account)
    return {"fund_entries": len(ledger.entries)}


def _write(ctx: Context, _generated: Any) -> dict[str, int]:
    return write_ledger(ctx.generated["programs"].ledger)


part("funds", 30, write=_write, analyze=(Entry, Account))
