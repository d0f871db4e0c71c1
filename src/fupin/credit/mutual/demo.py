"""The village mutual funds' part of the demo province (``fupin.demo.registry``, order 62).

Exact figures of 2009 (``mutual_funds`` section of indicators.csv), at every scale S:
- 60 funds established in 2009 (``mutual.pilot_villages_new``) in 39 counties
  (``mutual.pilot_counties_new``), each with 300,000 yuan of fiscal seed capital paid
  through the funds ledger (``mutual.funds_fiscal`` 18,000,000, so
  ``mutual.avg_subsidy_per_village`` 300,000);
- round(11,856 S) member households of those funds (``mutual.member_households``);
- their total assets at the end of 2009 are 32,400,000 yuan (``mutual.total_assets``): the
  member shares scale with the households, the fees with the loans, so each new fund's
  donated seed capital (无偿捐赠, not the government's) is what makes the sum up;
- 94 funds established in 2006 to 2008 and still open, so 154 funds open at the end of
  2009 (``mutual.pilot_villages_total``); 2 more were established in 2007 and closed in
  2008 and count in neither.

How it is exact: the figures are sums the generator fixes before drawing anything else.
The members are drawn from the registry households of the funds' villages (poor ones
first), as many in each village as it has, proportionally to its households; at scale 1
the 60 villages are the accepted key villages with the most households (one per county in
39 counties, then the next largest in those counties), and the generator refuses if they
cannot hold round(11,856 S) households. The donated seed is 32,400,000 − 18,000,000 −
shares − fees + welfare spending, split evenly (fen by fen) across the 60 new funds; it is
positive at every scale up to 1 (the shares are at most 500 yuan per member).

Assumptions (no source gives them; docs/credit-mutual.md): the funds are in villages whose
entire village advancement plan is accepted; a share is 100 yuan, members hold 1 to 5
shares, the fund pays the base share of poor members; loan ceiling 5,000 yuan, longest
term 12 months, occupancy fee 6 % a year, 10 % of fees drawn for the public-welfare fund,
half of which is spent on 31 December; a third of the members borrow once, six- or
twelve-month loans; a six-month loan due in 2009 is repaid on its due day with its fee,
except one in twenty that is in arrears. The older funds had 150,000 yuan of fiscal seed
in the year they were established and no members recorded. The seed capital goes through
one county-level project (program ``mutual_fund``, area the county, no plan, no zone) per
county and year, funded by an appropriation of central funds at the province and an
allocation to the project, so no village or zone project's funds change.

The part draws from a random stream of its own (spawn key ``MUTUAL_STREAM``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import F

from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.credit.mutual.models import (
    FundLoan,
    FundOfficer,
    FundRepayment,
    FundSeed,
    FundWelfareSpending,
    Membership,
    MutualFund,
)
from fupin.demo.registry import Context, DemoUser, part
from fupin.funds.models import Account, Entry
from fupin.programs.models import Project

MUTUAL_STREAM = 62  # spawn key of the part's own random stream
YEAR = 2009
NEW_FUNDS = 60
NEW_COUNTIES = 39
FISCAL_PER_NEW_FUND = 300_000_00  # fen
FISCAL_PER_OLD_FUND = 150_000_00
MEMBER_HOUSEHOLDS = 11_856
TOTAL_ASSETS = 32_400_000_00
OLDER = {2006: 10, 2007: 36, 2008: 48}  # 94 funds established before 2009, still open
CLOSED = 2  # established in 2007, closed in 2008
SHARE = 100_00
CEILING, TERM, FEE_BP, WELFARE = 5_000_00, 12, 600, 10
PROVINCE = "230000000000"


@dataclass
class Mutual:
    funds: list[dict[str, Any]] = field(default_factory=list)
    seeds: list[dict[str, Any]] = field(default_factory=list)
    members: list[tuple[Any, ...]] = field(default_factory=list)
    officers: list[tuple[Any, ...]] = field(default_factory=list)
    loans: list[tuple[Any, ...]] = field(default_factory=list)
    repayments: list[tuple[Any, ...]] = field(default_factory=list)
    welfare: list[tuple[Any, ...]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def yuan(fen: int) -> str:
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def add_months(day: dt.date, months: int) -> dt.date:
    from fupin.credit.mutual.services import add_months as add

    return add(day, months)


def choose_villages(ctx: Context) -> tuple[list[str], list[str]]:
    """The 60 villages of 2009 (39 counties) and the 96 older ones."""
    households = ctx.generated["registry"].households
    size: dict[str, int] = defaultdict(int)
    for v in households.values("village_code").tolist():
        size[str(v)] += 1
    accepted = sorted(p["village"] for p in ctx.generated["programs"].plans if p["status"] == "accepted")
    by_county: dict[str, list[str]] = defaultdict(list)
    for v in accepted:
        by_county[v[:6]].append(v)
    for vs in by_county.values():
        vs.sort(key=lambda v: (-size[v], v))
    counties = sorted(by_county, key=lambda c: (-size[by_county[c][0]], c))[:NEW_COUNTIES]
    new = [by_county[c][0] for c in counties]
    rest = sorted((v for c in counties for v in by_county[c][1:]), key=lambda v: (-size[v], v))
    new += rest[: NEW_FUNDS - len(new)]
    if len(new) != NEW_FUNDS or len({v[:6] for v in new}) != NEW_COUNTIES:
        raise ValueError("the demo has too few accepted key villages for the mutual funds")
    taken = set(new)
    older = [v for v in accepted if v not in taken]
    step = max(1, len(older) // (sum(OLDER.values()) + CLOSED))
    older = older[::step][: sum(OLDER.values()) + CLOSED]
    return sorted(new), older


def generate(ctx: Context) -> Mutual:
    rng = ctx.rng(MUTUAL_STREAM)
    registry = ctx.generated["registry"]
    hh, persons = registry.households, registry.persons
    out = Mutual()
    new, older = choose_villages(ctx)
    fund_id, member_id, officer_id, loan_id = (
        next_id(MutualFund),
        next_id(Membership),
        next_id(FundOfficer),
        next_id(FundLoan),
    )

    hh_ids = hh.values("id")
    hh_village = hh.values("village_code").astype(str)
    hh_poor = hh.values("status") == "poor"
    in_village: dict[str, np.ndarray] = {}
    wanted = set(new) | set(older)
    for v in wanted:
        in_village[v] = np.flatnonzero(hh_village == v)
    hh_pos = {int(h): i for i, h in enumerate(hh_ids.tolist())}
    person_village = np.array([hh_village[hh_pos[int(h)]] for h in persons.values("household_id").tolist()])
    person_ids = persons.values("id")

    # --- members of the new funds: round(11,856 S), proportional to the villages' households
    n_members = round(MEMBER_HOUSEHOLDS * ctx.scale)
    sizes = np.array([len(in_village[v]) for v in new], dtype=np.int64)
    if sizes.sum() < n_members:
        raise ValueError(f"the mutual funds' villages hold {sizes.sum()} households for {n_members} members")
    quota = np.minimum(sizes, (sizes * n_members) // max(1, sizes.sum()))
    order = np.argsort(-(sizes - quota), kind="stable")
    while quota.sum() < n_members:
        for i in order:
            if quota.sum() == n_members:
                break
            if quota[i] < sizes[i]:
                quota[i] += 1

    def fund(code: str, established: dt.date, closed: dt.date | None, ceiling: int) -> dict[str, Any]:
        nonlocal fund_id
        f = {
            "id": fund_id,
            "code": f"HZ{code}",
            "name": f"{code}村级发展互助资金协会",
            "village": code,
            "established_on": established,
            "closed_on": closed,
            "ceiling": ceiling,
        }
        fund_id += 1
        out.funds.append(f)
        return f

    def officers(f: dict[str, Any]) -> None:
        nonlocal officer_id
        pool = np.flatnonzero(person_village == f["village"])
        chosen: list[int] = rng.choice(pool, size=min(5, len(pool)), replace=False).tolist() if len(pool) else []
        for k, p in enumerate(chosen):
            role = ["council_chair", "council", "council", "supervisor_chair", "supervisor"][k]
            out.officers.append((officer_id, f["id"], int(person_ids[p]), role, f["established_on"].isoformat()))
            officer_id += 1

    # --- the older funds ---------------------------------------------------------------------
    k = 0
    for year, n in OLDER.items():
        for _i in range(n):
            f = fund(older[k], _day(rng, dt.date(year, 4, 1), dt.date(year, 10, 31)), None, 3_000_00)
            out.seeds.append({"fund": f, "kind": "fiscal", "fen": FISCAL_PER_OLD_FUND, "on": f["established_on"]})
            officers(f)
            k += 1
    for _i in range(CLOSED):
        f = fund(older[k], _day(rng, dt.date(2007, 4, 1), dt.date(2007, 10, 31)), dt.date(2008, 12, 20), 3_000_00)
        out.seeds.append({"fund": f, "kind": "fiscal", "fen": FISCAL_PER_OLD_FUND, "on": f["established_on"]})
        k += 1

    # --- the new funds of 2009 ----------------------------------------------------------------------
    shares_fen = fees_fen = spent_fen = 0
    year_end = dt.date(YEAR, 12, 31)
    new_funds = []
    for v, want in zip(new, quota.tolist(), strict=True):
        f = fund(v, _day(rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 6, 30)), None, CEILING)
        new_funds.append(f)
        out.seeds.append({"fund": f, "kind": "fiscal", "fen": FISCAL_PER_NEW_FUND, "on": f["established_on"]})
        officers(f)
        idx = in_village[v]
        poor_first = np.concatenate([rng.permutation(idx[hh_poor[idx]]), rng.permutation(idx[~hh_poor[idx]])])
        fund_fees = 0
        lent = 0
        for i in np.sort(poor_first[:want]).tolist():
            poor = bool(hh_poor[i])
            shares = int(rng.integers(1, 6))
            paid = SHARE * (shares - (1 if poor else 0))
            joined = f["established_on"] + dt.timedelta(days=int(rng.integers(0, 21)))
            out.members.append((member_id, f["id"], int(hh_ids[i]), joined.isoformat(), shares, poor, yuan(paid), poor))
            shares_fen += paid
            if rng.random() < 1 / 3 and lent + CEILING <= FISCAL_PER_NEW_FUND:
                amount = int(rng.integers(10, 51)) * 100_00
                term = 6 if rng.random() < 0.5 else 12
                applied = joined + dt.timedelta(days=int(rng.integers(10, 60)))
                approved = applied + dt.timedelta(days=int(rng.integers(3, 10)))
                due = add_months(approved, term)
                repaid = due <= year_end and rng.random() >= 0.05
                lent += amount
                out.loans.append(
                    (
                        loan_id,
                        f["id"],
                        f"{YEAR}-{loan_id:06d}",
                        member_id,
                        applied.isoformat(),
                        yuan(amount),
                        term,
                        "6.00",
                        "种植养殖" if rng.random() < 0.7 else "小商贩经营",
                        "repaid" if repaid else "approved",
                        approved.isoformat(),
                        due.isoformat(),
                    )
                )
                if repaid:
                    fee = amount * FEE_BP * term // (12 * 10_000)
                    out.repayments.append((loan_id, due.isoformat(), yuan(amount), yuan(fee)))
                    fund_fees += fee
                loan_id += 1
            member_id += 1
        fees_fen += fund_fees
        drawn = fund_fees * WELFARE // 100
        if drawn // 2 > 0:
            out.welfare.append((f["id"], f"{YEAR}-12-31", yuan(drawn // 2), "村内道路维修"))
            spent_fen += drawn // 2

    # --- the donated seed makes the total assets of the new funds exact ------------------------
    other = TOTAL_ASSETS - NEW_FUNDS * FISCAL_PER_NEW_FUND - shares_fen - fees_fen + spent_fen
    if other <= 0:
        raise ValueError("the new mutual funds' shares and fees exceed their total assets")
    for j, f in enumerate(new_funds):
        part_fen = other // NEW_FUNDS + (1 if j < other % NEW_FUNDS else 0)
        out.seeds.append({"fund": f, "kind": "donation", "fen": part_fen, "on": f["established_on"]})

    out.counts = {
        "mutual_funds": len(out.funds),
        "mutual_members": len(out.members),
        "mutual_loans": len(out.loans),
    }
    return out


def _occupied() -> str | None:
    if MutualFund.objects.exists():
        return "Village mutual funds are already recorded; the demo loads into an empty database."
    return None


def _write(ctx: Context, mutual: Mutual) -> dict[str, int]:
    province = ctx.area_ids[PROVINCE]
    bulk_insert(
        MutualFund,
        [
            "id",
            "code",
            "name",
            "village_id",
            "established_on",
            "closed_on",
            "share_value",
            "loan_ceiling",
            "longest_term",
            "fee_rate",
            "welfare_share",
        ],
        (
            (
                f["id"],
                f["code"],
                f["name"],
                ctx.area_ids[f["village"]],
                f["established_on"].isoformat(),
                f["closed_on"].isoformat() if f["closed_on"] else None,
                yuan(SHARE),
                yuan(f["ceiling"]),
                TERM,
                "6.00",
                f"{WELFARE}.00",
            )
            for f in mutual.funds
        ),
    )
    # the county-level projects paying the fiscal seed, one per county and year, and their ledger
    project_id = next_id(Project)
    projects: dict[tuple[str, int], int] = {}
    budget: dict[int, int] = defaultdict(int)
    fiscal = [s for s in mutual.seeds if s["kind"] == "fiscal"]
    for s in fiscal:
        key = (s["fund"]["village"][:6] + "000000", s["on"].year)
        if key not in projects:
            projects[key] = project_id
            project_id += 1
        budget[projects[key]] += s["fen"]
    bulk_insert(
        Project,
        ["id", "code", "name", "program", "category", "area_id", "start_year", "end_year", "status", "budget", "note"],
        (
            (
                pid,
                f"HZ-{county[:6]}-{year}",
                "贫困村村级发展互助资金试点",
                "mutual_fund",
                "industry",
                ctx.area_ids[county],
                year,
                year,
                "completed",
                yuan(budget[pid]),
                "",
            )
            for (county, year), pid in sorted(projects.items(), key=lambda kv: kv[1])
        ),
    )
    entries: list[tuple[Any, ...]] = []
    accounts: dict[tuple[str, int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for year in sorted({y for _c, y in projects}):
        total = sum(budget[pid] for (_c, y), pid in projects.items() if y == year)
        entries.append(("appropriation", year, f"{year}-01-20", total, province, None, None))
        accounts[("area", province, year)]["received"] += total
    for (_county, year), pid in sorted(projects.items(), key=lambda kv: kv[1]):
        entries.append(("allocation", year, f"{year}-02-10", budget[pid], province, None, pid))
        accounts[("area", province, year)]["allocated"] += budget[pid]
        accounts[("project", pid, year)]["received"] += budget[pid]
    first_entry = next_id(Entry)
    seed_entry: list[int] = []
    for s in fiscal:
        pid = projects[(s["fund"]["village"][:6] + "000000", s["on"].year)]
        seed_entry.append(first_entry + len(entries))
        entries.append(
            (
                "disbursement",
                s["on"].year,
                s["on"].isoformat(),
                s["fen"],
                ctx.area_ids[s["fund"]["village"][:6] + "000000"],
                None,
                pid,
            )
        )
        accounts[("project", pid, s["on"].year)]["disbursed"] += s["fen"]
    bulk_insert(
        Entry,
        [
            "id",
            "number",
            "kind",
            "source",
            "year",
            "date",
            "amount",
            "area_id",
            "to_area_id",
            "project_id",
            "document",
            "note",
        ],
        (
            (
                first_entry + i,
                f"DEMO-HZ-{e[1]}-{i + 1:05d}",
                e[0],
                "central",
                e[1],
                e[2],
                yuan(e[3]),
                e[4],
                e[5],
                e[6],
                f"黑扶资〔{e[1]}〕互助{i + 1}号" if e[0] != "disbursement" else "",
                "",
            )
            for i, e in enumerate(entries)
        ),
    )
    new_accounts = []
    for (node, node_id, year), v in accounts.items():
        if node == "area":
            updated = Account.objects.filter(area_id=node_id, project__isnull=True, source="central", year=year).update(
                received=F("received") + Decimal(yuan(v["received"])),
                allocated=F("allocated") + Decimal(yuan(v["allocated"])),
            )
            if updated:
                continue
        new_accounts.append(
            (
                node_id if node == "area" else None,
                node_id if node == "project" else None,
                "central",
                year,
                yuan(v["received"]),
                yuan(v["allocated"]),
                yuan(v["disbursed"]),
            )
        )
    bulk_insert(
        Account, ["area_id", "project_id", "source", "year", "received", "allocated", "disbursed"], new_accounts
    )
    fiscal_ids = iter(seed_entry)
    bulk_insert(
        FundSeed,
        ["fund_id", "kind", "amount", "received_on", "donor", "entry_id"],
        (
            (
                s["fund"]["id"],
                s["kind"],
                yuan(s["fen"]),
                s["on"].isoformat(),
                "" if s["kind"] == "fiscal" else "省扶贫基金会及社会各界捐赠",
                next(fiscal_ids) if s["kind"] == "fiscal" else None,
            )
            for s in mutual.seeds
        ),
    )
    bulk_insert(
        Membership,
        ["id", "fund_id", "household_id", "joined_on", "shares", "base_paid_by_fund", "paid_in", "poor"],
        mutual.members,
    )
    bulk_insert(FundOfficer, ["id", "fund_id", "person_id", "role", "since"], mutual.officers)
    bulk_insert(
        FundLoan,
        [
            "id",
            "fund_id",
            "number",
            "member_id",
            "applied_on",
            "amount",
            "term_months",
            "fee_rate",
            "purpose",
            "status",
            "approved_on",
            "due_on",
            "written_off",
        ],
        ((*row, "0.00") for row in mutual.loans),
    )
    bulk_insert(FundRepayment, ["loan_id", "paid_on", "principal", "fee"], mutual.repayments)
    bulk_insert(FundWelfareSpending, ["fund_id", "spent_on", "amount", "purpose"], mutual.welfare)
    reset_sequences(
        MutualFund,
        FundSeed,
        Membership,
        FundOfficer,
        FundLoan,
        FundRepayment,
        FundWelfareSpending,
        Project,
        Entry,
        Account,
    )
    ctx.progress(
        f"mutual funds: {len(mutual.funds):,} funds, {len(mutual.members):,} members, {len(mutual.loans):,} loans"
    )
    return mutual.counts


def _users(ctx: Context) -> list[DemoUser]:
    mutual: Mutual = ctx.generated["mutual"]
    village = next(f["village"] for f in mutual.funds if f["established_on"].year == YEAR)
    return [DemoUser("mutual_clerk", "village", [village], "互助资金会计", False)]


def _describe(summary: Mapping[str, Any]) -> str:
    return f"{summary['mutual_funds']:,} mutual funds ({summary['mutual_members']:,} member households)"


part(
    "mutual",
    62,
    generate=generate,
    write=_write,
    occupied=_occupied,
    users=_users,
    analyze=(MutualFund, Membership, FundLoan, FundRepayment),
    describe=_describe,
)
