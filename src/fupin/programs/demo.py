"""The demo province's programs and funds at the end of 2009: five batches of entire
village advancement, the village plans and projects, their outputs, beneficiaries and
labour inputs, the contiguous development zones, and the funds ledger behind them.

Figures of the seed that come out exactly (money and outputs are program figures and do
not depend on ``--scale``; household counts do):
- 2,384 villages accepted by the end of 2009 (batches 1 to 4), 750 of them of batch 4,
  accepted in 2009; batch 5 (2010-2011) holds the other 750 key villages, planned;
- in 2009, projects of batch 4 were paid 428 million yuan of central and provincial funds,
  217 million of social funds and 960 million of integrated funds in all (1.28 million
  per village), and 690,000 people put in their labour;
- round(7,313 S) poor households are beneficiaries of batch 4's industrial projects;
- every ``output.*`` quantity of the seed, delivered by batch 4's projects in 2009;
- contiguous development: zones in Raohe and Fuyuan (from 2008), Yanshou and Tongjiang
  (from 2009), paid 20 million yuan of fiscal funds and 31.426 million of integrated
  sector funds in 2009.

This is the programs' part of the demo province (``fupin.demo.registry``); the funds part
(``fupin.funds.demo``) writes the ledger generated here.

Assumptions (no source gives them; docs/demo.md): batches 1 to 3 (2002-2003, 2004-2005,
2006-2007) of 384, 500 and 750 villages, so that 2,384 villages were completed by 2009;
which key villages are in which batch (a seeded draw); how the money splits between
sources other than the seed's three groups, villages and projects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.demo.registry import Context, part
from fupin.demo.structure import Structure
from fupin.programs.catalogue import CATALOGUE
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    OutputKind,
    Project,
    ProjectOutput,
    VillagePlan,
)

PROGRAMS_STREAM = 2  # spawn key of the programs' own random stream

# number, name, English name, first year, last year, villages
BATCHES = [
    (1, "第一批整村推进", "Entire village advancement, batch 1", 2002, 2003, 384),
    (2, "第二批整村推进", "Entire village advancement, batch 2", 2004, 2005, 500),
    (3, "第三批整村推进", "Entire village advancement, batch 3", 2006, 2007, 750),
    (4, "第四批整村推进", "Entire village advancement, batch 4", 2008, 2009, 750),
    (5, "第五批整村推进", "Entire village advancement, batch 5", 2010, 2011, 750),
]
YEAR = 2009
CURRENT_BATCH = 4

# Batch 4's money disbursed in 2009, yuan. The seed gives the groups: central and
# provincial 428 million, social 217 million, 960 million integrated in all; the split
# inside a group and the rest (315 million) between sources is the demo's.
BATCH_FUNDS = {
    "central": 300_000_000,
    "provincial": 128_000_000,
    "social_grant": 97_000_000,
    "social_investment": 120_000_000,
    "sector": 250_000_000,
    "credit": 45_000_000,
    "city": 8_000_000,
    "county": 12_000_000,
    # not integrated funds: what villagers put in themselves
    "own": 36_000_000,
    "labour": 52_000_000,
}
LABOUR_PERSONS = 690_000
INDUSTRY_POOR_HOUSEHOLDS = 7_313

# Which project categories each source pays for.
SOURCE_CATEGORIES = {
    "central": ("infrastructure", "public_service", "social", "industry", "training"),
    "provincial": ("infrastructure", "public_service", "social", "industry", "training"),
    "social_grant": ("social", "public_service", "industry"),
    "social_investment": ("industry",),
    "sector": ("infrastructure", "public_service", "social"),
    "credit": ("industry",),
    "city": ("infrastructure",),
    "county": ("infrastructure", "public_service"),
    "own": ("industry", "infrastructure"),
    "labour": ("infrastructure",),
}
# Where each source enters the ledger (fupin.funds.authority): these at the province, city
# funds at the city, county funds at the county, and these at the project itself.
APPROPRIATED_BY_PROVINCE = ("central", "provincial", "social_grant", "social_investment", "sector")
AT_PROJECT = ("credit", "own", "labour")

# Seed outputs of batch 4 in 2009: quantity in thousandths of the unit (exact integers).
OUTPUT_TOTALS: dict[str, int | Decimal] = {
    "dairy_cows": 427,
    "beef_cattle": 3569,
    "pigs": 3618,
    "sheep": 2044,
    "poultry": 321_500,
    "deer": 150,
    "fur_animals": 960,
    "crop_seed": Decimal("1115.4"),
    "livestock_shed": 5660,
    "road": Decimal("1587.7"),
    "bridges": 2235,
    "drought_wells": 25_000,
    "vet_stations": 13,
    "milk_stations": 10,
    "greenhouses": 151_000,
    "farm_machinery": 146,
    "machinery_sheds": 1752,
    "drinking_wells": 44,
    "tap_water": 27_000,
    "catv": 16_000,
    "street_lamps": 108,
    "clinics": 99,
    "activity_rooms": 87,
    "leisure_squares": 81,
    "roadside_ditches": 153_000,
}
# which project category delivers each kind of output (from the catalogue)
OUTPUT_CATEGORY = {code: category for code, _n, _e, _u, category in CATALOGUE}

# Contiguous development zones: code, name, English name, county codes, first year.
ZONES = [
    ("LP-2008-01", "饶河—抚远连片开发试点区", "Raohe-Fuyuan contiguous development pilot", ["230524", "230883"], 2008),
    ("LP-2009-01", "延寿县连片开发区", "Yanshou contiguous development zone", ["230129"], 2009),
    ("LP-2009-02", "同江市连片开发区", "Tongjiang contiguous development zone", ["230881"], 2009),
]
ZONE_FUNDS_2009 = {"central": 14_000_000, "provincial": 6_000_000, "sector": 31_426_000}
ZONE_FUNDS_2008 = {"central": 6_000_000, "provincial": 3_000_000, "sector": 8_000_000}

# Projects of a batch 4 village: category, name, program.
VILLAGE_PROJECTS = [
    ("infrastructure", "村屯道路及水利设施建设"),
    ("public_service", "村卫生所及文化活动室建设"),
    ("social", "自来水及有线电视入户"),
    ("industry", "贫困户养殖业发展"),
    ("industry", "贫困户种植业及设施农业"),
    ("training", "农民实用技术培训"),
]
EARLIER_PROJECTS = [("infrastructure", "村屯基础设施建设"), ("industry", "贫困户增收产业项目")]
EARLIER_FUNDS_PER_VILLAGE = {"central": 400_000, "provincial": 150_000, "sector": 250_000, "own": 50_000}


def split(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` whole units over the weights, largest remainder first: sums exactly."""
    if total == 0 or len(weights) == 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = total * weights / weights.sum()
    whole = np.floor(exact).astype(np.int64)
    short = total - int(whole.sum())
    whole[np.argsort(-(exact - whole), kind="stable")[:short]] += 1
    return whole


def batch_villages(structure: Structure, seed: int) -> dict[int, list[str]]:
    """The key villages of each batch: a seeded draw, the same at every scale."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(PROGRAMS_STREAM,)))
    villages = np.array(sorted(structure.key_villages))
    order = rng.permutation(len(villages))
    out: dict[int, list[str]] = {}
    start = 0
    for number, *_rest, size in BATCHES:
        out[number] = sorted(villages[order[start : start + size]].tolist())
        start += size
    if start != len(villages):
        raise ValueError(f"the batches hold {start} villages, the province has {len(villages)} key villages")
    return out


def completed_by(structure: Structure, seed: int, year: int = YEAR) -> np.ndarray:
    """Villages whose plan was accepted by the end of ``year``."""
    villages = batch_villages(structure, seed)
    return np.array([v for number, *_r, last, _s in BATCHES if last <= year for v in villages[number]])


@dataclass
class Ledger:
    """Entries in posting order, and the accounts they add up to."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    accounts: dict[tuple[str, int, str, int], dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: {"received": 0, "allocated": 0, "disbursed": 0})
    )

    def post(self, kind: str, source: str, year: int, date: dt.date, fen: int, area: int, **target: Any) -> None:
        self.entries.append(
            {"kind": kind, "source": source, "year": year, "date": date, "fen": fen, "area_id": area, **target}
        )
        if kind == "appropriation":
            node = ("project", target["project_id"]) if target.get("project_id") else ("area", area)
            self.accounts[(*node, source, year)]["received"] += fen
        elif kind == "allocation":
            self.accounts[("area", area, source, year)]["allocated"] += fen
            node = ("area", target["to_area_id"]) if target.get("to_area_id") else ("project", target["project_id"])
            self.accounts[(*node, source, year)]["received"] += fen
        else:
            self.accounts[("project", target["project_id"], source, year)]["disbursed"] += fen


@dataclass
class Programs:
    batches: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    zones: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    outputs: list[dict[str, Any]]
    beneficiaries: list[dict[str, Any]]
    labour: list[dict[str, Any]]
    ledger: Ledger
    counts: dict[str, int]


def _day(
    rng: np.random.Generator, year: int, first: tuple[int, int] = (3, 1), last: tuple[int, int] = (12, 20)
) -> dt.date:
    a, b = dt.date(year, *first), dt.date(year, *last)
    return a + dt.timedelta(days=int(rng.integers(0, (b - a).days + 1)))


def generate_programs(
    structure: Structure,
    *,
    seed: int,
    scale: float,
    area_ids: dict[str, int],
    households: dict[str, np.ndarray],
    first_project_id: int = 1,
) -> Programs:
    """``households``: id, village_code and status (at the end of 2009) of every demo
    household; ``area_ids``: id of every area by code."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(PROGRAMS_STREAM, 1)))
    by_batch = batch_villages(structure, seed)
    province = area_ids["230000000000"]
    officials = ["县扶贫办主任", "县财政局副局长", "乡长", "县发改局科长"]

    batches = [
        {"number": n, "name": name, "note": name_en, "start_year": first, "end_year": last}
        for n, name, name_en, first, last, _size in BATCHES
    ]
    plans: list[dict[str, Any]] = []
    projects: list[dict[str, Any]] = []
    project_id = first_project_id
    village_projects: dict[str, list[dict[str, Any]]] = {}
    for number, _name, _en, first, last, _size in BATCHES:
        for village in by_batch[number]:
            accepted = last <= YEAR
            plan: dict[str, Any] = {
                "batch": number,
                "village": village,
                "status": "accepted" if accepted else "planned",
                "started_on": dt.date(first, 4, 1) if accepted else None,
                "accepted_on": _day(rng, last, (9, 1), (12, 20)) if accepted else None,
                "accepted_by": "、".join(rng.choice(officials, 2, replace=False).tolist()) if accepted else "",
                "planned_investment": 0,
            }
            plans.append(plan)
            kinds = VILLAGE_PROJECTS if number >= CURRENT_BATCH else EARLIER_PROJECTS
            mine = []
            for i, (category, name) in enumerate(kinds, start=1):
                mine.append(
                    {
                        "id": project_id,
                        "code": f"ZT{number}-{village}-{i:02d}",
                        "name": name,
                        "program": "village_advancement",
                        "category": category,
                        "area": village,
                        "plan_village": village,
                        "zone": None,
                        "start_year": first,
                        "end_year": last,
                        "status": "completed" if accepted else "planned",
                        "budget": 0,
                    }
                )
                project_id += 1
            village_projects[village] = mine
            projects.extend(mine)

    ledger = Ledger()

    def fund_projects(chosen: list[dict[str, Any]], amounts_fen: np.ndarray, source: str, year: int) -> None:
        """Allocate down the tree (province or county, county, project) and disburse."""
        by_county: dict[str, int] = defaultdict(int)
        for project, fen in zip(chosen, amounts_fen.tolist(), strict=True):
            if fen:
                by_county[project["county"]] += fen
        at_project = source in AT_PROJECT
        if source in APPROPRIATED_BY_PROVINCE:
            total = int(amounts_fen.sum())
            ledger.post("appropriation", source, year, dt.date(year, 3, 1), total, province)
            for county, fen in sorted(by_county.items()):
                ledger.post("allocation", source, year, dt.date(year, 4, 1), fen, province, to_area_id=area_ids[county])
        elif source == "city":
            # a city's funds reach the city, which passes them to its counties
            by_city: dict[str, int] = defaultdict(int)
            for county, fen in by_county.items():
                by_city[county[:4] + "00000000"] += fen
            for city, fen in sorted(by_city.items()):
                ledger.post("appropriation", source, year, dt.date(year, 4, 1), fen, area_ids[city])
            for county, fen in sorted(by_county.items()):
                city_id = area_ids[county[:4] + "00000000"]
                ledger.post("allocation", source, year, dt.date(year, 4, 1), fen, city_id, to_area_id=area_ids[county])
        elif not at_project:
            for county, fen in sorted(by_county.items()):
                ledger.post("appropriation", source, year, dt.date(year, 4, 1), fen, area_ids[county])
        for project, fen in zip(chosen, amounts_fen.tolist(), strict=True):
            if not fen:
                continue
            county_id = area_ids[project["county"]]
            reached = _day(rng, year, (4, 10), (6, 30))
            if at_project:
                # credit and what households put in are appropriated at the project itself
                ledger.post(
                    "appropriation", source, year, reached, fen, area_ids[project["area"]], project_id=project["id"]
                )
            else:
                ledger.post("allocation", source, year, reached, fen, county_id, project_id=project["id"])
            ledger.post(
                "disbursement",
                source,
                year,
                _day(rng, year, (7, 1), (12, 20)),
                fen,
                area_ids[project["area"]],
                project_id=project["id"],
            )
            project["budget"] += fen

    for project in projects:
        project["county"] = project["area"][:6] + "000000"

    # --- batch 4 in 2009 ------------------------------------------------------------------
    current = [p for v in by_batch[CURRENT_BATCH] for p in village_projects[v]]
    for source, yuan in BATCH_FUNDS.items():
        chosen = [p for p in current if p["category"] in SOURCE_CATEGORIES[source]]
        fund_projects(chosen, split(yuan, rng.uniform(0.6, 1.4, len(chosen))) * 100, source, YEAR)
    # batch 4's first year, 2008: part of its plans paid from 2008 funds
    for source in ("central", "provincial", "sector"):
        chosen = [p for p in current if p["category"] in SOURCE_CATEGORIES[source]]
        fund_projects(chosen, split(BATCH_FUNDS[source] // 4, rng.uniform(0.6, 1.4, len(chosen))) * 100, source, 2008)
    # --- earlier batches, in their years ------------------------------------------------------
    for number, _name, _en, first, last, _size in BATCHES:
        if number >= CURRENT_BATCH:
            continue
        chosen_all = [p for v in by_batch[number] for p in village_projects[v]]
        for year in range(first, last + 1):
            for source, per_village in EARLIER_FUNDS_PER_VILLAGE.items():
                chosen = [p for p in chosen_all if p["category"] in SOURCE_CATEGORIES[source]]
                total = per_village * len(by_batch[number]) // (last - first + 1)
                fund_projects(chosen, split(total, rng.uniform(0.5, 1.5, len(chosen))) * 100, source, year)

    # --- outputs of batch 4 in 2009 -----------------------------------------------------------
    outputs: list[dict[str, Any]] = []
    for code, total in OUTPUT_TOTALS.items():  # type: ignore[assignment]
        chosen = [p for p in current if p["category"] == OUTPUT_CATEGORY[code]]
        milli = int(Decimal(total) * 1000)
        # whole units where the unit is counted (head, count...), tenths where the seed has them
        step = 100 if isinstance(total, Decimal) else 1000
        n = min(len(chosen), max(1, milli // step))
        picked = rng.choice(len(chosen), n, replace=False)
        parts = split(milli // step, rng.uniform(0.3, 1.7, n)) * step
        for i, qty in zip(picked.tolist(), parts.tolist(), strict=True):
            if qty:
                outputs.append({"project_id": chosen[i]["id"], "kind": code, "year": YEAR, "milli": qty})

    # --- labour inputs of batch 4 in 2009 -------------------------------------------------------
    labour_projects = [
        p for p in current if p["category"] in ("infrastructure", "public_service", "social", "industry")
    ]
    persons = split(LABOUR_PERSONS, rng.uniform(0.3, 1.7, len(labour_projects)))
    labour = [
        {"project_id": p["id"], "year": YEAR, "persons": int(k), "person_days": int(k) * int(rng.integers(3, 16))}
        for p, k in zip(labour_projects, persons.tolist(), strict=True)
        if k
    ]

    # --- beneficiaries of batch 4's industrial projects --------------------------------------------
    industry_by_village: dict[str, list[int]] = defaultdict(list)
    for p in current:
        if p["category"] == "industry":
            industry_by_village[p["area"]].append(p["id"])
    in_batch = np.isin(households["village_code"], np.array(sorted(industry_by_village)))
    ever_poor = np.isin(households["status"], ["poor", "exited"])
    poor_ids = np.flatnonzero(in_batch & ever_poor)
    want = round(INDUSTRY_POOR_HOUSEHOLDS * scale)
    if want > len(poor_ids):
        raise ValueError(f"batch 4 villages hold {len(poor_ids)} poor households, fewer than the {want} to reach")
    chosen_poor = rng.choice(poor_ids, want, replace=False)
    non_poor_ids = np.flatnonzero(in_batch & ~ever_poor)
    chosen_other = rng.choice(non_poor_ids, min(len(non_poor_ids), want // 5), replace=False)
    beneficiaries = []
    for i in np.sort(np.concatenate([chosen_poor, chosen_other])).tolist():
        options = industry_by_village[str(households["village_code"][i])]
        beneficiaries.append(
            {
                "project_id": options[int(rng.integers(0, len(options)))],
                "household_id": int(households["id"][i]),
                "year": YEAR,
            }
        )

    # --- contiguous development zones ---------------------------------------------------------------
    zones = []
    for code, name, name_en, counties, first in ZONES:
        zone: dict[str, Any] = {
            "code": code,
            "name": name,
            "name_en": name_en,
            "counties": [c + "000000" for c in counties],
            "start_year": first,
        }
        zones.append(zone)
        for county in zone["counties"]:
            for i, (category, pname) in enumerate(
                [("infrastructure", "连片开发农田水利及道路"), ("industry", "连片开发特色产业基地")], start=1
            ):
                projects.append(
                    {
                        "id": project_id,
                        "code": f"LP-{county[:6]}-{i:02d}",
                        "name": pname,
                        "program": "contiguous",
                        "category": category,
                        "area": county,
                        "county": county,
                        "plan_village": None,
                        "zone": code,
                        "start_year": first,
                        "end_year": 2010,
                        "status": "in_progress",
                        "budget": 0,
                    }
                )
                project_id += 1
    zone_projects = [p for p in projects if p["zone"]]
    for year, funds in ((2009, ZONE_FUNDS_2009), (2008, ZONE_FUNDS_2008)):
        eligible = [p for p in zone_projects if p["start_year"] <= year]
        for source, yuan in funds.items():
            fund_projects(eligible, split(yuan, rng.uniform(0.6, 1.4, len(eligible))) * 100, source, year)

    for plan in plans:
        plan["planned_investment"] = sum(p["budget"] for p in village_projects[plan["village"]])
        if plan["status"] == "planned":
            plan["planned_investment"] = int(rng.integers(80, 160)) * 1_000_000  # 0.8-1.6 million yuan
    counts = {
        "batches": len(batches),
        "village_plans": len(plans),
        "projects": len(projects),
        "project_outputs": len(outputs),
        "beneficiaries": len(beneficiaries),
        "labour_inputs": len(labour),
        "fund_entries": len(ledger.entries),
    }
    return Programs(batches, plans, zones, projects, outputs, beneficiaries, labour, ledger, counts)


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def write_programs(programs: Programs, area_ids: dict[str, int]) -> dict[str, int]:
    """Write the generated programs (not the ledger: ``fupin.funds.demo``) through the bulk
    path, inside the caller's transaction."""
    batch_ids = {}
    for b in programs.batches:
        batch_ids[b["number"]] = Batch.objects.create(**b).pk
    zone_ids = {}
    for z in programs.zones:
        zone = ContiguousZone.objects.create(
            code=z["code"], name=z["name"], name_en=z["name_en"], start_year=z["start_year"]
        )
        zone.counties.set([area_ids[c] for c in z["counties"]])
        zone_ids[z["code"]] = zone.pk
    first_plan = next_id(VillagePlan)
    plan_ids = {}
    rows = []
    for i, p in enumerate(programs.plans):
        plan_ids[p["village"]] = first_plan + i
        accepted = p["status"] == "accepted"
        rows.append(
            (
                first_plan + i,
                batch_ids[p["batch"]],
                area_ids[p["village"]],
                yuan(p["planned_investment"]),
                p["status"],
                p["started_on"],
                p["accepted_on"],
                p["accepted_by"],
                *([accepted] * 10),
                "",
            )
        )
    checks = VillagePlan.CHECKLIST_FIELDS
    plan_fields = [
        "id",
        "batch_id",
        "village_id",
        "planned_investment",
        "status",
        "started_on",
        "accepted_on",
        "accepted_by",
        *checks,
        "note",
    ]
    bulk_insert(VillagePlan, plan_fields, rows)
    bulk_insert(
        Project,
        [
            "id",
            "code",
            "name",
            "program",
            "category",
            "area_id",
            "plan_id",
            "zone_id",
            "start_year",
            "end_year",
            "status",
            "budget",
            "note",
        ],
        (
            (
                p["id"],
                p["code"],
                p["name"],
                p["program"],
                p["category"],
                area_ids[p["area"]],
                plan_ids[p["plan_village"]] if p["plan_village"] else None,
                zone_ids[p["zone"]] if p["zone"] else None,
                p["start_year"],
                p["end_year"],
                p["status"],
                yuan(p["budget"]),
                "",
            )
            for p in programs.projects
        ),
    )
    kinds = dict(OutputKind.objects.values_list("code", "id"))
    bulk_insert(
        ProjectOutput,
        ["project_id", "kind_id", "year", "quantity"],
        (
            (o["project_id"], kinds[o["kind"]], o["year"], f"{o['milli'] // 1000}.{o['milli'] % 1000:03d}")
            for o in programs.outputs
        ),
    )
    bulk_insert(
        Beneficiary,
        ["project_id", "household_id", "year"],
        ((b["project_id"], b["household_id"], b["year"]) for b in programs.beneficiaries),
    )
    bulk_insert(
        LabourInput,
        ["project_id", "year", "persons", "person_days"],
        ((x["project_id"], x["year"], x["persons"], x["person_days"]) for x in programs.labour),
    )
    reset_sequences(VillagePlan, Project, ProjectOutput, Beneficiary, LabourInput)
    return {k: v for k, v in programs.counts.items() if k != "fund_entries"}


def _occupied() -> str | None:
    if Batch.objects.exists():
        return "Programs are already recorded; the demo loads into an empty database."
    return None


def _prepare(ctx: Context) -> None:
    ctx.shared["advanced_villages"] = completed_by(ctx.structure, ctx.seed)


def _generate(ctx: Context) -> Programs:
    hh = ctx.generated["registry"].households
    return generate_programs(
        ctx.structure,
        seed=ctx.seed,
        scale=ctx.scale,
        area_ids=ctx.area_ids,
        households={"id": hh.values("id"), "village_code": hh.values("village_code"), "status": hh.values("status")},
        first_project_id=next_id(Project),
    )


def _write(ctx: Context, programs: Programs) -> dict[str, int]:
    return write_programs(programs, ctx.area_ids)


part(
    "programs",
    20,
    prepare=_prepare,
    generate=_generate,
    write=_write,
    occupied=_occupied,
    analyze=(VillagePlan, Project, Beneficiary),
)
