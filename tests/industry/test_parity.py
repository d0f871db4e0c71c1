"""Each rule once, on every channel: every refusal of industry's services is refused by the
API and by the importer on the same field with the same reason, and nothing changes. Each
case calls the service, posts the same request to the API, imports the package that asks
for the same thing (``plan_import``), and compares (field, reason)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from fupin.core.errors import ApplicationError
from fupin.exchange.importer import plan_import
from fupin.exchange.reader import read_package
from fupin.industry import rules, services
from fupin.industry.exchange import BASE_HOUSEHOLDS, BASES, CONTRACTS, EMPLOYMENTS, ENTERPRISES
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from tests.conftest import YANSHOU, id_number
from tests.industry.conftest import wrong_code
from tests.testing import api

SEEN: set[str] = set()


def _header(entity) -> str:
    return ",".join(entity.column_names)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Enterprise, ProductionBase, BaseLink, Employment, OrderContract))


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


def _check(
    tmp_path: Path,
    user: Any,
    service: Callable[[], Any],
    request: tuple[str, dict[str, Any]],
    files: dict[str, list[str]],
    field: str,
) -> None:
    before = _counts()
    by_service = _service(service)
    assert by_service[0] == field
    assert _api(user, *request) == by_service
    assert _import(tmp_path / "package", files, field, user) == by_service
    assert _counts() == before
    SEEN.update(rule.code for rule in rules.RULES if rule.text() == by_service[1] or _same(rule, by_service[1]))


def _same(rule: Any, message: str) -> bool:
    import re

    pattern = re.escape(str(rule.message))
    pattern = re.sub(r"%\\\(\w+\\\)s", ".*", pattern)
    return re.fullmatch(pattern, message) is not None


def test_an_enterprise_code_with_a_wrong_check_character(tmp_path, province_user):
    bad = wrong_code("91230129MA0000077")
    values = {"name": "企业", "level": "county", "sector": "other", "identified_year": 2009}
    _check(
        tmp_path,
        province_user,
        lambda: services.enterprise_create(actor=province_user, code=bad, county_code=YANSHOU, **values),
        ("/api/industry/enterprises/", {"code": bad, "county": YANSHOU, **values}),
        {"industry_enterprises": [_header(ENTERPRISES), f"{bad},企业,{YANSHOU},county,other,2009,active"]},
        "code",
    )


def test_an_enterprise_code_of_the_wrong_form(tmp_path, province_user):
    bad = "91230129MA00000I7X"
    values = {"name": "企业", "level": "county", "sector": "other", "identified_year": 2009}
    _check(
        tmp_path,
        province_user,
        lambda: services.enterprise_create(actor=province_user, code=bad, county_code=YANSHOU, **values),
        ("/api/industry/enterprises/", {"code": bad, "county": YANSHOU, **values}),
        {"industry_enterprises": [_header(ENTERPRISES), f"{bad},企业,{YANSHOU},county,other,2009,active"]},
        "code",
    )


def test_a_base_household_outside_the_counties_of_the_bases_villages(
    tmp_path, province_user, base, make_household, bayan_village
):
    far = make_household(bayan_village)
    _check(
        tmp_path,
        province_user,
        lambda: services.base_link(actor=province_user, base=base, household=far, joined_on="2009-04-01"),
        (f"/api/industry/bases/{base.code}/link/", {"household": far.code, "joined_on": "2009-04-01"}),
        {"industry_base_households": [_header(BASE_HOUSEHOLDS), f"{base.code},{far.code},2009-04-01"]},
        "household",
    )


def _base_request(enterprise, village, **kw):
    data = {
        "code": "JD-NEW",
        "enterprise": enterprise.code,
        "name": "基地",
        "product": "大豆",
        "area_mu": "100",
        "established_year": 2009,
        "villages": [village],
    } | kw
    service = {k: v for k, v in data.items() if k not in ("enterprise", "villages")}
    row = ",".join(str(data[c]) if c != "villages" else ";".join(data["villages"]) for c in BASES.column_names)
    return service, data, {"industry_bases": [_header(BASES), row]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area_mu": "0"}, "area_mu"),
        ({"area_mu": "-3"}, "area_mu"),
        ({"villages": [YANSHOU]}, "villages"),
        ({"villages": []}, "villages"),
    ],
)
def test_base_refusals(tmp_path, province_user, enterprise, yanshou_village, changes, field):
    service, data, files = _base_request(enterprise, yanshou_village, **changes)
    _check(
        tmp_path,
        province_user,
        lambda: services.base_create(
            actor=province_user, enterprise=enterprise, village_codes=data["villages"], **service
        ),
        ("/api/industry/bases/", data),
        files,
        field,
    )


def _employment(enterprise, number, start="2009-03-01", end="", wage="1500"):
    row = f"{enterprise.code},{number},{start},{end},{wage}"
    data = {"enterprise": enterprise.code, "id_number": number, "start_date": start, "monthly_wage": wage}
    if end:
        data["end_date"] = end
    return data, {"industry_employments": [_header(EMPLOYMENTS), row]}


def test_an_employee_not_in_the_registry(tmp_path, province_user, enterprise):
    number = id_number("230129")
    data, files = _employment(enterprise, number)
    _check(
        tmp_path,
        province_user,
        lambda: services.employment_create(
            actor=province_user, enterprise=enterprise, id_number=number, start_date="2009-03-01", monthly_wage="1500"
        ),
        ("/api/industry/employments/", data),
        files,
        "id_number",
    )


@pytest.mark.parametrize(("kw", "field"), [({"end": "2009-02-01"}, "end_date"), ({"wage": "-5"}, "monthly_wage")])
def test_employment_refusals(tmp_path, province_user, enterprise, household, kw, field):
    number = household.members.first().id_number
    data, files = _employment(enterprise, number, **kw)
    _check(
        tmp_path,
        province_user,
        lambda: services.employment_create(
            actor=province_user,
            enterprise=enterprise,
            id_number=number,
            start_date="2009-03-01",
            end_date=kw.get("end"),
            monthly_wage=kw.get("wage", "1500"),
        ),
        ("/api/industry/employments/", data),
        files,
        field,
    )


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"agreed_price": "-1"}, "agreed_price"),
        ({"paid": "-1"}, "paid"),
        ({"delivered": "120"}, "delivered"),
    ],
)
def test_contract_refusals(tmp_path, province_user, enterprise, household, kw, field):
    data = {
        "number": "DD-NEW",
        "enterprise": enterprise.code,
        "household": household.code,
        "year": 2009,
        "product": "大豆",
        "unit": "kg",
        "quantity": "100",
        "agreed_price": "3.00",
        "inputs_on_credit": "0",
        "delivered": "0",
        "paid": "0",
    } | kw
    row = ",".join(str(data[c]) for c in CONTRACTS.column_names)
    service = {k: v for k, v in data.items() if k not in ("enterprise", "household")}
    _check(
        tmp_path,
        province_user,
        lambda: services.contract_create(actor=province_user, enterprise=enterprise, household=household, **service),
        ("/api/industry/contracts/", data),
        {"industry_contracts": [_header(CONTRACTS), row]},
        field,
    )


def test_every_rule_is_exercised():
    """Runs last in the module: every rule of industry.rules was refused on all channels."""
    assert {r.code for r in rules.RULES} == SEEN
