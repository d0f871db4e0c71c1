"""The discounted loans' part of the demo province (``fupin.demo.registry``, order 60): the
loan discount pilot, discounted loans to poor households, leading enterprises and projects,
their 2009 discounts computed by the rule (``credit.loans.rules``) and paid through the
funds ledger from one county-level discount project per county.

Exact figures of 2009, at every scale S:
- ``discount.poor_households`` = round(40,000 S): that many poor households (poor at the end
  of 2009, not returned, no exit under way) of the key villages each draw one loan in 2009;
- ``discount.villages`` = 3,024 at scale 1: 3,024 key villages are chosen and each gets one of
  the households first, the rest go at random to the chosen villages (at small scales, with
  fewer households than 3,024, they live in as many villages as there are households);
- ``discount.enterprises`` = ``industry.enterprises_supported`` = 17: the 17 leading
  enterprises of ``ctx.shared["industry.supported"]`` (the industry part's list of codes; if it
  is absent, the first 17 ``Enterprise`` rows by code; none: no enterprise loans) each draw one
  loan in 2009, 760,000,000 yuan in all (``industry.loans``), discounted at the pilot's 3 % for
  their days in 2009: 6,000,000.00 yuan exactly (``industry.discount_subsidy``; two loans' principal
  and days are solved for it);
- ``discount.projects`` = 41: 41 industry projects of the programs part (village projects of
  2009) each hold a one-year loan drawn on 1 January 2009, discounted for 365 days at 3 %;
- ``discount.funds`` = 12,000,000.00 = 6,000,000 (enterprises) + H(S) (households) + 6,000,000
  − H(S) (projects): household discounts are capped per household and scale with the
  households, so the projects' principals are chosen so that their discounts absorb the
  difference at every scale (the rule gives each project's discount to the fen).

Assumptions (no source gives them; docs/credit-loans.md): the pilot is the 64 task counties
(and the county of any supported enterprise outside them) from 2008 to 2010; households
borrow 2,000, 3,000 or 4,000 yuan for one year from the Agricultural Bank of China or a
rural credit cooperative, drawn from March to June 2009, at 5.31 % (the 2009 one-year
benchmark); 5 % repay in full in November or December 2009; enterprises borrow for two
years from a state bank at 5.31 %, projects for one year at 5.31 %. The year's discounts are
paid on 20 December 2009 from each county's discount project (program ``loan_discount``, at
the county), which receives them as central funds appropriated at the province and allocated
to it in June: these ledger entries are new, the programs' ledger is untouched (no village
nor zone project disburses them, so no ``evap.*`` or ``contiguous.*`` figure moves).

The part draws from a random stream of its own (spawn key ``LOANS_STREAM``) and writes only
its own tables, the discount projects and their ledger entries and accounts. Enterprise ids
are looked up when the part writes (after the industry part has written its enterprises)."""

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
from fupin.credit.loans import rules
from fupin.credit.loans.models import Discount, DiscountPayment, DiscountPilot, Loan, LoanRepayment
from fupin.demo.registry import Context, part
from fupin.funds.models import Account, Entry
from fupin.industry.models import Enterprise
from fupin.programs.models import Project

LOANS_STREAM = 60  # spawn key of the part's own random stream (its order)

YEAR = 2009
HOUSEHOLDS = 40_000
VILLAGES = 3_024
ENTERPRISES = 17
PROJECTS = 41
FUNDS_FEN = 12_000_000_00
ENTERPRISE_DISCOUNT_FEN = 6_000_000_00
ENTERPRISE_PRINCIPAL_FEN = 760_000_000_00
RATE = Decimal("3")  # the pilot's enterprise and project rate, % a year
LOAN_RATE = Decimal("5.31")  # the 2009 one-year benchmark lending rate
EARLY_REPAYMENT = 0.05
PROVINCE = "230000000000"
PAID_ON = dt.date(YEAR, 12, 20)
HOUSEHOLD_PRINCIPALS = (2_000, 3_000, 4_000)
HOUSEHOLD_LENDERS = ("中国农业银行", "农村信用合作社")
ENTERPRISE_LENDERS = ("中国农业银行", "中国建设银行", "中国工商银行", "国家开发银行")
# the first 15 enterprise loans: 45,000,000 yuan each, discounted for these days of 2009
FIXED_ENTERPRISE_FEN = 45_000_000_00
FIXED_ENTERPRISE_DAYS = (80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 102, 104, 106, 108)


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _fen(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _drawn_for_days(days: int) -> dt.date:
    """The day a loan is drawn to be outstanding ``days`` days of the year."""
    return dt.date(YEAR + 1, 1, 1) - dt.timedelta(days=days)


def _discount_fen(principal_fen: int, drawn: dt.date, matures: dt.date, rate: Decimal) -> int:
    amount, _days = rules.loan_discount(
        principal=_yuan(principal_fen), drawn=drawn, matures=matures, year=YEAR, rate=rate
    )
    return _fen(amount)


def enterprise_plan() -> list[tuple[int, dt.date, dt.date]]:
    """The 17 enterprise loans (principal in fen, drawn, matures): 15 fixed ones, and two
    whose principal and days are solved so that the principals add up to 760,000,000 yuan
    and the rule's discounts of 2009 to 6,000,000.00 yuan."""
    plan = []
    for days in FIXED_ENTERPRISE_DAYS:
        drawn = _drawn_for_days(days)
        plan.append((FIXED_ENTERPRISE_FEN, drawn, drawn.replace(year=drawn.year + 2)))
    got = sum(_discount_fen(p, d, m, RATE) for p, d, m in plan)
    left_fen = ENTERPRISE_PRINCIPAL_FEN - FIXED_ENTERPRISE_FEN * len(plan)
    target = ENTERPRISE_DISCOUNT_FEN - got
    # principal-days (in fen·days) the last two must hold: target = K · rate / 36,500
    k = Decimal(target) * Decimal(100 * rules.DAYS_IN_YEAR) / RATE
    d = int(k // left_fen)  # the first of the two: d + 1 days, the second: d days
    x = int(k - Decimal(left_fen) * d)  # fen of the first
    a_drawn, b_drawn = _drawn_for_days(d + 1), _drawn_for_days(d)
    for step in range(0, 200_000):
        for candidate in (x + step, x - step):
            if not 0 < candidate < left_fen:
                continue
            a = _discount_fen(candidate, a_drawn, a_drawn.replace(year=a_drawn.year + 2), RATE)
            b = _discount_fen(left_fen - candidate, b_drawn, b_drawn.replace(year=b_drawn.year + 2), RATE)
            if a + b == target:
                plan.append((candidate, a_drawn, a_drawn.replace(year=a_drawn.year + 2)))
                plan.append((left_fen - candidate, b_drawn, b_drawn.replace(year=b_drawn.year + 2)))
                return plan
    raise ValueError("no enterprise loans give the discount exactly")


@dataclass
class Loans:
    pilots: list[str] = field(default_factory=list)  # county codes
    # (code, kind, household_id, project_id, area_code, lender, principal fen, rate, drawn, matures)
    loans: list[tuple[Any, ...]] = field(default_factory=list)
    repayments: list[tuple[str, dt.date, int]] = field(default_factory=list)  # loan code, date, fen
    enterprise_loans: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def generate(ctx: Context) -> Loans:
    rng = ctx.rng(LOANS_STREAM)
    households = ctx.generated["registry"].households
    out = Loans(pilots=sorted(ctx.structure.task_counties))
    n = round(HOUSEHOLDS * ctx.scale)

    # --- households: poor all through 2009, in the key villages --------------------------
    key = np.array(sorted(ctx.structure.key_villages))
    village = households.values("village_code")
    eligible = (
        (households.values("status") == "poor")
        & ~households.values("returned").astype(bool)
        & (households.values("procedure") != "exit")
        & np.isin(village, key)
    )
    pool = np.flatnonzero(eligible)
    with_poor = np.unique(village[pool])
    if n >= VILLAGES and len(with_poor) < VILLAGES:
        raise ValueError(f"the demo has {len(with_poor)} key villages with poor households for {VILLAGES}")
    chosen = np.sort(rng.choice(with_poor, size=min(VILLAGES, len(with_poor)), replace=False))
    pool = pool[np.isin(village[pool], chosen)]
    if len(pool) < n:
        raise ValueError(f"the demo has {len(pool)} poor households for {n} discounted loans")
    order = rng.permutation(pool)
    _first, first_index = np.unique(village[order], return_index=True)
    firsts = order[np.sort(first_index)]
    rest = np.setdiff1d(order, firsts, assume_unique=True)
    picked = np.concatenate([firsts, rng.permutation(rest)])[:n]
    picked = np.sort(picked)
    ids = households.values("id")
    codes = households.values("code")
    household_fen = 0
    starts = (dt.date(YEAR, 3, 1) - dt.date(1970, 1, 1)).days
    span = (dt.date(YEAR, 6, 30) - dt.date(YEAR, 3, 1)).days + 1
    for i in picked.tolist():
        drawn = dt.date(1970, 1, 1) + dt.timedelta(days=starts + int(rng.integers(0, span)))
        matures = drawn.replace(year=YEAR + 1)
        principal = HOUSEHOLD_PRINCIPALS[int(rng.integers(0, len(HOUSEHOLD_PRINCIPALS)))] * 100
        code = f"TXD{YEAR}-{codes[i]}"
        repay: list[tuple[dt.date, Decimal]] = []
        if rng.random() < EARLY_REPAYMENT:
            on = dt.date(YEAR, 11, 1) + dt.timedelta(days=int(rng.integers(0, 50)))
            out.repayments.append((code, on, principal))
            repay = [(on, _yuan(principal))]
        amount, _days = rules.loan_discount(
            principal=_yuan(principal),
            drawn=drawn,
            matures=matures,
            year=YEAR,
            rate=rules.HOUSEHOLD_RATE,
            repayments=repay,
            basis=min(_yuan(principal), rules.HOUSEHOLD_CAP),
        )
        household_fen += _fen(amount)
        lender = HOUSEHOLD_LENDERS[int(rng.integers(0, len(HOUSEHOLD_LENDERS)))]
        out.loans.append(
            (code, "household", int(ids[i]), None, str(village[i]), lender, principal, LOAN_RATE, drawn, matures)
        )
    project_fen = FUNDS_FEN - ENTERPRISE_DISCOUNT_FEN - household_fen
    if project_fen < PROJECTS * 100:
        raise ValueError("the household discounts leave too little for the projects' discounts")

    # --- projects: 41 industry projects of 2009 hold a one-year loan each ---------------------
    candidates = [
        p
        for p in ctx.generated["programs"].projects
        if p["category"] == "industry"
        and p["start_year"] <= YEAR <= p["end_year"]
        and p["area"][:6] + "000000" in out.pilots
    ]
    if len(candidates) < PROJECTS:
        raise ValueError(f"the demo has {len(candidates)} industry projects for {PROJECTS} discounted loans")
    projects = sorted(
        (candidates[int(i)] for i in rng.choice(len(candidates), size=PROJECTS, replace=False)),
        key=lambda p: p["code"],
    )
    drawn, matures = dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 1)
    for j, p in enumerate(projects):
        target = project_fen // PROJECTS + (1 if j < project_fen % PROJECTS else 0)
        principal = round(target * 100 / 3)
        while _discount_fen(principal, drawn, matures, RATE) < target:
            principal += 1
        while _discount_fen(principal, drawn, matures, RATE) > target:
            principal -= 1
        out.loans.append(
            (
                f"TXX{YEAR}-{p['code']}",
                "project",
                None,
                p["id"],
                p["area"],
                "中国农业银行",
                principal,
                LOAN_RATE,
                drawn,
                matures,
            )
        )
    out.enterprise_loans = enterprise_plan()
    out.counts = {"discount_loans": len(out.loans) + ENTERPRISES, "discounted_households": n}
    return out


def _supported(ctx: Context) -> list[Enterprise]:
    codes = ctx.shared.get("industry.supported")
    if codes is not None:
        found = {e.code: e for e in Enterprise.objects.filter(code__in=list(codes)).select_related("county")}
        return [found[c] for c in codes if c in found][:ENTERPRISES]
    return list(Enterprise.objects.select_related("county").order_by("code")[:ENTERPRISES])


def _write(ctx: Context, generated: Loans) -> dict[str, int]:
    ids = ctx.area_ids
    enterprises = _supported(ctx)
    loans = list(generated.loans)
    for k, (enterprise, (principal, drawn, matures)) in enumerate(
        zip(enterprises, generated.enterprise_loans, strict=False)
    ):
        lender = ENTERPRISE_LENDERS[k % len(ENTERPRISE_LENDERS)]
        loans.append(
            (
                f"TXQ{YEAR}-{enterprise.code}",
                "enterprise",
                None,
                None,
                enterprise.county.code,
                lender,
                principal,
                LOAN_RATE,
                drawn,
                matures,
                enterprise.pk,
            )
        )
    counties = sorted({*generated.pilots, *(e.county.code for e in enterprises)})

    # pilots
    pilot_id = next_id(DiscountPilot)
    pilot_of = {c: pilot_id + i for i, c in enumerate(counties)}
    bulk_insert(
        DiscountPilot,
        ["id", "area_id", "first_year", "last_year", "rate", "note"],
        ((pilot_of[c], ids[c], YEAR - 1, YEAR + 1, str(RATE), "扶贫贴息贷款改革试点县") for c in counties),
    )

    # loans and repayments
    loan_id = next_id(Loan)
    loan_rows, loan_ids = [], {}
    for i, row in enumerate(loans):
        code, kind, household_id, project_id, area_code, lender, principal, rate, drawn, matures = row[:10]
        enterprise_id = row[10] if len(row) > 10 else None
        loan_ids[code] = loan_id + i
        loan_rows.append(
            (
                loan_id + i,
                code,
                kind,
                household_id,
                enterprise_id,
                project_id,
                ids[area_code],
                lender,
                str(_yuan(principal)),
                str(rate),
                drawn.isoformat(),
                matures.isoformat(),
                "",
            )
        )
    bulk_insert(
        Loan,
        [
            "id",
            "code",
            "kind",
            "household_id",
            "enterprise_id",
            "project_id",
            "area_id",
            "lender",
            "principal",
            "rate",
            "drawn_on",
            "matures_on",
            "purpose",
        ],
        loan_rows,
    )
    repaid = defaultdict(list)
    for code, on, fen in generated.repayments:
        repaid[code].append((on, _yuan(fen)))
    bulk_insert(
        LoanRepayment,
        ["loan_id", "paid_on", "amount"],
        ((loan_ids[code], on.isoformat(), str(_yuan(fen))) for code, on, fen in generated.repayments),
    )

    # discounts by county, computed by the rule
    by_county: dict[str, list[tuple[int, int, Decimal, int, Decimal, int]]] = defaultdict(list)
    for row in loans:
        code, kind, _h, _p, area_code, _l, principal, _r, drawn, matures = row[:10]
        county = area_code[:6] + "000000"
        rate = rules.HOUSEHOLD_RATE if kind == "household" else RATE
        basis = min(_yuan(principal), rules.HOUSEHOLD_CAP) if kind == "household" else _yuan(principal)
        amount, days = rules.loan_discount(
            principal=_yuan(principal),
            drawn=drawn,
            matures=matures,
            year=YEAR,
            rate=rate,
            repayments=repaid.get(code, []),
            basis=basis,
        )
        if amount > 0:
            by_county[county].append((loan_ids[code], pilot_of[county], basis, days, rate, _fen(amount)))

    # one discount project per county, its funds appropriated at the province and allocated to it
    project_id = next_id(Project)
    project_rows: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    payments: list[tuple[Any, ...]] = []
    discounts: list[tuple[Any, ...]] = []
    payment_id = next_id(DiscountPayment)
    entry_id = next_id(Entry)
    accounts: dict[int, int] = {}
    province = ids[PROVINCE]
    for i, county in enumerate(sorted(by_county)):
        total = sum(d[-1] for d in by_county[county])
        pid = project_id + i
        project_rows.append(
            (
                pid,
                f"TX{YEAR}-{county[:6]}",
                f"{county[:6]}扶贫贴息贷款贴息",
                "loan_discount",
                "industry",
                ids[county],
                YEAR,
                YEAR,
                "completed",
                str(_yuan(total)),
                "",
            )
        )
        yuan_text = str(_yuan(total))
        number = len(entries)
        entries += [
            (
                entry_id + number,
                f"DEMO-TX-{YEAR}-{number + 1:06d}",
                "appropriation",
                "central",
                YEAR,
                f"{YEAR}-06-01",
                yuan_text,
                province,
                None,
                None,
                f"黑扶贴〔{YEAR}〕{i + 1}号",
                "",
            ),
            (
                entry_id + number + 1,
                f"DEMO-TX-{YEAR}-{number + 2:06d}",
                "allocation",
                "central",
                YEAR,
                f"{YEAR}-06-15",
                yuan_text,
                province,
                None,
                pid,
                f"黑扶贴〔{YEAR}〕{i + 1}号",
                "",
            ),
            (
                entry_id + number + 2,
                f"DEMO-TX-{YEAR}-{number + 3:06d}",
                "disbursement",
                "central",
                YEAR,
                PAID_ON.isoformat(),
                yuan_text,
                ids[county],
                None,
                pid,
                f"TX{YEAR}-{county[:6]}",
                "贴息",
            ),
        ]
        accounts[pid] = total
        payments.append((payment_id + i, pid, YEAR, entry_id + number + 2, yuan_text))
        for loan, pilot, basis, days, rate, fen in by_county[county]:
            discounts.append((loan, YEAR, pilot, str(basis), days, str(rate), str(_yuan(fen)), payment_id + i))
    bulk_insert(
        Project,
        ["id", "code", "name", "program", "category", "area_id", "start_year", "end_year", "status", "budget", "note"],
        project_rows,
    )
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
        entries,
    )
    total_fen = sum(accounts.values())
    account = Account.objects.filter(area_id=province, project__isnull=True, source="central", year=YEAR)
    if account.exists():
        account.update(received=F("received") + _yuan(total_fen), allocated=F("allocated") + _yuan(total_fen))
    elif total_fen:
        Account.objects.create(
            area_id=province, source="central", year=YEAR, received=_yuan(total_fen), allocated=_yuan(total_fen)
        )
    bulk_insert(
        Account,
        ["project_id", "source", "year", "received", "allocated", "disbursed"],
        ((pid, "central", YEAR, str(_yuan(fen)), "0", str(_yuan(fen))) for pid, fen in accounts.items()),
    )
    bulk_insert(DiscountPayment, ["id", "project_id", "year", "entry_id", "amount"], payments)
    bulk_insert(Discount, ["loan_id", "year", "pilot_id", "basis", "days", "rate", "amount", "payment_id"], discounts)
    reset_sequences(DiscountPilot, Loan, LoanRepayment, Project, Entry, Account, DiscountPayment, Discount)
    ctx.progress(f"loans: {len(loans):,} discounted loans, {len(discounts):,} discounts of {YEAR}")
    return {
        "discount_loans": len(loans),
        "discounted_households": generated.counts["discounted_households"],
        "loan_discounts": len(discounts),
    }


def _occupied() -> str | None:
    if Loan.objects.exists() or DiscountPilot.objects.exists():
        return "Discounted loans are already recorded; the demo loads into an empty database."
    return None


def _describe(summary: Mapping[str, Any]) -> str:
    return f"{summary['discount_loans']:,} discounted loans"


part(
    "loans",
    60,
    generate=generate,
    write=_write,
    occupied=_occupied,
    analyze=(Loan, Discount, LoanRepayment),
    describe=_describe,
)
