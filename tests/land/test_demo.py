"""The land part of the demo province, checked through the code users run: the annual
report's indicators from a snapshot, the API, and the rules every demo contract keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.demo.load import generate_demo
from fupin.land import rules
from fupin.land.models import LandContract, Transferor
from tests.testing import api

SCALE = 0.01


@pytest.fixture
def demo(db):
    call_command("demo", scale=SCALE, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_gives_the_seed_figures(demo, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    values = {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=2009, area="230000000000"))}
    assert values["land.area_mu"] == 3_151_000
    assert values["land.households"] == round(75_000 * SCALE)
    assert values["land.poor_households"] == round(46_000 * SCALE)
    assert values["land.poor_exited_share"] == 100
    # 750 at scale 1; at this scale some batch villages have no household to give
    assert 700 <= values["land.villages"] <= 750


def test_every_demo_contract_keeps_the_rules(demo, province_user):
    limit = rules.second_round_end()
    assert not LandContract.objects.filter(end_date__gt=limit).exists()
    assert not LandContract.objects.filter(end_date__lt=dt.date(2009, 12, 31)).exists()
    assert not Transferor.objects.filter(area_mu__lte=0).exists()
    assert not Transferor.objects.exclude(household__village=F("contract__village")).exists()
    assert not LandContract.objects.annotate(n=Count("transferors")).filter(n=0).exists()
    for contract in LandContract.objects.order_by("id")[:50]:
        assert contract.end_date == rules.contract_end(contract.start_date, contract.term_years)
    total = Transferor.objects.aggregate(s=Sum("area_mu"))["s"]
    assert total == 3_151_000
    response = api(province_user).get("/api/land/contracts/", {"in_force": "2009-12-31"})
    assert response.status_code == 200
    assert response.json()["count"] == LandContract.objects.count()


def test_the_generated_part_is_exact_at_another_scale(db):
    ctx = generate_demo(scale=0.02, seed=3)
    land = ctx.generated["land"]
    assert len(land.transferors) == round(75_000 * 0.02)
    assert land.counts["land_poor_transferors"] == round(46_000 * 0.02)
    hundredths = sum(round(float(t[3]) * 100) for t in land.transferors)
    assert hundredths == 3_151_000 * 100
    # every batch village with a household that is not a returned one gets a contract
    households = ctx.generated["registry"].households
    batch = {p["village"] for p in ctx.generated["programs"].plans if p["batch"] == 4}
    candidates = {
        v
        for v, returned in zip(households.values("village_code"), households.values("returned"), strict=True)
        if v in batch and not returned
    }
    assert len({c[2] for c in land.contracts}) == land.counts["land_villages"] == len(candidates)
    assert len(batch) == 750
