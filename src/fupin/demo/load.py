"""Build the demo province: the administrative tree's flags, every registered part
(``fupin.demo.registry``: each domain app's ``demo.py``) generated and then written in one
transaction, the demo users through their service, one audit event."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from fupin.core.audit import audit_log
from fupin.core.bulk import analyze
from fupin.core.choices import Role
from fupin.demo.registry import Context, DemoUser, parts
from fupin.demo.structure import Structure, choose
from fupin.geo.models import AdminArea

DEMO_PASSWORD = "fupin-demo"  # noqa: S105 - the documented login of the demo province

# username, role, area codes, full name, may see ID numbers
DEMO_USERS = [
    DemoUser("province", Role.PROVINCE, ["230000000000"], "省扶贫办", True),
    DemoUser("harbin", Role.CITY, ["230100000000"], "哈尔滨市扶贫办", True),
    DemoUser("yanshou", Role.COUNTY, ["230129000000"], "延寿县扶贫办", True),
    DemoUser("bayan", Role.COUNTY, ["230126000000"], "巴彦县扶贫办", True),
    DemoUser("auditor", Role.AUDITOR, ["230000000000"], "审计员", False),
]


class DemoError(Exception):
    pass


def occupied() -> str | None:
    """The first part's message saying that its tables already hold data, or None."""
    for p in parts():
        message = p.occupied() if p.occupied else None
        if message:
            return message
    return None


def generate_demo(*, scale: float, seed: int, progress: Callable[[str], None] = print) -> Context:
    """Choose the structure and generate every part (nothing is written): ``ctx.generated``
    holds each part's rows by name."""
    areas = list(AdminArea.objects.values_list("code", "level", "kind"))
    if not areas:
        raise DemoError("The administrative tree is empty: run `fupin load_areas` first.")
    ctx = Context(
        structure=choose(areas),
        scale=scale,
        seed=seed,
        area_ids=dict(AdminArea.objects.values_list("code", "id")),
        progress=progress,
    )
    for p in parts():
        if p.prepare:
            p.prepare(ctx)
    for p in parts():
        if p.generate:
            t = time.perf_counter()
            ctx.generated[p.name] = p.generate(ctx)
            progress(f"{p.name}: generated in {time.perf_counter() - t:.1f} s")
    return ctx


def build_demo(*, scale: float, seed: int, progress: Callable[[str], None] = print) -> dict[str, Any]:
    message = occupied()
    if message:
        raise DemoError(message)
    ctx = generate_demo(scale=scale, seed=seed, progress=progress)
    with transaction.atomic():
        t1 = time.perf_counter()
        set_flags(ctx.structure)
        counts: dict[str, int] = {}
        for p in parts():
            if p.write:
                t = time.perf_counter()
                written = p.write(ctx, ctx.generated.get(p.name)) or {}
                counts.update(written)
                progress(f"{p.name}: {dict(written)} in {time.perf_counter() - t:.1f} s")
        create_demo_users(ctx.structure, [u for p in parts() if p.users for u in p.users(ctx)])
        summary = {
            "scale": scale,
            "seed": seed,
            **counts,
            "key_counties": len(ctx.structure.key_counties),
            "key_villages": len(ctx.structure.key_villages),
            "task_counties": len(ctx.structure.task_counties),
        }
        audit_log(actor=None, action="demo.build", object_type="demo", after=summary)
        progress(f"written in {time.perf_counter() - t1:.1f} s")
    analyze(AdminArea, *(model for p in parts() for model in p.analyze))
    return summary


def describe(summary: dict[str, Any]) -> str:
    """The parts' phrases of the summary ("6,920 poor households, ...")."""
    return ", ".join(p.describe(summary) for p in parts() if p.describe)


def set_flags(structure: Structure) -> None:
    AdminArea.objects.exclude(key_county="").update(key_county="")
    AdminArea.objects.filter(key_village=True).update(key_village=False)
    for kind in ("national", "provincial"):
        codes = [c for c, k in structure.key_counties.items() if k == kind]
        AdminArea.objects.filter(code__in=codes).update(key_county=kind)
    for i in range(0, len(structure.key_villages), 500):
        AdminArea.objects.filter(code__in=structure.key_villages[i : i + 500]).update(key_village=True)


def create_demo_users(structure: Structure, extra: list[DemoUser] | None = None) -> None:
    from fupin.accounts.models import User
    from fupin.accounts.services import user_create

    clerk_village = sorted(v for v in structure.key_villages if v.startswith("230129"))[0]
    users = [*DEMO_USERS, DemoUser("clerk", Role.VILLAGE, [clerk_village], "村文书", True), *(extra or [])]
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
