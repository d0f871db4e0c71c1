"""Fixtures of the land tests: two registered households of a village of 延寿县, a household
of 巴彦县, a leading enterprise of 延寿县, and a contract-making helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fupin.industry.models import Enterprise
from fupin.industry.rules import uscc_check_character
from fupin.land import services
from tests.conftest import YANSHOU

START = dt.date(2009, 3, 1)


def uscc(body: str = "91230129MA1B2C3D4") -> str:
    return body + uscc_check_character(body)


@pytest.fixture
def households(make_household, yanshou_village):
    return [make_household(yanshou_village, size=2), make_household(yanshou_village, size=3)]


@pytest.fixture
def stranger(make_household, bayan_village):
    return make_household(bayan_village, size=2)


@pytest.fixture
def enterprise(db):
    from fupin.geo.models import AdminArea

    return Enterprise.objects.create(
        code=uscc(),
        name="延寿县绿色米业有限公司",
        county=AdminArea.objects.get(code=YANSHOU),
        level="provincial",
        sector="processing",
        identified_year=2006,
    )


def contract_values(village: str, transferors: list[tuple[Any, Any]], **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "number": "LZ-2009-001",
        "village_code": village,
        "transferee_kind": "cooperative",
        "transferee_name": "延寿县水稻种植合作社",
        "mode": "lease",
        "start_date": START,
        "term_years": 10,
        "payment": "rent",
        "rent_per_mu": "260",
        "transferors": transferors,
    }
    return values | kw


@pytest.fixture
def make_contract(province_user, yanshou_village, households):
    def make(actor=None, **kw: Any):
        transferors = kw.pop("transferors", [(households[0], "30.5"), (households[1], "42")])
        return services.contract_create(
            actor=actor or province_user, **contract_values(kw.pop("village_code", yanshou_village), transferors, **kw)
        )

    return make
