"""The fixed structure of the demo province: which counties have a poverty reduction
task, which are key counties, which villages are key villages. It does not depend on the
seed or the scale.

Sources and assumptions (see docs/demo.md):
- 64 counties (cities) with a task: Heilongjiang's 64 counties and county-level cities of
  2009. In today's codes that is every 县 and 县级市, less the four counties created from
  Yichun's districts in 2019 (汤旺, 丰林, 大箐山, 南岔), plus 双城 (a county-level city until
  2014, now a district of Harbin).
- 23 key counties: 延寿 (national), 巴彦 and 木兰 (provincial) are sourced; the rest of the
  national list is the commonly cited one and the rest of the provincial list is a demo
  assumption (no published county-by-county list was found).
- 3,134 key villages: every village committee (村委会) of the 23 key counties, and the rest
  spread over the other task counties in proportion to their villages, evenly by code.
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_KEY_COUNTIES = [
    "230129",  # 延寿县
    "230224",  # 泰来县
    "230225",  # 甘南县
    "230231",  # 拜泉县
    "230623",  # 林甸县
    "230826",  # 桦川县
    "230828",  # 汤原县
    "230881",  # 同江市
    "230883",  # 抚远
    "230524",  # 饶河县
    "231221",  # 望奎县
    "231222",  # 兰西县
    "231223",  # 青冈县
    "231225",  # 明水县
]
PROVINCIAL_KEY_COUNTIES = [
    "230126",  # 巴彦县
    "230127",  # 木兰县
    "230128",  # 通河县
    "230223",  # 依安县
    "230230",  # 克东县
    "230422",  # 绥滨县
    "230722",  # 嘉荫县
    "231123",  # 逊克县
    "231124",  # 孙吴县
]
COUNTIES_CREATED_AFTER_2009 = ["230723", "230724", "230725", "230726"]
COUNTY_CITIES_BEFORE_2014 = ["230113"]  # 双城市 -> 双城区
TASK_COUNTY_COUNT = 64
KEY_VILLAGE_COUNT = 3134


@dataclass
class Structure:
    task_counties: list[str]  # 12-digit codes
    key_counties: dict[str, str]  # code -> national | provincial
    key_villages: list[str]
    villages_by_county: dict[str, list[str]]  # village committees of the task counties


def choose(areas: list[tuple[str, str, str]]) -> Structure:
    """``areas``: (code, level, kind) for every area of the tree."""
    counties = [
        code
        for code, level, kind in areas
        if level == "county"
        and (
            (kind in ("county", "county_city") and code[:6] not in COUNTIES_CREATED_AFTER_2009)
            or code[:6] in COUNTY_CITIES_BEFORE_2014
        )
    ]
    if len(counties) != TASK_COUNTY_COUNT:
        raise ValueError(f"expected {TASK_COUNTY_COUNT} counties with a task, found {len(counties)}")
    villages: dict[str, list[str]] = {c: [] for c in counties}
    for code, level, kind in areas:
        if level == "village" and kind == "village":
            county = code[:6] + "000000"
            if county in villages:
                villages[county].append(code)
    key_counties = {c + "000000": "national" for c in NATIONAL_KEY_COUNTIES}
    key_counties |= {c + "000000": "provincial" for c in PROVINCIAL_KEY_COUNTIES}
    missing = set(key_counties) - set(counties)
    if missing:
        raise ValueError(f"key counties missing from the tree: {sorted(missing)}")
    key_villages = [v for c in counties if c in key_counties for v in sorted(villages[c])]
    rest = KEY_VILLAGE_COUNT - len(key_villages)
    others = [c for c in counties if c not in key_counties]
    pool = sum(len(villages[c]) for c in others)
    if rest < 0 or rest > pool:
        raise ValueError("cannot place the key villages")
    # largest remainder: each other county's share of the rest, in proportion to its villages
    exact = {c: rest * len(villages[c]) / pool for c in others}
    take = {c: int(x) for c, x in exact.items()}
    for c in sorted(others, key=lambda c: (-(exact[c] - take[c]), c))[: rest - sum(take.values())]:
        take[c] += 1
    for c in others:
        vs = sorted(villages[c])
        n = take[c]
        key_villages += [vs[(i * len(vs)) // n] for i in range(n)] if n else []
    if len(set(key_villages)) != KEY_VILLAGE_COUNT:
        raise ValueError("key villages were chosen twice")
    return Structure(counties, key_counties, sorted(key_villages), villages)
