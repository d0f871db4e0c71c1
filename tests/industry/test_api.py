"""The industry API: enterprises and base links as declared resources (scoped, filtered,
paginated), the workflow (employment, base link, contract fulfilment) through its
endpoints, errors in the one shape, identifiers masked."""

from __future__ import annotations

import itertools

from fupin.core.choices import Role
from fupin.industry import services
from fupin.industry.models import BaseLink, Enterprise, OrderContract
from tests.industry.conftest import code, wrong_code
from tests.testing import APIResourceTests, api

_numbers = itertools.count(1)


def _enterprise(county_code, actor):
    n = next(_numbers)
    return services.enterprise_create(
        actor=actor,
        code=code(f"91{county_code[:6]}MA{n:07d}"),
        name=f"企业{n}",
        county_code=county_code,
        level="county",
        sector="planting",
        identified_year=2009,
    )


class TestEnterpriseAPI(APIResourceTests):
    list_url = "/api/industry/enterprises/"

    def make(self, village_code, actor):
        return _enterprise(village_code[:6] + "000000", actor)

    def key(self, obj):
        return obj.code

    def create_data(self, village_code):
        n = next(_numbers)
        return {
            "code": code(f"91{village_code[:6]}MB{n:07d}"),
            "name": "新企业",
            "county": village_code[:6] + "000000",
            "level": "city",
            "sector": "livestock",
            "identified_year": 2009,
        }

    def model_count(self):
        return Enterprise.objects.count()


class TestBaseLinkAPI(APIResourceTests):
    list_url = "/api/industry/base-links/"
    creatable = False

    def make(self, village_code, actor):
        from fupin.registry.models import Household

        enterprise = _enterprise(village_code[:6] + "000000", actor)
        base = services.base_create(
            actor=actor,
            enterprise=enterprise,
            code=f"JD-{next(_numbers)}",
            name="基地",
            product="大豆",
            area_mu="10",
            established_year=2009,
            village_codes=[village_code],
        )
        household = Household.objects.filter(village__code=village_code).first()
        if household is None:
            from fupin.registry import services as registry
            from tests.conftest import id_number

            household = registry.household_register(
                actor=actor,
                data=registry.HouseholdData(
                    village_code=village_code,
                    members=[
                        registry.MemberData(
                            name="户主",
                            id_number=id_number(village_code[:6]),
                            relation="HEAD",
                            education="PRIMARY",
                            labour="ORDINARY",
                        )
                    ],
                    main_cause="ILLNESS",
                    type_ordinary=True,
                ),
            )
        return services.base_link(actor=actor, base=base, household=household, joined_on="2009-05-01")

    def model_count(self):
        return BaseLink.objects.count()


def test_wrong_check_character_through_the_api(county_user):
    bad = wrong_code("91230129MA0000009")
    response = api(county_user).post(
        "/api/industry/enterprises/",
        {
            "code": bad,
            "name": "x",
            "county": "230129000000",
            "level": "county",
            "sector": "other",
            "identified_year": 2009,
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "code" and body["record"] == bad
    assert not Enterprise.objects.exists()


def test_another_county_cannot_change_an_enterprise(enterprise, make_user):
    other = make_user(Role.COUNTY, ("230126000000",))
    client = api(other)
    assert client.get(f"/api/industry/enterprises/{enterprise.code}/").status_code == 404
    response = client.patch(f"/api/industry/enterprises/{enterprise.code}/", {"name": "改"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    enterprise.refresh_from_db()
    assert enterprise.name != "改"


def test_link_contract_and_employment_through_the_api(county_user, base, household, make_household, bayan_village):
    client = api(county_user)
    response = client.post(
        f"/api/industry/bases/{base.code}/link/",
        {"household": household.code, "joined_on": "2009-06-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    far = make_household(bayan_village)
    response = api(county_user).post(
        f"/api/industry/bases/{base.code}/link/", {"household": far.code, "joined_on": "2009-06-01"}, format="json"
    )
    assert response.status_code in (400, 403)
    assert response.json()["field"] == "household" and response.json()["record"] == base.code
    assert BaseLink.objects.count() == 1
    links = client.get("/api/industry/base-links/", {"household": household.code}).json()
    assert links["count"] == 1 and links["results"][0]["base"] == base.code

    data = {
        "number": "DD-9",
        "enterprise": base.enterprise.code,
        "household": household.code,
        "year": 2009,
        "product": "大豆",
        "quantity": "100",
        "agreed_price": "3.00",
    }
    assert client.post("/api/industry/contracts/", data, format="json").status_code == 201
    response = client.post("/api/industry/contracts/DD-9/fulfil/", {"delivered": "100", "paid": "300"}, format="json")
    assert response.status_code == 200 and response.json()["complied"] is True
    rows = client.get("/api/industry/enterprises/").json()["results"]
    assert rows[0]["contracts"] == 1 and rows[0]["compliance_rate"] == 1.0
    response = client.post("/api/industry/contracts/DD-9/fulfil/", {"delivered": "101", "paid": "300"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "delivered"
    assert OrderContract.objects.get().delivered == 100

    person = household.members.first()
    response = client.post(
        "/api/industry/employments/",
        {"enterprise": base.enterprise.code, "person": person.pk, "start_date": "2009-03-01", "monthly_wage": "1200"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"] == person.id_number
    job = response.json()["id"]
    response = client.post(f"/api/industry/employments/{job}/end/", {"end_date": "2009-01-01"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "end_date"
    rows = client.get("/api/industry/employments/", {"year": 2009}).json()
    assert rows["count"] == 1
    assert client.get("/api/industry/employments/", {"year": 2008}).json()["count"] == 0


def test_identifiers_are_masked(enterprise, household, province_user, make_user):
    person = household.members.first()
    services.employment_create(
        actor=province_user, enterprise=enterprise, person=person, start_date="2009-03-01", monthly_wage="1000"
    )
    viewer = make_user(Role.COUNTY, ("230129000000",), identifiers=False)
    row = api(viewer).get("/api/industry/employments/").json()["results"][0]
    assert row["id_number"] != person.id_number and row["id_number"].startswith(person.id_number[:6])


def test_create_and_patch_answer_with_the_counts(enterprise, province_user):
    """The responses of POST and PATCH have the list's shape (the schema's), counts too."""
    response = api(province_user).patch(
        f"/api/industry/enterprises/{enterprise.code}/", {"name": "改名企业"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "改名企业" and body["contracts"] == 0 and body["employees"] == 0
    assert body["compliance_rate"] is None
