"""Fixtures of the discounted loans' tests: 延寿县 in the pilot 2008–2010, a poor household of
the county, a leading enterprise there and the county's discount project with 100,000 yuan
of central funds allocated to it."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.credit.loans import services
from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.industry.rules import uscc_check_character
from fupin.programs import services as programs
from tests.conftest import YANSHOU, walk

PROVINCE = "230000000000"


def uscc(n: int, county: str = YANSHOU) -> str:
    first17 = f"91{county[:6]}{n:09d}"
    return first17 + uscc_check_character(first17)


def make_enterprise(n: int, county: str = YANSHOU) -> Enterprise:
    return Enterprise.objects.create(
        code=uscc(n, county),
        name=f"龙头企业{n}",
        county=AdminArea.objects.get(code=county),
        level="provincial",
        sector=Enterprise._meta.get_field("sector").choices[0][0],
        identified_year=2008,
    )


@pytest.fixture
def pilot(province_user):
    return services.pilot_create(actor=province_user, area_code=YANSHOU, first_year=2008, last_year=2010, rate="3")


@pytest.fixture
def poor_household(make_household, yanshou_village, province_user):
    household = make_household(yanshou_village, size=3, year=2008)
    walk(household, province_user, "identification", dt.date(2008, 3, 1))
    household.refresh_from_db()
    return household


@pytest.fixture
def enterprise(db):
    return make_enterprise(1)


@pytest.fixture
def discount_project(province_user):
    project = programs.project_create(
        actor=province_user,
        data=programs.ProjectData(
            code="TX2009-230129",
            name="延寿县扶贫贴息",
            program="loan_discount",
            category="industry",
            area_code=YANSHOU,
            start_year=2009,
            end_year=2009,
        ),
    )
    province = AdminArea.objects.get(code=PROVINCE)
    funds.appropriate(
        actor=province_user, source="central", year=2009, amount="100000", area=province, on=dt.date(2009, 3, 1)
    )
    funds.allocate(
        actor=province_user,
        from_area=province,
        source="central",
        year=2009,
        amount="100000",
        project=project,
        on=dt.date(2009, 3, 2),
    )
    return project


@pytest.fixture
def household_loan(province_user, pilot, poor_household):
    return services.loan_create(
        actor=province_user,
        code="L-2009-1",
        kind="household",
        household=poor_household.code,
        lender="中国农业银行",
        principal="10000",
        rate="5.31",
        drawn_on="2009-07-01",
        matures_on="2010-07-01",
    )
