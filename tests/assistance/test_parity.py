"""Each rule once, on every channel: the refusals of the assistance services are refused by
the API and by the importer on the same field with the same reason, and nothing changes
(a negative contribution, a pairing outside the unit's reach, an aided student not in the
registry, a unit whose area does not fit its level, backwards years)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from fupin.assistance import rules, services
from fupin.assistance.exchange import CONTRIBUTIONS, PAIRINGS, STUDENTS, UNITS
from fupin.assistance.models import AssistingUnit, Contribution, Pairing, StudentAid
from fupin.core.errors import ApplicationError
from fupin.exchange.importer import plan_import
from fupin.exchange.reader import read_package
from fupin.funds.models import Entry
from tests.conftest import QIQIHAR_TAILAI, YANSHOU, id_number
from tests.testing import api


def _header(entity) -> str:
    return ",".join(entity.column_names)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (AssistingUnit, Pairing, Contribution, StudentAid, Entry))


def _service(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    return str(exc.value.field), str(exc.value.message)


def _api(user: Any, url: str, data: dict[str, Any]) -> tuple[str, str]:
    client = api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, data, format="json")
    assert response.status_code in (400, 403, 409), response.json()
    body = response.json()
    return str(body["field"]), str(body["message"])


def _import(folder: Path, files: dict[str, list[str]], column: str, user: Any) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = plan_import(read_package(folder), user=user)
    mine = [e for e in plan.errors if e.column == column]
    assert mine, plan.errors
    return mine[0].column, mine[0].reason


def _check(tmp_path, user, service, request, files, field, rule) -> None:
    before = _counts()
    by_service = _service(service)
    assert by_service[0] == field
    pattern = re.sub(r"%\\\(\w+\\\)s", ".*", re.escape(str(rule.message)))
    assert re.fullmatch(pattern, by_service[1]), by_service
    assert _api(user, *request) == by_service
    assert _import(tmp_path / "package", files, field, user) == by_service
    assert _counts() == before


def test_a_negative_contribution(tmp_path, county_user, provincial_unit):
    values = {"number": "JZ-N", "kind": "grant", "date": "2009-05-01"}
    _check(
        tmp_path,
        county_user,
        lambda: services.contribution_create(
            actor=county_user, unit=provincial_unit, value="-500", area_code=YANSHOU, **values
        ),
        ("/api/assistance/contributions/", {"unit": provincial_unit.code, "value": "-500", "area": YANSHOU, **values}),
        {
            "assistance_contributions": [
                _header(CONTRIBUTIONS),
                f"JZ-N,{provincial_unit.code},grant,cash,-500,2009-05-01,{YANSHOU},,,",
            ]
        },
        "value",
        rules.CONTRIBUTION_VALUE_POSITIVE,
    )


def test_a_pairing_outside_the_units_reach(tmp_path, province_user, county_unit):
    _check(
        tmp_path,
        province_user,
        lambda: services.pairing_create(
            actor=province_user, unit=county_unit, area_code=QIQIHAR_TAILAI, start_year=2009
        ),
        ("/api/assistance/pairings/", {"unit": county_unit.code, "area": QIQIHAR_TAILAI, "start_year": 2009}),
        {"assistance_pairings": [_header(PAIRINGS), f"{county_unit.code},{QIQIHAR_TAILAI},2009,"]},
        "area",
        rules.REACH,
    )


def test_backwards_pairing_years(tmp_path, province_user, provincial_unit):
    _check(
        tmp_path,
        province_user,
        lambda: services.pairing_create(
            actor=province_user, unit=provincial_unit, area_code=YANSHOU, start_year=2010, end_year=2009
        ),
        (
            "/api/assistance/pairings/",
            {"unit": provincial_unit.code, "area": YANSHOU, "start_year": 2010, "end_year": 2009},
        ),
        {"assistance_pairings": [_header(PAIRINGS), f"{provincial_unit.code},{YANSHOU},2010,2009"]},
        "end_year",
        rules.PAIRING_YEARS,
    )


def test_an_aided_student_not_in_the_registry(tmp_path, county_user, county_unit):
    stranger = id_number("230129")
    _check(
        tmp_path,
        county_user,
        lambda: services.student_aid(
            actor=county_user, unit=county_unit, year=2009, school="一中", amount="800", id_number=stranger
        ),
        (
            "/api/assistance/students/",
            {"unit": county_unit.code, "id_number": stranger, "year": 2009, "school": "一中", "amount": "800"},
        ),
        {"assistance_students": [_header(STUDENTS), f"{county_unit.code},{stranger},2009,一中,800"]},
        "id_number",
        rules.STUDENT_IN_REGISTRY,
    )


def test_a_unit_whose_area_does_not_fit_its_level(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.unit_create(actor=province_user, code="SJ-X", name="市直", level="city", area_code=YANSHOU),
        ("/api/assistance/units/", {"code": "SJ-X", "name": "市直", "level": "city", "area": YANSHOU}),
        {"assistance_units": [_header(UNITS), f"SJ-X,市直,,city,{YANSHOU}"]},
        "area",
        rules.UNIT_AREA_LEVEL,
    )
