"""Leading enterprises' part of the demo province (``fupin.demo.registry``, order 50):
enterprises, their employees, production bases with their villages and linked
households, and order contracts.

Exact figures of 2009 (counts of registry households and persons at scale S are
``round(v × S)``; enterprises and villages do not scale):
- 40 leading enterprises, one in each of 40 task counties with at least four key
  villages; 7 of them identified in 2009 (``industry.enterprises_new``);
- each has one production base, established by 2009, set up in three or four key villages
  of its county (16 bases in four, 24 in three: 136 distinct key villages,
  ``industry.base_villages``); five of them also in a village that is not a key village,
  which does not count;
- round(57,800 S) poor households (poor at the end of 2009 in every reading: registered
  before 2009, never exited, not returned) of the bases' counties are linked to the
  base of their county (``industry.base_poor_households``); so are other households of
  those counties (not poor at the end of 2009: exited or never poor), chosen so that the
  mean change of net income 2008→2009 of all linked households, from the registry's own
  income records, is exactly 5,000 yuan (``industry.income_increase_per_household``):
  the sum of (change − 5,000) over the chosen others is the poor households' shortfall,
  hit exactly by adding households greedily and closing the rest with one to three
  households found by search. At scale 1 the same construction holds (more candidates);
- the first 17 enterprises (identified 2002–2008) are those the loans part supports:
  their codes are ``ctx.shared["industry.supported"]``; they employ round(3,452 S)
  distinct working-age members of such poor households of their counties, employed during
  2009 (started 2008-03 to 2009-06, a fifth leaving later in 2009), so that
  ``industry.labor_absorbed`` is the seed's whatever reading of "poor" is taken; the
  other 23 employ round(1,200 S) members of any household of their counties (not counted);
- a quarter of the linked poor households hold an order contract of 2009 with the base's
  enterprise; 85 % are complied with (delivered in full and paid as agreed).

The registry's records are only read (no income is changed). The part draws from a
random stream of its own (spawn key ``INDUSTRY_STREAM``) and writes only industry tables,
so every other part's rows are the same with or without it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.demo.registry import Context, part
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from fupin.industry.rules import USCC_CHARSET, amount_due, uscc_check_character

INDUSTRY_STREAM = 5  # spawn key of the part's own random stream (training 3, credit and land above)

YEAR = 2009
ENTERPRISES = 40
SUPPORTED = 17
NEW = 7
BASE_VILLAGES = 136
FOUR_VILLAGE_BASES = 16  # 16 × 4 + 24 × 3 = 136
POOR_LINKED = 57_800
LABOUR = 3_452
OTHER_LABOUR = 1_200
INCREASE_FEN = 500_000  # 5,000 yuan
CONTRACT_SHARE = 0.25
COMPLIED = 0.85
INCOME_COLUMNS = (
    "wage",
    "business",
    "property_income",
    "transfer_family_planning",
    "transfer_dibao",
    "transfer_wubao",
    "transfer_pension",
    "transfer_eco_compensation",
    "transfer_other",
)
PRODUCTS = [
    ("大豆", "planting", "kg", "3.60"),
    ("玉米", "planting", "kg", "1.50"),
    ("水稻", "planting", "kg", "2.60"),
    ("肉牛", "livestock", "head", "6800.00"),
    ("生猪", "livestock", "head", "1300.00"),
    ("马铃薯", "processing", "kg", "0.90"),
    ("食用菌", "forestry", "kg", "8.00"),
    ("蓝莓", "forestry", "kg", "30.00"),
]
LEVELS = ["national"] * 4 + ["provincial"] * 8 + ["city"] * 5 + ["provincial", "city", "county"] * 8


def uscc(county_code: str, index: int) -> str:
    """A valid unified social credit code of an enterprise registered in the county:
    91 (an enterprise of the market regulator), the county's six digits, ``MA`` and seven
    digits, and the GB 32100 check character."""
    first17 = f"91{county_code[:6]}MA{index:07d}"
    if any(c not in USCC_CHARSET for c in first17):
        raise ValueError(f"not a credit code: {first17}")
    return first17 + uscc_check_character(first17)


@dataclass
class Industry:
    enterprises: list[tuple[Any, ...]] = field(default_factory=list)
    employments: list[tuple[Any, ...]] = field(default_factory=list)
    bases: list[tuple[Any, ...]] = field(default_factory=list)
    base_villages: list[tuple[Any, ...]] = field(default_factory=list)
    links: list[tuple[Any, ...]] = field(default_factory=list)
    contracts: list[tuple[Any, ...]] = field(default_factory=list)
    supported: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


ENTERPRISE_FIELDS = ["id", "code", "name", "county_id", "level", "sector", "identified_year", "status"]
EMPLOYMENT_FIELDS = ["id", "enterprise_id", "person_id", "start_date", "end_date", "monthly_wage"]
BASE_FIELDS = ["id", "code", "enterprise_id", "name", "product", "area_mu", "established_year"]
LINK_FIELDS = ["id", "base_id", "household_id", "joined_on"]
CONTRACT_FIELDS = [
    "id",
    "number",
    "enterprise_id",
    "household_id",
    "year",
    "product",
    "unit",
    "quantity",
    "agreed_price",
    "inputs_on_credit",
    "delivered",
    "paid",
]


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> str:
    return (first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))).isoformat()


def exact_subset(rng: np.random.Generator, values: np.ndarray, target: int, *, tries: int = 20) -> np.ndarray:
    """Indices of a subset of ``values`` (integers) summing exactly to ``target``: add
    values of the target's sign in random order while the rest stays beyond a margin, then
    close the rest with one, two or three further values (or one swapped out)."""
    values = values.astype(np.int64)
    n = len(values)
    for attempt in range(tries):
        order = rng.permutation(n)
        chosen = np.zeros(n, dtype=bool)
        # after a failed attempt, start from a few values taken at random: another neighbourhood
        chosen[order[: min(attempt, n // 4)]] = True
        rest = int(target) - int(values[chosen].sum())
        margin = int(np.percentile(np.abs(values), 75)) if n else 0
        for i in order[min(attempt, n // 4) :].tolist():
            v = int(values[i])
            if (rest > margin and 0 < v <= rest - margin // 2) or (rest < -margin and rest + margin // 2 <= v < 0):
                chosen[i] = True
                rest -= v
        found = _close(values, chosen, rest)
        if found is not None:
            return np.flatnonzero(found)
    raise ValueError(f"the demo's households cannot make the mean income increase exact (target {target})")


def _close(values: np.ndarray, chosen: np.ndarray, rest: int) -> np.ndarray | None:
    if rest == 0:
        return chosen
    free = np.flatnonzero(~chosen)
    taken = np.flatnonzero(chosen)
    fv = values[free]
    # one more
    hit = np.flatnonzero(fv == rest)
    if len(hit):
        out = chosen.copy()
        out[free[hit[0]]] = True
        return out
    # one swapped: add b, drop a with v_b - v_a = rest
    by_value = {int(v): int(i) for v, i in zip(fv.tolist(), free.tolist(), strict=True)}
    for a in taken.tolist():
        b = by_value.get(rest + int(values[a]))
        if b is not None:
            out = chosen.copy()
            out[a], out[b] = False, True
            return out
    # two more
    for i in free.tolist():
        j = by_value.get(rest - int(values[i]))
        if j is not None and j != i:
            out = chosen.copy()
            out[i] = out[j] = True
            return out
    # three more
    for i in free[:2000].tolist():
        partial = rest - int(values[i])
        for j in free.tolist():
            if j == i:
                continue
            k = by_value.get(partial - int(values[j]))
            if k is not None and k not in (i, j):
                out = chosen.copy()
                out[i] = out[j] = out[k] = True
                return out
    return None


def generate(ctx: Context) -> Industry:
    rng = ctx.rng(INDUSTRY_STREAM)
    registry = ctx.generated["registry"]
    households, persons, incomes, events = registry.households, registry.persons, registry.incomes, registry.events
    out = Industry()
    scale = ctx.scale

    # --- the enterprises' counties and the bases' villages -----------------------------------
    key = set(ctx.structure.key_villages)
    key_by_county: dict[str, list[str]] = {}
    for code in sorted(key):
        key_by_county.setdefault(code[:6] + "000000", []).append(code)
    counties = [c for c in sorted(ctx.structure.task_counties) if len(key_by_county.get(c, [])) >= 4]
    if len(counties) < ENTERPRISES:
        raise ValueError(f"the demo has {len(counties)} counties with four key villages for {ENTERPRISES} enterprises")
    counties = sorted(rng.choice(counties, size=ENTERPRISES, replace=False).tolist())
    order = rng.permutation(ENTERPRISES)  # which county gets which enterprise
    enterprise_id, base_id = next_id(Enterprise), next_id(ProductionBase)
    county_base: dict[str, tuple[int, int, int]] = {}  # county -> (enterprise id, base id, product index)
    enterprise_county: dict[int, str] = {}
    for k in range(ENTERPRISES):
        county = counties[int(order[k])]
        code = uscc(county, k + 1)
        identified = YEAR if SUPPORTED <= k < SUPPORTED + NEW else 2002 + k % 7
        product = k % len(PRODUCTS)
        name, sector, _unit, _price = PRODUCTS[product]
        status = "suspended" if k in (SUPPORTED + NEW + 3, SUPPORTED + NEW + 9) else "active"
        out.enterprises.append(
            (
                enterprise_id,
                code,
                f"{county[:6]}{name}龙头企业",
                ctx.area_ids[county],
                LEVELS[k],
                sector,
                identified,
                status,
            )
        )
        if k < SUPPORTED:
            out.supported.append(code)
        villages = sorted(rng.choice(key_by_county[county], size=4 if k < FOUR_VILLAGE_BASES else 3, replace=False))
        if k % 8 == 5:  # a village that is not a key village
            others = [v for v in ctx.structure.villages_by_county.get(county, []) if v not in key]
            if others:
                villages.append(others[int(rng.integers(0, len(others)))])
        established = identified if identified == YEAR else max(identified, 2004 + k % 5)
        out.bases.append(
            (
                base_id,
                f"JD-{code[2:8]}-{k + 1:02d}",
                enterprise_id,
                f"{name}生产基地",
                name,
                f"{int(rng.integers(20, 200)) * 50}.00",
                established,
            )
        )
        out.base_villages.extend((base_id, ctx.area_ids[v]) for v in villages)
        county_base[county] = (enterprise_id, base_id, product)
        enterprise_county[enterprise_id] = county
        enterprise_id += 1
        base_id += 1
    ctx.shared["industry.supported"] = list(out.supported)

    # --- who is poor in every reading, and each household's income change ---------------------
    hh_ids = households.values("id")
    hh_county = np.array([v[:6] + "000000" for v in households.values("village_code")])
    status = households.values("status")
    ev_hh, ev_date = events.values("household_id"), events.values("date")
    approve = events.values("action") == "approve"
    ident = approve & (events.values("procedure") == "identification")
    exit_ = approve & (events.values("procedure") == "exit")
    first_ident: dict[int, Any] = {}
    for h, d in zip(ev_hh[ident].tolist(), ev_date[ident].tolist(), strict=True):
        first_ident.setdefault(h, d)
    exited_by = set(ev_hh[exit_ & (ev_date <= np.datetime64(f"{YEAR}-12-31"))].tolist())
    ever_exited = set(ev_hh[exit_].tolist())
    returned = households.values("returned")
    before_year = dt.date(YEAR, 1, 1)
    strict_poor = np.array(
        [
            s == "poor" and not r and h not in ever_exited and h in first_ident and first_ident[h] < before_year
            for h, s, r in zip(hh_ids.tolist(), status.tolist(), returned.tolist(), strict=True)
        ]
    )
    not_poor_then = np.array(
        [
            (s == "non_poor" and h not in first_ident) or (s == "exited" and h in exited_by and not r)
            for h, s, r in zip(hh_ids.tolist(), status.tolist(), returned.tolist(), strict=True)
        ]
    )
    in_base_county = np.isin(hh_county, list(county_base))
    change = _income_change(incomes, hh_ids)

    # --- the linked households -----------------------------------------------------------------
    n_poor = round(POOR_LINKED * scale)
    pool = np.flatnonzero(strict_poor & in_base_county)
    if len(pool) < n_poor:
        raise ValueError(f"the demo has {len(pool)} poor households in the bases' counties for {n_poor} links")
    poor = np.sort(rng.choice(pool, size=n_poor, replace=False))
    others_pool = np.flatnonzero(not_poor_then & in_base_county)
    shortfall = int(INCREASE_FEN * n_poor - change[poor].sum())
    others = others_pool[exact_subset(rng, change[others_pool] - INCREASE_FEN, shortfall)]
    linked = np.sort(np.concatenate([poor, others]))
    if int(change[linked].sum()) != INCREASE_FEN * len(linked):
        raise ValueError("the linked households' income increase is not exact")
    link_id, contract_id = next_id(BaseLink), next_id(OrderContract)
    established_of = {b[0]: b[6] for b in out.bases}
    poor_set = set(poor.tolist())
    for i in linked.tolist():
        enterprise, base, product = county_base[hh_county[i]]
        first = dt.date(YEAR, 3, 1) if established_of[base] == YEAR else dt.date(YEAR - 1, 1, 1)
        joined = _day(rng, first, dt.date(YEAR, 9, 30))
        out.links.append((link_id, base, int(hh_ids[i]), joined))
        link_id += 1
        if i in poor_set and rng.random() < CONTRACT_SHARE:
            name, _sector, unit, price = PRODUCTS[product]
            quantity = int(rng.integers(1, 6)) if unit == "head" else int(rng.integers(5, 50)) * 100
            inputs = Decimal(int(rng.integers(0, 9)) * 100)
            complied = rng.random() < COMPLIED
            delivered = quantity if complied else int(quantity * rng.uniform(0.3, 0.95))
            due = amount_due(delivered, price, inputs)
            paid = due if complied or rng.random() < 0.5 else (due * Decimal("0.6")).quantize(Decimal("0.01"))
            out.contracts.append(
                (
                    contract_id,
                    f"DD{YEAR}-{contract_id:07d}",
                    enterprise,
                    int(hh_ids[i]),
                    YEAR,
                    name,
                    unit,
                    f"{quantity}.00",
                    price,
                    f"{inputs}.00",
                    f"{delivered}.00",
                    str(paid),
                )
            )
            contract_id += 1

    # --- employees -------------------------------------------------------------------------------
    owner = np.searchsorted(hh_ids, persons.values("household_id"))
    born = persons.values("birth_date")
    age = (np.datetime64(f"{YEAR}-12-31") - born).astype("timedelta64[D]").astype(np.int64) // 365
    able = np.isin(persons.values("labour"), ["ORDINARY", "SKILLED"]) & (age >= 16) & (age <= 59)
    person_county = hh_county[owner]
    supported_counties = [enterprise_county[e[0]] for e in out.enterprises[:SUPPORTED]]
    other_counties = [enterprise_county[e[0]] for e in out.enterprises[SUPPORTED:]]
    employment_id = next_id(Employment)
    index = np.arange(len(owner))
    n_labour = round(LABOUR * scale)
    pool = index[able & strict_poor[owner] & np.isin(person_county, supported_counties)]
    if len(pool) < n_labour:
        raise ValueError(f"the demo has {len(pool)} poor workers for {n_labour} employees")
    workers = np.sort(rng.choice(pool, size=n_labour, replace=False))
    pool = index[able & np.isin(person_county, other_counties)]
    n_other = min(round(OTHER_LABOUR * scale), len(pool))
    workers = np.concatenate([workers, np.sort(rng.choice(pool, size=n_other, replace=False))])
    person_ids = persons.values("id")
    for p in workers.tolist():
        enterprise = county_base[person_county[p]][0]
        start = _day(rng, dt.date(YEAR - 1, 3, 1), dt.date(YEAR, 6, 30))
        end = _day(rng, dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31)) if rng.random() < 0.2 else None
        wage = f"{int(rng.integers(8, 21)) * 100}.00"
        out.employments.append((employment_id, enterprise, int(person_ids[p]), start, end, wage))
        employment_id += 1

    out.counts = {
        "enterprises": len(out.enterprises),
        "production_bases": len(out.bases),
        "base_links": len(out.links),
        "base_poor_households": n_poor,
        "order_contracts": len(out.contracts),
        "enterprise_employees": len(out.employments),
    }
    return out


def _income_change(incomes: Any, hh_ids: np.ndarray) -> np.ndarray:
    """Each household's net income of the year less that of the year before (fen), in the
    order of ``hh_ids``; 0 where a year is missing."""
    net = sum(incomes.values(c).astype(np.int64) for c in INCOME_COLUMNS) - incomes.values("production_costs").astype(
        np.int64
    )
    year, owner = incomes.values("year"), incomes.values("household_id")
    out = np.zeros(len(hh_ids), dtype=np.int64)
    now = year == YEAR
    before = year == YEAR - 1
    np.add.at(out, np.searchsorted(hh_ids, owner[now]), net[now])
    np.subtract.at(out, np.searchsorted(hh_ids, owner[before]), net[before])
    return out


def _occupied() -> str | None:
    if Enterprise.objects.exists():
        return "Leading enterprises are already recorded; the demo loads into an empty database."
    return None


def _write(ctx: Context, industry: Industry) -> dict[str, int]:
    bulk_insert(Enterprise, ENTERPRISE_FIELDS, industry.enterprises)
    bulk_insert(ProductionBase, BASE_FIELDS, industry.bases)
    bulk_insert(ProductionBase.villages.through, ["productionbase_id", "adminarea_id"], industry.base_villages)
    bulk_insert(BaseLink, LINK_FIELDS, industry.links)
    bulk_insert(OrderContract, CONTRACT_FIELDS, industry.contracts)
    bulk_insert(Employment, EMPLOYMENT_FIELDS, industry.employments)
    reset_sequences(Enterprise, ProductionBase, BaseLink, OrderContract, Employment)
    ctx.progress(
        f"industry: {len(industry.enterprises)} enterprises, {len(industry.links):,} base links, "
        f"{len(industry.employments):,} employees"
    )
    return industry.counts


def _describe(summary: Mapping[str, Any]) -> str:
    return (
        f"{summary['enterprises']} leading enterprises ({summary['base_poor_households']:,} poor households at bases)"
    )


part(
    "industry",
    50,
    generate=generate,
    write=_write,
    occupied=_occupied,
    analyze=(Enterprise, ProductionBase, BaseLink, OrderContract, Employment),
    describe=_describe,
)
