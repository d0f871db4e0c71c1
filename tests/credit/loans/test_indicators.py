"""The indicators of ``loan_discount`` and the four ``industry.*`` the loans compute, by the
engine from a snapshot of records written through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.credit.loans import services
from tests.conftest import YANSHOU

from .conftest import PROVINCE

IDS = [
    "discount.funds",
    "discount.poor_households",
    "discount.villages",
    "discount.enterprises",
    "discount.projects",
    "industry.enterprises_supported",
    "industry.discount_subsidy",
    "industry.loans",
]


@pytest.fixture
def records(province_user, pilot, poor_household, make_household, yanshou_village, enterprise, discount_project):
    actor = province_user
    common = {"lender": "农行", "rate": "5.31"}
    # the poor household: two loans, one discount each; a non-poor household: counted in the funds only
    services.loan_create(
        actor=actor,
        code="H1",
        kind="household",
        household=poor_household.code,
        principal="10000",
        drawn_on="2009-07-01",
        matures_on="2010-07-01",
        **common,
    )
    services.loan_create(
        actor=actor,
        code="H2",
        kind="household",
        household=poor_household.code,
        principal="2000",
        drawn_on="2009-09-01",
        matures_on="2010-03-01",
        **common,
    )
    other = make_household(yanshou_village, size=2)
    services.loan_create(
        actor=actor,
        code="H3",
        kind="household",
        household=other.code,
        principal="3000",
        drawn_on="2009-01-01",
        matures_on="2010-01-01",
        **common,
    )
    services.loan_create(
        actor=actor,
        code="E1",
        kind="enterprise",
        enterprise=enterprise.code,
        principal="1000000",
        drawn_on="2009-09-23",
        matures_on="2011-09-23",
        **common,
    )
    # drawn in 2008: not in industry.loans of 2009, but discounted in 2009
    services.loan_create(
        actor=actor,
        code="E0",
        kind="enterprise",
        enterprise=enterprise.code,
        principal="500000",
        drawn_on="2008-07-01",
        matures_on="2009-07-01",
        **common,
    )
    services.loan_create(
        actor=actor,
        code="P1",
        kind="project",
        project=discount_project.code,
        principal="200000",
        drawn_on="2009-01-01",
        matures_on="2010-01-01",
        **common,
    )
    return services.discount_pay(
        actor=actor, project=discount_project, year=2009, source="central", on=dt.date(2009, 12, 20)
    )


def test_the_indicators_from_the_records(records, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    engine = Engine(snapshot)
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE), IDS)}
    # H1 252.05, H2 10,000+2,000 under the cap: 2,000 × 0.05 × 122 / 365 = 33.42, H3 150.00,
    # E1 8,219.18, E0 500,000 × 0.03 × 181 / 365 = 7,438.36, P1 6,000.00
    e = 8219.18 + 7438.36
    assert values["discount.funds"] == pytest.approx(252.05 + 33.42 + 150.00 + e + 6000.00)
    assert values["discount.poor_households"] == 1
    assert values["discount.villages"] == 1
    assert values["discount.enterprises"] == 1
    assert values["discount.projects"] == 1
    assert values["industry.enterprises_supported"] == 1
    assert values["industry.discount_subsidy"] == pytest.approx(e)
    assert values["industry.loans"] == pytest.approx(1_000_000)
    county = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=YANSHOU), IDS)}
    assert county["discount.funds"] == values["discount.funds"]
    other_county = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area="230126000000"), IDS)}
    assert other_county["discount.funds"] == 0 and other_county["discount.poor_households"] == 0
    # as of a date before the payment, nothing was paid
    early = Engine(take_snapshot(as_of=dt.date(2009, 12, 1), root=tmp_path / "early"))
    values = {v.indicator.id: v.value for v in evaluate(early.scope(year=2009, area=PROVINCE), IDS)}
    assert values["discount.funds"] == 0


def test_labour_absorbed_joins_the_employments_of_supported_enterprises(records, tmp_path, poor_household, enterprise):
    """``industry.labor_absorbed`` on a stand-in of industry's ``enterprise_employments``
    (registered by the industry app after the merge)."""
    import ibis

    from fupin.credit.loans.indicators import labor_absorbed

    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    scope = Engine(snapshot).scope(year=2009, area=PROVINCE)
    member = poor_household.members.order_by("id").first()
    rows = {
        "id": [1, 2, 3, 4],
        "enterprise_id": [enterprise.pk, enterprise.pk, enterprise.pk, enterprise.pk + 1000],
        "person_id": [member.pk, member.pk, 999_999, member.pk],
        "household_id": [poor_household.pk, poor_household.pk, 999_999, poor_household.pk],
        "start_date": [dt.date(2009, 3, 1), dt.date(2009, 8, 1), dt.date(2009, 3, 1), dt.date(2009, 3, 1)],
        "end_date": [dt.date(2009, 6, 30), None, None, None],
        "monthly_wage": [1200.0, 1300.0, 1000.0, 900.0],
    }
    scope.tables["enterprise_employments"] = ibis.memtable(rows)
    # one person (twice employed) of a poor household at the supported enterprise; the
    # unknown household and the other enterprise do not count
    assert scope.con.execute(labor_absorbed(scope)) == 1
