"""Registry benchmarks, in one process against one database (SQLite or $DATABASE_URL).

1. Demo load: Fupin's load of the generated demo rows (flags, bulk path, sequences, users,
   audit) against the raw driver loading the same rows into the same tables (sqlite3
   ``executemany`` / psycopg ``COPY``), with nothing else.
2. Scoped queries: the REST API's count of a county's poor households and people (HTTP
   through Django's test client, authentication, scoping, filters, pagination) against
   hand-written SQL for the same counts.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
os.environ.setdefault("FUPIN_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from rest_framework.test import APIClient

from fupin.core.bulk import (
    analyze,
    bulk_insert,
    reset_sequences,
)
from fupin.demo.load import create_demo_users, generate_demo, set_flags
from fupin.geo.services import areas_load, read_area_file
from fupin.registry.demo import registry_tables
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent

MODELS = [StatusEvent, IncomeRecord, Person, Helper, SecondaryCause, Household]


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def wipe() -> None:
    from fupin.accounts.models import User
    from fupin.core.models import AuditEvent
    from fupin.programs.models import Beneficiary

    with transaction.atomic():
        # projects' beneficiaries point at households: they go first
        Beneficiary.objects.all()._raw_delete(Beneficiary.objects.db)
        for model in MODELS:
            model.objects.all()._raw_delete(model.objects.db)
        AuditEvent.objects.all().delete()
        User.objects.all().delete()


def raw_load(scale: float, seed: int) -> tuple[float, int]:
    """The same rows, written by the driver alone."""
    demo = generate_demo(scale=scale, seed=seed).generated["registry"]
    tables = registry_tables(demo)
    rows = 0
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for model, fields, iterator in tables:
            cols = ", ".join(model._meta.get_field(f).column for f in fields)
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in iterator:
                        copy.write_row(row)
                        rows += 1
            else:
                data = [tuple(str(v) if hasattr(v, "isoformat") else v for v in r) for r in iterator]
                raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(fields))})", data)
                rows += len(data)
    elapsed = time.perf_counter() - t
    reset_sequences(*MODELS)
    return elapsed, rows


def fupin_load(scale: float, seed: int) -> tuple[float, int]:
    """Fupin's write path of the demo: flags on the tree, ``core.bulk.bulk_insert`` for every
    registry table, sequences. (Creating the demo users is left out: it is password
    hashing, timed by nobody's bulk path.)"""
    ctx = generate_demo(scale=scale, seed=seed)
    structure, demo = ctx.structure, ctx.generated["registry"]
    tables = registry_tables(demo)
    rows = 0
    t = time.perf_counter()
    with transaction.atomic():
        set_flags(structure)
        for model, fields, iterator in tables:
            rows += bulk_insert(model, fields, iterator)
        reset_sequences(*MODELS)
    analyze(*MODELS)
    return time.perf_counter() - t, rows


def choose_structure():
    from fupin.demo.structure import choose
    from fupin.geo.models import AdminArea

    return choose(list(AdminArea.objects.values_list("code", "level", "kind")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    areas_load(rows=read_area_file())
    print(f"database: {connection.vendor}; demo scale {args.scale}")

    gen = timed(lambda: generate_demo(scale=args.scale, seed=args.seed))
    wipe()
    raw_seconds, raw_rows = raw_load(args.scale, args.seed)
    wipe()
    fupin_write, fupin_rows = fupin_load(args.scale, args.seed)
    assert fupin_rows == raw_rows
    create_demo_users(choose_structure())
    print(f"demo generation: {gen:.2f} s")
    print(f"raw driver load: {raw_rows:,} rows in {raw_seconds:.2f} s ({raw_rows / raw_seconds:,.0f} rows/s)")
    print(
        f"fupin demo load (bulk path, flags, sequences): {fupin_write:.2f} s ({raw_rows / fupin_write:,.0f} rows/s); "
        f"ratio fupin/raw = {fupin_write / raw_seconds:.2f}"
    )

    from fupin.accounts.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username="province"))
    lo, hi = "230129000000", "230129999999"

    def api_counts() -> tuple[int, int]:
        households = client.get("/api/households/", {"status": "poor", "area": "230129", "page_size": 1})
        persons = client.get("/api/persons/", {"status": "poor", "area": "230129", "page_size": 1})
        return households.json()["count"], persons.json()["count"]

    def sql_counts() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id "
                "WHERE h.status = 'poor' AND a.code BETWEEN %s AND %s",
                [lo, hi],
            )
            households = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM registry_person p JOIN registry_household h ON h.id = p.household_id "
                "JOIN geo_adminarea a ON a.id = h.village_id WHERE h.status = 'poor' AND a.code BETWEEN %s AND %s",
                [lo, hi],
            )
            return households, cursor.fetchone()[0]

    assert api_counts() == sql_counts(), (api_counts(), sql_counts())
    api_t = timed(api_counts, repeat=5)
    sql_t = timed(sql_counts, repeat=5)
    print(
        f"county poor households + people: API {api_t * 1000:.1f} ms, hand-written SQL {sql_t * 1000:.1f} ms; "
        f"ratio api/sql = {api_t / sql_t:.2f}"
    )

    def api_province() -> int:
        return client.get("/api/persons/", {"status": "poor", "page_size": 1}).json()["count"]

    def sql_province() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM registry_person p JOIN registry_household h ON h.id = p.household_id "
                "WHERE h.status = 'poor'"
            )
            return cursor.fetchone()[0]

    assert api_province() == sql_province()
    api_p = timed(api_province, repeat=3)
    sql_p = timed(sql_province, repeat=3)
    print(
        f"province poor people: API {api_p * 1000:.1f} ms, hand-written SQL {sql_p * 1000:.1f} ms; "
        f"ratio api/sql = {api_p / sql_p:.2f}"
    )


if __name__ == "__main__":
    main()
