"""One rule per field, applied by every channel: the service, the API, the form and the
import refuse the same values with an error naming the record and the field, and write
nothing (security issue: one write could break pages and exports for everybody)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from fupin.core.errors import InvalidInput
from fupin.core.models import AuditEvent
from fupin.exchange.exporter import export_frames, write_xlsx
from fupin.exchange.importer import import_package
from fupin.registry import idnumbers, services
from fupin.registry.models import Helper, Household, IncomeRecord, Person
from tests.conftest import BAYAN, id_number
from tests.testing import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def counts():
    return Household.objects.count(), Person.objects.count(), Helper.objects.count(), AuditEvent.objects.count()


def member(name="张三", number=None, relation="HEAD"):
    return services.MemberData(
        name=name, id_number=number or id_number("230129"), relation=relation, education="PRIMARY", labour="ORDINARY"
    )


def register(actor, village, **kw):
    members = kw.pop("members", None) or [member()]
    return services.household_register(
        actor=actor, data=services.HouseholdData(village_code=village, members=members, **kw)
    )


def bad_codes(village: str) -> list[str]:
    return [
        "<b>x</b>..;%",
        f"{village}01/2",  # a slash: the household list's links could not be built (NoReverseMatch)
        f"{village}00a1",  # a non-digit
        f"{BAYAN[:6]}100200" + "0001",  # another county's code in a Yanshou village
        village,  # no serial digits
    ]


# --- household code ---------------------------------------------------------------------------


def test_the_service_refuses_a_household_code_that_is_not_its_village_code_and_serial_digits(
    province_user, yanshou_village
):
    before = counts()
    for code in bad_codes(yanshou_village):
        with pytest.raises(InvalidInput) as exc:
            register(province_user, yanshou_village, code=code)
        assert exc.value.field == "code", code
        assert exc.value.record == code
    assert counts() == before
    assert register(province_user, yanshou_village, code=f"{yanshou_village}0042").code == f"{yanshou_village}0042"


def test_the_api_refuses_a_bad_household_code_with_a_400_naming_code(province_user, yanshou_village):
    before = counts()
    for code in bad_codes(yanshou_village):
        body = {
            "village": yanshou_village,
            "code": code,
            "members": [
                {
                    "name": "赵六",
                    "id_number": id_number("230129"),
                    "relation": "HEAD",
                    "education": "JUNIOR",
                    "labour": "ORDINARY",
                }
            ],
        }
        response = api(province_user).post("/api/households/", body, format="json")
        assert response.status_code == 400, (code, response.content)
        assert response.json()["field"] == "code"
    assert counts() == before


def register_form(village: str, **extra) -> dict:
    data = {
        "village": village,
        "main_cause": "ILLNESS",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "helpers-TOTAL_FORMS": "0",
        "helpers-INITIAL_FORMS": "0",
        "helpers-MIN_NUM_FORMS": "0",
        "helpers-MAX_NUM_FORMS": "1000",
        "members-0-name": "李四",
        "members-0-id_number": id_number("230129"),
        "members-0-relation": "HEAD",
        "members-0-education": "PRIMARY",
        "members-0-labour": "ORDINARY",
        "members-0-health": "HEALTHY",
        "members-0-migrant_months": "0",
    }
    data.update(extra)
    return data


def test_the_form_refuses_a_bad_household_code_on_its_code_field(client, province_user, yanshou_village):
    client.force_login(province_user)
    client.cookies["django_language"] = "en"
    before = counts()
    for code in bad_codes(yanshou_village):
        response = client.post(reverse("web:household_register"), register_form(yanshou_village, code=code))
        assert response.status_code == 200
        assert response.context["form"].errors["code"], code
    assert counts() == before
    response = client.post(
        reverse("web:household_register"), register_form(yanshou_village, code=f"{yanshou_village}77")
    )
    assert response.status_code == 302
    assert Household.objects.filter(code=f"{yanshou_village}77").exists()


def write_households(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["code,village,status"] + [f"{code},{village},non_poor" for code, village in rows]
    (folder / "households.csv").write_text("\n".join(lines) + "\n")
    members = ["id_number,household,name,relation,education,labour"] + [
        f"{id_number('230129')},{code},户主,HEAD,PRIMARY,ORDINARY" for code, _v in rows
    ]
    (folder / "members.csv").write_text("\n".join(members) + "\n")
    return folder


def test_the_import_refuses_a_bad_household_code_naming_the_line_and_code(tmp_path, yanshou_village):
    before = counts()
    codes = [c for c in bad_codes(yanshou_village) if "," not in c]
    plan, result = import_package(write_households(tmp_path, [(c, yanshou_village) for c in codes]))
    assert result is None
    errors = [str(e) for e in plan.errors]
    for line in range(2, 2 + len(codes)):
        assert any(e.startswith(f"households.csv:{line}:code:") for e in errors), (line, errors)
    assert counts() == before


# --- person names, phones, household size, ID numbers -------------------------------------------------


def test_control_characters_in_a_name_are_refused_by_service_api_and_import(
    tmp_path, province_user, yanshou_village, make_household
):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        register(province_user, yanshou_village, members=[member("张\x07三")])
    assert exc.value.field == "members[1].name"
    household = make_household(yanshou_village, per_capita=None)
    before = counts()
    response = api(province_user).post(
        "/api/persons/",
        {
            "household": household.code,
            "name": "李\x1b[31m",
            "id_number": id_number("230129"),
            "relation": "CHILD",
            "education": "PRIMARY",
            "labour": "ORDINARY",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "name"
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "members.csv").write_text(
        "id_number,household,name,relation,education,labour\n"
        f'{id_number("230129")},{household.code},"王\x01五",CHILD,PRIMARY,ORDINARY\n'
    )
    with translation.override("en"):
        plan, result = import_package(folder)
        errors = [str(e) for e in plan.errors]
    assert result is None
    assert any(e.startswith("members.csv:2:name:") and "control" in e for e in errors), errors
    assert counts() == before


def test_the_xlsx_export_survives_control_characters_stored_before_the_rule(make_household, yanshou_village):
    household = make_household(yanshou_village, per_capita=None)
    Person.objects.filter(household=household).update(name="张\x0b三")  # legacy data, written around the rule
    out = io.BytesIO()
    write_xlsx(export_frames(entities=["members"]), out)
    from openpyxl import load_workbook

    names = [row[2] for row in load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "张三" in names


@pytest.mark.parametrize("phone", ["call-me-<script>", "12", "1390000000\x00"])
def test_a_phone_that_is_not_a_number_is_refused(tmp_path, province_user, yanshou_village, make_household, phone):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        register(province_user, yanshou_village, phone=phone)
    assert exc.value.field == "phone"
    with pytest.raises(InvalidInput) as exc:
        register(province_user, yanshou_village, helpers=[services.HelperData(name="王干部", phone=phone)])
    assert exc.value.field == "helpers[1].phone"
    household = make_household(yanshou_village, per_capita=None)
    before = counts()
    response = api(province_user).patch(f"/api/households/{household.code}/", {"phone": phone}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "phone"
    if "\x00" not in phone:
        folder = tmp_path / "p"
        folder.mkdir()
        (folder / "households.csv").write_text(
            f"code,village,status,phone\n{household.code},{yanshou_village},non_poor,{phone}\n"
        )
        plan, result = import_package(folder)
        assert result is None
        assert any(str(e).startswith("households.csv:2:phone:") for e in plan.errors), plan.errors
    assert counts() == before
    assert register(province_user, yanshou_village, phone="+86 139-0000-0000").phone == "+86 139-0000-0000"


def test_a_household_size_beyond_the_importers_bound_is_refused_by_service_and_api(
    province_user, make_household, yanshou_village
):
    household = make_household(yanshou_village, per_capita=None)
    with pytest.raises(InvalidInput) as exc:
        services.income_record_save(
            actor=province_user, household=household, year=2009, amounts={"wage": 1}, household_size=1_000_000_000
        )
    assert exc.value.field == "household_size" and exc.value.record == f"{household.code}/2009"
    response = api(province_user).post(
        "/api/incomes/", {"household": household.code, "year": 2009, "household_size": 1_000_000_000}, format="json"
    )
    assert response.status_code == 400 and "household_size" in response.content.decode()
    assert not IncomeRecord.objects.filter(household=household).exists()


@pytest.mark.parametrize(
    "number",
    [
        idnumbers.make("230129", dt.date(2099, 12, 31), 11),  # born in the future
        idnumbers.make("230129", dt.date(1800, 1, 1), 11),  # born before 1900
        idnumbers.make("000000", dt.date(1980, 1, 1), 11),  # area digits 000000
        idnumbers.make("990101", dt.date(1980, 1, 1), 11),  # no province 99
    ],
)
def test_an_implausible_id_number_is_refused_by_service_api_and_import(
    tmp_path, province_user, yanshou_village, make_household, number
):
    with pytest.raises(InvalidInput) as exc:
        register(province_user, yanshou_village, members=[member(number=number)])
    assert exc.value.field == "members[1].id_number"
    household = make_household(yanshou_village, per_capita=None)
    before = counts()
    response = api(province_user).post(
        "/api/persons/",
        {
            "household": household.code,
            "name": "李四",
            "id_number": number,
            "relation": "CHILD",
            "education": "PRIMARY",
            "labour": "ORDINARY",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "id_number"
    (tmp_path / "members.csv").write_text(
        f"id_number,household,name,relation,education,labour\n{number},{household.code},李四,CHILD,PRIMARY,ORDINARY\n"
    )
    plan, result = import_package(tmp_path)
    assert result is None
    assert any(str(e).startswith("members.csv:2:id_number:") for e in plan.errors), plan.errors
    assert counts() == before


def test_a_status_step_dated_before_1900_is_refused(province_user, make_household, yanshou_village):
    household = make_household(yanshou_village)
    with pytest.raises(InvalidInput) as exc:
        services.household_apply(
            actor=province_user, household=household, procedure="identification", on=dt.date(1, 1, 1)
        )
    assert exc.value.field == "date"
