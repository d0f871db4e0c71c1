"""Reads of the programs. Every function that takes a user scopes by ``visible_to``; the
ones that take a record expect it fetched through a scoped read already.

The funds a project received and disbursed are read from its fund accounts through the
``accounts`` relation (the funds app's ``Account``, net of reversals), so that this app
does not import the funds app, which builds on it."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr

from fupin.geo.models import AdminArea
from fupin.programs.choices import PlanStatus
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    Project,
    ProjectOutput,
    VillagePlan,
)
from fupin.registry.models import Household

ZERO = Decimal("0")
COUNTY_DIGITS = 6
_MONEY: DecimalField = DecimalField(max_digits=16, decimal_places=2)


def _status_counts(rows: Any) -> dict[str, int]:
    counts = {"total": 0, **dict.fromkeys(PlanStatus.values, 0)}
    for status, n in rows:
        counts[status] += n
        counts["total"] += n
    return counts


# --- batches -------------------------------------------------------------------------------------


def batch_progress(*, user: Any) -> list[dict[str, Any]]:
    """Every batch with the number of its villages the user can see: in total, planned, in
    progress and accepted as completed. One grouped query for all batches."""
    grouped = VillagePlan.objects.visible_to(user).order_by().values_list("batch_id", "status").annotate(n=Count("id"))
    by_batch: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for batch_id, status, n in grouped:
        by_batch[batch_id].append((status, n))
    return [
        {"batch": batch, **_status_counts(by_batch.get(batch.pk, []))} for batch in Batch.objects.order_by("number")
    ]


def batch_counties(*, user: Any, batch: Batch) -> dict[str, Any]:
    """A batch's villages the user can see, counted by status: for the batch and for each
    county (rolled up by the county's code prefix, in the database)."""
    grouped = (
        VillagePlan.objects.visible_to(user)
        .filter(batch=batch)
        .order_by()
        .annotate(county=Substr("village__code", 1, COUNTY_DIGITS))
        .values_list("county", "status")
        .annotate(n=Count("id"))
    )
    by_county: dict[str, list[tuple[str, int]]] = defaultdict(list)
    everything = []
    for county, status, n in grouped:
        by_county[county].append((status, n))
        everything.append((status, n))
    areas = {
        a.code[:COUNTY_DIGITS]: a
        for a in AdminArea.objects.filter(code__in=[c.ljust(12, "0") for c in by_county]).select_related("parent")
    }
    counties: list[dict[str, Any]] = [
        {"county": areas.get(prefix), "code": prefix.ljust(12, "0"), **_status_counts(rows)}
        for prefix, rows in sorted(by_county.items())
    ]
    for row in counties:
        row["percent_accepted"] = round(100 * row[PlanStatus.ACCEPTED] / row["total"]) if row["total"] else 0
    return {"totals": _status_counts(everything), "counties": counties}


def _sum_of_projects(field: str) -> Coalesce:
    """A plan's projects' sum of ``field``, as a correlated subquery (no join that would
    multiply the plan's rows)."""
    total = (
        Project.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(total=Sum(field)).values("total")
    )
    return Coalesce(Subquery(total, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def batch_plans(*, user: Any, batch: Batch) -> QuerySet[VillagePlan]:
    """A batch's village plans the user can see, with their projects' count, budget and
    disbursements (each a subquery of the page's rows only)."""
    projects = Project.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("id")).values("n")
    return (
        VillagePlan.objects.visible_to(user)
        .filter(batch=batch)
        .select_related("village__parent__parent")
        .annotate(
            project_count=Coalesce(Subquery(projects, output_field=IntegerField()), Value(0)),
            budget=_sum_of_projects("budget"),
            disbursed=_sum_of_projects("accounts__disbursed"),
        )
        .order_by("village__code")
    )


# --- village plans -------------------------------------------------------------------------------


def plan_get(*, user: Any, village_code: str) -> VillagePlan | None:
    return (
        VillagePlan.objects.visible_to(user)
        .select_related("batch", "village__parent__parent")
        .filter(village__code=village_code)
        .first()
    )


def _money_by_project_source(projects: list[Project]) -> dict[int, dict[str, dict[str, Decimal]]]:
    """For each project, by source: what was allocated to it and what it disbursed (net of
    reversals), summed over the fund years."""
    rows = (
        Project.objects.filter(pk__in=[p.pk for p in projects], accounts__isnull=False)
        .order_by()
        .values_list("pk", "accounts__source")
        .annotate(received=Sum("accounts__received"), disbursed=Sum("accounts__disbursed"))
    )
    money: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(dict)
    for pk, source, received, disbursed in rows:
        money[pk][source] = {"allocated": received or ZERO, "disbursed": disbursed or ZERO}
    return money


def plan_overview(plan: VillagePlan) -> dict[str, Any]:
    """A village plan's projects with their budget, funds by source (allocated, disbursed)
    and outputs; and for the plan: funds by source, outputs by kind, beneficiary
    households and labour. A fixed number of queries whatever the number of projects."""
    projects = list(
        plan.projects.order_by("code").annotate(
            beneficiary_count=Count("beneficiaries", distinct=True),
        )
    )
    money = _money_by_project_source(projects)
    outputs = list(
        ProjectOutput.objects.filter(project__plan=plan)
        .select_related("kind")
        .order_by("project_id", "year", "kind__order")
    )
    outputs_of: dict[int, list[ProjectOutput]] = defaultdict(list)
    for output in outputs:
        outputs_of[output.project_id].append(output)

    by_source: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"allocated": ZERO, "disbursed": ZERO})
    rows = []
    for project in projects:
        funds = money.get(project.pk, {})
        for source, amounts in funds.items():
            by_source[source]["allocated"] += amounts["allocated"]
            by_source[source]["disbursed"] += amounts["disbursed"]
        rows.append(
            {
                "project": project,
                "budget": project.budget,
                "allocated": sum((a["allocated"] for a in funds.values()), ZERO),
                "disbursed": sum((a["disbursed"] for a in funds.values()), ZERO),
                "disbursed_by_source": {s: a["disbursed"] for s, a in sorted(funds.items()) if a["disbursed"]},
                "outputs": outputs_of.get(project.pk, []),
                "beneficiaries": project.beneficiary_count,
            }
        )

    output_totals: dict[tuple[int, int], dict[str, Any]] = {}
    for output in outputs:
        key = (output.kind.order, output.kind_id)
        entry = output_totals.setdefault(key, {"kind": output.kind, "quantity": Decimal(0)})
        entry["quantity"] += output.quantity
    labour = LabourInput.objects.filter(project__plan=plan).aggregate(
        persons=Coalesce(Sum("persons"), 0), person_days=Coalesce(Sum("person_days"), 0)
    )
    households = Beneficiary.objects.filter(project__plan=plan).values("household_id").distinct().count()
    return {
        "projects": rows,
        "by_source": [{"source": s, **amounts} for s, amounts in sorted(by_source.items())],
        "totals": {
            "budget": sum((r["budget"] for r in rows), ZERO),
            "allocated": sum((r["allocated"] for r in rows), ZERO),
            "disbursed": sum((r["disbursed"] for r in rows), ZERO),
        },
        "outputs": [output_totals[k] for k in sorted(output_totals)],
        "beneficiary_households": households,
        "labour": labour,
    }


# --- contiguous development zones ----------------------------------------------------------------


def zone_list(*, user: Any) -> list[dict[str, Any]]:
    """The zones with a county the user can see, each with its counties and the number,
    budget and disbursements (net of reversals) of its projects the user can see. Three
    queries whatever the number of zones."""
    zones = list(ContiguousZone.objects.visible_to(user).prefetch_related("counties").order_by("code"))
    projects = Project.objects.visible_to(user).filter(zone__in=zones).order_by().values_list("zone")
    counts = {zone: (n, budget) for zone, n, budget in projects.annotate(n=Count("id"), budget=Sum("budget"))}
    disbursed = dict(projects.annotate(total=Sum("accounts__disbursed")))
    rows = []
    for zone in zones:
        n, budget = counts.get(zone.pk, (0, ZERO))
        rows.append(
            {
                "zone": zone,
                "counties": sorted(zone.counties.all(), key=lambda a: a.code),
                "projects": n,
                "budget": budget or ZERO,
                "disbursed": disbursed.get(zone.pk) or ZERO,
            }
        )
    return rows


def zone_get(*, user: Any, code: str) -> ContiguousZone | None:
    return ContiguousZone.objects.visible_to(user).filter(code=code).first()


def zone_overview(*, user: Any, zone: ContiguousZone) -> dict[str, Any]:
    """A zone's counties, its projects the user can see (budget, allocated, disbursed) and
    what they were allocated and disbursed by fund year and source, net of reversals."""
    projects = list(Project.objects.visible_to(user).filter(zone=zone).select_related("area__parent").order_by("code"))
    money = _money_by_project_source(projects)
    rows = []
    for project in projects:
        funds = money.get(project.pk, {})
        rows.append(
            {
                "project": project,
                "budget": project.budget,
                "allocated": sum((a["allocated"] for a in funds.values()), ZERO),
                "disbursed": sum((a["disbursed"] for a in funds.values()), ZERO),
            }
        )
    return {
        "counties": list(zone.counties.order_by("code")),
        "projects": rows,
        "by_year": zone_funds_by_year(user=user, zone=zone, projects=projects),
        "totals": {
            "budget": sum((r["budget"] for r in rows), ZERO),
            "allocated": sum((r["allocated"] for r in rows), ZERO),
            "disbursed": sum((r["disbursed"] for r in rows), ZERO),
        },
    }


def zone_funds_by_year(
    *, user: Any, zone: ContiguousZone, projects: list[Project] | None = None
) -> list[dict[str, Any]]:
    """What the zone's projects the user can see (or ``projects``) were allocated and
    disbursed, by fund year, with the disbursements by source, net of reversals."""
    if projects is None:
        pks: Any = Project.objects.visible_to(user).filter(zone=zone).values("pk")
    else:
        pks = [p.pk for p in projects]
    by_year: dict[int, dict[str, Any]] = {}
    grouped = (
        Project.objects.filter(pk__in=pks, accounts__isnull=False)
        .order_by()
        .values_list("accounts__year", "accounts__source")
        .annotate(received=Sum("accounts__received"), disbursed=Sum("accounts__disbursed"))
    )
    for year, source, received, disbursed in sorted(grouped):
        entry = by_year.setdefault(year, {"year": year, "allocated": ZERO, "disbursed": ZERO, "by_source": {}})
        entry["allocated"] += received or ZERO
        entry["disbursed"] += disbursed or ZERO
        if disbursed:
            entry["by_source"][source] = disbursed
    return [by_year[y] for y in sorted(by_year)]


# --- projects ------------------------------------------------------------------------------------


def project_get(*, user: Any, code: str) -> Project | None:
    return (
        Project.objects.visible_to(user)
        .select_related("area__parent__parent", "plan__village", "plan__batch", "zone")
        .filter(code=code)
        .first()
    )


def project_overview(project: Project) -> dict[str, Any]:
    """A project's outputs, beneficiary households, labour, and its funds by source and
    fund year (allocated to it, disbursed, available)."""
    # the funds app's accounts of the project, through their reverse relation
    accounts = project.accounts.order_by("year", "source").values("source", "year", "received", "disbursed")
    funds = [
        {
            "source": a["source"],
            "year": a["year"],
            "allocated": a["received"],
            "disbursed": a["disbursed"],
            "available": a["received"] - a["disbursed"],
        }
        for a in accounts
    ]
    return {
        "outputs": list(project.outputs.select_related("kind").order_by("year", "kind__order")),
        "beneficiaries": list(project.beneficiaries.select_related("household__village").order_by("household__code")),
        "labour": list(project.labour_inputs.order_by("year")),
        "funds": funds,
        "totals": {
            "allocated": sum((f["allocated"] for f in funds), ZERO),
            "disbursed": sum((f["disbursed"] for f in funds), ZERO),
            "available": sum((f["available"] for f in funds), ZERO),
        },
    }


def household_projects(household: Household) -> QuerySet[Beneficiary]:
    """The projects that reached a household (it is one of their beneficiaries), oldest
    first. The household comes from a scoped read: the user may see what reached it, even
    a county's or the province's project outside their own areas."""
    return (
        Beneficiary.objects.filter(household=household)
        .select_related("project__area", "project__plan__batch")
        .order_by("year", "project__code")
    )
