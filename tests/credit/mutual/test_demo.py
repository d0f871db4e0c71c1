"""The mutual funds' part of the demo province, checked through the code users run: the
annual report gives the seed's seven figures of 2009, the API lists the funds, and the
records keep the fund rules (members of the fund's village, one membership per
household, fiscal seed through county-level projects of the ledger, cash never below
zero)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.credit.mutual import selectors
from fupin.credit.mutual.models import FundSeed, Membership, MutualFund
from fupin.funds.services import check_accounts
from tests.testing import api

SCALE = 0.01
SEED_2009 = {
    "mutual.funds_fiscal": 18_000_000,
    "mutual.pilot_villages_new": 60,
    "mutual.pilot_counties_new": 39,
    "mutual.avg_subsidy_per_village": 300_000,
    "mutual.member_households": round(11_856 * SCALE),
    "mutual.total_assets": 32_400_000,
    "mutual.pilot_villages_total": 154,
}


@pytest.fixture
def demo(db):
    call_command("demo", scale=SCALE, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_report_gives_the_seed_figures(demo, tmp_path):
    engine = Engine(take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path))
    values = {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009))}
    assert {k: values[k] for k in SEED_2009} == SEED_2009


def test_the_records_keep_the_rules(demo, province_user):
    assert not check_accounts()
    assert not Membership.objects.exclude(household__village=F("fund__village")).exists()
    assert not Membership.objects.values("household").annotate(n=Count("id")).filter(n__gt=1).exists()
    for seed in FundSeed.objects.filter(kind="fiscal").select_related("entry__project__area", "fund__village"):
        project = seed.entry.project
        assert seed.entry.kind == "disbursement" and project.zone_id is None and project.plan_id is None
        assert project.area.code == seed.fund.village.code[:6] + "000000"
    for fund in MutualFund.objects.filter(established_on__year=2009):
        sheet = selectors.balance_sheet(fund, dt.date(2009, 12, 31))
        assert sheet["cash"] >= 0 and sheet["welfare_balance"] >= 0
        assert fund.village.key_village
    listing = api(province_user).get("/api/credit/funds/", {"year": 2009}).json()
    assert listing["count"] == 60
