"""Reads of the funds ledger. Every function that takes a user scopes by ``visible_to``;
the ones that take a record expect it fetched through a scoped read already.

Balances of an area are those of the area *as a whole* (its own account and every
area and project below it), by fund source and year:

    received   what reached the area: appropriated to it or below, or allocated into it
    allocated  what was allocated on to the projects in the area
    disbursed  what those projects paid out
    available  what the areas hold and have not yet allocated to a project

so that received = allocated + available, and allocated - disbursed is what the projects
still hold. Movements between areas inside it cancel out. Every figure is net of
reversals (a reversal is an entry with the opposite amount)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext

from fupin.core.areacodes import LEVEL_DIGITS, descendant_range
from fupin.funds.choices import EntryKind, Source
from fupin.funds.models import Account, Entry
from fupin.geo.models import AdminArea
from fupin.programs.choices import ProgramType
from fupin.programs.models import Project
from fupin.programs.selectors import household_projects
from fupin.registry.models import Household

ZERO = Decimal("0")
FIGURES = ("received", "allocated", "disbursed", "available")


def _empty() -> dict[str, Decimal]:
    return dict.fromkeys(FIGURES, ZERO)


def _add(into: dict[str, Decimal], held: Decimal, allocated: Decimal, disbursed: Decimal) -> None:
    into["available"] += held
    into["allocated"] += allocated
    into["disbursed"] += disbursed
    into["received"] += held + allocated


def fund_years(*, user: Any) -> list[int]:
    """The fund years with entries the user can see, newest first."""
    return list(Entry.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def area_balances(*, user: Any, area: AdminArea, year: int | None = None) -> dict[str, Any]:
    """The balances of an area as a whole and of each of its children the user can see
    (see the module's docstring), by source and fund year; ``year`` limits them to one
    fund year. Two grouped queries on the accounts, rolled up by code prefix."""
    child_level = area.child_level()
    digits = LEVEL_DIGITS[child_level] if child_level else LEVEL_DIGITS["village"]
    below = descendant_range(area.code)
    accounts = Account.objects.visible_to(user)
    if year is not None:
        accounts = accounts.filter(year=year)
    at_areas = (
        accounts.filter(area__code__range=below)
        .order_by()
        .annotate(prefix=Substr("area__code", 1, digits))
        .values_list("prefix", "source", "year")
        .annotate(received=Sum("received"), allocated=Sum("allocated"))
    )
    at_projects = (
        accounts.filter(project__area__code__range=below)
        .order_by()
        .annotate(prefix=Substr("project__area__code", 1, digits))
        .values_list("prefix", "source", "year")
        .annotate(received=Sum("received"), disbursed=Sum("disbursed"))
    )
    children = list(AdminArea.objects.visible_to(user).filter(parent=area).order_by("code")) if child_level else []
    child_rows = {c.code[:digits]: {"area": c, **_empty()} for c in children}
    by_source_year: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(_empty)
    totals = _empty()

    def add(prefix: str, source: str, fund_year: int, held: Decimal, allocated: Decimal, disbursed: Decimal) -> None:
        _add(totals, held, allocated, disbursed)
        _add(by_source_year[(source, fund_year)], held, allocated, disbursed)
        row = child_rows.get(prefix)
        if row is not None:
            _add(row, held, allocated, disbursed)

    for prefix, source, fund_year, received, allocated in at_areas:
        add(prefix, source, fund_year, (received or ZERO) - (allocated or ZERO), ZERO, ZERO)
    for prefix, source, fund_year, received, disbursed in at_projects:
        add(prefix, source, fund_year, ZERO, received or ZERO, disbursed or ZERO)

    by_source: dict[str, dict[str, Decimal]] = defaultdict(_empty)
    for (source, _year), figures in by_source_year.items():
        for name in FIGURES:
            by_source[source][name] += figures[name]
    order = {s: i for i, s in enumerate(Source.values)}
    return {
        "area": area,
        "year": year,
        "totals": totals,
        "by_source": [
            {"source": s, "label": Source(s).label, **by_source[s]} for s in sorted(by_source, key=order.__getitem__)
        ],
        "by_source_year": [
            {"source": s, "label": Source(s).label, "year": y, **by_source_year[(s, y)]}
            for s, y in sorted(by_source_year, key=lambda k: (-k[1], order[k[0]]))
        ],
        "children": list(child_rows.values()),
    }


# --- the flow of funds -------------------------------------------------------------------------


def _county_code(area: AdminArea) -> str:
    """The county a project's area is in; a provincial or city project stands for itself."""
    if area.level in ("county", "township", "village"):
        return area.code[: LEVEL_DIGITS["county"]].ljust(12, "0")
    return area.code


def fund_flow(*, user: Any, area: AdminArea, year: int, limit: int = 30) -> dict[str, Any]:
    """Where the disbursements of a fund year in an area came from and went: fund source →
    program → county → project, as the nodes and links of a Sankey diagram. Amounts are
    net of reversals; a flow that nets to nothing is left out. Projects beyond the
    ``limit`` largest are drawn together as one node ("other projects").

    Node names are unique keys (``source:central``, ``program:industry``,
    ``county:230129000000``, ``project:P-001``, ``project:*``); ``label`` is what to show."""
    grouped = (
        Entry.objects.visible_to(user)
        .in_area(area.code)
        .filter(kind=EntryKind.DISBURSEMENT, year=year)
        .order_by()
        .values_list("source", "project_id")
        .annotate(amount=Sum("amount"))
    )
    amounts = [(source, project_id, amount) for source, project_id, amount in grouped if amount]
    projects = (
        Project.objects.select_related("area")
        .only("code", "name", "program", "area__code", "area__level")
        .in_bulk({pid for _s, pid, _a in amounts})
    )
    per_project: dict[int, Decimal] = defaultdict(Decimal)
    for _source, project_id, amount in amounts:
        per_project[project_id] += amount
    ranked = sorted(per_project, key=lambda pid: (-per_project[pid], projects[pid].code))
    shown = set(ranked[:limit])
    county_codes = {_county_code(p.area) for p in projects.values()}
    counties = {a.code: a for a in AdminArea.objects.filter(code__in=county_codes)}

    links: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    labels: dict[str, tuple[str, str]] = {}
    for source, project_id, amount in amounts:
        project = projects[project_id]
        county = counties[_county_code(project.area)]
        keys = [f"source:{source}", f"program:{project.program}", f"county:{county.code}"]
        keys.append(f"project:{project.code}" if project_id in shown else "project:*")
        # labels once per node (translating them is most of the loop's time otherwise)
        if keys[0] not in labels:
            labels[keys[0]] = ("source", str(Source(source).label))
        if keys[1] not in labels:
            labels[keys[1]] = ("program", str(ProgramType(project.program).label))
        if keys[2] not in labels:
            labels[keys[2]] = ("county", county.display_name)
        if keys[3] not in labels:
            label = f"{project.code} {project.name}" if project_id in shown else gettext("other projects")
            labels[keys[3]] = ("project", label)
        for a, b in pairwise(keys):
            links[(a, b)] += amount
    kept = {key: value for key, value in links.items() if value > 0}
    used = {k for pair in kept for k in pair}
    kinds = ["source", "program", "county", "project"]
    nodes = sorted(
        ({"name": key, "kind": labels[key][0], "label": labels[key][1]} for key in used),
        key=lambda n: (kinds.index(n["kind"]), n["name"] == "project:*", n["name"]),
    )
    return {
        "nodes": nodes,
        "links": [{"source": a, "target": b, "value": v} for (a, b), v in sorted(kept.items())],
        "total": sum(per_project.values(), ZERO),
        "projects": len(per_project),
        "others": max(len(per_project) - limit, 0),
    }


# --- projects and households -----------------------------------------------------------------------


def project_funds(project: Project) -> list[dict[str, Any]]:
    """A project's funds by fund year and source: allocated to it, disbursed (net of
    reversals) and available, with the source's label."""
    return [
        {
            "source": a.source,
            "label": a.get_source_display(),
            "year": a.year,
            "allocated": a.received,
            "disbursed": a.disbursed,
            "available": a.received - a.disbursed,
        }
        for a in Account.objects.filter(project=project).order_by("year", "source")
    ]


def project_entries(project: Project) -> QuerySet[Entry]:
    """The ledger entries of a project (allocations to it and its disbursements), oldest
    first, each marked ``is_reversed`` when a reversing entry points at it."""
    return (
        Entry.objects.filter(project=project)
        .select_related("area", "recorded_by", "reverses")
        .annotate(is_reversed=Exists(Entry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("date", "id")
    )


def entry_get(*, user: Any, pk: int) -> Entry | None:
    return Entry.objects.visible_to(user).select_related("project", "area").filter(pk=pk).first()


def household_funds(household: Household) -> dict[str, Any]:
    """The projects that reached a household (it is one of their beneficiaries) and the
    funds each project disbursed, by source, net of reversals: what was spent on the
    projects the household benefited from, not a share per household. The household comes
    from a scoped read."""
    benefits = list(household_projects(household))
    ids = [b.project_id for b in benefits]
    disbursed: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for project_id, source, amount in (
        Account.objects.filter(project_id__in=ids)
        .order_by()
        .values_list("project_id", "source")
        .annotate(amount=Sum("disbursed"))
    ):
        if amount:
            disbursed[project_id][source] = amount
    order = {s: i for i, s in enumerate(Source.values)}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    rows = []
    for benefit in benefits:
        funds = disbursed.get(benefit.project_id, {})
        for source, amount in funds.items():
            totals[source] += amount
        rows.append(
            {
                "project": benefit.project,
                "year": benefit.year,
                "by_source": [
                    {"source": s, "label": Source(s).label, "amount": funds[s]}
                    for s in sorted(funds, key=order.__getitem__)
                ],
                "total": sum(funds.values(), ZERO),
            }
        )
    return {
        "projects": rows,
        "by_source": [
            {"source": s, "label": Source(s).label, "amount": totals[s]} for s in sorted(totals, key=order.__getitem__)
        ],
        "total": sum(totals.values(), ZERO),
    }
