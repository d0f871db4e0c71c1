"""The indicators of the section ``industrialization`` that industry computes, by the
engine from a snapshot of records written through the services, against what the records
say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.geo.models import AdminArea
from fupin.industry import services
from fupin.registry import services as registry
from tests.conftest import BAYAN, YANSHOU, walk
from tests.industry.conftest import code

PROVINCE = "230000000000"


def _income(actor, household, year, wage):
    registry.income_record_save(actor=actor, household=household, year=year, amounts={"wage": Decimal(wage)})


@pytest.fixture
def records(province_user, enterprise, yanshou_village, bayan_village, make_household):
    actor = province_user
    key = AdminArea.objects.get(code=yanshou_village)
    key.key_village = True
    key.save()
    # an enterprise identified in 2008 with a base of 2009 in two villages (one key, one not)
    other = services.enterprise_create(
        actor=actor,
        code=code("91230126MA0000003"),
        name="巴彦县企业",
        county_code=BAYAN,
        level="city",
        sector="livestock",
        identified_year=2008,
    )
    base = services.base_create(
        actor=actor,
        enterprise=enterprise,
        code="JD-1",
        name="基地",
        product="大豆",
        area_mu="100",
        established_year=2009,
        village_codes=[yanshou_village, bayan_village],
    )
    later = services.base_create(
        actor=actor,
        enterprise=other,
        code="JD-2",
        name="后来的基地",
        product="肉牛",
        area_mu="100",
        established_year=2010,
        village_codes=[bayan_village],
    )
    poor = make_household(yanshou_village, size=2, per_capita="500", year=2008)
    walk(poor, actor, "identification", dt.date(2008, 3, 1))
    _income(actor, poor, 2009, "2000")  # +1,000
    rich = make_household(bayan_village, size=2, per_capita="3000", year=2008)
    _income(actor, rich, 2009, "15000")  # +9,000
    only_2009 = make_household(bayan_village, size=2, per_capita="3000", year=2009)  # no 2008 income
    late = make_household(yanshou_village, size=2, per_capita="500", year=2008)
    walk(late, actor, "identification", dt.date(2008, 3, 1))
    for household in (poor, rich, only_2009):
        services.base_link(actor=actor, base=base, household=household, joined_on="2009-05-01")
    services.base_link(actor=actor, base=base, household=late, joined_on="2010-02-01")  # after the year
    services.base_link(actor=actor, base=later, household=rich, joined_on="2010-02-01")
    return base


def _values(snapshot, area=PROVINCE, year=2009):
    return {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=year, area=area))}


def test_the_industry_indicators(records, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2010, 12, 31), root=tmp_path)
    values = _values(snapshot)
    assert values["industry.enterprises_new"] == 1  # the 2009 one; the other is of 2008
    assert values["industry.base_villages"] == 1  # the key village; the other is no key village
    assert values["industry.base_poor_households"] == 1  # the poor one; not the one linked in 2010
    assert values["industry.income_increase_per_household"] == 5000.0  # (1,000 + 9,000) / 2
    county = _values(snapshot, YANSHOU)
    assert county["industry.base_poor_households"] == 1
    assert county["industry.income_increase_per_household"] == 1000.0
    bayan = _values(snapshot, BAYAN)
    assert bayan["industry.enterprises_new"] == 0
    assert bayan["industry.base_villages"] == 0
    later = _values(snapshot, year=2010)
    assert later["industry.base_poor_households"] == 2
    assert later["industry.enterprises_new"] == 0


def test_as_of_before_the_links(records, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 4, 30), root=tmp_path)
    values = _values(snapshot)
    assert values["industry.base_poor_households"] == 0
    assert values["industry.base_villages"] == 1
