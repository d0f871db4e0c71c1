"""Import of an exchange package: validate everything, then write everything in one
transaction, or write nothing.

``plan_import`` reads nothing but the package and the database: it checks types, code
lists, ID check digits and duplicates within each file (``columns.check_columns``), then
runs the planner of every registered entity (``fupin.exchange.registry``) in dependency
order: each compares its file with the database by natural key (new, changed or
unchanged) and checks references, scope and its app's rules. Then the roles the changes
need. ``apply_import`` runs the writers in the same order in one transaction with one
audit event. Importing the same package again finds nothing new or changed and writes
nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_channel, audit_log
from fupin.core.bulk import analyze
from fupin.core.choices import Channel
from fupin.core.policy import ROLE_RANK, role_rank
from fupin.core.scoping import _scope_ranges
from fupin.exchange import registry
from fupin.exchange.columns import check_columns
from fupin.exchange.errors import PackageInvalid, RowError
from fupin.exchange.planning import Plan
from fupin.exchange.reader import Package, read_package
from fupin.exchange.registry import ImportContext, Progress
from fupin.geo.models import AdminArea

# --- planning ---------------------------------------------------------------------------------


def plan_import(package: Package, *, user: Any = None) -> Plan:
    plan = Plan(package=package, errors=list(package.errors))
    for name, table in package.tables.items():
        entity = registry.get(name).entity
        frame, errors = check_columns(table, entity, plan.file(name))
        plan.errors += errors
        dupes = frame.filter(pl.struct(list(entity.key)).is_duplicated())
        if dupes.height:
            first = dupes.group_by(list(entity.key)).agg(pl.col("_line").min().alias("_first"))
            dupes = dupes.join(first, on=list(entity.key)).filter(pl.col("_line") != pl.col("_first"))
            for line, first_line, *key in dupes.select("_line", "_first", *entity.key).iter_rows():
                plan.errors.append(
                    RowError(
                        plan.file(name),
                        line,
                        entity.key[-1],
                        _("duplicate key %(key)s: the same as line %(line)s")
                        % {"key": "/".join(str(k) for k in key), "line": first_line},
                    )
                )
        plan.frames[name] = frame
    if not plan.frames and not plan.errors:
        plan.errors.append(
            RowError(
                (package.files and next(iter(package.files.values()))) or "package",
                0,
                "",
                _("the package holds no entity file"),
            )
        )
    if user is not None:
        for reg in registry.registrations():
            needs = reg.needs_permission
            if reg.name in plan.frames and needs is not None and not needs.allows(user):
                del plan.frames[reg.name]
                plan.errors.append(RowError(plan.file(reg.name), 0, needs.column, str(needs.reason)))
    if _needs_missing_tree(plan):
        return plan
    ctx = ImportContext(user=user, ranges=_scope_ranges(user) if user is not None else None)
    for planner in registry.planners():
        planner(plan, ctx)
    if user is not None:
        _check_roles(plan, user)
    return plan


def _needs_missing_tree(plan: Plan) -> bool:
    """Most entities refer to areas (``needs_areas``), directly or through another record.
    On a database without the administrative tree, each of their rows would fail alone; one
    error says why, and nothing else is checked."""
    needing = [name for name in plan.frames if registry.get(name).needs_areas]
    if not needing or AdminArea.objects.exists():
        return False
    plan.errors.append(
        RowError(plan.file(needing[0]), 0, "", _("the administrative tree is not loaded: run `fupin load_areas`"))
    )
    return True


def _check_roles(plan: Plan, user: Any) -> None:
    """Rows that would change need the role for them; unchanged rows (an export coming
    back) need none."""
    for name, changes in plan.changes.items():
        minimum = registry.get(name).needs_role
        if role_rank(user) >= ROLE_RANK[minimum]:
            continue
        for frame in (changes.new, changes.changed):
            if frame.height:
                plan.errors.append(
                    RowError(
                        plan.file(name),
                        int(str(frame["_line"].min())),
                        "",
                        _("your role may not change these records"),
                    )
                )
                break


# --- writing ------------------------------------------------------------------------------------


def apply_import(plan: Plan, *, user: Any = None, progress: Progress | None = None) -> dict[str, Any]:
    if plan.errors:
        raise PackageInvalid(plan.errors)
    counts = plan.counts()
    if not plan.has_changes:
        return {"counts": counts, "changed": False}
    started = time.perf_counter()
    ctx = ImportContext(user=user, ranges=_scope_ranges(user) if user is not None else None)
    if progress is not None:
        ctx.progress = progress
    with audit_channel(Channel.IMPORT), transaction.atomic():
        for writer in registry.writers():
            writer(plan, ctx)
        summary = {
            "counts": counts,
            "sha256": plan.package.sha256,
            "bytes": plan.package.size,
            "files": sorted(plan.package.files.values()),
        }
        audit_log(
            actor=user,
            action="exchange.import",
            object_type="exchange.package",
            object_id=plan.package.sha256[:16],
            after=summary,
        )
    analyze(*(model for reg in registry.registrations() for model in reg.models))
    return {"counts": counts, "changed": True, "seconds": time.perf_counter() - started}


# --- the whole thing ------------------------------------------------------------------------------


def import_package(
    path: Path | str, *, user: Any = None, dry_run: bool = False, progress: Progress | None = None
) -> tuple[Plan, dict[str, Any] | None]:
    """Validate the package; unless ``dry_run`` or invalid, import it. Returns the plan
    (with ``errors``) and the result of the import (None if nothing was written)."""
    plan = plan_import(read_package(Path(path)), user=user)
    if plan.errors or dry_run:
        return plan, None
    return plan, apply_import(plan, user=user, progress=progress)
