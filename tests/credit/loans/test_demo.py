"""The discounted loans' part of the demo, through the command users run, at the seed's
figures: the report's indicators, and the ledger's accounts still the sums of its entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.snapshot import take_snapshot
from fupin.credit.loans import demo as loans_demo
from fupin.credit.loans.models import Discount, Loan
from fupin.demo.registry import parts
from fupin.demo.structure import TASK_COUNTY_COUNT
from fupin.funds.services import check_accounts
from fupin.industry.models import Enterprise

from .conftest import PROVINCE, make_enterprise

SCALE = 0.01


@pytest.fixture
def demo(db, tmp_path):
    if "industry" not in {p.name for p in parts()}:
        # before the industry part exists: the loans part takes the first 17 enterprises
        # of the database; put them in task counties of the demo
        from fupin.demo.structure import NATIONAL_KEY_COUNTIES

        for n in range(17):
            make_enterprise(n + 1, NATIONAL_KEY_COUNTIES[n % len(NATIONAL_KEY_COUNTIES)] + "000000")
    call_command("demo", scale=SCALE, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    snapshot = take_snapshot(as_of=dt.date(2010, 6, 30), root=tmp_path)
    engine = Engine(snapshot)
    return {v.indicator.id: v.value for v in evaluate(engine.scope(year=2009, area=PROVINCE))}


def test_the_seed_figures(demo):
    n = round(40_000 * SCALE)
    assert demo["discount.funds"] == pytest.approx(12_000_000, abs=0.001)
    assert demo["discount.poor_households"] == n
    assert demo["discount.villages"] == min(n, loans_demo.VILLAGES)
    assert demo["discount.enterprises"] == 17
    assert demo["discount.projects"] == 41
    assert demo["industry.enterprises_supported"] == 17
    assert demo["industry.discount_subsidy"] == pytest.approx(6_000_000, abs=0.001)
    assert demo["industry.loans"] == pytest.approx(760_000_000, abs=0.001)


def test_the_demo_keeps_the_ledger_and_the_rule(demo):
    assert check_accounts() == []
    # every discount is the rule's, recomputed from the records
    from fupin.credit.loans.selectors import discount_quote

    for discount in Discount.objects.select_related("loan__area").order_by("?")[:60]:
        quote = discount_quote(discount.loan, 2009)
        assert quote.cap == discount.amount and quote.days == discount.days
    assert Loan.objects.filter(kind="enterprise").values("enterprise").distinct().count() == 17
    assert Enterprise.objects.filter(discount_loans__isnull=False).distinct().count() == 17


def test_enterprise_plan_is_exact():
    plan = loans_demo.enterprise_plan()
    assert len(plan) == 17
    assert sum(p for p, _d, _m in plan) == loans_demo.ENTERPRISE_PRINCIPAL_FEN
    assert sum(loans_demo._discount_fen(p, d, m, loans_demo.RATE) for p, d, m in plan) == 6_000_000_00
    assert TASK_COUNTY_COUNT == 64
