"""The industry part of the demo province, checked through the same code users run: the
snapshot and the engine (the annual report's figures), and the part's interface with the
loans part (``ctx.shared["industry.supported"]``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.management import call_command

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.demo.load import generate_demo
from fupin.industry import rules
from fupin.industry.demo import exact_subset
from fupin.industry.models import Employment, Enterprise

SCALE = 0.004


@pytest.fixture
def demo(db):
    call_command("demo", scale=SCALE, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_gives_the_seed_figures(demo, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    values = {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=2009, area="230000000000"))}
    assert values["industry.enterprises_new"] == 7
    assert values["industry.base_villages"] == 136
    assert values["industry.base_poor_households"] == round(57_800 * SCALE)
    assert values["industry.income_increase_per_household"] == 5000.0
    # every enterprise code passes the GB 32100 rules
    for code in Enterprise.objects.values_list("code", flat=True):
        assert rules.uscc_check_character(code[:17]) == code[17]


def test_the_supported_enterprises_employ_the_poor(demo):
    """17 enterprises identified before 2009; their employees in 2009 are members of
    round(3,452 S) distinct households' people, all of households poor throughout 2009."""
    supported = list(Enterprise.objects.filter(identified_year__lt=2009).order_by("id")[:17])
    jobs = Employment.objects.filter(enterprise__in=supported, start_date__lte="2009-12-31").exclude(
        end_date__lt="2009-01-01"
    )
    assert jobs.values("person").distinct().count() == round(3_452 * SCALE)
    assert set(jobs.values_list("person__household__status", flat=True)) == {"poor"}


def test_the_supported_codes_are_shared_before_the_loans_part(db):
    ctx = generate_demo(scale=0.002, seed=7, progress=lambda _m: None)
    codes = ctx.shared["industry.supported"]
    assert len(codes) == 17 == len(set(codes))
    assert all(isinstance(c, str) and rules.uscc_check_character(c[:17]) == c[17] for c in codes)


def test_exact_subset_hits_the_target():
    rng = np.random.default_rng(1)
    values = rng.integers(-2_000_000, 3_000_000, 500)
    for target in (0, 1, 12_345_678, -4_000_001):
        chosen = exact_subset(rng, values, target)
        assert int(values[chosen].sum()) == target
