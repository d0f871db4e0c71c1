"""Shared fixtures. The test database is made by the migrations, which load the real
administrative tree of Heilongjiang from the shipped file (``geo`` 0003, as for every new
database); every test then runs in a transaction on top of it."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from fupin.core.choices import Role

PASSWORD = "test-pass-123"
YANSHOU = "230129000000"  # 延寿县, a national key county of Harbin
BAYAN = "230126000000"  # 巴彦县
QIQIHAR_TAILAI = "230224000000"  # 泰来县, another city


def _first_village(county_code: str) -> str:
    from fupin.geo.models import AdminArea

    return (
        AdminArea.objects.in_area(county_code)
        .filter(level="village", kind="village")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


@pytest.fixture
def yanshou_village(db) -> str:
    return _first_village(YANSHOU)


@pytest.fixture
def bayan_village(db) -> str:
    return _first_village(BAYAN)


@pytest.fixture
def make_user(db):
    from fupin.accounts.services import user_create

    counter = itertools.count()

    def make(role: str = Role.PROVINCE, areas: tuple[str, ...] = ("230000000000",), identifiers: bool = True):
        return user_create(
            actor=None,
            username=f"{role}-{next(counter)}",
            password=PASSWORD,
            role=role,
            area_codes=list(areas),
            can_view_identifiers=identifiers,
        )

    return make


@pytest.fixture
def province_user(make_user):
    return make_user(Role.PROVINCE, ("230000000000",))


@pytest.fixture
def county_user(make_user):
    return make_user(Role.COUNTY, (YANSHOU,))


@pytest.fixture
def village_user(make_user, yanshou_village):
    return make_user(Role.VILLAGE, (yanshou_village,))


_ids = itertools.count(1)


def id_number(area6: str = "230129", born: dt.date = dt.date(1970, 5, 17), male: bool = True) -> str:
    """A fresh valid ID number (unique within the test session)."""
    from fupin.registry.idnumbers import make

    n = next(_ids)
    seq = (2 * n + (1 if male else 0)) % 1000
    born = born + dt.timedelta(days=n // 500)
    return make(area6, born, seq)


@pytest.fixture
def make_household(db, province_user):
    """Register a household through the service, with an income record."""
    from fupin.registry import services

    def make(
        village_code: str,
        *,
        size: int = 3,
        per_capita: str | None = "800",
        year: int = 2009,
        main_cause: str = "ILLNESS",
        actor=None,
    ):
        members = [
            services.MemberData(
                name=f"成员{i}",
                id_number=id_number(village_code[:6], male=(i % 2 == 0)),
                relation="HEAD" if i == 0 else "CHILD",
                education="PRIMARY",
                labour="ORDINARY",
            )
            for i in range(size)
        ]
        household = services.household_register(
            actor=actor or province_user,
            data=services.HouseholdData(
                village_code=village_code, members=members, main_cause=main_cause, type_ordinary=True
            ),
        )
        if per_capita is not None:
            services.income_record_save(
                actor=actor or province_user,
                household=household,
                year=year,
                amounts={"wage": Decimal(per_capita) * size},
            )
        return household

    return make


def walk(household, actor, procedure: str, start: dt.date, until: str = "approve"):
    """Run a household through its procedure up to and including ``until``; returns the last date."""
    from fupin.registry import services

    steps = [
        ("apply", 0),
        ("appraise", 3),
        ("first_notice", 1),
        ("review", 7),
        ("second_notice", 1),
        ("approve", 7),
    ]
    on = start
    for action, gap in steps:
        on = on + dt.timedelta(days=gap)
        services.household_step(
            actor=actor,
            household=household,
            action=action,
            on=on,
            procedure=procedure if action == "apply" else None,
        )
        household.refresh_from_db()
        if action == until:
            break
    return on
