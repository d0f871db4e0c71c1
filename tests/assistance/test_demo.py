"""The assistance part of the demo province, checked through the same code users run: the
snapshot and the engine give round(seed × S) for each of the 12 social indicators; the
contributions' receipts are in the ledger and the accounts agree with the entries; the
part changes no other part's generated rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.management import call_command

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.assistance.demo import split, subset_with_sum
from fupin.assistance.models import Contribution
from fupin.demo.load import generate_demo
from fupin.funds.services import check_accounts

SCALE = 0.004
SEED = {
    "social.funds_total": 217_000_000,
    "social.funds_free": 110_000_000,
    "social.funds_introduced": 107_000_000,
    "social.cadres": 2230,
    "social.units_central": 10,
    "social.units_provincial": 163,
    "social.units_city_county": 4714,
    "social.projects": 2400,
    "social.villages_assisted": 750,
    "social.farmers_trained": 150_000,
    "social.students_aided": 1600,
    "social.households_driven": 57_800,
}


@pytest.fixture
def demo(db):
    call_command("demo", scale=SCALE, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_gives_the_seed_figures_scaled(demo, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    values = {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=2009, area="230000000000"))}
    assert {key: values[key] for key in SEED} == {key: round(seed * SCALE) for key, seed in SEED.items()}
    assert values["social.households_driven"] == values["industry.base_poor_households"]


def test_the_receipts_are_in_the_ledger(demo):
    assert check_accounts() == []
    source = {"grant": "social_grant", "investment": "social_investment"}
    for c in Contribution.objects.select_related("entry__area", "area"):
        assert c.entry is not None and c.entry.kind == "appropriation"
        assert (c.entry.source, c.entry.amount, c.entry.area.code) == (
            source[c.kind],
            c.value,
            c.area.code[:6] + "000000",
        )


def test_the_part_is_reproducible(db):
    first = generate_demo(scale=0.002, seed=5, progress=lambda _m: None).generated["assistance"]
    second = generate_demo(scale=0.002, seed=5, progress=lambda _m: None).generated["assistance"]
    assert first.contributions == second.contributions and first.students == second.students
    assert first.classes == second.classes and first.counts == second.counts


def test_split_and_subset_sum_are_exact():
    rng = np.random.default_rng(1)
    for total, n in ((110_000_000, 4887), (7, 3), (5, 9)):
        parts = split(total, n, rng)
        assert sum(parts) == total and min(parts) >= 1
    sizes = rng.integers(1, 40, 300).tolist()
    for target in (1, 999, 2500):
        chosen = subset_with_sum(sizes, target, rng)
        assert sum(sizes[i] for i in chosen) == target and len(set(chosen)) == len(chosen)
    with pytest.raises(ValueError):
        subset_with_sum([2, 4], 3, rng)
