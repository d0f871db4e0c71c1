"""The seven indicators of the section ``mutual_funds``, computed by the engine from a
snapshot of records written through the services, against what the records say."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.credit.mutual import selectors, services
from tests.conftest import BAYAN, YANSHOU
from tests.credit.mutual.conftest import ESTABLISHED, key_village_running

PROVINCE = "230000000000"


@pytest.fixture
def records(province_user, seeded, make_household, running_village, bayan_village):
    actor = province_user
    households = [make_household(running_village) for _ in range(3)]
    for h in households:
        services.member_join(actor=actor, fund=seeded, household_code=h.code, joined_on=ESTABLISHED, shares=2)
    loan = services.loan_record(
        actor=actor,
        fund=seeded,
        household_code=households[0].code,
        applied_on="2009-05-01",
        amount="4000",
        term_months=6,
        purpose="养猪",
    )
    services.repay(actor=actor, loan=loan, paid_on="2009-11-01", principal="4000", fee="120")
    services.welfare_spend(actor=actor, fund=seeded, spent_on="2009-12-10", amount="12", purpose="路灯")
    # a member joining in 2010 does not count in 2009
    late = make_household(running_village)
    services.member_join(actor=actor, fund=seeded, household_code=late.code, joined_on="2010-02-01")
    # a fund of 2008 in 巴彦县, still open, counts in the total only; one closed in 2009 in neither
    key_village_running(actor, bayan_village)
    services.fund_create(
        actor=actor,
        code="HZ-OLD",
        name="旧",
        village_code=bayan_village,
        established_on="2008-05-01",
        loan_ceiling="3000",
        longest_term=12,
        fee_rate="6",
    )
    return seeded


def test_the_mutual_fund_indicators(records, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2010, 6, 30), root=tmp_path)
    engine = Engine(snapshot)
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE))}
    sheet = selectors.balance_sheet(records, dt.date(2009, 12, 31))
    assert values["mutual.funds_fiscal"] == 300000
    assert values["mutual.pilot_villages_new"] == 1
    assert values["mutual.pilot_counties_new"] == 1
    assert values["mutual.avg_subsidy_per_village"] == 300000
    assert values["mutual.member_households"] == 3
    # 300,000 + 20,000 seed, 3 × 200 shares, 120 fees, 12 spent
    assert values["mutual.total_assets"] == float(sheet["total_assets"]) == 320708
    assert values["mutual.pilot_villages_total"] == 2
    county = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=BAYAN))}
    assert county["mutual.pilot_villages_new"] == 0 and county["mutual.pilot_villages_total"] == 1
    yanshou = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=YANSHOU))}
    assert yanshou["mutual.member_households"] == 3
    y2008 = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2008, area=PROVINCE))}
    assert y2008["mutual.pilot_villages_new"] == 1 and y2008["mutual.pilot_villages_total"] == 1


def test_closed_funds_leave_the_total(records, province_user, tmp_path):
    old = records.__class__.objects.get(code="HZ-OLD")
    services.fund_close(actor=province_user, fund=old, on="2009-06-30")
    engine = Engine(take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path))
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE))}
    assert values["mutual.pilot_villages_total"] == 1
