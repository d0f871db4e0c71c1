"""The programs' and funds' API: resources (scoped, filtered, paginated) declared on the
shared base class, one endpoint per workflow action through the services, and the reads
built on the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.funds import services as funds
from fupin.funds.models import Account, Entry
from fupin.geo.models import AdminArea
from fupin.programs import services
from fupin.programs.choices import CHECKLIST_FIELDS
from fupin.programs.models import Beneficiary, LabourInput, Project, ProjectOutput, VillagePlan
from tests import programs_data as data
from tests.conftest import BAYAN, YANSHOU
from tests.testing import APIResourceTests, api

# --- resources, declared ----------------------------------------------------------------------


class TestProjectAPI(APIResourceTests):
    list_url = "/api/projects/"

    def make(self, village_code, actor):
        return data.project(actor, village_code)

    def key(self, obj):
        return obj.code

    def create_data(self, village_code):
        return {
            "code": f"NEW-{village_code}",
            "name": "肉牛养殖",
            "program": "industry",
            "category": "industry",
            "area": village_code,
            "start_year": 2009,
            "end_year": 2010,
            "budget": "120000.00",
        }

    def model_count(self):
        return Project.objects.count()


class TestOutputAPI(APIResourceTests):
    list_url = "/api/outputs/"

    def make(self, village_code, actor):
        project = data.project(actor, village_code)
        return services.output_record(actor=actor, project=project, kind_code="road", year=2009, quantity="2.5")

    def create_data(self, village_code):
        project = data.project(self.province, village_code)
        return {"project": project.code, "kind": "beef_cattle", "year": 2009, "quantity": "40"}

    def model_count(self):
        return ProjectOutput.objects.count()

    @pytest.fixture(autouse=True)
    def _setup(self, province_user):
        self.province = province_user


class TestBeneficiaryAPI(APIResourceTests):
    list_url = "/api/beneficiaries/"

    @pytest.fixture(autouse=True)
    def _setup(self, province_user, make_household):
        self.province = province_user
        self.make_household = make_household

    def make(self, village_code, actor):
        project = data.project(actor, village_code)
        household = self.make_household(village_code, actor=actor)
        services.beneficiaries_add(actor=actor, project=project, households=[household], year=2009)
        return Beneficiary.objects.get(project=project, household=household)

    def create_data(self, village_code):
        project = data.project(self.province, village_code)
        household = self.make_household(village_code)
        return {"project": project.code, "households": [household.code], "year": 2009}

    def model_count(self):
        return Beneficiary.objects.count()


class TestLabourAPI(APIResourceTests):
    list_url = "/api/labour-inputs/"

    @pytest.fixture(autouse=True)
    def _setup(self, province_user):
        self.province = province_user

    def make(self, village_code, actor):
        project = data.project(actor, village_code)
        return services.labour_record(actor=actor, project=project, year=2009, persons=30, person_days=240)

    def create_data(self, village_code):
        project = data.project(self.province, village_code)
        return {"project": project.code, "year": 2009, "persons": 12, "person_days": 60}

    def model_count(self):
        return LabourInput.objects.count()


class TestEntryAPI(APIResourceTests):
    """Read-only: money moves through the posting actions."""

    list_url = "/api/fund-entries/"
    creatable = False

    def make(self, village_code, actor):
        project = data.project(actor, village_code)
        data.fund_direct(actor, project, "1000")
        return funds.disburse(actor=actor, project=project, source="central", year=2009, amount="400")

    def model_count(self):
        return Entry.objects.count()


class TestAccountAPI(APIResourceTests):
    list_url = "/api/fund-accounts/"
    creatable = False

    def make(self, village_code, actor):
        project = data.project(actor, village_code)
        data.fund_direct(actor, project, "1000")
        return Account.objects.get(project=project)

    def model_count(self):
        return Account.objects.count()


# --- batches, village plans and their workflow --------------------------------------------------


def test_batches_and_their_progress(province_user, county_user, yanshou_village, bayan_village):
    client = api(province_user)
    response = client.post(
        "/api/batches/", {"number": 4, "name": "第四批", "start_year": 2008, "end_year": 2009}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (
        api(county_user)
        .post("/api/batches/", {"number": 5, "name": "x", "start_year": 2010, "end_year": 2011}, format="json")
        .status_code
        == 403
    )
    data.plan(province_user, yanshou_village)
    accepted = data.plan(province_user, bayan_village)
    services.plan_checklist_set(actor=province_user, plan=accepted, items=dict.fromkeys(CHECKLIST_FIELDS, True))
    services.plan_accept(actor=province_user, plan=accepted, on=dt.date(2009, 10, 1), officials="县验收组")

    assert [b["number"] for b in client.get("/api/batches/", {"year": 2009}).json()["results"]] == [4]
    assert client.get("/api/batches/", {"year": 2012}).json()["count"] == 0
    progress = client.get("/api/batches/4/progress/").json()
    assert progress["totals"] == {"total": 2, "planned": 1, "in_progress": 0, "accepted": 1}
    by_county = {row["code"]: row for row in progress["counties"]}
    assert by_county[BAYAN]["accepted"] == 1 and by_county[BAYAN]["percent_accepted"] == 100
    assert by_county[YANSHOU]["planned"] == 1 and by_county[YANSHOU]["name"] == "延寿县"
    # a county officer counts only the villages of the county
    assert api(county_user).get("/api/batches/4/progress/").json()["totals"]["total"] == 1


def test_plan_workflow_through_the_api(province_user, county_user, yanshou_village, bayan_village):
    data.batch(province_user)
    client = api(county_user)
    created = client.post(
        "/api/village-plans/", {"batch": 4, "village": yanshou_village, "planned_investment": "860000"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "planned" and created.json()["checklist_done"] == 0
    url = f"/api/village-plans/{yanshou_village}/"
    assert client.get(url).json()["village"] == yanshou_village

    started = client.post(url + "start/", {"date": "2008-04-01"}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    again = client.post(url + "start/", {"date": "2008-04-02"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert again.json()["record"] == yanshou_village and again.json()["field"] == "status"

    ticked = client.post(url + "checklist/", {"check_road": True, "check_tv": True}, format="json")
    assert ticked.json()["checklist_done"] == 2
    refused = client.post(url + "accept/", {"date": "2009-10-01", "officials": "县验收组"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "check_household_projects" and refused.json()["record"] == yanshou_village
    assert VillagePlan.objects.get(village__code=yanshou_village).status == "in_progress"

    client.post(url + "checklist/", dict.fromkeys(CHECKLIST_FIELDS, True), format="json")
    accepted = client.post(url + "accept/", {"date": "2009-10-01", "officials": "县验收组"}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert (accepted.json()["status"], accepted.json()["accepted_on"]) == ("accepted", "2009-10-01")
    assert AuditEvent.objects.filter(action="plan.accept", channel="api", actor=county_user).exists()
    rows = client.get("/api/village-plans/", {"batch": 4, "status": "accepted"}).json()["results"]
    assert [r["village"] for r in rows] == [yanshou_village]

    # outside the county: the plan is invisible, and its actions are refused
    theirs = data.plan(province_user, bayan_village)
    assert client.get(f"/api/village-plans/{bayan_village}/").status_code == 404
    out = client.post(f"/api/village-plans/{bayan_village}/start/", {"date": "2008-04-01"}, format="json")
    assert out.status_code == 403 and out.json()["code"] == "out_of_scope"
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_project_in_a_plan_and_its_update(province_user, county_user, yanshou_village):
    plan = data.plan(province_user, yanshou_village)
    client = api(county_user)
    body = {
        "code": "ZCTJ-001",
        "name": "村屯道路硬化",
        "program": "village_advancement",
        "category": "infrastructure",
        "area": yanshou_village,
        "plan": yanshou_village,
        "start_year": 2008,
        "end_year": 2009,
        "budget": "300000",
    }
    assert client.post("/api/projects/", body, format="json").status_code == 201
    assert client.get("/api/projects/", {"batch": 4}).json()["results"][0]["plan"] == yanshou_village
    assert client.get("/api/projects/", {"program": "industry"}).json()["count"] == 0
    assert client.get("/api/projects/", {"year": 2009, "category": "infrastructure"}).json()["count"] == 1
    wrong = client.post("/api/projects/", {**body, "code": "ZCTJ-002", "program": "industry"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "program" and wrong.json()["record"] == "ZCTJ-002"

    changed = client.patch("/api/projects/ZCTJ-001/", {"budget": "350000.00", "status": "in_progress"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["budget"], changed.json()["status"]) == ("350000.00", "in_progress")
    bad_years = client.patch("/api/projects/ZCTJ-001/", {"end_year": 2007}, format="json")
    assert bad_years.status_code == 400 and bad_years.json()["field"] == "end_year"
    assert Project.objects.get(code="ZCTJ-001").end_year == 2009
    assert plan.projects.count() == 1


def test_output_catalogue_and_unit_check(province_user, yanshou_village):
    client = api(province_user)
    catalogue = client.get("/api/output-kinds/", {"page_size": 100}).json()
    assert catalogue["count"] == 25
    assert client.get("/api/output-kinds/road/").json()["unit"] == "km"
    assert {k["code"] for k in client.get("/api/output-kinds/", {"category": "social"}).json()["results"]} >= {
        "catv",
        "clinics",
    }
    project = data.project(province_user, yanshou_village)
    wrong_unit = client.post(
        "/api/outputs/",
        {"project": project.code, "kind": "road", "year": 2009, "quantity": "3", "unit": "m"},
        format="json",
    )
    assert wrong_unit.status_code == 400 and wrong_unit.json()["field"] == "unit"
    unknown = client.post(
        "/api/outputs/", {"project": project.code, "kind": "rockets", "year": 2009, "quantity": "1"}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "kind"
    assert not ProjectOutput.objects.exists()


def test_beneficiary_outside_the_project_area_is_refused(province_user, make_household, yanshou_village, bayan_village):
    project = data.project(province_user, yanshou_village)
    elsewhere = make_household(bayan_village)
    response = api(province_user).post(
        "/api/beneficiaries/", {"project": project.code, "households": [elsewhere.code], "year": 2009}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "household" and response.json()["record"] == project.code
    assert not Beneficiary.objects.exists()
    unknown = api(province_user).post(
        "/api/beneficiaries/", {"project": project.code, "households": ["nope"], "year": 2009}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["record"] == "nope"


def test_zones(province_user, county_user):
    client = api(province_user)
    body = {"code": "LP-01", "name": "延寿连片开发区", "counties": [YANSHOU], "start_year": 2011}
    assert client.post("/api/zones/", body, format="json").status_code == 201
    assert api(county_user).post("/api/zones/", {**body, "code": "LP-02"}, format="json").status_code == 403
    assert [z["code"] for z in api(county_user).get("/api/zones/").json()["results"]] == ["LP-01"]
    assert client.get("/api/zones/", {"area": BAYAN}).json()["count"] == 0
    assert client.get("/api/zones/LP-01/").json()["counties"] == [YANSHOU]


# --- the funds ledger ----------------------------------------------------------------------------


def test_postings_balances_and_reversal(province_user, county_user, yanshou_village):
    project = data.project(province_user, yanshou_village)
    province = api(province_user)
    county = api(county_user)
    assert (
        province.post(
            "/api/fund-entries/appropriate/",
            {"area": "230000000000", "source": "central", "year": 2009, "amount": "5000.00", "date": "2009-02-01"},
            format="json",
        ).status_code
        == 201
    )
    to_county = province.post(
        "/api/fund-entries/allocate/",
        {
            "from_area": "230000000000",
            "to_area": YANSHOU,
            "source": "central",
            "year": 2009,
            "amount": "3000",
            "date": "2009-03-01",
        },
        format="json",
    )
    assert to_county.status_code == 201 and to_county.json()["to_area"] == YANSHOU
    to_project = county.post(
        "/api/fund-entries/allocate/",
        {
            "from_area": YANSHOU,
            "project": project.code,
            "source": "central",
            "year": 2009,
            "amount": "2000",
            "date": "2009-03-01",
        },
        format="json",
    )
    assert to_project.status_code == 201
    paid = county.post(
        "/api/fund-entries/disburse/",
        {"project": project.code, "source": "central", "year": 2009, "amount": "1500", "date": "2009-06-01"},
        format="json",
    )
    assert paid.status_code == 201 and paid.json()["amount"] == "1500.00"
    too_much = county.post(
        "/api/fund-entries/disburse/",
        {"project": project.code, "source": "central", "year": 2009, "amount": "600"},
        format="json",
    )
    assert too_much.status_code == 400
    assert (too_much.json()["code"], too_much.json()["field"], too_much.json()["record"]) == (
        "overdrawn",
        "amount",
        project.code,
    )

    reversed_ = county.post(f"/api/fund-entries/{paid.json()['id']}/reverse/", {"reason": "重复录入"}, format="json")
    assert reversed_.status_code == 201 and reversed_.json()["amount"] == "-1500.00"
    assert reversed_.json()["reverses"] == paid.json()["id"]
    twice = county.post(f"/api/fund-entries/{paid.json()['id']}/reverse/", {"reason": "x"}, format="json")
    assert twice.status_code == 409
    county.post(
        "/api/fund-entries/disburse/",
        {"project": project.code, "source": "central", "year": 2009, "amount": "1200"},
        format="json",
    )

    balances = province.get("/api/funds/balances/", {"area": "23", "year": 2009}).json()
    assert balances["totals"] == {
        "received": "5000.00",
        "allocated": "2000.00",
        "disbursed": "1200.00",
        "available": "3000.00",
    }
    harbin = next(row for row in balances["children"] if row["area"] == "230100000000")
    assert (harbin["received"], harbin["available"]) == ("3000.00", "1000.00")
    assert county.get("/api/funds/balances/", {"area": "23"}).status_code == 403
    own = county.get("/api/funds/balances/", {"area": YANSHOU}).json()
    assert own["by_source"][0]["source"] == "central" and own["totals"]["disbursed"] == "1200.00"

    accounts = county.get("/api/fund-accounts/", {"node": "project"}).json()["results"]
    assert [(a["project"], a["received"], a["disbursed"], a["available"]) for a in accounts] == [
        (project.code, "2000.00", "1200.00", "800.00")
    ]
    only_reversals = county.get("/api/fund-entries/", {"reversal": True}).json()["results"]
    assert [e["amount"] for e in only_reversals] == ["-1500.00"]
    assert AuditEvent.objects.filter(action="fund.disbursement.reverse", channel="api").exists()


def test_fund_flow_and_household_funds(province_user, county_user, make_household, yanshou_village, bayan_village):
    ours = data.project(province_user, yanshou_village, name="肉牛养殖", category="industry")
    theirs = data.project(province_user, bayan_village, name="村屯道路")
    data.fund(province_user, ours, "1000")
    data.fund(province_user, ours, "500", source="provincial")
    data.fund(province_user, theirs, "800")
    funds.disburse(actor=province_user, project=ours, source="central", year=2009, amount="600")
    funds.disburse(actor=province_user, project=ours, source="provincial", year=2009, amount="500")
    wrong = funds.disburse(actor=province_user, project=theirs, source="central", year=2009, amount="300")
    funds.reverse(actor=province_user, entry=wrong, reason="误记")
    funds.disburse(actor=province_user, project=theirs, source="central", year=2009, amount="200")

    flow = api(province_user).get("/api/funds/flow/", {"area": "23", "year": 2009}).json()
    links = {(lk["source"], lk["target"]): Decimal(lk["value"]) for lk in flow["links"]}
    assert links[("source:central", "program:industry")] == Decimal("800")  # 600 + 200, the reversal netted out
    assert links[("source:provincial", "program:industry")] == Decimal("500")
    assert links[("program:industry", f"county:{YANSHOU}")] == Decimal("1100")
    assert links[(f"county:{BAYAN}", f"project:{theirs.code}")] == Decimal("200")
    assert Decimal(flow["total"]) == Decimal("1300") and flow["projects"] == 2
    kinds = {n["name"]: n["kind"] for n in flow["nodes"]}
    assert kinds[f"county:{YANSHOU}"] == "county" and kinds[f"project:{ours.code}"] == "project"
    # the county officer sees only the county's flow
    county_flow = api(county_user).get("/api/funds/flow/", {"area": YANSHOU, "year": 2009}).json()
    assert Decimal(county_flow["total"]) == Decimal("1100")
    limited = api(province_user).get("/api/funds/flow/", {"area": "23", "year": 2009, "limit": 1}).json()
    assert limited["others"] == 1 and any(n["name"] == "project:*" for n in limited["nodes"])

    household = make_household(yanshou_village)
    services.beneficiaries_add(actor=province_user, project=ours, households=[household], year=2009)
    reached = api(county_user).get(f"/api/funds/households/{household.code}/").json()
    assert [p["project"] for p in reached["projects"]] == [ours.code]
    assert {s["source"]: s["amount"] for s in reached["by_source"]} == {"central": "600.00", "provincial": "500.00"}
    assert reached["total"] == "1100.00"
    other = make_household(bayan_village)
    assert api(county_user).get(f"/api/funds/households/{other.code}/").status_code == 404


def test_postings_need_role_and_scope(make_user, county_user, province_user, bayan_village):
    auditor = make_user(Role.AUDITOR, ("230000000000",))
    body = {"area": "230000000000", "source": "central", "year": 2009, "amount": "10"}
    assert api(auditor).post("/api/fund-entries/appropriate/", body, format="json").status_code == 403
    outside = api(county_user).post("/api/fund-entries/appropriate/", {**body, "area": BAYAN}, format="json")
    assert outside.status_code == 403 and outside.json()["code"] == "out_of_scope"
    village = AdminArea.objects.get(code=bayan_village)
    bad = api(province_user).post("/api/fund-entries/appropriate/", {**body, "area": village.code}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "area"
    assert not Entry.objects.exists()


# --- the schema -----------------------------------------------------------------------------------


def test_schema_documents_the_new_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in [
        "/api/village-plans/{village}/accept/",
        "/api/village-plans/{village}/checklist/",
        "/api/projects/{code}/",
        "/api/fund-entries/{id}/reverse/",
        "/api/fund-entries/disburse/",
        "/api/funds/flow/",
        "/api/funds/households/{code}/",
    ]:
        assert path in paths, path
    ours = [w for w in GENERATOR_STATS._warn_cache if "programs" in w or "funds" in w or "collision" in w]
    assert ours == []
    assert not GENERATOR_STATS._error_cache
    assert {"PlanStatusEnum", "ProjectStatusEnum", "StatusAfterEnum", "KindEnum"} <= set(
        schema["components"]["schemas"]
    )
