"""The five indicators of the section ``training``, computed by the engine from a snapshot
of records written through the services, against what the records say."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.programs import services as programs
from fupin.training import services
from tests.conftest import YANSHOU

PROVINCE = "230000000000"


def _class(actor, code, type_, start, end, area=YANSHOU):
    return services.class_create(
        actor=actor,
        code=code,
        type=type_,
        subject=code,
        start_date=start,
        end_date=end,
        hours=40,
        organiser="县扶贫办",
        area_code=area,
    )


@pytest.fixture
def records(province_user, klass, make_household, yanshou_village, bayan_village):
    actor = province_user
    people = list(make_household(yanshou_village, size=5).members.order_by("id"))
    # labour transfer: 4 enrolled, 3 completed in 2009, 2 of them transferred in 2009 (one twice),
    # the third transferred in 2010 only
    for person in people[:4]:
        services.enrolment_create(actor=actor, klass=klass, person=person)
    for person in people[:3]:
        services.enrolment_complete(actor=actor, klass=klass, person=person)
    job = {"place": "哈尔滨", "destination": "province", "sector": "services", "monthly_wage": "1200"}
    services.transfer_record(actor=actor, klass=klass, person=people[0], employer="A", start_date="2009-06-10", **job)
    services.transfer_record(actor=actor, klass=klass, person=people[0], employer="B", start_date="2009-10-01", **job)
    services.transfer_record(actor=actor, klass=klass, person=people[1], employer="A", start_date="2009-07-01", **job)
    services.transfer_record(actor=actor, klass=klass, person=people[2], employer="A", start_date="2010-01-05", **job)
    services.target_set(actor=actor, area_code=PROVINCE, year=2009, trained=3, transferred=4)
    # whole-village: the same person in two classes counts once; a class ending in 2010 not at all
    wv1 = _class(actor, "WV1", "whole_village", "2009-03-01", "2009-03-05", yanshou_village)
    wv2 = _class(actor, "WV2", "whole_village", "2009-08-01", "2009-08-03", yanshou_village)
    wv3 = _class(actor, "WV3", "whole_village", "2009-12-30", "2010-01-03", yanshou_village)
    for k, group in ((wv1, people[:3]), (wv2, people[2:]), (wv3, people[:1])):
        for person in group:
            services.enrolment_create(actor=actor, klass=k, person=person, enrolled_on=k.start_date)
    # leaders: only those living in a village of the year's batch count
    batch = programs.batch_create(actor=actor, number=4, name="第四批", start_year=2008, end_year=2009)
    programs.plan_create(actor=actor, batch=batch, village_code=yanshou_village)
    leaders = _class(actor, "LD1", "leaders", "2009-05-01", "2009-05-03", PROVINCE)
    other = make_household(bayan_village, size=2).members.first()
    for person, role in ((people[0], "party_secretary"), (people[1], "business_leader"), (other, "committee_director")):
        services.enrolment_create(actor=actor, klass=leaders, person=person, leader_role=role, enrolled_on="2009-05-01")
    return people


def test_the_training_indicators(records, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    engine = Engine(snapshot)
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE))}
    assert values["training.transfer.trained"] == 3
    assert values["training.transfer.transferred"] == 2
    assert values["training.transfer.plan_completion"] == 50.0
    assert values["training.whole_village.trained"] == 5
    assert values["training.leaders.trained"] == 2
    # the county: the leaders class is held at the province, not in the county
    county = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=YANSHOU))}
    assert county["training.transfer.trained"] == 3
    assert county["training.leaders.trained"] == 0
    assert county["training.transfer.plan_completion"] is None  # no county target


def test_as_of_mid_year(records, tmp_path):
    """A snapshot of 2009-06-30 has the completions (the class ended in May) and the first
    transfer only."""
    snapshot = take_snapshot(as_of=dt.date(2009, 6, 30), root=tmp_path)
    values = {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=2009, area=PROVINCE))}
    assert values["training.transfer.trained"] == 3
    assert values["training.transfer.transferred"] == 1
