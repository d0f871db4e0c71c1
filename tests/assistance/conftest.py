"""Fixtures of the assistance tests: units of each level around 延寿县 (Harbin), a household
of the county and a programs project in its village."""

from __future__ import annotations

import pytest

from fupin.assistance import services
from fupin.geo.models import AdminArea
from tests.conftest import YANSHOU

PROVINCE = "230000000000"
HARBIN = "230100000000"


@pytest.fixture
def provincial_unit(province_user):
    return services.unit_create(
        actor=province_user,
        code="SZ-001",
        name="省财政厅",
        name_en="Provincial Finance Department",
        level="provincial",
        area_code=PROVINCE,
    )


@pytest.fixture
def city_unit(province_user):
    return services.unit_create(
        actor=province_user, code="SZ-HRB-01", name="哈尔滨市农委", level="city", area_code=HARBIN
    )


@pytest.fixture
def county_unit(province_user):
    return services.unit_create(
        actor=province_user, code="XZ-YS-01", name="延寿县交通局", level="county", area_code=YANSHOU
    )


@pytest.fixture
def household(make_household, yanshou_village):
    return make_household(yanshou_village, size=3)


@pytest.fixture
def project(db, yanshou_village):
    from fupin.programs.models import Project

    return Project.objects.create(
        code="XM-YS-1",
        name="村道硬化",
        program="social",
        category="infrastructure",
        area=AdminArea.objects.get(code=yanshou_village),
        start_year=2009,
        end_year=2009,
    )
