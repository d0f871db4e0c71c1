"""The accountability part of the demo province: the seed's two figures of "measures" at a
small scale (they do not depend on it), through the snapshot and the engine, and what the
part records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from fupin.accountability.models import Assessment, PromotionMeeting, ResponsibilityAssignment, Target, TypicalModel
from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from tests.accountability.conftest import HARBIN, QIQIHAR, YILAN

SCALE = 0.004


@pytest.fixture
def demo(db):
    call_command("demo", scale=SCALE, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_gives_the_seed_figures(demo, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    ids = ["accountability.cities_assessing", "accountability.model_counties"]
    values = {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=2009, area="230000000000"), ids)}
    assert values == {"accountability.cities_assessing": 2, "accountability.model_counties": 1}


def test_what_the_part_records(demo):
    assessments = Assessment.objects.order_by("area__code")
    assert [(a.area.code, a.status) for a in assessments] == [(HARBIN, "draft"), (QIQIHAR, "draft")]
    for assessment in assessments:
        assert assessment.weights.filter(weight__gt=0).exists()
        prefix = assessment.area.code[:4]
        county_targets = Target.objects.filter(area__code__startswith=prefix, year=2009)
        assert county_targets.exists()
        assert Target.objects.filter(department__city=assessment.area, actual__isnull=False).exists()
    model = TypicalModel.objects.get()
    assert model.area.code == YILAN and model.kind == "county" and model.area.name == "依兰县"
    assert "依兰县" in model.case_zh and "Yilan County" in model.case_en
    assert PromotionMeeting.objects.get().area.code == YILAN
    key_counties = ResponsibilityAssignment.objects.values_list("area__key_county", flat=True)
    assert len(key_counties) == 23 and all(key_counties)
