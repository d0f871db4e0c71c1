"""The responsibility and assessment system's part of the demo province (order 90).

What the seed states ("Harbin and Qiqihaer included poverty alleviation and development as
well as fixed-point poverty reduction into the work target assessment of departments and
counties (cities)"; "the government fostered models in high-standard implementation of
entire village advancement project in Yilan County and ... holding on-the-spot promotion
meetings") is made exact at every scale:

- Harbin's (230100000000) and Qiqihar's (230200000000) 2009 assessments, with targets for
  their counties with a poverty task and for three and two of their departments (whose
  actual figures are entered), and weights: ``accountability.cities_assessing`` = 2;
- Yilan County (依兰县, 230123000000) as the typical model county of 2009, its case in
  Chinese and English: ``accountability.model_counties`` = 1;
- a responsibility assignment for each key county (the county head; the county poverty
  alleviation office, finance and agriculture bureaus; the tasks);
- the on-the-spot promotion meeting in Yilan County.

The assessments are left as drafts: running one needs a snapshot of the whole province,
which the demo does not take (``fupin demo`` at scale 1 would spend its time on it). Run
them on the assessment's page or with ``POST /api/accountability/assessments/<id>/run/``;
the indicators count recorded assessments, draft or run (docs/accountability.md). Targets
are fixed numbers scaled like the registry (``max(1, round(v × scale))``); the part draws no
random numbers (so it has no random stream), and the key counties are the structure's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from fupin.accountability.models import (
    AssessedDepartment,
    Assessment,
    ModelFigure,
    PromotionMeeting,
    ResponsibilityAssignment,
    Target,
    TypicalModel,
    Weight,
)
from fupin.demo.registry import Context, part

YEAR = 2009
HARBIN = "230100000000"
QIQIHAR = "230200000000"
YILAN = "230123000000"

# indicator -> (weight, target per county at scale 1)
COUNTY_TARGETS = {
    "training.transfer.trained": (Decimal("40"), 2000),
    "evap.batch_villages_completed": (Decimal("35"), 12),
    "industry.base_poor_households": (Decimal("25"), 100),
}
# the departments' indicator: the funds they integrate for entire village advancement
DEPARTMENT_INDICATOR = "evap.funds.integrated_total"
DEPARTMENT_WEIGHT = Decimal("20")
DEPARTMENTS = {
    HARBIN: [
        ("市财政局", 12_000_000, 12_600_000),
        ("市农业委员会", 8_000_000, 7_200_000),
        ("市交通运输局", 6_000_000, 6_000_000),
    ],
    QIQIHAR: [("市财政局", 10_000_000, 9_500_000), ("市水务局", 5_000_000, 5_400_000)],
}
TITLES = {
    HARBIN: "哈尔滨市2009年扶贫开发和定点扶贫工作目标考核",
    QIQIHAR: "齐齐哈尔市2009年扶贫开发和定点扶贫工作目标考核",
}

YILAN_CASE_ZH = (
    "依兰县按照建设社会主义新农村的思路，集中财力高标准规划、高标准实施整村推进项目，"
    "引导和扶持贫困户创建组织形式，发展生产、增加收入。全省在依兰县召开现场推进会，"
    "总结推广其经验，推动各地整村推进建设标准进一步提高。"
)
YILAN_CASE_EN = (
    "Following the idea of building new rural areas, Yilan County concentrated its financial resources on "
    "high-standard planning and implementation of entire village advancement projects, and guided and supported "
    "poor households in creating forms of organisation to develop production and increase their income. The "
    "province held an on-the-spot promotion meeting in Yilan County to sum up and spread its experience, which "
    "further raised the standards of entire village advancement across the province."
)


def _scaled(value: int, scale: float) -> int:
    return max(1, round(value * scale))


def generate(ctx: Context) -> dict[str, Any]:
    counties = {city: [c for c in ctx.structure.task_counties if c.startswith(city[:4])] for city in (HARBIN, QIQIHAR)}
    key_counties = sorted(ctx.structure.key_counties)
    return {"counties": counties, "key_counties": key_counties}


def _write(ctx: Context, plan: Mapping[str, Any]) -> dict[str, int]:
    ids = ctx.area_ids
    weights = {k: w for k, (w, _v) in COUNTY_TARGETS.items()} | {DEPARTMENT_INDICATOR: DEPARTMENT_WEIGHT}
    targets: list[Target] = []
    departments = 0
    for city, counties in plan["counties"].items():
        assessment = Assessment.objects.create(area_id=ids[city], year=YEAR, title=TITLES[city])
        Weight.objects.bulk_create(
            Weight(assessment=assessment, indicator=k, weight=v) for k, v in sorted(weights.items())
        )
        for county in counties:
            for indicator, (_w, value) in COUNTY_TARGETS.items():
                targets.append(
                    Target(
                        year=YEAR, area_id=ids[county], indicator=indicator, value=Decimal(_scaled(value, ctx.scale))
                    )
                )
        for name, value, actual in DEPARTMENTS[city]:
            department = AssessedDepartment.objects.create(city_id=ids[city], name=name)
            departments += 1
            targets.append(
                Target(
                    year=YEAR,
                    department=department,
                    indicator=DEPARTMENT_INDICATOR,
                    value=Decimal(_scaled(value, ctx.scale)),
                    actual=Decimal(_scaled(actual, ctx.scale)),
                )
            )
    Target.objects.bulk_create(targets)
    ResponsibilityAssignment.objects.bulk_create(
        ResponsibilityAssignment(
            area_id=ids[county],
            year=YEAR,
            leader_name="县长",
            leader_post="县长（扶贫开发工作第一责任人）",
            units="县扶贫开发办公室\n县财政局\n县农业局",
            tasks="落实整村推进、雨露计划和产业化扶贫任务；完成市（省）下达的扶贫开发目标。",
        )
        for county in plan["key_counties"]
    )
    model = TypicalModel.objects.create(
        code="TM-2009-YILAN",
        kind="county",
        year=YEAR,
        area_id=ids[YILAN],
        title="依兰县高标准实施整村推进",
        case_zh=YILAN_CASE_ZH,
        case_en=YILAN_CASE_EN,
    )
    ModelFigure.objects.bulk_create(
        [
            ModelFigure(model=model, key="promotion_meetings", value=Decimal(1)),
            ModelFigure(model=model, key="year", value=Decimal(YEAR)),
        ]
    )
    PromotionMeeting.objects.create(
        date=dt.date(YEAR, 9, 15), area_id=ids[YILAN], title="全省整村推进依兰现场推进会", participants=200
    )
    counts = {
        "assessments": 2,
        "assessment_targets": len(targets),
        "assessed_departments": departments,
        "responsibility_assignments": len(plan["key_counties"]),
        "typical_models": 1,
        "promotion_meetings": 1,
    }
    ctx.progress(f"accountability: {counts['assessments']} assessments, {len(targets)} targets, 1 typical model")
    return counts


def _occupied() -> str | None:
    if Assessment.objects.exists() or TypicalModel.objects.exists() or ResponsibilityAssignment.objects.exists():
        return "Assessments or typical models are already recorded; the demo loads into an empty database."
    return None


def _describe(summary: Mapping[str, Any]) -> str:
    return f"{summary['assessments']} assessments (draft), {summary['typical_models']} typical model county"


part(
    "accountability",
    90,
    generate=generate,
    write=_write,
    occupied=_occupied,
    analyze=(Assessment, Target, TypicalModel, ResponsibilityAssignment),
    describe=_describe,
)
