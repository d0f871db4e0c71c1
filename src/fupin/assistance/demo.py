"""Social and pairing assistance's part of the demo province (``fupin.demo.registry``,
order 80): assisting units, their pairings, cadres and visits, contributions (with their
receipts in the funds ledger), supported projects, the training classes units organised
and the students they aided, all of 2009.

Exact figures of 2009 at scale S (every count and sum is ``round(seed × S)``):
- round(10 S) central organs and round(163 S) provincial organs, each paired with a key
  county for 2008-2010 (``social.units_central``, ``social.units_provincial``);
- round(4,714 S) city and county organs (one in four a city organ), each paired for 2009
  with one of round(750 S) villages of batch 4 of entire village advancement (drawn), every
  such village with at least one (``social.units_city_county``, ``social.villages_assisted``);
- round(2,230 S) cadres dispatched to the places of the pairings, in post during 2009
  (``social.cadres``): the first to each village its first secretary;
- contributions of 2009 of round(110,000,000 S) yuan as grants and round(107,000,000 S)
  yuan as introduced investment (``social.funds_*``), split over the units (whole yuan) and
  given to their paired areas; each is received in the funds ledger as an appropriation of
  the social source at the recipient's county (entries ``ASSIST-2009-nnnnnn``, the
  accounts updated as the service would: ``funds.services.check_accounts`` agrees). This
  money is the units' own: the programs part's social funds of batch 4 (appropriated at the
  province and paid to projects) are another part of the ledger, not these;
- round(2,400 S) projects of batch 4 completed in 2009 in the paired villages, each
  supported by a unit paired with its village (``social.projects``);
- whole-village classes of the training part, chosen so that their participants number
  exactly round(150,000 S), organised by the central and provincial organs and the
  province's social poverty relief foundation (an "other organisation", in no unit figure)
  (``social.farmers_trained``; a subset sum over the classes' sizes);
- round(1,600 S) school-age members (6 to 22 in 2009) of poor households of the paired
  villages (then of their counties) aided in 2009 (``social.students_aided``);
- ``social.households_driven`` reads industry's base links (57,800 S poor households).

The part draws from a random stream of its own (spawn key ``ASSISTANCE_STREAM``) and writes
only assistance tables and its own ledger entries and accounts, so every other part's rows
and figures are the same with or without it (the accounts of the counties receiving the
contributions grow by them)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import F

from fupin.assistance.models import (
    AssistingUnit,
    Cadre,
    Contribution,
    Pairing,
    StudentAid,
    SupportedProject,
    UnitClass,
    Visit,
)
from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.demo.registry import Context, part
from fupin.funds.models import Account, Entry

ASSISTANCE_STREAM = 80  # spawn key of the part's own random stream (its order)

YEAR = 2009
PROVINCE = "230000000000"
CENTRAL = 10
PROVINCIAL = 163
CITY_COUNTY = 4_714
VILLAGES = 750
CADRES = 2_230
GRANTS = 110_000_000
INVESTMENT = 107_000_000
PROJECTS = 2_400
FARMERS = 150_000
STUDENTS = 1_600
CURRENT_BATCH = 4

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "明华国建平志伟军东海林波强红英玉兰秀芳丽静敏娟霞峰涛斌鹏飞宇浩然春秋冬雪梅松柏"
SCHOOLS = ("县第一中学", "县第二中学", "县职业教育中心", "黑龙江大学", "东北农业大学", "哈尔滨师范大学", "乡中心小学")


@dataclass
class Assistance:
    units: list[tuple[Any, ...]] = field(default_factory=list)
    pairings: list[tuple[Any, ...]] = field(default_factory=list)
    cadres: list[tuple[Any, ...]] = field(default_factory=list)
    visits: list[tuple[Any, ...]] = field(default_factory=list)
    # number, unit id, kind, value (yuan), date, recipient area code
    contributions: list[tuple[Any, ...]] = field(default_factory=list)
    projects: list[tuple[Any, ...]] = field(default_factory=list)
    classes: list[tuple[Any, ...]] = field(default_factory=list)
    students: list[tuple[Any, ...]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


UNIT_FIELDS = ["id", "code", "name", "name_en", "level", "area_id"]
PAIRING_FIELDS = ["id", "unit_id", "area_id", "start_year", "end_year"]
CADRE_FIELDS = ["id", "unit_id", "name", "post", "kind", "place_id", "start_date", "end_date"]
VISIT_FIELDS = ["id", "unit_id", "area_id", "date", "people", "purpose"]
PROJECT_FIELDS = ["id", "unit_id", "project_id", "year"]
CLASS_FIELDS = ["id", "unit_id", "klass_id"]
STUDENT_FIELDS = ["id", "unit_id", "person_id", "year", "school", "amount"]
CONTRIBUTION_FIELDS = ["id", "number", "unit_id", "kind", "form", "value", "date", "area_id", "description", "entry_id"]


def split(total: int, n: int, rng: np.random.Generator) -> list[int]:
    """``total`` in ``n`` positive whole parts (of varied size) adding up to it exactly."""
    if n == 0 or total == 0:
        return []
    n = min(n, total)
    weights = rng.gamma(2.0, 1.0, n)
    parts = np.floor(weights / weights.sum() * (total - n)).astype(np.int64) + 1
    parts[: total - int(parts.sum())] += 1
    return parts.tolist()


def subset_with_sum(sizes: list[int], target: int, rng: np.random.Generator) -> list[int]:
    """Indexes of ``sizes`` adding up to exactly ``target``: a random greedy start, the
    rest found by dynamic programming over the sums still reachable."""
    order = rng.permutation(len(sizes)).tolist()
    chosen: list[int] = []
    total = 0
    for i in order:
        if total + sizes[i] <= target - 2 * max(sizes, default=0):
            chosen.append(i)
            total += sizes[i]
    while True:
        gap = target - total
        taken = set(chosen)
        rest = [i for i in order if i not in taken]
        parent: dict[int, tuple[int, int]] = {0: (-1, -1)}
        for i in rest:
            for s in list(parent):
                t = s + sizes[i]
                if t <= gap and t not in parent:
                    parent[t] = (s, i)
            if gap in parent:
                break
        if gap in parent:
            s = gap
            while s:
                prev, i = parent[s]
                chosen.append(i)
                s = prev
            return sorted(chosen)
        if not chosen:
            raise ValueError(f"no classes of the demo add up to {target} participants")
        total -= sizes[chosen.pop()]


def _name(rng: np.random.Generator) -> str:
    given = "".join(rng.choice(list(GIVEN), size=int(rng.integers(1, 3))))
    return str(rng.choice(list(SURNAMES))) + given


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> str:
    return (first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))).isoformat()


def generate(ctx: Context) -> Assistance:
    rng = ctx.rng(ASSISTANCE_STREAM)
    s = ctx.scale
    out = Assistance()
    ids = {m: next_id(m) for m in (AssistingUnit, Pairing, Cadre, Visit, SupportedProject, UnitClass, StudentAid)}
    area = ctx.area_ids
    programs = ctx.generated["programs"]

    # --- the villages of batch 4 assisted, and the key counties -------------------------------------
    batch = sorted({p["village"] for p in programs.plans if p["batch"] == CURRENT_BATCH})
    n_villages = round(VILLAGES * s)
    villages = sorted(rng.choice(batch, size=n_villages, replace=False).tolist()) if n_villages else []
    counties = sorted(ctx.structure.key_counties)

    # --- units and pairings ---------------------------------------------------------------------------
    pairing_places: list[tuple[int, str, str]] = []  # (unit id, unit level, area code)
    by_village: dict[str, list[int]] = defaultdict(list)
    province_units: list[int] = []
    unit_id = ids[AssistingUnit]

    def add_unit(code: str, name: str, name_en: str, level: str, own: str) -> int:
        nonlocal unit_id
        out.units.append((unit_id, code, name, name_en, level, area[own]))
        unit_id += 1
        return unit_id - 1

    pairing_id = ids[Pairing]
    for level, n, prefix, zh, en in (
        ("central", round(CENTRAL * s), "ZY", "中直帮扶单位", "Central assisting organ"),
        ("provincial", round(PROVINCIAL * s), "SZ", "省直帮扶单位", "Provincial assisting organ"),
    ):
        for i in range(n):
            uid = add_unit(f"{prefix}-{i + 1:03d}", f"{zh}{i + 1:03d}", f"{en} {i + 1}", level, PROVINCE)
            province_units.append(uid)
            county = counties[(i * 7 + (3 if level == "central" else 0)) % len(counties)]
            out.pairings.append((pairing_id, uid, area[county], YEAR - 1, YEAR + 1))
            pairing_id += 1
            pairing_places.append((uid, level, county))
    n_local = round(CITY_COUNTY * s)
    if n_local and n_local < n_villages:
        raise ValueError(f"{n_local} city and county organs cannot pair with {n_villages} villages")
    for i in range(n_local):
        village = villages[i % n_villages]
        level = "city" if i % 4 == 0 else "county"
        own = village[:4] + "00000000" if level == "city" else village[:6] + "000000"
        prefix = "SJ" if level == "city" else "XJ"
        zh = "市直帮扶单位" if level == "city" else "县直帮扶单位"
        uid = add_unit(f"{prefix}-{own[:6]}-{i + 1:04d}", f"{own[:6]}{zh}{i + 1:04d}", "", level, own)
        out.pairings.append((pairing_id, uid, area[village], YEAR, YEAR))
        pairing_id += 1
        pairing_places.append((uid, level, village))
        by_village[village].append(uid)

    # --- cadres to the places of the pairings, visits of the province's units --------------------------
    n_cadres = round(CADRES * s)
    secretaries: set[str] = set()
    cadre_id = ids[Cadre]
    for i in range(n_cadres if pairing_places else 0):
        uid, level, place = pairing_places[(i * 37) % len(pairing_places)]
        first = len(place) == 12 and place.endswith("000000") is False and place not in secretaries
        kind = "first_secretary" if first else "team_member" if not place.endswith("000000") else "other"
        secretaries.add(place)
        post = {"first_secretary": "驻村第一书记", "team_member": "驻村工作队员", "other": "挂职副县长"}[kind]
        start = _day(rng, dt.date(2008, 3, 1), dt.date(2009, 6, 30))
        end = None if rng.random() < 0.7 else _day(rng, dt.date(2010, 1, 1), dt.date(2010, 12, 31))
        out.cadres.append((cadre_id, uid, _name(rng), post, kind, area[place], start, end))
        cadre_id += 1
    visit_id = ids[Visit]
    for uid, level, place in pairing_places:
        if level in ("central", "provincial"):
            date = _day(rng, dt.date(YEAR, 4, 1), dt.date(YEAR, 10, 31))
            out.visits.append((visit_id, uid, area[place], date, int(rng.integers(3, 9)), "调研帮扶工作"))
            visit_id += 1

    # --- contributions ------------------------------------------------------------------------------------
    number = 0
    for kind, total, givers in (
        ("grant", round(GRANTS * s), pairing_places),
        ("investment", round(INVESTMENT * s), pairing_places[::3]),
    ):
        for (uid, _level, place), value in zip(givers, split(total, len(givers), rng), strict=False):
            number += 1
            date = _day(rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 11, 30))
            out.contributions.append((f"SH{YEAR}-{number:06d}", uid, kind, value, date, place))

    # --- projects of batch 4 in the paired villages -----------------------------------------------------------
    candidates = [
        p
        for p in programs.projects
        if p["plan_village"] in by_village and p["end_year"] == YEAR and p["status"] == "completed"
    ]
    n_projects = round(PROJECTS * s)
    if len(candidates) < n_projects:
        raise ValueError(f"the demo has {len(candidates)} projects for {n_projects} supported ones")
    link_id = ids[SupportedProject]
    for j in sorted(rng.choice(len(candidates), size=n_projects, replace=False).tolist()):
        project = candidates[j]
        units = by_village[project["plan_village"]]
        out.projects.append((link_id, units[j % len(units)], project["id"], YEAR))
        link_id += 1

    # --- whole-village classes organised by the province's units ------------------------------------------------
    training = ctx.generated["training"]
    size: dict[int, int] = defaultdict(int)
    for enrolment in training.enrolments:
        if enrolment[4] != "dropped":
            size[enrolment[1]] += 1
    classes = [c for c in training.classes if c[5] == "whole_village" and c[8][:4] == str(YEAR) and size[c[0]]]
    n_farmers = round(FARMERS * s)
    if n_farmers:
        # the province's social poverty alleviation foundation (an "other organisation", which
        # reaches the whole province and is counted in no unit figure) organises them with the
        # central and provincial organs, so that the figure is exact at every scale
        organisers = [
            *province_units,
            add_unit("QT-001", "省社会扶贫基金会", "Provincial social poverty relief foundation", "other", PROVINCE),
        ]
        picked = subset_with_sum([size[c[0]] for c in classes], n_farmers, rng)
        class_link = ids[UnitClass]
        for k, j in enumerate(picked):
            out.classes.append((class_link, organisers[k % len(organisers)], classes[j][0]))
            class_link += 1

    # --- students -----------------------------------------------------------------------------------------------
    registry = ctx.generated["registry"]
    households, persons = registry.households, registry.persons
    hh_village = dict(zip(households.values("id").tolist(), households.values("village_code").tolist(), strict=True))
    poor = set(households.values("id")[households.values("status") == "poor"].tolist())
    born = persons.values("birth_date").astype("datetime64[Y]").astype(int) + 1970
    school_age = (YEAR - born >= 6) & (YEAR - born <= 22)
    paired_counties = {v[:6] for v in villages}
    near: list[int] = []
    far: list[int] = []
    for index in np.flatnonzero(school_age).tolist():
        hid = int(persons.values("household_id")[index])
        if hid not in poor:
            continue
        village = hh_village[hid]
        if village in by_village:
            near.append(index)
        elif village[:6] in paired_counties:
            far.append(index)
    n_students = round(STUDENTS * s)
    pool = near + rng.permutation(np.array(far, dtype=np.int64)).tolist()
    if len(pool) < n_students:
        raise ValueError(f"the demo has {len(pool)} school-age poor people for {n_students} aided students")
    chosen = sorted(pool[:n_students])
    if len(near) > n_students:
        chosen = sorted(rng.choice(np.array(near), size=n_students, replace=False).tolist())
    aid_id = ids[StudentAid]
    county_units: dict[str, list[int]] = defaultdict(list)
    for village, units in by_village.items():
        county_units[village[:6]].extend(units)
    for index in chosen:
        village = hh_village[int(persons.values("household_id")[index])]
        units = by_village.get(village) or county_units[village[:6]]
        uid = units[index % len(units)]
        amount = int(rng.choice([500, 800, 1000, 1500, 2000]))
        school = SCHOOLS[index % len(SCHOOLS)]
        out.students.append((aid_id, uid, int(persons.values("id")[index]), YEAR, school, f"{amount}.00"))
        aid_id += 1

    out.counts = {
        "assisting_units": len(out.units),
        "pairings": len(out.pairings),
        "cadres": len(out.cadres),
        "contributions": len(out.contributions),
        "supported_projects": len(out.projects),
        "unit_classes": len(out.classes),
        "aided_students": len(out.students),
    }
    return out


def _write_contributions(ctx: Context, contributions: list[tuple[Any, ...]]) -> None:
    """The contributions and their receipts: an appropriation of the social source at the
    recipient's county for each, and the counties' accounts grown by them."""
    source = {"grant": "social_grant", "investment": "social_investment"}
    bulk_insert(
        Entry,
        ["number", "kind", "source", "year", "date", "amount", "area_id", "document", "note"],
        (
            (
                f"ASSIST-{YEAR}-{i:06d}",
                "appropriation",
                source[kind],
                YEAR,
                date,
                f"{value}.00",
                ctx.area_ids[place[:6] + "000000"],
                number,
                "",
            )
            for i, (number, _uid, kind, value, date, place) in enumerate(contributions, start=1)
        ),
    )
    entries = dict(Entry.objects.filter(number__startswith=f"ASSIST-{YEAR}-").values_list("number", "id"))
    first = next_id(Contribution)
    bulk_insert(
        Contribution,
        CONTRIBUTION_FIELDS,
        (
            (
                first + i,
                number,
                uid,
                kind,
                "cash",
                f"{value}.00",
                date,
                ctx.area_ids[place],
                "",
                entries[f"ASSIST-{YEAR}-{i + 1:06d}"],
            )
            for i, (number, uid, kind, value, date, place) in enumerate(contributions)
        ),
    )
    received: dict[tuple[int, str], int] = defaultdict(int)
    for _number, _uid, kind, value, _date, place in contributions:
        received[(ctx.area_ids[place[:6] + "000000"], source[kind])] += value
    for (area_id, src), value in sorted(received.items()):
        updated = Account.objects.filter(area_id=area_id, project=None, source=src, year=YEAR).update(
            received=F("received") + value
        )
        if not updated:
            Account.objects.create(area_id=area_id, source=src, year=YEAR, received=value)


def _occupied() -> str | None:
    if AssistingUnit.objects.exists():
        return "Assisting units are already recorded; the demo loads into an empty database."
    return None


def _write(ctx: Context, data: Assistance) -> dict[str, int]:
    bulk_insert(AssistingUnit, UNIT_FIELDS, data.units)
    bulk_insert(Pairing, PAIRING_FIELDS, data.pairings)
    bulk_insert(Cadre, CADRE_FIELDS, data.cadres)
    bulk_insert(Visit, VISIT_FIELDS, data.visits)
    _write_contributions(ctx, data.contributions)
    bulk_insert(SupportedProject, PROJECT_FIELDS, data.projects)
    bulk_insert(UnitClass, CLASS_FIELDS, data.classes)
    bulk_insert(StudentAid, STUDENT_FIELDS, data.students)
    reset_sequences(AssistingUnit, Pairing, Cadre, Visit, Contribution, SupportedProject, UnitClass, StudentAid, Entry)
    ctx.progress(f"assistance: {len(data.units):,} units, {len(data.contributions):,} contributions")
    return data.counts


def _describe(summary: Mapping[str, Any]) -> str:
    return f"{summary['assisting_units']:,} assisting units"


part(
    "assistance",
    80,
    generate=generate,
    write=_write,
    occupied=_occupied,
    analyze=(AssistingUnit, Pairing, Cadre, Contribution, SupportedProject, UnitClass, StudentAid),
    describe=_describe,
)
