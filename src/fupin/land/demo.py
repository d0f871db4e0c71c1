"""Land transfer's part of the demo province (``fupin.demo.registry``): the land transfer
contracts of the villages of batch 4 of entire village advancement (2008-2009), in force
on 31 December 2009, and their transferor households.

Exact figures of 2009 (indicators.csv, section ``land_transfer``; at scale S the counts of
registry households are ``round(v × S)``, the area and the villages do not scale):
- ``land.households``: round(75,000 S) transferor households, each of one contract;
- ``land.poor_households``: round(46,000 S) of them registered poor on the day their
  contract took effect: households of the registry that exited poverty by the end of 2009,
  whose contract starts between the approval of their identification and that of their
  exit (the status events of the registry's part), so ``land.poor_exited_share`` is 100;
  the other transferors were not registered poor on their contract's start: households
  never registered poor (contracts from 2005), and households registered poor now whose
  contract began before their identification was approved (from 2000);
- ``land.area_mu``: 3,151,000 mu in all, split across the transferors in hundredths of a mu
  (every household at least 1 mu, the sum exact);
- ``land.villages``: 750, the villages of batch 4: every batch village gets a transferor
  first (the villages with only one kind of candidate household first), then the rest are
  drawn at random. At scale 1 each batch village has households of both kinds to spare,
  so all 750 are reached; at small scales (round(75,000 S) < 750, or a village without a
  candidate) the count is the number of batch villages reached.

Every contract is in force on 31 December 2009 (its term runs past it and ends by the end
of the second-round household contracts, ``rules.second_round_end()``).

Assumptions (no source gives them; docs/land.md, docs/demo.md): the transferors of a
contract are up to 8 households of one village, the poor ones grouped where the days on
which they were registered poor overlap; transferees: a leading enterprise of the county
(of the industry part, any when the county has none; a cooperative when there are none at
all) for 30 % of the contracts, a cooperative 40 % (contributing the land as shares, for a
dividend), a large household of the village 15 % (another party when the village has no
household to spare), another party 15 %; rents 120 to 400 yuan per mu and year.

The part draws from a random stream of its own (spawn key ``LAND_STREAM``) and writes only
land tables, so every other part's rows are the same with or without it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.demo.registry import Context, part
from fupin.land import rules
from fupin.land.models import LandContract, Transferor

LAND_STREAM = 70  # spawn key of the part's own random stream

YEAR = 2009
CURRENT_BATCH = 4
HOUSEHOLDS = 75_000
POOR_HOUSEHOLDS = 46_000
AREA_MU = 3_151_000
GROUP = 8  # most transferors of one contract
YEAR_END = dt.date(YEAR, 12, 31)
EARLIEST = dt.date(2000, 1, 1)  # the earliest start of a demo contract
OPEN_FROM = dt.date(2005, 1, 1)  # never-poor households' contracts start from then
EPOCH = dt.date(1970, 1, 1)
KINDS = ["enterprise", "cooperative", "large_household", "other"]
KIND_P = [0.30, 0.40, 0.15, 0.15]
OTHER_PARTIES = ["县农业开发公司", "农机服务队", "外县种植户", "乡农业综合开发办"]

CONTRACT_FIELDS = [
    "id",
    "number",
    "village_id",
    "transferee_kind",
    "transferee_enterprise_id",
    "transferee_household_id",
    "transferee_name",
    "mode",
    "start_date",
    "term_years",
    "end_date",
    "payment",
    "rent_per_mu",
    "dividend_terms",
    "termination_reason",
]
TRANSFEROR_FIELDS = ["id", "contract_id", "household_id", "area_mu"]


@dataclass
class Land:
    # contracts: (id, number, village_code, kind, large household id, name, mode, start, term,
    # payment, rent, dividend terms)
    contracts: list[tuple[Any, ...]] = field(default_factory=list)
    transferors: list[tuple[Any, ...]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _day(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def _days(d: dt.date) -> int:
    return (d - EPOCH).days


def _approvals(events: Any, procedure: str) -> dict[int, int]:
    """Household id -> day number of the first approval of ``procedure``."""
    mask = (events.values("procedure") == procedure) & (events.values("action") == "approve")
    hh = events.values("household_id")[mask]
    days = (events.values("date")[mask] - np.datetime64("1970-01-01", "D")).astype(np.int64)
    out: dict[int, int] = {}
    for h, d in zip(hh.tolist(), days.tolist(), strict=True):
        if h not in out or d < out[h]:
            out[h] = d
    return out


def _areas(rng: np.random.Generator, n: int) -> np.ndarray:
    """n areas in hundredths of a mu, each at least 1 mu, adding up to AREA_MU exactly."""
    total = AREA_MU * 100
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n * 100 > total:
        raise ValueError(f"cannot split {AREA_MU} mu among {n} households")
    weights = rng.gamma(2.0, 1.0, n)
    spare = total - 100 * n
    raw = spare * weights / weights.sum()
    whole = np.floor(raw).astype(np.int64)
    left = spare - int(whole.sum())
    order = np.argsort(-(raw - whole), kind="stable")
    whole[order[:left]] += 1
    return whole + 100


def _pick(
    rng: np.random.Generator,
    villages: list[str],
    poor: dict[str, list[int]],
    other: dict[str, list[int]],
    n_poor: int,
    n_other: int,
) -> tuple[list[int], list[int]]:
    """Choose the transferors: first one in each village (those with only one kind of
    candidate first), then the rest at random."""
    poor = {v: [int(h) for h in rng.permutation(hs)] for v, hs in poor.items()}
    other = {v: [int(h) for h in rng.permutation(hs)] for v, hs in other.items()}
    chosen_poor: list[int] = []
    chosen_other: list[int] = []
    order = sorted(rng.permutation(villages).tolist(), key=lambda v: (bool(poor.get(v)) and bool(other.get(v)), 0))
    for v in order:
        if (
            poor.get(v)
            and len(chosen_poor) < n_poor
            and (
                not other.get(v)
                or len(chosen_other) >= n_other
                or len(chosen_poor) * n_other <= len(chosen_other) * n_poor
            )
        ):
            chosen_poor.append(poor[v].pop())
        elif other.get(v) and len(chosen_other) < n_other:
            chosen_other.append(other[v].pop())
        elif poor.get(v) and len(chosen_poor) < n_poor:
            chosen_poor.append(poor[v].pop())
    rest_poor = [h for v in villages for h in poor.get(v, [])]
    rest_other = [h for v in villages for h in other.get(v, [])]
    need_poor, need_other = n_poor - len(chosen_poor), n_other - len(chosen_other)
    if need_poor > len(rest_poor) or need_other > len(rest_other):
        raise ValueError(
            f"the demo's batch villages have {len(rest_poor) + len(chosen_poor)} exited and "
            f"{len(rest_other) + len(chosen_other)} never-poor households for {n_poor} and {n_other} transferors"
        )
    chosen_poor += (
        rng.choice(np.array(rest_poor, dtype=np.int64), need_poor, replace=False).tolist() if need_poor else []
    )
    chosen_other += (
        rng.choice(np.array(rest_other, dtype=np.int64), need_other, replace=False).tolist() if need_other else []
    )
    return chosen_poor, chosen_other


def _groups(households: list[int], windows: dict[int, tuple[int, int]]) -> list[list[int]]:
    """Households of one village in contracts of at most GROUP; only households whose
    windows (the days a contract of theirs may start on, [first, last)) overlap share one."""
    out: list[list[int]] = []
    current: list[int] = []
    lo, hi = 0, 0
    for h in sorted(households, key=lambda h: windows[h]):
        first, last = windows[h]
        if current and len(current) < GROUP and max(lo, first) < min(hi, last):
            current.append(h)
            lo, hi = max(lo, first), min(hi, last)
        else:
            if current:
                out.append(current)
            current, (lo, hi) = [h], (first, last)
    if current:
        out.append(current)
    return out


def _term(rng: np.random.Generator, start: dt.date) -> int:
    """A term that runs past the end of 2009 and ends by the end of the second round."""
    shortest = YEAR + 1 - start.year
    longest = rules.second_round_end().year - start.year
    return int(rng.integers(shortest, min(longest, shortest + 15) + 1))


def generate(ctx: Context) -> Land:
    rng = ctx.rng(LAND_STREAM)
    registry = ctx.generated["registry"]
    plans = ctx.generated["programs"].plans
    households = registry.households
    out = Land()
    n_households = round(HOUSEHOLDS * ctx.scale)
    n_poor = round(POOR_HOUSEHOLDS * ctx.scale)
    n_other = n_households - n_poor

    batch = sorted({p["village"] for p in plans if p["batch"] == CURRENT_BATCH})
    in_batch = set(batch)
    identified = _approvals(registry.events, "identification")
    exited = _approvals(registry.events, "exit")
    returned = set(_approvals(registry.events, "return"))
    poor_pool: dict[str, list[int]] = {}
    other_pool: dict[str, list[int]] = {}
    village_of: dict[int, str] = {}
    before: dict[int, tuple[int, int]] = {}  # the days a never-poor transferor may start on
    for h, v, status in zip(
        households.values("id").tolist(),
        households.values("village_code").tolist(),
        households.values("status").tolist(),
        strict=True,
    ):
        if v not in in_batch:
            continue
        village_of[h] = v
        if status == "exited" and h in identified and h in exited and h not in returned:
            if identified[h] < exited[h] and _day(exited[h]) <= YEAR_END:
                poor_pool.setdefault(v, []).append(h)
        elif status == "non_poor" and h not in identified:
            other_pool.setdefault(v, []).append(h)
            before[h] = (_days(OPEN_FROM), _days(YEAR_END) + 1)
        elif status == "poor" and h in identified and h not in returned and identified[h] > _days(EARLIEST):
            # poor now, not yet on a contract's start before its identification
            other_pool.setdefault(v, []).append(h)
            before[h] = (_days(EARLIEST), identified[h])
    chosen_poor, chosen_other = _pick(rng, batch, poor_pool, other_pool, n_poor, n_other)
    chosen = set(chosen_poor) | set(chosen_other)
    spare = {v: [h for h in hs if h not in chosen] for v, hs in other_pool.items()}

    by_village: dict[str, tuple[list[int], list[int]]] = {}
    for h in chosen_poor:
        by_village.setdefault(village_of[h], ([], []))[0].append(h)
    for h in chosen_other:
        by_village.setdefault(village_of[h], ([], []))[1].append(h)
    windows = {h: (identified[h], exited[h]) for h in chosen_poor}
    windows |= {h: before[h] for h in chosen_other}

    areas = _areas(rng, n_households)
    contract_id, transferor_id = next_id(LandContract), next_id(Transferor)
    k = 0
    for village in sorted(by_village):
        poor, other = by_village[village]
        groups = _groups(sorted(poor), windows) + _groups(sorted(other), windows)
        for n, group in enumerate(groups, start=1):
            lo = max(windows[h][0] for h in group)
            hi = min(windows[h][1] for h in group)
            start = _day(lo + int(rng.integers(0, hi - lo)))
            kind = KINDS[int(rng.choice(4, p=KIND_P))]
            household = None
            name = ""
            if kind == "large_household":
                if spare.get(village):
                    household = spare[village].pop()
                else:
                    kind = "other"
            if kind == "other":
                name = OTHER_PARTIES[int(rng.integers(0, len(OTHER_PARTIES)))]
            if kind == "cooperative":
                name = f"{village}土地股份合作社"
                mode, payment, rent, terms = "shares", "dividend", None, "保底分红, 按股二次分红"
            else:
                mode = str(rng.choice(["subcontract", "lease", "exchange", "transfer"], p=[0.45, 0.45, 0.05, 0.05]))
                payment, rent, terms = "rent", f"{int(rng.integers(12, 41)) * 10}.00", ""
            term = _term(rng, start)
            out.contracts.append(
                (
                    contract_id,
                    f"LZ{village}-{n:03d}",
                    village,
                    kind,
                    household,
                    name,
                    mode,
                    start,
                    term,
                    payment,
                    rent,
                    terms,
                )
            )
            for h in group:
                area = int(areas[k])
                out.transferors.append((transferor_id, contract_id, h, f"{area // 100}.{area % 100:02d}"))
                transferor_id += 1
                k += 1
            contract_id += 1
    out.counts = {
        "land_contracts": len(out.contracts),
        "land_transferors": len(out.transferors),
        "land_poor_transferors": len(chosen_poor),
        "land_villages": len(by_village),
    }
    return out


def _occupied() -> str | None:
    if LandContract.objects.exists():
        return "Land transfer contracts are already recorded; the demo loads into an empty database."
    return None


def _write(ctx: Context, land: Land) -> dict[str, int]:
    from fupin.industry.models import Enterprise

    enterprises = list(Enterprise.objects.order_by("code").values_list("id", "county__code"))
    by_county: dict[str, list[int]] = {}
    for pk, county in enterprises:
        by_county.setdefault(county, []).append(pk)
    rows = []
    for i, (pk, number, village, kind, household, name, mode, start, term, payment, rent, terms) in enumerate(
        land.contracts
    ):
        enterprise = None
        if kind == "enterprise":
            mine = by_county.get(village[:6] + "000000") or [e for e, _c in enterprises]
            if mine:
                enterprise = mine[i % len(mine)]
            else:
                kind, name = "cooperative", f"{village}农民专业合作社"
        rows.append(
            (
                pk,
                number,
                ctx.area_ids[village],
                kind,
                enterprise,
                household,
                name,
                mode,
                start.isoformat(),
                term,
                rules.contract_end(start, term).isoformat(),
                payment,
                rent,
                terms,
                "",
            )
        )
    bulk_insert(LandContract, CONTRACT_FIELDS, rows)
    bulk_insert(Transferor, TRANSFEROR_FIELDS, land.transferors)
    reset_sequences(LandContract, Transferor)
    ctx.progress(f"land: {len(rows):,} contracts, {len(land.transferors):,} transferors")
    return land.counts


def _describe(summary: Mapping[str, Any]) -> str:
    return f"{summary['land_contracts']:,} land transfer contracts"


part(
    "land",
    70,
    generate=generate,
    write=_write,
    occupied=_occupied,
    analyze=(LandContract, Transferor),
    describe=_describe,
)
