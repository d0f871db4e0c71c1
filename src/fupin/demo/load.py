"""Write the demo province into the database: flags on the real tree, the registry
through the bulk path, the demo users through their service, one audit event."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Model

from fupin.core.audit import audit_log
from fupin.core.bulk import analyze, bulk_insert, next_id, reset_sequences
from fupin.core.choices import Role
from fupin.demo.generate import Demo, Table, generate
from fupin.demo.programs import completed_by, generate_programs, write_programs
from fupin.demo.structure import Structure, choose
from fupin.geo.models import AdminArea
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent

CHUNK = 100_000
MONEY_FIELDS = set(IncomeRecord.AMOUNT_FIELDS)
DEMO_PASSWORD = "fupin-demo"  # noqa: S105 - the documented login of the demo province

# username, role, area codes, full name, may see ID numbers
DEMO_USERS = [
    ("province", Role.PROVINCE, ["230000000000"], "省扶贫办", True),
    ("harbin", Role.CITY, ["230100000000"], "哈尔滨市扶贫办", True),
    ("yanshou", Role.COUNTY, ["230129000000"], "延寿县扶贫办", True),
    ("bayan", Role.COUNTY, ["230126000000"], "巴彦县扶贫办", True),
    ("auditor", Role.AUDITOR, ["230000000000"], "审计员", False),
]


class DemoError(Exception):
    pass


def _python(name: str, values: np.ndarray) -> list[Any]:
    if values.dtype.kind == "M":
        text = np.datetime_as_string(values, unit="D")
        return [None if t == "NaT" else t for t in text.tolist()]
    if name in MONEY_FIELDS:
        whole = (values // 100).astype("U12")
        return np.char.add(np.char.add(whole, "."), np.char.zfill((values % 100).astype("U2"), 2)).tolist()
    if values.dtype.kind == "b":
        return values.astype(np.int8).tolist()
    return values.tolist()


def _rows(
    table: Table, fields: list[str], convert: dict[str, Callable[[np.ndarray], np.ndarray]] | None = None
) -> Iterator[tuple[Any, ...]]:
    convert = convert or {}
    total = len(table)
    for start in range(0, total, CHUNK):
        cols = []
        for f in fields:
            values = table.values(f, start, start + CHUNK)
            if f in convert:
                values = convert[f](values)
            cols.append(_python(f, values))
        yield from zip(*cols, strict=True)


def registry_tables(demo: Demo) -> list[tuple[type[Model], list[str], Iterator[tuple[Any, ...]]]]:
    """(model, fields, rows) for each registry table of the generated demo, in write order."""
    village_ids = dict(AdminArea.objects.filter(level="village").values_list("code", "id"))
    lookup = np.vectorize(village_ids.__getitem__, otypes=[np.int64])
    hh = demo.households
    hh.columns["village_id"] = hh.columns["village_code"]
    tables: list[tuple[type[Model], Table, dict[str, Callable[[np.ndarray], np.ndarray]] | None]] = [
        (Household, hh, {"village_id": lookup}),
        (SecondaryCause, demo.causes, None),
        (Helper, demo.helpers, None),
        (Person, demo.persons, None),
        (IncomeRecord, demo.incomes, None),
        (StatusEvent, demo.events, None),
    ]
    return [(model, table.fields, _rows(table, table.fields, convert)) for model, table, convert in tables]


def generate_demo(*, scale: float, seed: int) -> tuple[Structure, Demo]:
    areas = list(AdminArea.objects.values_list("code", "level", "kind"))
    if not areas:
        raise DemoError("The administrative tree is empty: run `fupin load_areas` first.")
    structure = choose(areas)
    demo = generate(
        structure,
        scale=scale,
        seed=seed,
        first_household_id=next_id(Household),
        first_person_id=next_id(Person),
        advanced_villages=completed_by(structure, seed),
    )
    return structure, demo


def build_demo(*, scale: float, seed: int, progress: Callable[[str], None] = print) -> dict[str, Any]:
    if Household.objects.exists():
        raise DemoError("The registry already holds households; the demo loads into an empty registry.")
    from fupin.programs.models import Batch

    if Batch.objects.exists():
        raise DemoError("Programs are already recorded; the demo loads into an empty database.")
    t0 = time.perf_counter()
    structure, demo = generate_demo(scale=scale, seed=seed)
    progress(f"generated in {time.perf_counter() - t0:.1f} s: {demo.counts}")
    with transaction.atomic():
        t1 = time.perf_counter()
        set_flags(structure)
        for model, fields, rows in registry_tables(demo):
            t = time.perf_counter()
            written = bulk_insert(model, fields, rows)
            progress(f"{model._meta.verbose_name_plural}: {written:,} rows in {time.perf_counter() - t:.1f} s")
        reset_sequences(Household, Person, SecondaryCause, Helper, IncomeRecord, StatusEvent)
        t = time.perf_counter()
        program_counts = load_programs(structure, demo, scale=scale, seed=seed)
        progress(f"programs and funds: {program_counts} in {time.perf_counter() - t:.1f} s")
        create_demo_users(structure)
        summary = {
            "scale": scale,
            "seed": seed,
            **demo.counts,
            **program_counts,
            "key_counties": len(structure.key_counties),
            "key_villages": len(structure.key_villages),
            "task_counties": len(structure.task_counties),
        }
        audit_log(actor=None, action="demo.build", object_type="demo", after=summary)
        progress(f"written in {time.perf_counter() - t1:.1f} s")
    from fupin.funds.models import Account, Entry
    from fupin.programs.models import Beneficiary, Project, VillagePlan

    analyze(AdminArea, Household, Person, SecondaryCause, Helper, IncomeRecord, StatusEvent)
    analyze(VillagePlan, Project, Beneficiary, Entry, Account)
    return summary


def load_programs(structure: Structure, demo: Demo, *, scale: float, seed: int) -> dict[str, int]:
    """Batches, plans, projects, outputs, beneficiaries, labour and the funds ledger of the
    demo (``fupin.demo.programs``), for the households just written."""
    from fupin.programs.models import Project

    area_ids = dict(AdminArea.objects.values_list("code", "id"))
    hh = demo.households
    programs = generate_programs(
        structure,
        seed=seed,
        scale=scale,
        area_ids=area_ids,
        households={"id": hh.values("id"), "village_code": hh.values("village_code"), "status": hh.values("status")},
        first_project_id=next_id(Project),
    )
    return write_programs(programs, area_ids)


def set_flags(structure: Structure) -> None:
    AdminArea.objects.exclude(key_county="").update(key_county="")
    AdminArea.objects.filter(key_village=True).update(key_village=False)
    for kind in ("national", "provincial"):
        codes = [c for c, k in structure.key_counties.items() if k == kind]
        AdminArea.objects.filter(code__in=codes).update(key_county=kind)
    for i in range(0, len(structure.key_villages), 500):
        AdminArea.objects.filter(code__in=structure.key_villages[i : i + 500]).update(key_village=True)


def create_demo_users(structure: Structure) -> None:
    from fupin.accounts.models import User
    from fupin.accounts.services import user_create

    clerk_village = sorted(v for v in structure.key_villages if v.startswith("230129"))[0]
    users = [*DEMO_USERS, ("clerk", Role.VILLAGE, [clerk_village], "村文书", True)]
    for username, role, codes, name, identifiers in users:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                area_codes=codes,
                full_name=name,
                can_view_identifiers=identifiers,
            )
