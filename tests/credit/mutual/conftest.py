"""Fixtures of the mutual fund tests: a key village of 延寿县 whose entire village
advancement plan is running, a county-level project with central funds allocated to it,
a fund established there with its fiscal seed, and households of the village."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.credit.mutual import services
from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from fupin.programs.models import Batch
from tests.conftest import YANSHOU

PROVINCE = "230000000000"
ESTABLISHED = dt.date(2009, 4, 1)


def key_village_running(actor, code: str, *, start: bool = True):
    AdminArea.objects.filter(code=code).update(key_village=True)
    batch = Batch.objects.filter(number=4).first() or programs.batch_create(
        actor=actor, number=4, name="第四批", start_year=2008, end_year=2009
    )
    plan = programs.plan_create(actor=actor, batch=batch, village_code=code)
    if start:
        programs.plan_start(actor=actor, plan=plan, on=dt.date(2008, 4, 1))
    return plan


@pytest.fixture
def running_village(province_user, yanshou_village):
    key_village_running(province_user, yanshou_village)
    return yanshou_village


@pytest.fixture
def seed_project(province_user):
    """A county-level project of 延寿县 with 500,000 yuan of central funds of 2009 allocated to it."""
    project = programs.project_create(
        actor=province_user,
        data=programs.ProjectData(
            code="HZ-230129-2009",
            name="互助资金试点",
            program="mutual_fund",
            category="industry",
            area_code=YANSHOU,
            start_year=2009,
            end_year=2009,
        ),
    )
    province = AdminArea.objects.get(code=PROVINCE)
    funds.appropriate(
        actor=province_user, source="central", year=2009, amount="500000", area=province, on=dt.date(2009, 1, 10)
    )
    funds.allocate(
        actor=province_user,
        from_area=province,
        source="central",
        year=2009,
        amount="500000",
        project=project,
        on=dt.date(2009, 1, 20),
    )
    return project


@pytest.fixture
def fund(province_user, running_village):
    return services.fund_create(
        actor=province_user,
        code="HZ-1",
        name="互助资金协会",
        village_code=running_village,
        established_on=ESTABLISHED,
        loan_ceiling="5000",
        longest_term=12,
        fee_rate="6",
        share_value="100",
        welfare_share="10",
    )


@pytest.fixture
def seeded(province_user, fund, seed_project):
    services.seed_record(
        actor=province_user, fund=fund, kind="fiscal", amount="300000", received_on=ESTABLISHED, project=seed_project
    )
    services.seed_record(
        actor=province_user, fund=fund, kind="donation", amount="20000", received_on=ESTABLISHED, donor="某企业"
    )
    return fund


@pytest.fixture
def household(make_household, running_village):
    return make_household(running_village, size=3)


@pytest.fixture
def member(province_user, seeded, household):
    return services.member_join(
        actor=province_user, fund=seeded, household_code=household.code, joined_on=ESTABLISHED, shares=3
    )


@pytest.fixture
def clerk(make_user, running_village):
    return make_user("village", (running_village,))


def superuser():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="mutual-setup", defaults={"is_superuser": True, "role": "province"}
    )
    return user


def prepared_village(code: str) -> str:
    """Make the village a key village whose plan is running (once)."""
    from fupin.programs.models import VillagePlan

    if not VillagePlan.objects.filter(village__code=code).exists():
        key_village_running(superuser(), code)
    return code


def make_fund(actor, village_code: str, code: str | None = None, **kw):
    prepared_village(village_code)
    values = {"loan_ceiling": "5000", "longest_term": 12, "fee_rate": "6", "established_on": ESTABLISHED, **kw}
    return services.fund_create(
        actor=actor, code=code or f"HZ{village_code}", name="互助资金协会", village_code=village_code, **values
    )
