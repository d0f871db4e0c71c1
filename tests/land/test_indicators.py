"""The five indicators of the section ``land_transfer``, computed by the engine from a
snapshot of records written through the services, against what the records say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.land import services
from fupin.programs import services as programs
from fupin.registry import services as registry
from tests.conftest import YANSHOU, walk

PROVINCE = "230000000000"


def _contract(actor, number, village, transferors, start, term, **kw):
    return services.contract_create(
        actor=actor,
        number=number,
        village_code=village,
        transferee_kind="cooperative",
        transferee_name="合作社",
        mode="lease",
        start_date=start,
        term_years=term,
        payment="rent",
        rent_per_mu="200",
        transferors=transferors,
        **kw,
    )


@pytest.fixture
def records(province_user, make_household, yanshou_village, bayan_village):
    actor = province_user
    batch = programs.batch_create(actor=actor, number=4, name="第四批", start_year=2008, end_year=2009)
    programs.plan_create(actor=actor, batch=batch, village_code=yanshou_village)
    # a: poor from May 2008, exited in June 2009; b: never poor; c: poor only from August 2009;
    # d: poor from April 2008, still poor
    a = make_household(yanshou_village, year=2008, per_capita="500", size=2)
    registry.income_record_save(actor=actor, household=a, year=2009, amounts={"wage": Decimal("8000")})
    b, c = make_household(yanshou_village), make_household(yanshou_village)
    d = make_household(yanshou_village, year=2008, per_capita="500")
    walk(a, actor, "identification", dt.date(2008, 5, 1))
    walk(a, actor, "exit", dt.date(2009, 6, 1))
    walk(c, actor, "identification", dt.date(2009, 8, 1))
    walk(d, actor, "identification", dt.date(2008, 4, 1))
    # in force at the end of 2009: 30 + 20 + 10 mu, and d's 40 mu
    _contract(actor, "C1", yanshou_village, [(a, "30"), (b, "20"), (c, "10")], dt.date(2009, 3, 1), 10)
    _contract(actor, "C4", yanshou_village, [(d, "40")], dt.date(2009, 6, 1), 5)
    # ended in 2008; terminated in November 2009; starting in 2010; not a batch village
    _contract(actor, "C2", yanshou_village, [(d, "15")], dt.date(2008, 6, 1), 1)
    c3 = _contract(actor, "C3", yanshou_village, [(d, "25")], dt.date(2009, 5, 1), 5)
    services.contract_terminate(actor=actor, contract=c3, on=dt.date(2009, 11, 30))
    _contract(actor, "C5", yanshou_village, [(b, "7")], dt.date(2010, 1, 1), 5)
    _contract(actor, "C6", bayan_village, [(make_household(bayan_village), "100")], dt.date(2009, 3, 1), 10)
    return a, b, c, d


def test_the_land_indicators(records, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2010, 6, 30), root=tmp_path)
    engine = Engine(snapshot)
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE))}
    assert values["land.villages"] == 1
    assert values["land.area_mu"] == 100
    assert values["land.households"] == 4
    assert values["land.poor_households"] == 2  # a and d; c became poor after its contract began
    assert values["land.poor_exited_share"] == 50.0  # a exited, d not
    county = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=YANSHOU))}
    assert county["land.area_mu"] == 100
    # 2010: C5 is in force too, C1 and C4 still are; the batch of 2010 is another
    later = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2010, area=PROVINCE))}
    assert later["land.villages"] == 0


def test_as_of_the_end_of_2009_and_none_without_contracts(records, tmp_path, bayan_village):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    engine = Engine(snapshot)
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE))}
    assert values["land.households"] == 4
    bayan = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=bayan_village[:6] + "000000"))}
    assert bayan["land.villages"] == 0
    assert bayan["land.poor_exited_share"] is None
