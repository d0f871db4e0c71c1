"""Every figure keeps the precision of its records: sums over decimal columns are exact
decimals (no 2-place rounding of quantities the exchange keeps to 3, no floating point
noise such as 477209.6000000001), and rounding is the display's, by one rule (``fmt``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.report import annual_report, fmt
from fupin.analytics.snapshot import take_snapshot
from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.programs import services

pytestmark = pytest.mark.django_db

# Three projects' outputs whose exact sums a double or 2 places would not keep
CROP_SEED_T = ["0.115", "0.115", "0.115"]  # 0.345 t: 0.34 or 0.35 at 2 places
SHEDS_M2 = ["0.1", "0.2", "0.4"]  # 0.7 m²: 0.1 + 0.2 + 0.4 = 0.7000000000000001 in doubles


@pytest.fixture
def outputs(province_user, county_user, yanshou_village):
    batch = services.batch_create(actor=province_user, number=4, name="第四批", start_year=2008, end_year=2009)
    plan = services.plan_create(actor=county_user, batch=batch, village_code=yanshou_village, planned_investment="1")
    for i, (seed, shed) in enumerate(zip(CROP_SEED_T, SHEDS_M2, strict=True)):
        project = services.project_create(
            actor=county_user,
            data=services.ProjectData(
                code=f"ZT4-{i:03}",
                name=f"项目{i}",
                program="village_advancement",
                category="industry",
                area_code=yanshou_village,
                start_year=2008,
                end_year=2009,
                budget="1000",
                plan=plan,
            ),
        )
        services.output_record(actor=county_user, project=project, kind_code="crop_seed", year=2009, quantity=seed)
        services.output_record(actor=county_user, project=project, kind_code="livestock_shed", year=2009, quantity=shed)


def _exact(values: list[str]) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))


def test_sums_of_decimal_records_are_exact_in_the_indicators_and_the_report(outputs, tmp_path):
    assert float(sum(float(v) for v in SHEDS_M2)) != float(_exact(SHEDS_M2))  # the noise this guards against
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    values = {
        v.indicator.id: v.value
        for v in evaluate(Engine(snapshot).scope(year=2009), ids=["output.crop_seed", "output.livestock_shed"])
    }
    assert Decimal(str(values["output.crop_seed"])) == _exact(CROP_SEED_T)
    assert Decimal(str(values["output.livestock_shed"])) == _exact(SHEDS_M2)
    rows = {r["id"]: r for r in annual_report(year=2009, snapshot=snapshot).as_json("en")["indicators"]}
    assert repr(rows["output.crop_seed"]["value"]) == str(_exact(CROP_SEED_T))
    assert repr(rows["output.livestock_shed"]["value"]) == str(_exact(SHEDS_M2))


def test_a_fund_sum_in_yuan_is_exact(province_user, tmp_path):
    amounts = ["0.10", "0.20", "477209.30"]
    province = AdminArea.objects.get(code="230000000000")
    for amount in amounts:
        funds.appropriate(
            actor=province_user, source="provincial", year=2009, area=province, amount=amount, on=dt.date(2009, 3, 1)
        )
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    table = Engine(snapshot).tables["fund_entries"]
    total = Engine(snapshot).execute(table.amount.sum())
    assert Decimal(total) == _exact(amounts)


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (Decimal("1099426000.00"), "yuan", "1,099,426,000", "1099426000"),
        (3456.5, "yuan", "3,456.50", "3456.50"),
        (0.345, "t", "0.345", "0.345"),
        (1.2345, "t", "1.235", "1.235"),  # half up, at most 3 places
        (2.5, "km", "2.5", "2.5"),  # as many places as the value has
        (47.619047619, "percent", "47.62", "47.62"),
        (38000000, "persons", "38,000,000", "38000000"),  # Django's Chinese format has no separator
        (None, "t", "—", "—"),
    ],
)
def test_display_rounds_by_one_rule_per_unit(value, unit, en, zh):
    with translation.override("en"):
        assert fmt(value, unit) == en
    with translation.override("zh-hans"):
        assert fmt(value, unit) == zh
