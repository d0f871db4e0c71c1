"""The forms that create programs and move funds, through real requests: a batch, a
village plan, a project of a plan, a project's status, years and budget, an
appropriation, an allocation, a zone's project. Each creates through its service and
comes back to its page; a bad input shows the service's error naming the record and
the field and changes nothing; a form is shown only to the roles that may use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.funds import services as funds
from fupin.funds.models import Account, Entry
from fupin.geo.models import AdminArea
from fupin.programs import services
from fupin.programs.models import Batch, ContiguousZone, Project, VillagePlan
from tests import programs_data as data
from tests.conftest import BAYAN, QIQIHAR_TAILAI, YANSHOU

pytestmark = pytest.mark.django_db

PROVINCE = "230000000000"
HARBIN = "230100000000"


def login(client, user, language="en"):
    """Log in; pages come in English so that tests can compare the services' messages."""
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def _villages(county: str, n: int = 3) -> list[str]:
    return list(
        AdminArea.objects.in_area(county)
        .filter(level="village", kind="village")
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


@pytest.fixture
def plan(province_user, yanshou_village):
    return data.plan(province_user, yanshou_village)


@pytest.fixture
def project(province_user, plan, yanshou_village):
    return data.project(province_user, yanshou_village, plan=plan, name="村屯道路硬化")


# --- batches --------------------------------------------------------------------------------------


def test_create_a_batch(client, province_user):
    data.batch(province_user, 4)
    login(client, province_user)
    page = client.get(reverse("web:batch_list"))
    assert 'id="batch-form"' in page.content.decode()
    assert page.context["batch_form"].initial["number"] == 5

    url = reverse("web:batch_create")
    post = {"number": "5", "name": "第五批整村推进", "start_year": "2010", "end_year": "2011", "note": ""}
    response = client.post(url, post, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:batch_detail", args=[5])
    assert "Batch 5 created." in _messages(response)
    batch = Batch.objects.get(number=5)
    assert (batch.name, batch.start_year, batch.end_year) == ("第五批整村推进", 2010, 2011)
    assert AuditEvent.objects.filter(action="batch.create", channel="web", actor=province_user).exists()

    again = client.post(url, {**post, "name": "重复"})
    assert again.status_code == 200
    assert _errors(again) == ["batch 5 · batch number: Batch 5 exists."]
    assert again.context["batch_form"].errors["number"]
    backwards = client.post(url, {**post, "number": "6", "end_year": "2009"})
    assert _errors(backwards) == ["batch 6 · year of completion: The last year comes before the first."]
    assert list(Batch.objects.values_list("number", flat=True)) == [4, 5]


def test_only_the_province_creates_batches(client, county_user):
    login(client, county_user)
    assert 'id="batch-form"' not in client.get(reverse("web:batch_list")).content.decode()
    response = client.post(
        reverse("web:batch_create"), {"number": "7", "name": "x", "start_year": "2010", "end_year": "2011"}
    )
    [message] = _errors(response)
    assert message.startswith("batch 7: This action needs the role") and "province office" in message
    assert not Batch.objects.exists()


# --- village plans --------------------------------------------------------------------------------


def test_add_a_village_plan(client, province_user, county_user, bayan_village):
    data.batch(province_user, 4)
    ours, other = _villages(YANSHOU, 2)
    login(client, county_user)
    page = client.get(reverse("web:batch_detail", args=[4])).content.decode()
    assert 'id="plan-form"' in page and 'list="plan-village-options"' in page

    url = reverse("web:plan_create", args=[4])
    response = client.post(url, {"village": ours, "planned_investment": "860000", "note": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:plan_detail", args=[ours])
    plan = VillagePlan.objects.get(village__code=ours)
    assert (plan.batch.number, plan.planned_investment, plan.status) == (4, data.money("860000"), "planned")
    assert AuditEvent.objects.filter(action="plan.create", channel="web", actor=county_user).exists()

    outside = client.post(url, {"village": bayan_village, "planned_investment": "500000"})
    assert outside.status_code == 200
    assert _errors(outside) == [
        f"{bayan_village} · village (code): This record is outside the areas you are responsible for."
    ]
    assert outside.context["plan_form"].errors["village"]
    twice = client.post(url, {"village": ours, "planned_investment": "1"})
    assert _errors(twice) == [f"{ours} · village (code): The village already has a plan in 第4批整村推进."]
    not_a_village = client.post(url, {"village": YANSHOU, "planned_investment": "1"})
    assert "is a county, not a village" in _errors(not_a_village)[0]
    negative = client.post(url, {"village": other, "planned_investment": "-5"})
    assert negative.context["plan_form"].errors["planned_investment"]
    assert list(VillagePlan.objects.values_list("village__code", flat=True)) == [ours]
    assert client.post(reverse("web:plan_create", args=[99]), {"village": other}).status_code == 404


def test_villages_do_not_see_the_plan_form(client, province_user, village_user):
    data.batch(province_user, 4)
    login(client, village_user)
    response = client.get(reverse("web:batch_detail", args=[4]))
    assert response.context["plan_form"] is None
    assert 'id="plan-form"' not in response.content.decode()


# --- projects of a plan ---------------------------------------------------------------------------


def test_add_a_project_to_the_plan(client, county_user, plan):
    village = plan.village.code
    login(client, county_user)
    page = client.get(reverse("web:plan_detail", args=[village]))
    form = page.context["project_form"]
    assert form.initial["code"] == f"ZT4-{village}-01" and form.initial["start_year"] == 2008
    assert 'id="project-form"' in page.content.decode()

    url = reverse("web:project_create", args=[village])
    post = {
        "code": f"ZT4-{village}-01",
        "name": "自来水入户",
        "category": "public_service",
        "start_year": "2008",
        "end_year": "2009",
        "budget": "120000",
        "note": "",
    }
    response = client.post(url, post, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:plan_detail", args=[village])
    assert f"Project ZT4-{village}-01 created." in _messages(response)
    project = Project.objects.get(code=f"ZT4-{village}-01")
    assert (project.plan, project.area.code, project.program, project.budget) == (
        plan,
        village,
        "village_advancement",
        data.money("120000"),
    )
    assert [row["project"] for row in response.context["overview"]["projects"]] == [project]
    assert response.context["project_form"].initial["code"] == f"ZT4-{village}-02"

    twice = client.post(url, post)
    assert _errors(twice) == [f"ZT4-{village}-01 · project code: Project ZT4-{village}-01 exists."]
    backwards = client.post(url, {**post, "code": "X-2", "start_year": "2010"})
    assert _errors(backwards) == ["X-2 · last year: The last year comes before the first."]
    assert backwards.context["project_form"].errors["end_year"]
    assert Project.objects.count() == 1


def test_a_project_of_a_plan_outside_the_scope_is_refused(client, county_user, province_user, bayan_village):
    data.plan(province_user, bayan_village)
    login(client, county_user)
    response = client.post(
        reverse("web:project_create", args=[bayan_village]),
        {
            "code": "X-1",
            "name": "x",
            "category": "infrastructure",
            "start_year": "2008",
            "end_year": "2009",
            "budget": "1",
        },
    )
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_edit_a_project(client, county_user, project):
    login(client, county_user)
    page = client.get(reverse("web:project_detail", args=[project.code]))
    assert page.context["edit_form"].initial["status"] == "planned"
    assert 'id="project-edit-form"' in page.content.decode()
    url = reverse("web:project_update", args=[project.code])
    post = {"status": "in_progress", "start_year": "2008", "end_year": "2010", "budget": "350000"}
    response = client.post(url, post, follow=True)
    assert "Project saved." in _messages(response)
    project.refresh_from_db()
    assert (project.status, project.end_year, project.budget) == ("in_progress", 2010, data.money("350000"))
    event = AuditEvent.objects.get(action="project.update", channel="web")
    assert event.before["status"] == "planned" and event.after["status"] == "in_progress"

    bad = client.post(url, {**post, "status": "completed", "end_year": "2007"})
    assert _errors(bad) == [f"{project.code} · last year: The last year comes before the first."]
    project.refresh_from_db()
    assert (project.status, project.end_year) == ("in_progress", 2010)


def test_forms_follow_the_role(client, make_user, project, yanshou_village):
    village = make_user(Role.VILLAGE, (yanshou_village,))
    township = make_user(Role.TOWNSHIP, (yanshou_village[:9] + "000",))
    login(client, village)
    content = client.get(reverse("web:project_detail", args=[project.code])).content.decode()
    assert 'id="beneficiaries-form"' in content
    assert 'id="disburse-form"' not in content and 'id="project-edit-form"' not in content
    refused = client.post(
        reverse("web:project_update", args=[project.code]),
        {"status": "cancelled", "start_year": "2008", "end_year": "2009", "budget": "0"},
    )
    assert "county office" in _errors(refused)[0]
    assert Project.objects.get(pk=project.pk).status == "planned"
    plan_page = client.get(reverse("web:plan_detail", args=[yanshou_village])).content.decode()
    assert 'id="project-form"' not in plan_page and 'id="start-form"' not in plan_page

    login(client, township)
    content = client.get(reverse("web:project_detail", args=[project.code])).content.decode()
    assert 'id="disburse-form"' in content and 'id="output-form"' in content
    assert 'id="project-edit-form"' not in content


# --- funds of an area -----------------------------------------------------------------------------


def test_appropriate_and_allocate_down_to_a_project(client, province_user, county_user, project):
    login(client, province_user)
    page = client.get(reverse("web:funds_area"), {"area": PROVINCE, "year": "2009"})
    content = page.content.decode()
    assert 'id="appropriate-form"' in content and 'id="allocate-form"' in content
    assert (HARBIN, f"{HARBIN} Harbin City") in page.context["allocate_form"].fields["to_area"].choices

    post = {"source": "central", "year": "2009", "amount": "500000", "date": "2009-03-01", "document": "财农[2009]1号"}
    response = client.post(reverse("web:appropriate", args=[PROVINCE]), post, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:funds_area") + f"?area={PROVINCE}&year=2009"
    assert "Funds appropriated to Heilongjiang Province." in _messages(response)
    assert response.context["balances"]["totals"]["available"] == data.money("500000")
    entry = Entry.objects.get(kind="appropriation")
    assert (entry.area.code, entry.amount, entry.document, entry.recorded_by) == (
        PROVINCE,
        data.money("500000"),
        "财农[2009]1号",
        province_user,
    )

    allocate = reverse("web:allocate", args=[PROVINCE])
    response = client.post(allocate, {**post, "to_area": HARBIN, "amount": "300000"}, follow=True)
    assert "Funds allocated to Harbin City." in _messages(response)
    beyond = client.post(allocate, {**post, "to_area": HARBIN, "amount": "200000.01"})
    assert beyond.status_code == 200
    [message] = _errors(beyond)
    assert message.startswith(f"{PROVINCE} · amount (yuan): Allocation beyond what the area received")
    assert "200,000.00 yuan available" in message
    assert beyond.context["allocate_form"].errors["amount"]
    client.post(reverse("web:allocate", args=[HARBIN]), {**post, "to_area": YANSHOU, "amount": "300000"})
    assert Entry.objects.filter(kind="allocation").count() == 2

    # the county passes its funds on to the project, chosen by its code
    login(client, county_user)
    page = client.get(reverse("web:funds_area"), {"area": YANSHOU, "year": "2009"})
    assert page.context["appropriate_form"] is not None
    assert (project.code, project.name) in page.context["project_options"]
    response = client.post(
        reverse("web:allocate", args=[YANSHOU]), {**post, "project": project.code, "amount": "120000"}, follow=True
    )
    assert f"Funds allocated to {project.code}." in _messages(response)
    assert Account.objects.get(project=project).received == data.money("120000")


def test_bad_allocations_change_nothing(client, province_user, county_user, project, bayan_village):
    theirs = data.project(province_user, bayan_village, code="BAYAN-1")
    yanshou = AdminArea.objects.get(code=YANSHOU)
    province = AdminArea.objects.get(code=PROVINCE)
    funds.appropriate(actor=province_user, area=province, source="central", year=2009, amount="1000")
    funds.allocate(actor=province_user, from_area=province, to_area=yanshou, source="central", year=2009, amount="1000")
    entries = Entry.objects.count()
    login(client, county_user)
    url = reverse("web:allocate", args=[YANSHOU])
    post = {"source": "central", "year": "2009", "amount": "100", "date": "2009-03-01"}

    neither = client.post(url, post)
    assert _errors(neither) == [f"{YANSHOU} · to an area below: Allocate to an area or to a project."]
    assert neither.context["allocate_form"].errors["to_area"]
    outside = client.post(url, {**post, "project": theirs.code})
    assert _errors(outside) == [f"{YANSHOU} · or to a project (code): Project BAYAN-1 is not in {YANSHOU}."]
    unknown = client.post(url, {**post, "project": "NOPE"})
    assert _errors(unknown) == ["NOPE · or to a project (code): No project with this code."]
    too_much = client.post(url, {**post, "project": project.code, "amount": "1000.01"})
    assert "1,000.00 yuan available" in _errors(too_much)[0]
    not_a_child = client.post(url, {**post, "to_area": BAYAN})
    assert not_a_child.context["allocate_form"].errors["to_area"]
    assert Entry.objects.count() == entries

    # outside the county's areas: the page of the error, nothing written
    assert client.post(reverse("web:allocate", args=[PROVINCE]), {**post, "to_area": HARBIN}).status_code == 403
    assert client.post(reverse("web:appropriate", args=[PROVINCE]), post).status_code == 403
    assert Entry.objects.count() == entries


def test_appropriation_forms_follow_the_level_and_role(client, province_user, make_user, yanshou_village):
    township = yanshou_village[:9] + "000"
    login(client, province_user)
    page = client.get(reverse("web:funds_area"), {"area": township, "year": "2009"})
    assert page.context["appropriate_form"] is None and page.context["allocate_form"] is not None
    response = client.post(
        reverse("web:appropriate", args=[township]),
        {"source": "county", "year": "2009", "amount": "10", "date": "2009-03-01"},
    )
    assert _errors(response) == [
        f"{township} · area: county funds (县级资金) are appropriated at county, not at township."
    ]
    assert not Entry.objects.exists()

    auditor = make_user(Role.AUDITOR, (PROVINCE,))
    login(client, auditor)
    content = client.get(reverse("web:funds_area")).content.decode()
    assert 'id="appropriate-form"' not in content and 'id="allocate-form"' not in content


# --- contiguous development zones ----------------------------------------------------------------


@pytest.fixture
def zone(province_user):
    return services.zone_create(
        actor=province_user,
        code="LP-T-01",
        name="松花江连片开发区",
        name_en="Songhua contiguous development zone",
        county_codes=[YANSHOU, BAYAN],
        start_year=2009,
        end_year=2011,
    )


def test_zone_pages_and_a_zone_project(client, province_user, county_user, zone, yanshou_village, bayan_village):
    theirs = services.project_create(
        actor=province_user,
        data=services.ProjectData(
            code="LP-230126-01",
            name="巴彦县肉牛养殖",
            program="contiguous",
            category="industry",
            area_code=BAYAN,
            start_year=2009,
            end_year=2010,
            budget="400000",
            zone=zone,
        ),
    )
    data.fund(province_user, theirs, "50000")
    funds.disburse(actor=province_user, project=theirs, source="central", year=2009, amount="20000")

    login(client, province_user)
    listing = client.get(reverse("web:zone_list"))
    [row] = listing.context["rows"]
    assert (row["zone"], row["projects"], row["disbursed"]) == (zone, 1, data.money("20000"))
    assert [c.code for c in row["counties"]] == [BAYAN, YANSHOU]
    assert "Songhua contiguous development zone" in listing.content.decode()
    page = client.get(reverse("web:zone_detail", args=[zone.code]))
    [year] = page.context["overview"]["by_year"]
    assert (year["year"], year["allocated"], year["disbursed"]) == (2009, data.money("50000"), data.money("20000"))
    assert "central anti-poverty funds" in page.content.decode()

    # the county officer sees the zone, only the county's projects, and adds one
    login(client, county_user)
    page = client.get(reverse("web:zone_detail", args=[zone.code]))
    assert page.context["overview"]["projects"] == []
    assert {c.code: v for c, v in page.context["counties"]} == {BAYAN: False, YANSHOU: True}
    form = page.context["project_form"]
    assert (form.initial["area"], form.initial["code"]) == (YANSHOU, "LP-230129-01")
    url = reverse("web:zone_project_create", args=[zone.code])
    post = {
        "area": yanshou_village,
        "code": "LP-230129-01",
        "name": "延寿县水稻基地",
        "category": "industry",
        "start_year": "2009",
        "end_year": "2011",
        "budget": "800000",
    }
    response = client.post(url, post, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:zone_detail", args=[zone.code])
    assert "Project LP-230129-01 created." in _messages(response)
    project = Project.objects.get(code="LP-230129-01")
    assert (project.zone, project.program, project.area.code) == (zone, "contiguous", yanshou_village)
    assert [r["project"] for r in response.context["overview"]["projects"]] == [project]

    outside = client.post(url, {**post, "area": bayan_village, "code": "LP-X-1"})
    assert _errors(outside) == ["LP-X-1 · area (code): This record is outside the areas you are responsible for."]
    elsewhere = client.post(url, {**post, "area": QIQIHAR_TAILAI, "code": "LP-X-2"})
    [message] = _errors(elsewhere)
    assert message.startswith("LP-X-2 · area (code): A zone's project is in one of its counties")
    assert elsewhere.context["project_form"].errors["area"]
    assert Project.objects.filter(zone=zone).count() == 2


def test_zones_outside_the_scope(client, make_user, zone):
    tailai = make_user(Role.COUNTY, (QIQIHAR_TAILAI,))
    login(client, tailai)
    assert client.get(reverse("web:zone_list")).context["rows"] == []
    assert client.get(reverse("web:zone_detail", args=[zone.code])).status_code == 404
    response = client.post(reverse("web:zone_project_create", args=[zone.code]), {"area": QIQIHAR_TAILAI})
    assert response.status_code == 404
    assert not Project.objects.exists()
    assert ContiguousZone.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_new_pages_render(client, province_user, zone, project, language):
    login(client, province_user, language)
    for url in [
        reverse("web:batch_list"),
        reverse("web:zone_list"),
        reverse("web:zone_detail", args=[zone.code]),
        reverse("web:plan_detail", args=[project.area.code]),
        reverse("web:project_detail", args=[project.code]),
        reverse("web:funds_area") + f"?area={YANSHOU}&year=2009",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("web:zone_detail", args=["NOPE"])).status_code == 404


def test_the_province_creates_a_zone_and_bad_counties_change_nothing(
    client, province_user, county_user, yanshou_village
):
    login(client, county_user)
    assert 'id="zone-form"' not in client.get(reverse("web:zone_list")).content.decode()
    login(client, province_user)
    assert 'id="zone-form"' in client.get(reverse("web:zone_list")).content.decode()
    url = reverse("web:zone_create")
    post = {
        "code": "LP-9",
        "name": "饶河—抚远连片开发区",
        "counties": "230524, 230883",
        "start_year": "2008",
        "end_year": "",
    }
    response = client.post(url, post, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:zone_detail", args=["LP-9"])
    zone = ContiguousZone.objects.get(code="LP-9")
    assert sorted(zone.counties.values_list("code", flat=True)) == ["230524000000", "230883000000"]
    assert zone.end_year is None
    assert AuditEvent.objects.filter(action="zone.create", channel="web").exists()

    village = client.post(url, {**post, "code": "LP-10", "counties": yanshou_village})
    [message] = _errors(village)
    assert message.startswith("LP-10 · ") and "not a county" in message
    not_a_code = client.post(url, {**post, "code": "LP-11", "counties": "延寿"})
    assert not_a_code.context["zone_form"].errors["counties"]
    assert list(ContiguousZone.objects.values_list("code", flat=True)) == ["LP-9"]


def test_the_appropriation_form_offers_and_accepts_only_what_the_office_may_appropriate(
    client, province_user, county_user, make_user
):
    """The form reads the table of authority (funds.authority): a county office is offered
    its county's funds and the sector and social funds received there, never central money,
    and a posted central appropriation is refused with nothing written."""
    login(client, county_user)
    page = client.get(reverse("web:funds_area"), {"area": YANSHOU, "year": "2009"})
    offered = [value for value, _label in page.context["appropriate_form"].fields["source"].choices if value]
    assert offered == ["county", "sector", "social_grant", "social_investment"]
    post = {"source": "central", "year": "2009", "amount": "1000000000", "date": "2009-03-01"}
    refused = client.post(reverse("web:appropriate", args=[YANSHOU]), post)
    assert _errors(refused) == [
        f"{YANSHOU} · fund source: central anti-poverty funds (中央财政扶贫资金) are appropriated at province, "
        "not at county."
    ]
    form = refused.context["appropriate_form"]
    assert form.errors["source"] and "central" not in [value for value, _label in form.fields["source"].choices]
    assert not Entry.objects.exists()

    login(client, province_user)
    page = client.get(reverse("web:funds_area"), {"area": PROVINCE, "year": "2009"})
    offered = [value for value, _label in page.context["appropriate_form"].fields["source"].choices if value]
    assert offered == ["central", "provincial", "sector", "social_grant", "social_investment"]
    page = client.get(reverse("web:funds_area"), {"area": HARBIN, "year": "2009"})
    offered = [value for value, _label in page.context["appropriate_form"].fields["source"].choices if value]
    assert offered == ["city", "sector", "social_grant", "social_investment"]
    # a township: nothing is appropriated there, so no form
    township = AdminArea.objects.filter(parent__code=YANSHOU).order_by("code").first()
    page = client.get(reverse("web:funds_area"), {"area": township.code, "year": "2009"})
    assert page.context["appropriate_form"] is None
    # a county office given the whole province still may not create the province's money
    clerk = make_user(Role.COUNTY, (PROVINCE,))
    login(client, clerk)
    page = client.get(reverse("web:funds_area"), {"area": PROVINCE, "year": "2009"})
    assert page.context["appropriate_form"] is None
    refused = client.post(reverse("web:appropriate", args=[PROVINCE]), {**post, "source": "sector"})
    assert _errors(refused) == [
        f"{PROVINCE} · fund source: integrated sector funds (行业部门整合资金) at province are appropriated by the "
        "province office or above."
    ]
    assert not Entry.objects.exists()
