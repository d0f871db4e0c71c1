"""Funds ledger benchmarks, in one process against one database (SQLite or $DATABASE_URL).

1. Postings: disbursements through Fupin's service (role and scope checks, validation,
   the account's row lock and invariant check, the entry, the audit event; one
   transaction each) against hand-written SQL doing the same movement (one guarded
   ``UPDATE`` of the account and one ``INSERT`` of the entry per transaction).
2. Fund flow: the selector behind the funds page's Sankey (source → program → county →
   project for a fund year in the province) against one hand-written ``GROUP BY``.

The demo's ledger (about 115,000 entries, not scaled) is loaded first if the database
has none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from fupin.funds import services
from fupin.funds.models import Account, Entry
from fupin.funds.selectors import fund_flow
from fupin.geo.models import AdminArea
from fupin.geo.services import areas_load, read_area_file
from fupin.programs.models import Project
from fupin.registry.models import Household

POSTINGS = 400
DAY = dt.date(2010, 6, 1)


def setup(scale: float) -> None:
    call_command("migrate", verbosity=0)
    areas_load(rows=read_area_file())
    if not Household.objects.exists():
        call_command("demo", scale=scale, seed=1, stdout=open(os.devnull, "w"))  # noqa: SIM115


def prepare(actor) -> list[Project]:
    """Fund year 2010: the province appropriates and allocates to 40 projects of batch 5."""
    province = AdminArea.objects.get(code="230000000000")
    projects = list(Project.objects.filter(plan__batch__number=5).order_by("id")[:40])
    services.appropriate(actor=actor, area=province, source="central", year=2010, amount="100000000", on=DAY)
    for project in projects:
        services.allocate(
            actor=actor, from_area=province, project=project, source="central", year=2010, amount="1000000", on=DAY
        )
    return projects


def fupin_postings(actor, projects: list[Project]) -> float:
    t = time.perf_counter()
    for i in range(POSTINGS):
        services.disburse(
            actor=actor, project=projects[i % len(projects)], source="central", year=2010, amount="100.00", on=DAY
        )
    return time.perf_counter() - t


def raw_postings(projects: list[Project]) -> float:
    accounts = {a.project_id: a.pk for a in Account.objects.filter(project__in=projects, source="central", year=2010)}
    param = "%s" if connection.vendor == "postgresql" else "?"
    update = (
        f"UPDATE funds_account SET disbursed = disbursed + {param} "
        f"WHERE id = {param} AND received - allocated - disbursed >= {param}"
    )
    insert = (
        "INSERT INTO funds_entry (kind, source, year, date, amount, area_id, project_id, document, note, number) "
        f"VALUES ('disbursement', 'central', 2010, {param}, {param}, {param}, {param}, '', '', {param})"
    )
    # SQLite compares a number with text as text: give it a number
    amount: Decimal | float = Decimal("100.00") if connection.vendor == "postgresql" else 100.0
    t = time.perf_counter()
    for i in range(POSTINGS):
        project = projects[i % len(projects)]
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            raw.execute(update, (amount, accounts[project.pk], amount))
            if raw.rowcount != 1:
                raise RuntimeError("overdrawn")
            raw.execute(insert, (DAY.isoformat(), amount, project.area_id, project.pk, f"RAW{i:06d}"))
    return time.perf_counter() - t


def raw_flow(year: int) -> list[tuple]:
    sql = (
        "SELECT e.source, p.program, substr(a.code, 1, 6), p.code, SUM(e.amount) FROM funds_entry e "
        "JOIN programs_project p ON p.id = e.project_id JOIN geo_adminarea a ON a.id = p.area_id "
        f"WHERE e.kind = 'disbursement' AND e.year = {int(year)} GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    setup(args.scale)
    from fupin.accounts.models import User

    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench", password=None)
    print(f"database: {connection.vendor}; ledger of {Entry.objects.count():,} entries")
    projects = prepare(actor)
    fupin = fupin_postings(actor, projects)
    raw = raw_postings(projects)
    # the raw postings moved the same money: the accounts still agree with the ledger
    assert services.check_accounts() == []
    print(
        f"postings: {POSTINGS} disbursements, Fupin's service {fupin:.2f} s ({fupin / POSTINGS * 1000:.1f} ms each), "
        f"hand-written SQL {raw:.2f} s ({raw / POSTINGS * 1000:.1f} ms each); ratio fupin/sql = {fupin / raw:.2f}"
    )
    province = AdminArea.objects.get(code="230000000000")
    flow = best(lambda: fund_flow(user=actor, area=province, year=2009))
    sql = best(lambda: raw_flow(2009))
    print(f"fund flow 2009 (province): selector {flow:.3f} s, hand-written SQL {sql:.3f} s; ratio = {flow / sql:.2f}")


if __name__ == "__main__":
    main()
