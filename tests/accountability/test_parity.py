"""Each rule once, on every channel: the refusals of the services (a target on an unknown
indicator, a target of 0 or below, negative, unknown or all-zero weights, an assessment by
a county, a county with an entered actual figure) are refused by the API and by the
importer on the same field with the same reason, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from fupin.accountability import services
from fupin.accountability.exchange import ASSESSMENTS, TARGETS
from fupin.accountability.models import Assessment, Target, Weight
from fupin.core.errors import ApplicationError
from fupin.exchange.importer import plan_import
from fupin.exchange.reader import read_package
from tests.accountability.conftest import PROVINCE
from tests.conftest import YANSHOU
from tests.testing import api


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts() -> tuple[int, ...]:
    return (Target.objects.count(), Assessment.objects.count(), Weight.objects.count())


def _check(tmp_path: Path, user: Any, service: Callable[[], Any], url: str, data: dict, file: str, rows: list[str]):
    before = _counts()
    with pytest.raises(ApplicationError) as exc:
        service()
    by_service = (str(exc.value.field), str(exc.value.message))
    client = api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, data, format="json")
    assert response.status_code in (400, 403), response.json()
    assert (response.json()["field"], response.json()["message"]) == by_service
    folder = tmp_path / "package"
    folder.mkdir()
    entity = TARGETS if file == "accountability_targets" else ASSESSMENTS
    (folder / f"{file}.csv").write_text("\n".join([",".join(entity.column_names), *rows]) + "\n", encoding="utf-8")
    plan = plan_import(read_package(folder), user=user)
    mine = [(e.column, e.reason) for e in plan.errors if e.column == by_service[0]]
    assert mine, plan.errors
    assert mine[0] == by_service
    assert _counts() == before


def test_target_on_an_unknown_indicator(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.target_set(
            actor=province_user, year=2009, indicator="poor.unknown", value="5", area_code=YANSHOU
        ),
        "/api/accountability/targets/",
        {"year": 2009, "area": YANSHOU, "indicator": "poor.unknown", "value": "5"},
        "accountability_targets",
        [f"2009,{YANSHOU},,poor.unknown,5,"],
    )


def test_target_below_zero(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.target_set(
            actor=province_user, year=2009, indicator="poor.people", value="-5", area_code=YANSHOU
        ),
        "/api/accountability/targets/",
        {"year": 2009, "area": YANSHOU, "indicator": "poor.people", "value": "-5"},
        "accountability_targets",
        [f"2009,{YANSHOU},,poor.people,-5,"],
    )


def test_actual_figure_of_a_county(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.target_set(
            actor=province_user, year=2009, indicator="poor.people", value="5", area_code=YANSHOU, actual="4"
        ),
        "/api/accountability/targets/",
        {"year": 2009, "area": YANSHOU, "indicator": "poor.people", "value": "5", "actual": "4"},
        "accountability_targets",
        [f"2009,{YANSHOU},,poor.people,5,4"],
    )


@pytest.mark.parametrize(
    ("weights", "cell"),
    [
        ({"poor.people": "-1", "poor.households": "3"}, "poor.people=-1;poor.households=3"),
        ({"poor.people": "0", "poor.households": "0"}, "poor.people=0;poor.households=0"),
        ({"poor.unknown": "1"}, "poor.unknown=1"),
    ],
)
def test_bad_weights(tmp_path, province_user, weights, cell):
    _check(
        tmp_path,
        province_user,
        lambda: services.assessment_create(
            actor=province_user, area_code=PROVINCE, year=2009, title="t", weights=weights
        ),
        "/api/accountability/assessments/",
        {"area": PROVINCE, "year": 2009, "title": "t", "weights": weights},
        "accountability_assessments",
        [f"{PROVINCE},2009,t,{cell}"],
    )


def test_a_county_does_not_assess(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.assessment_create(
            actor=province_user, area_code=YANSHOU, year=2009, title="t", weights={"poor.people": "1"}
        ),
        "/api/accountability/assessments/",
        {"area": YANSHOU, "year": 2009, "title": "t", "weights": {"poor.people": "1"}},
        "accountability_assessments",
        [f"{YANSHOU},2009,t,poor.people=1"],
    )
