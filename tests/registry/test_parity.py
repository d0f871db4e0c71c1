"""Each rule once: every refusal of the registry's services, fed through the importer,
is refused on the same field with the same reason (issue 10, item 4)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from fupin.core.errors import ApplicationError
from fupin.exchange.importer import import_package
from fupin.registry import services
from fupin.registry.rules import HOUSEHOLD_SIZE_MAX
from tests.conftest import id_number

pytestmark = pytest.mark.django_db

MEMBER_HEADER = "id_number,household,name,relation,education,labour"
HOUSEHOLD_HEADER = "code,village,address,phone,status"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# The column checks of the exchange framework (text, phone, whole numbers, the household code's
# pattern) still word their reasons their own way: the field is the same, the text not yet.
COLUMN_WORDING = pytest.mark.xfail(strict=True, reason="the importer's column checks word the reason differently")


def _member(number: str | None = None) -> services.MemberData:
    return services.MemberData(
        name="张三", id_number=number or id_number("230129"), relation="HEAD", education="PRIMARY", labour="ORDINARY"
    )


def _service_refusal(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    return str(exc.value.field), str(exc.value.message)


def _import_refusal(folder: Path, files: dict[str, list[str]], column: str) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan, result = import_package(folder)
    assert result is None
    mine = [e for e in plan.errors if e.column == column]
    assert mine, plan.errors
    return mine[0].column, mine[0].reason


def _household_files(code: str, village: str, *, address: str = "", phone: str = "", number: str | None = None):
    return {
        "households": [HOUSEHOLD_HEADER, f"{code},{village},{address},{phone},non_poor"],
        "members": [MEMBER_HEADER, f"{number or id_number('230129')},{code},张三,HEAD,PRIMARY,ORDINARY"],
    }


def _register(actor: Any, village: str, **kw: Any) -> Any:
    members = kw.pop("members", None) or [_member()]
    return services.household_register(
        actor=actor, data=services.HouseholdData(village_code=village, members=members, **kw)
    )


def _check(tmp_path: Path, service: Callable[[], Any], files: dict[str, list[str]], field: str) -> None:
    field_of_service, reason = _service_refusal(service)
    # a service names a member as members[n].field; the importer names the file's line
    by_service = (field_of_service.rsplit(".", 1)[-1], reason)
    by_import = _import_refusal(tmp_path / "package", files, field)
    assert by_service[0] == field
    assert by_import == by_service


@COLUMN_WORDING
def test_a_bad_household_code(tmp_path, province_user, yanshou_village):
    code = f"{yanshou_village}00a1"
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, code=code),
        _household_files(code, yanshou_village),
        "code",
    )


def test_a_household_code_of_another_village(tmp_path, province_user, yanshou_village, bayan_village):
    code = f"{bayan_village}0001"
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, code=code),
        _household_files(code, yanshou_village),
        "code",
    )


def test_a_village_that_is_not_a_village(tmp_path, province_user, yanshou_village):
    county = yanshou_village[:6] + "000000"
    _check(
        tmp_path,
        lambda: _register(province_user, county),
        _household_files(f"{county}0001", county),
        "village",
    )


def test_an_unknown_village(tmp_path, province_user, yanshou_village):
    unknown = yanshou_village[:9] + "999"
    _check(
        tmp_path,
        lambda: _register(province_user, unknown),
        _household_files(f"{unknown}0001", unknown),
        "village",
    )


@COLUMN_WORDING
def test_a_household_size_over_the_maximum(tmp_path, province_user, yanshou_village, make_household):
    household = make_household(yanshou_village)
    size = HOUSEHOLD_SIZE_MAX + 1
    _check(
        tmp_path,
        lambda: services.income_record_save(
            actor=province_user, household=household, year=2009, amounts={}, household_size=size
        ),
        {"incomes": ["household,year,household_size", f"{household.code},2009,{size}"]},
        "household_size",
    )


@COLUMN_WORDING
def test_a_wrong_id_check_digit(tmp_path, province_user, yanshou_village):
    good = id_number("230129")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    code = f"{yanshou_village}0001"
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, members=[_member(bad)]),
        _household_files(code, yanshou_village, number=bad),
        "id_number",
    )


@COLUMN_WORDING
def test_an_id_number_already_registered(tmp_path, province_user, yanshou_village, make_household):
    taken = make_household(yanshou_village).members.first().id_number
    code = f"{yanshou_village}0099"
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, members=[_member(taken)]),
        _household_files(code, yanshou_village, number=taken),
        "id_number",
    )


@COLUMN_WORDING
@pytest.mark.parametrize(
    ("address", "label"),
    [("路" * 201, "too long"), ("1组\x0112号", "control character")],
)
def test_an_address_refused(tmp_path, province_user, yanshou_village, address, label):
    code = f"{yanshou_village}0001"
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, address=address),
        _household_files(code, yanshou_village, address=address),
        "address",
    )


@COLUMN_WORDING
def test_a_phone_that_is_not_a_number(tmp_path, province_user, yanshou_village):
    code = f"{yanshou_village}0001"
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, phone="call me"),
        _household_files(code, yanshou_village, phone="call me"),
        "phone",
    )


def test_the_main_cause_as_a_secondary_cause(tmp_path, province_user, yanshou_village):
    code = f"{yanshou_village}0001"
    files = _household_files(code, yanshou_village)
    files["households"] = [
        HOUSEHOLD_HEADER + ",main_cause,secondary_causes",
        f"{code},{yanshou_village},,,non_poor,ILLNESS,ILLNESS",
    ]
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, main_cause="ILLNESS", secondary_causes=["ILLNESS"]),
        files,
        "secondary_causes",
    )


def test_a_member_whose_sex_does_not_match_the_id_number(tmp_path, province_user, yanshou_village):
    number = id_number("230129", male=True)
    code = f"{yanshou_village}0001"
    files = _household_files(code, yanshou_village, number=number)
    files["members"] = [MEMBER_HEADER + ",sex", f"{number},{code},张三,HEAD,PRIMARY,ORDINARY,F"]
    _check(
        tmp_path,
        lambda: _register(province_user, yanshou_village, members=[dataclasses.replace(_member(number), sex="F")]),
        files,
        "sex",
    )
