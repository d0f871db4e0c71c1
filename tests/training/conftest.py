"""Fixtures of the training tests: a base in 延寿县, a labour-transfer class of 2009 there,
and a registered household of the county whose members can be trained."""

from __future__ import annotations

import datetime as dt

import pytest

from fupin.training import services
from tests.conftest import YANSHOU

CLASS_START = dt.date(2009, 4, 1)
CLASS_END = dt.date(2009, 5, 31)


@pytest.fixture
def base(province_user):
    return services.base_create(
        actor=province_user,
        code="B-YS-1",
        name="延寿县扶贫培训基地",
        county_code=YANSHOU,
        certification="provincial",
        certified_year=2007,
        capacity=500,
        contact="王主任",
        phone="0451-5555123",
    )


@pytest.fixture
def klass(province_user, base):
    return services.class_create(
        actor=province_user,
        code="C-2009-1",
        type="labour_transfer",
        subject="电焊工",
        start_date=CLASS_START,
        end_date=CLASS_END,
        hours=120,
        subsidy_per_trainee="800",
        base=base,
    )


@pytest.fixture
def household(make_household, yanshou_village):
    return make_household(yanshou_village, size=3)


@pytest.fixture
def trainee(household):
    return household.members.order_by("id").first()
