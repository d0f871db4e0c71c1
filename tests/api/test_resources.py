import pytest

from fupin.registry.models import Household, IncomeRecord, Person, StatusEvent
from tests.conftest import id_number, walk
from tests.testing import APIResourceTests, api


def _member(relation="HEAD", area6="230129"):
    return {
        "name": "赵六",
        "id_number": id_number(area6),
        "relation": relation,
        "education": "JUNIOR",
        "labour": "ORDINARY",
    }


class TestHouseholdAPI(APIResourceTests):
    list_url = "/api/households/"

    def make(self, village_code, actor):
        return self._factory(village_code, actor=actor)

    def key(self, obj):
        return obj.code

    def create_data(self, village_code):
        return {
            "village": village_code,
            "main_cause": "ILLNESS",
            "type_ordinary": True,
            "members": [_member(area6=village_code[:6])],
        }

    def model_count(self):
        return Household.objects.count()

    @pytest.fixture(autouse=True)
    def _setup(self, make_household):
        self._factory = make_household


class TestPersonAPI(APIResourceTests):
    list_url = "/api/persons/"

    @pytest.fixture(autouse=True)
    def _setup(self, make_household):
        self._factory = make_household

    def make(self, village_code, actor):
        return self._factory(village_code, size=1, actor=actor).members.get()

    def create_data(self, village_code):
        household = Household.objects.filter(village__code=village_code).first() or self._factory(village_code, size=1)
        return {**_member("CHILD", village_code[:6]), "household": household.code}

    def model_count(self):
        return Person.objects.count()


class TestIncomeAPI(APIResourceTests):
    list_url = "/api/incomes/"

    @pytest.fixture(autouse=True)
    def _setup(self, make_household):
        self._factory = make_household

    def make(self, village_code, actor):
        return self._factory(village_code, actor=actor).incomes.get()

    def create_data(self, village_code):
        household = self._factory(village_code, per_capita=None)
        return {"household": household.code, "year": 2009, "wage": "2400.00", "production_costs": "100"}

    def model_count(self):
        return IncomeRecord.objects.count()


class TestStatusEventAPI(APIResourceTests):
    list_url = "/api/status-events/"
    creatable = False

    @pytest.fixture(autouse=True)
    def _setup(self, make_household):
        self._factory = make_household

    def make(self, village_code, actor):
        import datetime as dt

        household = self._factory(village_code, actor=actor)
        walk(household, actor, "identification", dt.date(2010, 3, 1), until="apply")
        return StatusEvent.objects.get(household=household)

    def model_count(self):
        return StatusEvent.objects.count()


def test_areas_filters(province_user, county_user):
    client = api(province_user)
    villages = client.get("/api/areas/", {"level": "village", "area": "230129"}).json()["count"]
    assert villages == 139  # every village-level unit of 延寿县 in the shipped tree
    assert client.get("/api/areas/230000000000/").json()["area_km2"] == "456000.00"
    assert client.get("/api/areas/", {"level": "city"}).json()["count"] == 13
    assert api(county_user).get("/api/areas/", {"level": "city"}).json()["count"] == 0
    assert api(county_user).get("/api/areas/", {"level": "county"}).json()["count"] == 1


def test_identifiers_are_masked_without_the_permission(make_user, make_household, province_user, yanshou_village):
    household = make_household(yanshou_village, size=1)
    person = household.members.get()
    plain = api(province_user).get(f"/api/persons/{person.pk}/").json()
    assert plain["id_number"] == person.id_number
    viewer = make_user("county", ("230129000000",), identifiers=False)
    masked = api(viewer).get(f"/api/persons/{person.pk}/").json()
    assert masked["id_number"] != person.id_number
    assert masked["id_number"] == person.id_number[:6] + "*" * 12
    assert plain["birth_date"] == person.birth_date.isoformat()
    assert masked["birth_date"] == str(person.birth_date.year)
    by_household = api(viewer).get(f"/api/households/{household.code}/").json()
    assert by_household["members"][0]["id_number"] == masked["id_number"]


def test_workflow_endpoints(county_user, make_household, yanshou_village, bayan_village, province_user):
    household = make_household(yanshou_village, actor=county_user)
    client = api(county_user)
    url = f"/api/households/{household.code}/"
    response = client.post(url + "apply/", {"procedure": "identification", "date": "2010-03-01"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "applied"
    assert response.json()["next_actions"] == ["appraise", "reject"]
    refused = client.post(url + "review/", {"date": "2010-03-05"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert refused.json()["field"] == "action"
    other = make_household(bayan_village, actor=province_user)
    out = client.post(f"/api/households/{other.code}/apply/", {"procedure": "identification"}, format="json")
    assert out.status_code == 403
    other.refresh_from_db()
    assert other.procedure == ""


def test_household_update_and_history_over_the_api(county_user, make_household, yanshou_village):
    household = make_household(yanshou_village, actor=county_user)
    response = api(county_user).patch(f"/api/households/{household.code}/", {"address": "三组5号"}, format="json")
    assert response.status_code == 200
    audit = api(county_user).get("/api/audit/", {"action": "household.update"}).json()["results"][0]
    assert audit["before"]["address"] == "" and audit["after"]["address"] == "三组5号"
    assert audit["channel"] == "api"


def test_household_list_filters(province_user, make_household, yanshou_village):
    sick = make_household(yanshou_village, main_cause="ILLNESS")
    make_household(yanshou_village, main_cause="NO_LAND")
    client = api(province_user)
    assert {r["code"] for r in client.get("/api/households/", {"cause": "ILLNESS"}).json()["results"]} == {sick.code}
    head = sick.members.get(relation="HEAD")
    assert [r["code"] for r in client.get("/api/households/", {"q": head.id_number}).json()["results"]] == [sick.code]
    assert client.get("/api/households/", {"status": "poor"}).json()["count"] == 0


def test_schema_and_docs(province_user):
    client = api(province_user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/households/{code}/approve/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_audit_log_masks_identifiers_without_the_permission(make_user, make_household, yanshou_village):
    household = make_household(yanshou_village, size=1)
    number = household.members.get().id_number
    viewer = make_user("county", ("230129000000",), identifiers=False)
    events = api(viewer).get("/api/audit/", {"action": "household.register"}).json()["results"]
    assert events and number not in str(events)
    assert events[0]["after"]["members"][0]["id_number"] == number[:6] + "*" * 12
    full = make_user("county", ("230129000000",), identifiers=True)
    assert number in str(api(full).get("/api/audit/", {"action": "household.register"}).json()["results"])


def test_name_search_matches_from_the_start(province_user, make_household, yanshou_village):
    household = make_household(yanshou_village, size=1)
    client = api(province_user)
    name = household.members.get().name
    assert client.get("/api/persons/", {"q": name}).json()["count"] == 1
    assert client.get("/api/persons/", {"q": name[:1]}).json()["count"] >= 1
    assert client.get("/api/persons/", {"q": name[1:]}).json()["count"] == 0
