"""Fixtures of the industry tests: a leading enterprise of 延寿县 with a production base in
a village of the county, and a household of the county."""

from __future__ import annotations

import pytest

from fupin.industry import services
from fupin.industry.rules import uscc_check_character
from tests.conftest import YANSHOU


def code(first17: str = "91230129MA0000001") -> str:
    """A valid unified social credit code."""
    return first17 + uscc_check_character(first17)


def wrong_code(first17: str = "91230129MA0000001") -> str:
    """The same with a wrong check character."""
    right = uscc_check_character(first17)
    return first17 + ("1" if right != "1" else "2")


@pytest.fixture
def enterprise(province_user):
    return services.enterprise_create(
        actor=province_user,
        code=code(),
        name="延寿县大豆龙头企业",
        county_code=YANSHOU,
        level="provincial",
        sector="processing",
        identified_year=2009,
    )


@pytest.fixture
def base(province_user, enterprise, yanshou_village):
    return services.base_create(
        actor=province_user,
        enterprise=enterprise,
        code="JD-YS-1",
        name="大豆生产基地",
        product="大豆",
        area_mu="1200",
        established_year=2008,
        village_codes=[yanshou_village],
    )


@pytest.fixture
def household(make_household, yanshou_village):
    return make_household(yanshou_village, size=3)
