"""The assistance API: units, pairings and aided students as declared resources (scoped,
filtered, paginated); contributions with their ledger entry; the refusals of the issue
(a negative contribution, a pairing outside the unit's reach, a student not in the
registry) in the one error shape, changing nothing."""

from __future__ import annotations

import itertools

from fupin.assistance import rules, services
from fupin.assistance.models import AssistingUnit, Contribution, Pairing, StudentAid
from fupin.core.choices import Role
from fupin.funds.models import Entry
from tests.conftest import BAYAN, QIQIHAR_TAILAI, YANSHOU, id_number
from tests.testing import APIResourceTests, api

_numbers = itertools.count(1)


def _unit(county_code: str, actor, level: str = "county") -> AssistingUnit:
    n = next(_numbers)
    return services.unit_create(
        actor=actor, code=f"XZ-{county_code[:6]}-{n}", name=f"县直单位{n}", level=level, area_code=county_code
    )


class TestUnitAPI(APIResourceTests):
    list_url = "/api/assistance/units/"

    def make(self, village_code, actor):
        return _unit(village_code[:6] + "000000", actor)

    def key(self, obj):
        return obj.code

    def create_data(self, village_code):
        return {
            "code": f"XZ-NEW-{next(_numbers)}",
            "name": "新单位",
            "level": "county",
            "area": village_code[:6] + "000000",
        }

    def model_count(self):
        return AssistingUnit.objects.count()


class TestPairingAPI(APIResourceTests):
    list_url = "/api/assistance/pairings/"

    def make(self, village_code, actor):
        unit = _unit(village_code[:6] + "000000", actor)
        return services.pairing_create(actor=actor, unit=unit, area_code=village_code, start_year=2009)

    def create_data(self, village_code):
        return {"unit": _provincial_unit().code, "area": village_code, "start_year": 2009, "end_year": 2010}

    def model_count(self):
        return Pairing.objects.count()


def _province():
    from fupin.accounts.models import User
    from fupin.accounts.services import user_create

    return User.objects.filter(username="api-province").first() or user_create(
        actor=None,
        username="api-province",
        password="test-pass-123",
        role=Role.PROVINCE,
        area_codes=["230000000000"],
        can_view_identifiers=True,
    )


def _provincial_unit() -> AssistingUnit:
    return AssistingUnit.objects.filter(code="SZ-API").first() or services.unit_create(
        actor=_province(), code="SZ-API", name="省直单位", level="provincial", area_code="230000000000"
    )


class TestStudentAPI(APIResourceTests):
    list_url = "/api/assistance/students/"

    def make(self, village_code, actor):
        unit = _unit(village_code[:6] + "000000", actor)
        household = self._household(village_code, actor)
        return services.student_aid(
            actor=actor, unit=unit, year=2009, school="中学", amount="800", person=household.members.first()
        )

    def _household(self, village_code, actor):
        from fupin.registry import services as registry

        members = [
            registry.MemberData(
                name="学生",
                id_number=id_number(village_code[:6]),
                relation="HEAD",
                education="PRIMARY",
                labour="ORDINARY",
            )
        ]
        return registry.household_register(
            actor=actor,
            data=registry.HouseholdData(
                village_code=village_code, members=members, main_cause="ILLNESS", type_ordinary=True
            ),
        )

    def create_data(self, village_code):
        household = self._household(village_code, _province())
        return {
            "unit": _provincial_unit().code,
            "id_number": household.members.first().id_number,
            "year": 2009,
            "school": "延寿一中",
            "amount": "1000.00",
        }

    def model_count(self):
        return StudentAid.objects.count()


def test_a_contribution_through_the_api_enters_the_ledger(county_user, provincial_unit, yanshou_village):
    response = api(county_user).post(
        "/api/assistance/contributions/",
        {
            "unit": provincial_unit.code,
            "number": "JZ-A1",
            "kind": "grant",
            "value": "2500.00",
            "date": "2009-05-01",
            "area": yanshou_village,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    entry = Entry.objects.get(number=body["ledger_entry"])
    assert (entry.source, str(entry.amount), entry.area.code) == ("social_grant", "2500.00", YANSHOU)
    listed = api(county_user).get("/api/assistance/contributions/").json()["results"]
    assert [r["number"] for r in listed] == ["JZ-A1"]
    other = api(county_user).get("/api/assistance/contributions/JZ-A1/")
    assert other.status_code == 200


def test_a_negative_contribution_is_refused_by_the_api(county_user, provincial_unit):
    response = api(county_user).post(
        "/api/assistance/contributions/",
        {
            "unit": provincial_unit.code,
            "number": "JZ-A2",
            "kind": "investment",
            "value": "-10",
            "date": "2009-05-01",
            "area": YANSHOU,
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "value" and body["record"] == "JZ-A2"
    assert body["message"] == rules.CONTRIBUTION_VALUE_POSITIVE.text()
    assert not Contribution.objects.exists() and not Entry.objects.exists()


def test_a_pairing_outside_reach_is_refused_by_the_api(province_user, county_unit):
    response = api(province_user).post(
        "/api/assistance/pairings/",
        {"unit": county_unit.code, "area": QIQIHAR_TAILAI, "start_year": 2009},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "area" and body["record"] == county_unit.code
    assert body["message"] == rules.REACH.text(area=QIQIHAR_TAILAI, unit=county_unit.code)
    assert not Pairing.objects.exists()


def test_a_student_not_in_the_registry_is_refused_by_the_api(county_user, county_unit):
    stranger = id_number("230129")
    response = api(county_user).post(
        "/api/assistance/students/",
        {"unit": county_unit.code, "id_number": stranger, "year": 2009, "school": "x", "amount": "100"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "id_number" and body["message"] == rules.STUDENT_IN_REGISTRY.text(id_number=stranger)
    assert not StudentAid.objects.exists()


def test_an_unknown_unit_and_junk_are_clear_errors_not_500s(county_user):
    for payload in ({"unit": "NOPE", "area": YANSHOU, "start_year": 2009}, {"unit": ["x"]}, {"start_year": "abc"}):
        response = api(county_user).post("/api/assistance/pairings/", payload, format="json")
        assert response.status_code == 400, payload
        assert set(response.json()) >= {"code", "message"}


def test_a_township_cadre_cannot_record_a_contribution(make_user, provincial_unit):
    township = make_user(Role.TOWNSHIP, (YANSHOU,))
    response = api(township).post(
        "/api/assistance/contributions/",
        {
            "unit": provincial_unit.code,
            "number": "JZ-A3",
            "kind": "grant",
            "value": "10",
            "date": "2009-05-01",
            "area": YANSHOU,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_a_unit_is_seen_where_it_is_paired(province_user, county_user, make_user, provincial_unit):
    services.pairing_create(actor=province_user, unit=provincial_unit, area_code=YANSHOU, start_year=2009)
    codes = [r["code"] for r in api(county_user).get("/api/assistance/units/").json()["results"]]
    assert codes == [provincial_unit.code]
    bayan = make_user(Role.COUNTY, (BAYAN,))
    assert api(bayan).get("/api/assistance/units/").json()["count"] == 0
