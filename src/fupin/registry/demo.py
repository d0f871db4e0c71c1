"""Deterministic generation of the demo province's registry at the end of 2009.

Everything is vectorised with NumPy (one seeded Generator), so ``--scale 1`` (about 1.4
million households and 4.3 million people) is generated in seconds. The result is a set
of column arrays per table, written through the bulk path. It is the registry's part of the
demo province (``fupin.demo.registry``, docs/adding-an-app.md "demo").

Exact figures (at scale S, rounded half to even by Python's ``round``):
- poor households at year end: round(692,000 S); their members: round(2,130,000 S);
- people in households whose exit was recorded by the end of 2009: round(2,150,000 S)
  (exited households, and the poor households that exited and later returned);
- non-poor households in the key villages: round(62,680 S) (20 per key village).

The 两不愁三保障 items (and safe drinking water) come from a second Generator of their own
(``assurances``), so adding or changing them leaves every other column as it was.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Model

from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.demo.registry import Context, part
from fupin.demo.structure import Structure
from fupin.demo.tables import Table, table_rows
from fupin.geo.models import AdminArea
from fupin.registry.choices import ASSURANCE_FIELDS
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent

POOR_HOUSEHOLDS = 692_000
POOR_PEOPLE = 2_130_000
LIFTED_PEOPLE = 2_150_000
NON_POOR_PER_KEY_VILLAGE = 20
LINE_FEN = {2008: 119_600, 2009: 119_600}
# per capita net income of the villages that completed entire village advancement (seed)
ADVANCED_INCOME_FEN = 260_000
YEAR_END = dt.date(2009, 12, 31)
EPOCH = np.datetime64("1970-01-01", "D")
NO_DATE = -(10**6)

SIZE_P = np.array([0.0, 0.09, 0.25, 0.31, 0.21, 0.09, 0.04, 0.01])  # sizes 0..7

CAUSES = [
    "ILLNESS",
    "DISABILITY",
    "SCHOOLING",
    "DISASTER",
    "NO_LAND",
    "NO_WATER",
    "NO_SKILLS",
    "NO_LABOUR",
    "NO_CAPITAL",
    "POOR_TRANSPORT",
    "LOW_MOTIVATION",
    "OTHER",
]
CAUSE_P = np.array([0.22, 0.08, 0.06, 0.07, 0.05, 0.03, 0.12, 0.12, 0.16, 0.03, 0.04, 0.02])

# --- 两不愁三保障 and safe drinking water ---------------------------------------------------
ASSURANCE_STREAM = 1  # spawn key of the items' own random stream
# chance of not being assured in each item (order of ASSURANCE_FIELDS) for a poor, an
# exited and a non-poor household, before the causes and members adjust it
DEPRIVED_P = np.array(
    [
        [0.05, 0.04, 0.10, 0.10, 0.16, 0.14],  # poor
        [0.004, 0.003, 0.01, 0.01, 0.02, 0.02],  # exited: exit needs them assured
        [0.003, 0.002, 0.008, 0.008, 0.015, 0.015],  # non-poor
    ]
)
# how a cause of poverty (main or secondary) multiplies those chances
CAUSE_EFFECT = {
    "ILLNESS": {"assured_medical": 3.0, "assured_housing": 1.5, "assured_food": 1.5},
    "DISABILITY": {"assured_medical": 2.0, "assured_housing": 1.3, "assured_clothing": 1.3},
    "SCHOOLING": {"assured_education": 4.0},
    "DISASTER": {"assured_housing": 3.0, "assured_food": 2.0, "assured_clothing": 2.0},
    "NO_WATER": {"assured_water": 5.0},
    "NO_LABOUR": {"assured_food": 1.8, "assured_clothing": 1.8, "assured_housing": 1.3},
    "POOR_TRANSPORT": {"assured_water": 1.5, "assured_education": 1.3},
    "LOW_MOTIVATION": {"assured_housing": 1.3, "assured_food": 1.3},
}

SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏辉建国春梅海燕雪峰德福宝山淑珍凤琴文志永成金凤玉珍桂芝振海庆丰长江"
)
UNITS = [
    "县扶贫办",
    "县农业局",
    "县财政局",
    "县教育局",
    "县卫生局",
    "县交通局",
    "乡政府",
    "县民政局",
    "县水务局",
]
POSTS = ["科员", "副科长", "科长", "副局长", "驻村干部", "包村干部"]


@dataclass
class Demo:
    households: Table
    causes: Table
    helpers: Table
    persons: Table
    incomes: Table
    events: Table
    counts: dict[str, int]


def _sizes(rng: np.random.Generator, n: int, total: int, low: int = 1, high: int = 7) -> np.ndarray:
    """n household sizes in [low, high] that add up to exactly ``total``."""
    if n == 0:
        if total:
            raise ValueError("people without households")
        return np.zeros(0, dtype=np.int64)
    if not n * low <= total <= n * high:
        raise ValueError(f"cannot make {n} households of {total} people")
    sizes = rng.choice(np.arange(8), size=n, p=SIZE_P).clip(low, high)
    diff = total - int(sizes.sum())
    while diff:
        step = 1 if diff > 0 else -1
        room = np.flatnonzero(sizes < high) if step > 0 else np.flatnonzero(sizes > low)
        pick = rng.choice(room, size=min(abs(diff), len(room)), replace=False)
        sizes[pick] += step
        diff -= step * len(pick)
    return sizes


def _date(days: np.ndarray) -> np.ndarray:
    dates = EPOCH + days.astype("timedelta64[D]")
    return np.where(days == NO_DATE, np.datetime64("NaT"), dates)


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _uniform_days(rng: np.random.Generator, n: int, first: dt.date, last: dt.date) -> np.ndarray:
    return rng.integers(_days(first), _days(last) + 1, size=n)


def _in_year(rng: np.random.Generator, years: np.ndarray, first=(3, 1), last=(12, 15)) -> np.ndarray:
    start = np.array([_days(dt.date(int(y), *first)) for y in range(2000, 2011)])
    end = np.array([_days(dt.date(int(y), *last)) for y in range(2000, 2011)])
    i = years - 2000
    return start[i] + (rng.random(len(years)) * (end[i] - start[i])).astype(np.int64)


def _chain_dates(rng: np.random.Generator, approve: np.ndarray) -> np.ndarray:
    """Dates of the six steps (apply..approve) ending at ``approve``; shape (n, 6)."""
    n = len(approve)
    d = np.empty((n, 6), dtype=np.int64)
    d[:, 5] = approve
    d[:, 4] = d[:, 5] - rng.integers(7, 15, n)  # second notice stands at least 7 days
    d[:, 3] = d[:, 4] - rng.integers(1, 6, n)
    d[:, 2] = d[:, 3] - rng.integers(7, 15, n)  # first notice stands at least 7 days
    d[:, 1] = d[:, 2] - rng.integers(1, 6, n)
    d[:, 0] = d[:, 1] - rng.integers(3, 21, n)
    return d


VOCAB = np.array(
    [
        "",
        "identification",
        "exit",
        "return",
        "apply",
        "appraise",
        "first_notice",
        "review",
        "second_notice",
        "approve",
        "applied",
        "appraised",
        "notice_1",
        "reviewed",
        "notice_2",
        "poor",
        "exited",
        "non_poor",
    ]
)
CODE = {v: i for i, v in enumerate(VOCAB.tolist())}

CHAIN = [  # action, stage before, stage after
    ("apply", "", "applied"),
    ("appraise", "applied", "appraised"),
    ("first_notice", "appraised", "notice_1"),
    ("review", "notice_1", "reviewed"),
    ("second_notice", "reviewed", "notice_2"),
    ("approve", "notice_2", ""),
]


def generate(
    structure: Structure,
    *,
    scale: float,
    seed: int,
    first_household_id: int = 1,
    first_person_id: int = 1,
    advanced_villages: np.ndarray | None = None,
) -> Demo:
    rng = np.random.default_rng(seed)
    n_poor = round(POOR_HOUSEHOLDS * scale)
    p_poor = round(POOR_PEOPLE * scale)
    p_lifted = round(LIFTED_PEOPLE * scale)
    n_non_poor = round(NON_POOR_PER_KEY_VILLAGE * len(structure.key_villages) * scale)
    counties = structure.task_counties
    if n_poor < len(counties):
        raise ValueError(f"scale {scale} gives {n_poor} poor households, fewer than the {len(counties)} counties")

    # --- villages and their weights --------------------------------------------------
    key = set(structure.key_villages)
    villages = np.array([v for c in counties for v in sorted(structure.villages_by_county[c])])
    weights = np.array([3.0 if v in key else 1.0 for v in villages])
    weights /= weights.sum()
    county_first_village = {c: sorted(structure.villages_by_county[c])[0] for c in counties}
    village_index = {v: i for i, v in enumerate(villages)}
    key_villages = np.array(structure.key_villages)

    def place(n: int, one_per_county: bool = False) -> np.ndarray:
        if one_per_county:
            fixed = np.array([village_index[county_first_village[c]] for c in counties])
            rest = rng.choice(len(villages), size=n - len(fixed), p=weights)
            return np.concatenate([fixed, rest])
        return rng.choice(len(villages), size=n, p=weights)

    # --- poor households (some returned) ---------------------------------------------
    poor_sizes = _sizes(rng, n_poor, p_poor)
    poor_village = villages[place(n_poor, one_per_county=True)]
    returned = np.zeros(n_poor, dtype=bool)
    returned[rng.choice(n_poor, size=round(n_poor * 0.01), replace=False)] = True
    exit_pending = np.zeros(n_poor, dtype=bool)
    candidates = np.flatnonzero(~returned)
    exit_pending[rng.choice(candidates, size=round(n_poor * 0.01), replace=False)] = True

    # --- exited households: their people plus the returned ones' make the lifted total --
    p_exited = p_lifted - int(poor_sizes[returned].sum())
    n_exited = max(1, round(p_exited / 3.1)) if p_exited > 0 else 0
    n_exited = min(max(n_exited, -(-p_exited // 7)), p_exited)
    exited_sizes = _sizes(rng, n_exited, p_exited)
    exited_village = villages[place(n_exited)]

    # --- non-poor households in the key villages -------------------------------------
    non_poor_sizes = rng.choice(np.arange(8), size=n_non_poor, p=SIZE_P).clip(1, 7)
    non_poor_village = key_villages[rng.integers(0, len(key_villages), n_non_poor)]
    id_pending = np.zeros(n_non_poor, dtype=bool)
    id_pending[rng.choice(n_non_poor, size=round(n_non_poor * 0.05), replace=False)] = True

    # --- all households ---------------------------------------------------------------
    kind = np.concatenate([np.full(n_poor, 0), np.full(n_exited, 1), np.full(n_non_poor, 2)])  # 0 poor 1 exited 2 np
    sizes = np.concatenate([poor_sizes, exited_sizes, non_poor_sizes]).astype(np.int64)
    village = np.concatenate([poor_village, exited_village, non_poor_village])
    is_returned = np.concatenate([returned, np.zeros(n_exited + n_non_poor, dtype=bool)])
    is_exit_pending = np.concatenate([exit_pending, np.zeros(n_exited + n_non_poor, dtype=bool)])
    is_id_pending = np.concatenate([np.zeros(n_poor + n_exited, dtype=bool), id_pending])
    n = len(kind)
    # order households by village so that codes run 0001.. within each village
    order = np.lexsort((rng.random(n), village))
    kind, sizes, village = kind[order], sizes[order], village[order]
    is_returned, is_exit_pending, is_id_pending = (
        is_returned[order],
        is_exit_pending[order],
        is_id_pending[order],
    )
    hh_id = np.arange(first_household_id, first_household_id + n)
    starts = np.r_[0, np.flatnonzero(village[1:] != village[:-1]) + 1]
    seq = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    codes = np.char.add(village.astype("U12"), np.char.zfill((seq + 1).astype("U4"), 4))

    poorish = kind != 2
    cause_idx = rng.choice(len(CAUSES), n, p=CAUSE_P)
    main_cause = np.where(poorish, np.array(CAUSES)[cause_idx], "")
    main_idx = np.where(poorish, cause_idx, -1)
    head_age = np.where(sizes == 1, rng.integers(55, 86, n), rng.integers(26, 72, n))
    wubao = poorish & (sizes == 1) & (head_age >= 60) & (rng.random(n) < 0.5)
    dibao = poorish & ~wubao & (rng.random(n) < 0.22)
    ordinary = poorish & ~wubao & (~dibao | (rng.random(n) < 0.3))
    has_phone = rng.random(n) < 0.35
    phones = np.where(has_phone, np.char.add("13", rng.integers(100_000_000, 999_999_999, n).astype("U9")), "")
    group = rng.integers(1, 9, n)
    house_no = rng.integers(1, 120, n)
    address = np.char.add(np.char.add(group.astype("U1"), "组"), np.char.add(house_no.astype("U3"), "号"))

    # --- status histories ---------------------------------------------------------------
    # identification year; exit year; return in 2009
    id_year = rng.choice(np.arange(2001, 2010), n, p=np.array([18, 14, 12, 10, 10, 9, 9, 9, 9]) / 100)
    exit_year = np.zeros(n, dtype=np.int64)
    ex = kind == 1
    exit_year[ex] = rng.choice(np.arange(2002, 2010), int(ex.sum()), p=np.array([6, 8, 10, 12, 14, 15, 17, 18]) / 100)
    id_year[ex] = rng.integers(2001, exit_year[ex]) if ex.any() else id_year[ex]
    id_year[is_returned] = rng.integers(2001, 2004, int(is_returned.sum()))
    exit_year[is_returned] = rng.integers(2005, 2008, int(is_returned.sum()))
    id_year[is_exit_pending] = np.minimum(id_year[is_exit_pending], 2008)

    events: dict[str, list[np.ndarray]] = {
        k: [] for k in ["hh", "procedure", "action", "date", "sb", "sa", "stb", "sta"]
    }

    def add_chain(
        mask: np.ndarray,
        procedure: str,
        status_from: str,
        status_to: str,
        *,
        approve: np.ndarray | None = None,
        last: np.ndarray | None = None,
        steps: np.ndarray | None = None,
    ) -> np.ndarray:
        """Append the events of one procedure for the households in ``mask``; returns the
        date of each household's last step. A complete chain ends with county approval on
        ``approve``; an open one has done ``steps`` (1..5) steps, the last on ``last``."""
        idx = np.flatnonzero(mask)
        rows = np.arange(len(idx))
        k = np.full(len(idx), 6) if steps is None else steps
        if approve is not None:
            dates = _chain_dates(rng, approve)
        else:
            dates = _chain_dates(rng, np.zeros(len(idx), dtype=np.int64))
            dates += (last - dates[rows, k - 1])[:, None]
        for j, (action, sb, sa) in enumerate(CHAIN):
            m = k > j
            cnt = int(m.sum())
            events["hh"].append(hh_id[idx[m]])
            events["procedure"].append(np.full(cnt, CODE[procedure], dtype=np.int8))
            events["action"].append(np.full(cnt, CODE[action], dtype=np.int8))
            events["date"].append(dates[m, j])
            events["sb"].append(np.full(cnt, CODE[sb], dtype=np.int8))
            events["sa"].append(np.full(cnt, CODE[sa], dtype=np.int8))
            events["stb"].append(np.full(cnt, CODE[status_from], dtype=np.int8))
            events["sta"].append(np.full(cnt, CODE[status_to if j == 5 else status_from], dtype=np.int8))
        return dates[rows, k - 1]

    status = np.where(kind == 0, "poor", np.where(kind == 1, "exited", "non_poor")).astype("U8")
    procedure = np.full(n, "", dtype="U14")
    stage = np.full(n, "", dtype="U9")
    stage_date = np.full(n, NO_DATE, dtype=np.int64)

    ident = poorish
    last = add_chain(ident, "identification", "non_poor", "poor", approve=_in_year(rng, id_year[ident]))
    stage_date[ident] = last
    exits = (kind == 1) | is_returned
    last = add_chain(exits, "exit", "poor", "exited", approve=_in_year(rng, exit_year[exits]))
    stage_date[exits] = last
    ret = is_returned
    last = add_chain(
        ret,
        "return",
        "exited",
        "poor",
        approve=_in_year(rng, np.full(int(ret.sum()), 2009), (4, 1), (11, 30)),
    )
    stage_date[ret] = last

    stage_names = np.array(["", "applied", "appraised", "notice_1", "reviewed", "notice_2"])
    for mask, proc, status_from in (
        (is_exit_pending, "exit", "poor"),
        (is_id_pending, "identification", "non_poor"),
    ):
        cnt = int(mask.sum())
        steps = rng.integers(1, 6, cnt)  # 1..5 steps done: the procedure is still open
        last = add_chain(
            mask,
            proc,
            status_from,
            status_from,
            steps=steps,
            last=_uniform_days(rng, cnt, dt.date(2009, 10, 8), dt.date(2009, 12, 28)),
        )
        procedure[mask] = proc
        stage[mask] = stage_names[steps]
        stage_date[mask] = last

    # --- secondary causes ----------------------------------------------------------------
    n_sec = np.where(poorish, rng.choice([0, 1, 2], n, p=[0.45, 0.4, 0.15]), 0)
    sec_hh = np.repeat(np.arange(n), n_sec)
    first = rng.choice(len(CAUSES), len(sec_hh), p=CAUSE_P)
    offset = rng.integers(1, len(CAUSES), len(sec_hh))
    second = np.where(first == main_idx[sec_hh], (first + offset) % len(CAUSES), first)
    pairs = np.unique(np.stack([sec_hh, second], axis=1), axis=0)
    causes = Table(
        ["household_id", "cause"],
        {
            "household_id": hh_id[pairs[:, 0]],
            "cause": np.array(CAUSES)[pairs[:, 1]],
        },
    )

    # --- helpers: one per poor household ----------------------------------------------------
    helped = np.flatnonzero(kind == 0)
    m = len(helped)
    helpers = Table(
        ["household_id", "name", "unit", "post", "phone"],
        {
            "household_id": hh_id[helped],
            "name": _names(rng, m),
            "unit": np.array(UNITS)[rng.integers(0, len(UNITS), m)],
            "post": np.array(POSTS)[rng.integers(0, len(POSTS), m)],
            "phone": np.char.add("13", rng.integers(100_000_000, 999_999_999, m).astype("U9")),
        },
    )

    # --- members --------------------------------------------------------------------------
    persons = _persons(rng, hh_id, sizes, village, head_age, first_person_id)

    # --- incomes 2008 and 2009 -------------------------------------------------------------
    line = LINE_FEN[2009]
    below = lambda k: rng.integers(40_000, line - 100, k)  # noqa: E731
    above = lambda k: rng.integers(line + 2_000, 3 * line, k)  # noqa: E731
    pc09 = np.where(kind == 2, rng.integers(2 * line, 6 * line, n), above(n))
    pc08 = np.where(kind == 2, rng.integers(2 * line, 6 * line, n), above(n))
    poor_now = kind == 0
    pc09[poor_now & ~is_exit_pending] = below(int((poor_now & ~is_exit_pending).sum()))
    pc08[poor_now] = below(int(poor_now.sum()))
    pc09[is_id_pending] = below(int(is_id_pending.sum()))
    pc08[is_id_pending] = below(int(is_id_pending.sum()))
    exited_2009 = (kind == 1) & (exit_year == 2009)
    pc08[exited_2009] = below(int(exited_2009.sum()))
    pc08[is_returned] = above(int(is_returned.sum()))  # exited in 2005-2007, returned in 2009
    extra09 = np.zeros(n, dtype=np.int64)
    if advanced_villages is not None:
        extra09 = _advanced_income(pc09, sizes, np.isin(village, advanced_villages), (kind == 2) & ~is_id_pending)
    incomes = _incomes(rng, hh_id, sizes, {2008: pc08, 2009: pc09}, dibao, wubao, extra={2009: extra09})
    assured = assurances(
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(ASSURANCE_STREAM,))),
        kind=kind,
        main_idx=main_idx,
        causes=pairs,
        persons=persons,
        first_household_id=first_household_id,
        wubao=wubao,
    )

    households = Table(
        [
            "id",
            "code",
            "village_id",
            "address",
            "phone",
            "type_ordinary",
            "type_dibao",
            "type_wubao",
            "main_cause",
            "status",
            "returned",
            "procedure",
            "stage",
            "stage_date",
            *ASSURANCE_FIELDS,
        ],
        {
            "id": hh_id,
            "code": codes,
            "village_code": village,
            "address": address,
            "phone": phones,
            "type_ordinary": ordinary,
            "type_dibao": dibao,
            "type_wubao": wubao,
            "main_cause": main_cause,
            "status": status,
            "returned": is_returned,
            "procedure": procedure,
            "stage": stage,
            "stage_date": _date(stage_date),
            **assured,
        },
    )
    ev = {k: np.concatenate(v) for k, v in events.items()}
    order = np.lexsort((ev["date"], ev["hh"]))
    events_table = Table(
        [
            "household_id",
            "procedure",
            "action",
            "date",
            "stage_before",
            "stage_after",
            "status_before",
            "status_after",
            "note",
        ],
        {
            "household_id": ev["hh"][order],
            "procedure": ev["procedure"][order],
            "action": ev["action"][order],
            "date": _date(ev["date"][order]),
            "stage_before": ev["sb"][order],
            "stage_after": ev["sa"][order],
            "status_before": ev["stb"][order],
            "status_after": ev["sta"][order],
            "note": np.zeros(len(order), dtype=np.int8),
        },
        dict.fromkeys(
            ["procedure", "action", "stage_before", "stage_after", "status_before", "status_after", "note"], VOCAB
        ),
    )
    counts = {
        "poor_households": int((kind == 0).sum()),
        "poor_people": int(sizes[kind == 0].sum()),
        "exited_households": int((kind == 1).sum()),
        "lifted_people": int(sizes[(kind == 1) | is_returned].sum()),
        "non_poor_households": int((kind == 2).sum()),
        "households": n,
        "persons": len(persons),
        "income_records": len(incomes),
        "status_events": len(events_table),
    }
    return Demo(households, causes, helpers, persons, incomes, events_table, counts)


def assurances(
    rng: np.random.Generator,
    *,
    kind: np.ndarray,
    main_idx: np.ndarray,
    causes: np.ndarray,
    persons: Table,
    first_household_id: int,
    wubao: np.ndarray,
) -> dict[str, np.ndarray]:
    """Whether each household is assured in each item of 两不愁三保障 and safe drinking water.

    Poor households are deprived far more often than exited ones, and those more than the
    non-poor. The causes shift the chances (illness: medical care, housing; disaster:
    housing, food, clothing; lack of water: water...), so do the members (a seriously ill
    member: medical care; education can only be lacking where a child is of compulsory
    school age, 6 to 15), and five-guarantees support covers food and clothing. One
    hardship factor per household makes deprivations come together, as they do.
    ``causes``: (household index, cause index) pairs of the secondary causes."""
    n = len(kind)
    p = DEPRIVED_P[kind].copy()  # (n, 6)
    has_cause = np.zeros((n, len(CAUSES)), dtype=bool)
    poorish = main_idx >= 0
    has_cause[np.flatnonzero(poorish), main_idx[poorish]] = True
    if len(causes):
        has_cause[causes[:, 0], causes[:, 1]] = True
    column = {name: j for j, name in enumerate(ASSURANCE_FIELDS)}
    for cause, effects in CAUSE_EFFECT.items():
        rows = has_cause[:, CAUSES.index(cause)]
        for name, factor in effects.items():
            p[rows, column[name]] *= factor
    owner = persons.columns["household_id"] - first_household_id
    born = persons.values("birth_date").astype("datetime64[D]").astype(np.int64)
    age = (_days(YEAR_END) - born) // 365.25
    health = persons.values("health")
    school_child = np.bincount(owner, weights=(age >= 6) & (age <= 15), minlength=n) > 0
    seriously_ill = np.bincount(owner, weights=health == "SERIOUS", minlength=n) > 0
    p[seriously_ill, column["assured_medical"]] *= 1.5
    p[~school_child, column["assured_education"]] = 0.0
    p[wubao, column["assured_food"]] *= 0.5
    p[wubao, column["assured_clothing"]] *= 0.5
    hardship = np.exp(rng.normal(0.0, 0.6, n))[:, None]
    deprived = rng.random((n, len(ASSURANCE_FIELDS))) < np.clip(p * hardship, 0.0, 0.95)
    return {name: ~deprived[:, j] for j, name in enumerate(ASSURANCE_FIELDS)}


def _names(rng: np.random.Generator, n: int, surnames: np.ndarray | None = None) -> np.ndarray:
    if surnames is None:
        surnames = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    g1 = np.array(GIVEN)[rng.integers(0, len(GIVEN), n)]
    g2 = np.where(rng.random(n) < 0.7, np.array(GIVEN)[rng.integers(0, len(GIVEN), n)], "")
    return np.char.add(np.char.add(surnames, g1), g2)


WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.array(list("10X98765432"))


def _persons(rng, hh_id, sizes, village, head_age, first_id) -> Table:
    n = int(sizes.sum())
    owner = np.repeat(np.arange(len(hh_id)), sizes)
    ordinal = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    hage = head_age[owner]
    r = rng.random(n)
    relation = np.where(
        ordinal == 0,
        "HEAD",
        np.where(
            ordinal == 1,
            np.where(r < 0.85, "SPOUSE", "PARENT"),
            np.where(r < 0.75, "CHILD", np.where(r < 0.85, "GRANDCHILD", np.where(r < 0.95, "PARENT", "SIBLING"))),
        ),
    )
    relation = np.where((relation == "GRANDCHILD") & (hage < 45), "CHILD", relation)
    age = np.select(
        [
            relation == "HEAD",
            relation == "SPOUSE",
            relation == "CHILD",
            relation == "GRANDCHILD",
            relation == "PARENT",
            relation == "SIBLING",
        ],
        [
            hage,
            hage + rng.integers(-4, 5, n),
            hage - rng.integers(20, 38, n),
            hage - rng.integers(42, 56, n),
            hage + rng.integers(20, 30, n),
            hage + rng.integers(-8, 9, n),
        ],
    ).clip(0, 96)
    born = _days(YEAR_END) - (age * 365.25).astype(np.int64) - rng.integers(0, 365, n)
    head_male = rng.random(len(hh_id)) < 0.8
    male = np.where(
        relation == "HEAD",
        head_male[owner],
        np.where(relation == "SPOUSE", ~head_male[owner], rng.random(n) < 0.5),
    )
    relation = np.where((relation == "PARENT") & (ordinal > 1) & (rng.random(n) < 0.5), "GRANDPARENT", relation)
    relation = np.where((relation == "GRANDPARENT") & (age < hage + 35), "PARENT", relation)
    # ID numbers: county code + birth date + sequence (odd men, even women) + check digit
    county6 = np.array([v[:6] for v in village])[owner]
    born_str = np.char.replace(np.datetime_as_string(_date(born)), "-", "")
    keyorder = np.lexsort((rng.random(n), male, born, county6))
    group_key = np.char.add(np.char.add(county6[keyorder], born_str[keyorder]), male[keyorder].astype("U1"))
    starts = np.r_[0, np.flatnonzero(group_key[1:] != group_key[:-1]) + 1]
    rank = np.empty(n, dtype=np.int64)
    rank[keyorder] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    if rank.max() >= 499:
        raise ValueError("too many people born on one day in one county for unique ID numbers")
    seq = 2 * rank + np.where(male, 1, 2)
    first17 = np.char.add(np.char.add(county6, born_str), np.char.zfill(seq.astype("U3"), 3))
    digits = first17.view("U1").reshape(n, 17).astype(np.int64)
    check = CHECK[(digits * WEIGHTS).sum(axis=1) % 11]
    id_number = np.char.add(first17, check)
    surname = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), len(hh_id))]
    own = np.where(
        np.isin(relation, ["HEAD", "CHILD", "GRANDCHILD"]),
        surname[owner],
        np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)],
    )
    names = _names(rng, n, own)
    education = np.select(
        [age < 6, age < 13, age < 16, age < 19, age >= 60],
        ["PRESCHOOL", "PRIMARY", "JUNIOR", "SENIOR", np.where(rng.random(n) < 0.5, "ILLITERATE", "PRIMARY")],
        np.array(["PRIMARY", "JUNIOR", "SENIOR", "TERTIARY"])[rng.choice(4, n, p=[0.35, 0.45, 0.17, 0.03])],
    )
    hr = rng.random(n)
    health = np.where(hr < 0.05, "DISABLED", np.where(hr < 0.09, "SERIOUS", np.where(hr < 0.21, "CHRONIC", "HEALTHY")))
    disability = np.where(
        health == "DISABLED",
        np.array(["VISUAL", "HEARING", "SPEECH", "PHYSICAL", "INTELLECTUAL", "MENTAL", "MULTIPLE"])[
            rng.integers(0, 7, n)
        ],
        "",
    )
    working_age = (age >= 16) & (age < 65)
    labour = np.where(
        ~working_age | (health == "SERIOUS"),
        np.where(age >= 16, "LOST", "NONE"),
        np.where(health != "HEALTHY", "WEAK", np.where(rng.random(n) < 0.1, "SKILLED", "ORDINARY")),
    )
    labour = np.where((age >= 65) & (health == "HEALTHY") & (rng.random(n) < 0.4), "WEAK", labour)
    labour = np.where((age < 16) | ((age >= 65) & (labour == "LOST") & (health == "HEALTHY")), "NONE", labour)
    migrant = np.isin(labour, ["ORDINARY", "SKILLED"]) & (age < 50) & (rng.random(n) < 0.25)
    where = np.array(["TOWNSHIP", "COUNTY", "PROVINCE", "OUTSIDE"])[rng.choice(4, n, p=[0.15, 0.3, 0.35, 0.2])]
    return Table(
        [
            "id",
            "household_id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "relation",
            "education",
            "health",
            "disability",
            "labour",
            "migrant_work",
            "migrant_months",
        ],
        {
            "id": np.arange(first_id, first_id + n),
            "household_id": hh_id[owner],
            "name": names,
            "id_number": id_number,
            "sex": np.where(male, "M", "F"),
            "birth_date": _date(born),
            "relation": relation,
            "education": education,
            "health": health,
            "disability": disability,
            "labour": labour,
            "migrant_work": np.where(migrant, where, ""),
            "migrant_months": np.where(migrant, rng.integers(3, 12, n), 0),
        },
    ).encode("sex", "relation", "education", "health", "disability", "labour", "migrant_work")


def _advanced_income(pc: np.ndarray, sizes: np.ndarray, advanced: np.ndarray, adjustable: np.ndarray) -> np.ndarray:
    """Make the person-weighted mean per capita net income of the households of the
    villages that completed entire village advancement by the end of 2009 exactly
    ``ADVANCED_INCOME_FEN`` (the seed's 2,600 yuan): the per capita incomes of their
    non-poor households are scaled in place (staying above the poverty line), and the fen
    left by rounding go to one household's net income, which is returned (per household)."""
    extra = np.zeros(len(pc), dtype=np.int64)
    movable = advanced & adjustable
    if not movable.any():
        return extra
    persons = int(sizes[advanced].sum())
    target = ADVANCED_INCOME_FEN * persons
    fixed = int((pc[advanced & ~adjustable] * sizes[advanced & ~adjustable]).sum())
    current = int((pc[movable] * sizes[movable]).sum())
    factor = (target - fixed) / current
    scaled = np.floor(pc[movable] * factor).astype(np.int64)
    if factor <= 0 or scaled.min() < LINE_FEN[2009] + 2_000:
        raise ValueError(f"cannot bring the advanced villages' income to the target (factor {factor:.3f})")
    pc[movable] = scaled
    extra[np.flatnonzero(movable)[0]] = target - fixed - int((scaled * sizes[movable]).sum())
    return extra


def _incomes(rng, hh_id, sizes, pc_by_year, dibao, wubao, extra=None) -> Table:
    cols: dict[str, list[np.ndarray]] = {}
    extra = extra or {}
    for year, pc in pc_by_year.items():
        n = len(hh_id)
        net = pc * sizes + extra.get(year, 0)
        costs = (net * rng.uniform(0.15, 0.4, n)).astype(np.int64)
        gross = net + costs
        wage = (gross * rng.uniform(0.15, 0.5, n)).astype(np.int64)
        prop = (gross * rng.uniform(0.0, 0.03, n)).astype(np.int64)
        transfer = (gross * np.where(dibao | wubao, rng.uniform(0.2, 0.4, n), rng.uniform(0.04, 0.15, n))).astype(
            np.int64
        )
        t_dibao = np.where(dibao, (transfer * 0.7).astype(np.int64), 0)
        t_wubao = np.where(wubao, (transfer * 0.8).astype(np.int64), 0)
        rest = transfer - t_dibao - t_wubao
        t_pension = (rest * 0.35).astype(np.int64)
        t_eco = (rest * 0.2).astype(np.int64)
        t_fp = (rest * 0.1).astype(np.int64)
        t_other = rest - t_pension - t_eco - t_fp
        business = gross - wage - prop - transfer
        if (business < 0).any():
            raise ValueError("income shares exceed the gross income")
        parts = {
            "household_id": hh_id,
            "year": np.full(n, year),
            "household_size": sizes,
            "wage": wage,
            "business": business,
            "property_income": prop,
            "transfer_family_planning": t_fp,
            "transfer_dibao": t_dibao,
            "transfer_wubao": t_wubao,
            "transfer_pension": t_pension,
            "transfer_eco_compensation": t_eco,
            "transfer_other": t_other,
            "production_costs": costs,
        }
        for k, v in parts.items():
            cols.setdefault(k, []).append(v)
    merged = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.lexsort((merged["year"], merged["household_id"]))
    return Table(list(merged), {k: v[order] for k, v in merged.items()})


# --- the registry's part of the demo province ----------------------------------------------
MONEY_FIELDS = set(IncomeRecord.AMOUNT_FIELDS)


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
    return [
        (model, table.fields, table_rows(table, table.fields, convert, money=MONEY_FIELDS))
        for model, table, convert in tables
    ]


def _occupied() -> str | None:
    if Household.objects.exists():
        return "The registry already holds households; the demo loads into an empty registry."
    return None


def _generate(ctx: Context) -> Demo:
    return generate(
        ctx.structure,
        scale=ctx.scale,
        seed=ctx.seed,
        first_household_id=next_id(Household),
        first_person_id=next_id(Person),
        advanced_villages=ctx.shared.get("advanced_villages"),
    )


def _write(ctx: Context, demo: Demo) -> dict[str, int]:
    for model, fields, rows in registry_tables(demo):
        t = time.perf_counter()
        written = bulk_insert(model, fields, rows)
        ctx.progress(f"{model._meta.verbose_name_plural}: {written:,} rows in {time.perf_counter() - t:.1f} s")
    reset_sequences(Household, Person, SecondaryCause, Helper, IncomeRecord, StatusEvent)
    return demo.counts


def _describe(summary: Mapping[str, Any]) -> str:
    return (
        f"{summary['poor_households']:,} poor households, {summary['poor_people']:,} poor people, "
        f"{summary['lifted_people']:,} people lifted out of poverty, {summary['households']:,} households"
    )


part(
    "registry",
    10,
    generate=_generate,
    write=_write,
    occupied=_occupied,
    analyze=(Household, Person, SecondaryCause, Helper, IncomeRecord, StatusEvent),
    describe=_describe,
)
