"""Rain Plan training's part of the demo province (``fupin.demo.registry``): training bases,
classes, the enrolment of the demo's own registry persons, completions, transfers to
employment and the targets of 2009.

Exact figures (at scale S, ``round(v × S)``, as the registry's counts), all of 2009:
- round(30,000 S) people completed labour-transfer classes at the training bases
  (``training.transfer.trained``), and round(26,700 S) of them took up a job in 2009
  (``training.transfer.transferred``); the province's plan is to transfer that many, so
  ``training.transfer.plan_completion`` is 100;
- round(255,000 S) people took part in whole-village practical agricultural technology
  classes (``training.whole_village.trained``);
- round(3,936 S) party secretaries, village committee directors and business leaders of
  the villages of batch 4 (the batch of 2008-2009) took part in leaders classes
  (``training.leaders.trained``).

Assumptions (no source gives them; docs/demo.md and docs/training.md): one training base
in each task county, certified by the province; its four classes of 2009 (March to
October); trainees are working-age members (16 to 45, able to work) of poor and exited
households of the base's county; 3 % of those enrolled drop out; one in ten of the
transferred changes job once in the year; whole-village classes are held in the villages
of batch 4 in the slack season (January to March), then in other key villages if those do
not have the people; a leaders class in each county with batch 4 villages, in May. The
county targets are what each county achieved; no subsidy is paid (the demo's ledger is the
programs' and stays as it is).

The part draws from a random stream of its own (spawn key ``TRAINING_STREAM``) and writes
only training tables, so every other part's rows are the same with or without it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fupin.core.bulk import bulk_insert, next_id, reset_sequences
from fupin.demo.registry import Context, part
from fupin.training.models import Enrolment, Target, TrainingBase, TrainingClass, Transfer

TRAINING_STREAM = 3  # spawn key of the part's own random stream

YEAR = 2009
TRAINED = 30_000
TRANSFERRED = 26_700
WHOLE_VILLAGE = 255_000
LEADERS = 3_936
DROP_OUT = 0.03
SECOND_JOB = 0.10
CURRENT_BATCH = 4
PROVINCE = "230000000000"

# the four labour-transfer classes of a base in 2009: subject, first day, last day, hours
TRANSFER_CLASSES = [
    ("电焊工", dt.date(2009, 3, 2), dt.date(2009, 4, 10), 240),
    ("家政服务", dt.date(2009, 4, 20), dt.date(2009, 5, 29), 200),
    ("建筑施工", dt.date(2009, 6, 8), dt.date(2009, 7, 17), 240),
    ("餐饮服务", dt.date(2009, 8, 3), dt.date(2009, 9, 30), 280),
]
EMPLOYERS = [
    ("哈尔滨电机厂", "哈尔滨市", "province", "manufacturing"),
    ("大庆建筑工程公司", "大庆市", "province", "construction"),
    ("北京家政服务中心", "北京市", "other_province", "services"),
    ("大连开发区电子厂", "大连市", "other_province", "manufacturing"),
    ("县城宾馆", "县城", "home_county", "services"),
    ("天津建工集团", "天津市", "other_province", "construction"),
]
LEADER_ROLES = ["party_secretary", "committee_director", "business_leader"]
EPOCH = np.datetime64("1970-01-01", "D")


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _date(days: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(days))).isoformat()


@dataclass
class Training:
    bases: list[tuple[Any, ...]] = field(default_factory=list)
    classes: list[tuple[Any, ...]] = field(default_factory=list)
    enrolments: list[tuple[Any, ...]] = field(default_factory=list)
    transfers: list[tuple[Any, ...]] = field(default_factory=list)
    targets: list[tuple[Any, ...]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


BASE_FIELDS = ["id", "code", "name", "county_id", "certification", "certified_year", "capacity", "contact", "phone"]
CLASS_FIELDS = [
    "id",
    "code",
    "base_id",
    "organiser",
    "area_id",
    "type",
    "subject",
    "start_date",
    "end_date",
    "hours",
    "subsidy_per_trainee",
]
ENROLMENT_FIELDS = [
    "id",
    "klass_id",
    "person_id",
    "enrolled_on",
    "status",
    "hours_attended",
    "completed_on",
    "certificate_number",
    "leader_role",
]
TRANSFER_FIELDS = ["id", "enrolment_id", "employer", "place", "destination", "sector", "start_date", "monthly_wage"]
TARGET_FIELDS = ["area_id", "year", "trained", "transferred"]


def _take(rng: np.random.Generator, pool: np.ndarray, n: int, what: str) -> np.ndarray:
    if len(pool) < n:
        raise ValueError(f"the demo has {len(pool)} people for {n} {what}")
    return np.sort(rng.choice(pool, size=n, replace=False))


def generate(ctx: Context) -> Training:
    rng = ctx.rng(TRAINING_STREAM)
    registry = ctx.generated["registry"]
    plans = ctx.generated["programs"].plans
    households, persons = registry.households, registry.persons
    out = Training()
    scale = ctx.scale
    n_trained, n_transferred = round(TRAINED * scale), round(TRANSFERRED * scale)
    n_village, n_leaders = round(WHOLE_VILLAGE * scale), round(LEADERS * scale)

    hh_index = {int(h): i for i, h in enumerate(households.values("id"))}
    hh_village = households.values("village_code")
    hh_status = households.values("status")
    owner = np.array([hh_index[int(h)] for h in persons.values("household_id")], dtype=np.int64)
    village = hh_village[owner]
    county = np.array([v[:6] + "000000" for v in village])
    born = persons.values("birth_date")
    age = (np.datetime64(f"{YEAR}-12-31") - born).astype("timedelta64[D]").astype(np.int64) // 365
    able = np.isin(persons.values("labour"), ["ORDINARY", "SKILLED"])
    poorish = np.isin(hh_status[owner], ["poor", "exited"])
    ids = persons.values("id")
    index = np.arange(len(ids))

    # --- bases and labour-transfer classes -----------------------------------------------
    task = sorted(ctx.structure.task_counties)
    base_id, class_id, enrol_id, transfer_id = (
        next_id(TrainingBase),
        next_id(TrainingClass),
        next_id(Enrolment),
        next_id(Transfer),
    )
    county_base: dict[str, int] = {}
    county_classes: dict[str, list[int]] = {}
    class_dates: dict[int, tuple[dt.date, dt.date, int]] = {}
    for i, code in enumerate(task):
        county_base[code] = base_id
        out.bases.append(
            (
                base_id,
                f"JD{code[:6]}",
                f"{code[:6]}扶贫培训基地",
                ctx.area_ids[code],
                "provincial",
                2005 + i % 4,
                800 + 100 * (i % 5),
                "基地主任",
                f"0451-{5500000 + i:07d}",
            )
        )
        county_classes[code] = []
        for j, (subject, first, last, hours) in enumerate(TRANSFER_CLASSES, start=1):
            out.classes.append(
                (
                    class_id,
                    f"ZY{YEAR}-{code[:6]}-{j}",
                    base_id,
                    "",
                    ctx.area_ids[code],
                    "labour_transfer",
                    subject,
                    first.isoformat(),
                    last.isoformat(),
                    hours,
                    "800.00",
                )
            )
            county_classes[code].append(class_id)
            class_dates[class_id] = (first, last, hours)
            class_id += 1
        base_id += 1

    # trainees: working-age members able to work, of poor and exited households of a task county
    in_task = np.isin(county, task)
    pool = index[in_task & able & poorish & (age >= 16) & (age <= 45)]
    n_dropped = round(n_trained * DROP_OUT)
    chosen = rng.permutation(_take(rng, pool, n_trained + n_dropped, "labour-transfer trainees"))
    trained, dropped = chosen[:n_trained], chosen[n_trained:]
    transferred = set(rng.choice(trained, size=n_transferred, replace=False).tolist())
    county_counts: dict[str, list[int]] = {}
    for k, person in enumerate(np.concatenate([trained, dropped]).tolist()):
        code = county[person]
        klass = county_classes[code][int(rng.integers(0, len(TRANSFER_CLASSES)))]
        first, last, hours = class_dates[klass]
        enrolled_on = first - dt.timedelta(days=int(rng.integers(3, 15)))
        completed = k < n_trained
        out.enrolments.append(
            (
                enrol_id,
                klass,
                int(ids[person]),
                enrolled_on.isoformat(),
                "completed" if completed else "dropped",
                hours if completed else int(rng.integers(8, hours // 2)),
                last.isoformat() if completed else None,
                f"HLJYL{YEAR}{enrol_id:07d}" if completed else "",
                "",
            )
        )
        counts = county_counts.setdefault(code, [0, 0])
        if completed:
            counts[0] += 1
        if person in transferred:
            counts[1] += 1
            jobs = 2 if rng.random() < SECOND_JOB else 1
            start = last + dt.timedelta(days=int(rng.integers(5, 40)))
            for _job in range(jobs):
                employer, place, destination, sector = EMPLOYERS[int(rng.integers(0, len(EMPLOYERS)))]
                out.transfers.append(
                    (
                        transfer_id,
                        enrol_id,
                        employer,
                        place,
                        destination,
                        sector,
                        start.isoformat(),
                        f"{int(rng.integers(9, 25)) * 100}.00",
                    )
                )
                transfer_id += 1
                start = min(start + dt.timedelta(days=int(rng.integers(30, 70))), dt.date(YEAR, 12, 31))
        enrol_id += 1

    # --- whole-village classes: the villages of batch 4, then other key villages ---------------
    batch = sorted({p["village"] for p in plans if p["batch"] == CURRENT_BATCH})
    adult = (age >= 16) & (age <= 70) & (persons.values("labour") != "NONE")
    in_batch = np.isin(village, batch)
    pool = index[in_batch & adult]
    if len(pool) < n_village:
        extra = index[~in_batch & adult & np.isin(village, ctx.structure.key_villages)]
        pool = np.concatenate([pool, rng.permutation(extra)[: n_village - len(pool)]])
    participants = _take(rng, pool, n_village, "whole-village participants")
    village_class: dict[str, tuple[int, str]] = {}
    for person in participants.tolist():
        code = village[person]
        if code not in village_class:
            start = dt.date(YEAR, 1, 5) + dt.timedelta(days=int(rng.integers(0, 70)))
            village_class[code] = (class_id, start.isoformat())
            out.classes.append(
                (
                    class_id,
                    f"ZC{YEAR}-{code}",
                    None,
                    f"{code[:6]}农业技术推广站",
                    ctx.area_ids[code],
                    "whole_village",
                    "农业实用技术",
                    start.isoformat(),
                    (start + dt.timedelta(days=4)).isoformat(),
                    32,
                    "0.00",
                )
            )
            class_id += 1
        klass, start_text = village_class[code]
        out.enrolments.append((enrol_id, klass, int(ids[person]), start_text, "enrolled", 32, None, "", ""))
        enrol_id += 1

    # --- leaders of the batch 4 villages: one class in each county, in May ---------------------
    pool = index[in_batch & (age >= 25) & (age <= 65) & (persons.values("labour") != "NONE")]
    leaders = _take(rng, pool, n_leaders, "village leaders")
    county_leaders: dict[str, int] = {}
    for k, person in enumerate(leaders.tolist()):
        code = county[person]
        if code not in county_leaders:
            county_leaders[code] = class_id
            out.classes.append(
                (
                    class_id,
                    f"DT{YEAR}-{code[:6]}",
                    None,
                    f"{code[:6]}扶贫办",
                    ctx.area_ids[code],
                    "leaders",
                    "整村推进带头人培训",
                    f"{YEAR}-05-11",
                    f"{YEAR}-05-15",
                    40,
                    "0.00",
                )
            )
            class_id += 1
        out.enrolments.append(
            (
                enrol_id,
                county_leaders[code],
                int(ids[person]),
                f"{YEAR}-05-11",
                "enrolled",
                40,
                None,
                "",
                LEADER_ROLES[k % 3],
            )
        )
        enrol_id += 1

    # --- targets: the province's plan, and each county's as it achieved ---------------------------
    out.targets.append((ctx.area_ids[PROVINCE], YEAR, n_trained, n_transferred))
    for code in sorted(county_counts):
        out.targets.append((ctx.area_ids[code], YEAR, *county_counts[code]))

    out.counts = {
        "training_bases": len(out.bases),
        "training_classes": len(out.classes),
        "trainees": n_trained,
        "transferred": n_transferred,
        "whole_village_participants": n_village,
        "leaders_trained": n_leaders,
    }
    return out


def _occupied() -> str | None:
    if TrainingClass.objects.exists() or TrainingBase.objects.exists():
        return "Training classes are already recorded; the demo loads into an empty database."
    return None


def _write(ctx: Context, training: Training) -> dict[str, int]:
    bulk_insert(TrainingBase, BASE_FIELDS, training.bases)
    bulk_insert(TrainingClass, CLASS_FIELDS, training.classes)
    bulk_insert(Enrolment, ENROLMENT_FIELDS, training.enrolments)
    bulk_insert(Transfer, TRANSFER_FIELDS, training.transfers)
    bulk_insert(Target, TARGET_FIELDS, training.targets)
    reset_sequences(TrainingBase, TrainingClass, Enrolment, Transfer, Target)
    ctx.progress(f"training: {len(training.enrolments):,} enrolments, {len(training.transfers):,} transfers")
    return training.counts


def _describe(summary: Mapping[str, Any]) -> str:
    return f"{summary['trainees']:,} trainees ({summary['transferred']:,} transferred)"


part(
    "training",
    40,
    generate=generate,
    write=_write,
    occupied=_occupied,
    analyze=(TrainingClass, Enrolment, Transfer),
    describe=_describe,
)
