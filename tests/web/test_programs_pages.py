"""The programs' and funds' pages through real requests: every page renders in scope and
404s outside it; each form writes through its service, or shows the service's error
naming the record and the field and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.funds import services as funds
from fupin.funds.models import Entry
from fupin.programs import services
from fupin.programs.choices import CHECKLIST_FIELDS
from fupin.programs.models import Beneficiary, LabourInput, ProjectOutput, VillagePlan
from tests import programs_data as data
from tests.conftest import BAYAN, YANSHOU

pytestmark = pytest.mark.django_db


def login(client, user, language="en"):
    """Log in; pages come in English so that tests can compare the services' messages."""
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def plan(province_user, yanshou_village):
    return data.plan(province_user, yanshou_village)


@pytest.fixture
def project(province_user, plan, yanshou_village):
    project = data.project(province_user, yanshou_village, plan=plan, name="村屯道路硬化")
    data.fund(province_user, project, "100000")
    return project


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


# --- rendering and scope ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders_for_a_user_in_scope(client, province_user, project, make_household, language):
    household = make_household(project.area.code)
    services.beneficiaries_add(actor=province_user, project=project, households=[household], year=2009)
    funds.disburse(actor=province_user, project=project, source="central", year=2009, amount="2500")
    login(client, province_user, language)
    village = project.area.code
    urls = [
        reverse("web:batch_list"),
        reverse("web:batch_detail", args=[4]),
        reverse("web:batch_detail", args=[4]) + f"?status=planned&area={YANSHOU}",
        reverse("web:plan_detail", args=[village]),
        reverse("web:project_detail", args=[project.code]),
        reverse("web:funds_area"),
        reverse("web:funds_area") + f"?area={YANSHOU}&year=2009",
        reverse("web:funds_area") + f"?area={village}&year=2009",
        reverse("web:household_detail", args=[household.code]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    if language == "en":
        nav = client.get(reverse("web:funds_area")).content.decode()
        assert 'aria-current="page">Programs</a>' in nav


def test_pages_require_login(client, project):
    for url in [
        reverse("web:batch_list"),
        reverse("web:project_detail", args=[project.code]),
        reverse("web:funds_area"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_county_user_sees_only_the_county(client, county_user, province_user, project, bayan_village):
    theirs = data.plan(province_user, bayan_village)
    their_project = data.project(province_user, bayan_village, plan=theirs)
    login(client, county_user)
    assert client.get(reverse("web:plan_detail", args=[bayan_village])).status_code == 404
    assert client.get(reverse("web:project_detail", args=[their_project.code])).status_code == 404
    batch = client.get(reverse("web:batch_detail", args=[4]))
    assert batch.context["totals"]["total"] == 1
    assert [row["code"] for row in batch.context["counties"]] == [YANSHOU]
    assert [p.village.code for p in batch.context["page"]] == [project.area.code]
    assert client.get(reverse("web:funds_area") + "?area=23").status_code == 403
    assert client.get(reverse("web:funds_area")).context["area"].code == YANSHOU


def test_batch_page_counts_by_status_and_county(client, province_user, plan, bayan_village):
    other = data.plan(province_user, bayan_village)
    services.plan_start(actor=province_user, plan=other, on=dt.date(2008, 4, 1))
    login(client, province_user)
    response = client.get(reverse("web:batch_detail", args=[4]))
    assert response.context["totals"] == {"total": 2, "planned": 1, "in_progress": 1, "accepted": 0}
    counties = {row["code"]: row for row in response.context["counties"]}
    assert counties[YANSHOU]["planned"] == 1 and counties[BAYAN]["in_progress"] == 1
    content = response.content.decode()
    assert reverse("web:plan_detail", args=[plan.village.code]) in content
    filtered = client.get(reverse("web:batch_detail", args=[4]), {"status": "in_progress"})
    assert [p.village.code for p in filtered.context["page"]] == [bayan_village]
    listing = client.get(reverse("web:batch_list"))
    assert listing.context["rows"][0]["total"] == 2
    assert client.get(reverse("web:batch_detail", args=[99])).status_code == 404


def test_batch_page_queries_do_not_grow_with_the_villages(
    client, province_user, make_user, django_assert_max_num_queries
):
    from fupin.geo.models import AdminArea

    villages = list(
        AdminArea.objects.in_area(YANSHOU).filter(level="village").order_by("code").values_list("code", flat=True)[:8]
    )
    for code in villages:
        plan = data.plan(province_user, code)
        data.project(province_user, code, plan=plan)
    login(client, province_user)
    client.get(reverse("web:batch_detail", args=[4]))
    # session, user, areas, batch, counties (grouped), county names, count, page of plans
    with django_assert_max_num_queries(9):
        response = client.get(reverse("web:batch_detail", args=[4]))
    assert len(response.context["page"].object_list) == 8


# --- the village plan ---------------------------------------------------------------------------


def test_plan_page_shows_projects_funds_and_outputs(client, province_user, project, make_household):
    services.output_record(actor=province_user, project=project, kind_code="road", year=2009, quantity="3.500")
    services.labour_record(actor=province_user, project=project, year=2009, persons=40, person_days=320)
    household = make_household(project.area.code)
    services.beneficiaries_add(actor=province_user, project=project, households=[household], year=2009)
    funds.disburse(actor=province_user, project=project, source="central", year=2009, amount="60000")
    login(client, province_user)
    response = client.get(reverse("web:plan_detail", args=[project.area.code]))
    overview = response.context["overview"]
    row = overview["projects"][0]
    assert (row["project"], row["budget"], row["allocated"], row["disbursed"]) == (
        project,
        data.money("300000.00"),
        data.money("100000.00"),
        data.money("60000.00"),
    )
    assert row["disbursed_by_source"] == {"central": data.money("60000.00")}
    assert overview["beneficiary_households"] == 1
    assert overview["labour"] == {"persons": 40, "person_days": 320}
    content = response.content.decode()
    assert "Roads built" in content and "3.5" in content
    assert "central anti-poverty funds" in content
    assert 'id="checklist-form"' in content and 'id="accept-form"' in content and 'id="start-form"' in content


def test_checklist_and_acceptance(client, province_user, plan):
    code = plan.village.code
    login(client, province_user)
    response = client.post(reverse("web:plan_start", args=[code]), {"date": "2008-04-01"})
    assert response.status_code == 302
    ticked = dict.fromkeys(CHECKLIST_FIELDS[:4], "on")
    client.post(reverse("web:plan_checklist", args=[code]), ticked)
    plan.refresh_from_db()
    assert plan.checklist_done() == 4

    refused = client.post(
        reverse("web:plan_accept", args=[code]), {"accepted_on": "2009-10-01", "accepted_by": "县验收组"}
    )
    assert refused.status_code == 200
    [message] = _errors(refused)
    assert message.startswith(f"{code} · ") and "hardened roads reach the village" in message
    assert "The acceptance checklist is not complete" in message
    plan.refresh_from_db()
    assert (plan.status, plan.accepted_on) == ("in_progress", None)

    client.post(reverse("web:plan_checklist", args=[code]), dict.fromkeys(CHECKLIST_FIELDS, "on"))
    early = client.post(
        reverse("web:plan_accept", args=[code]), {"accepted_on": "2008-01-01", "accepted_by": "县验收组"}
    )
    [message] = _errors(early)
    assert message == f"{code} · date of acceptance: Acceptance cannot come before the start."
    assert "Acceptance cannot come before the start." in str(early.context["accept_form"].errors["accepted_on"])

    accepted = client.post(
        reverse("web:plan_accept", args=[code]), {"accepted_on": "2009-10-01", "accepted_by": "县验收组"}
    )
    assert accepted.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.accepted_on, plan.accepted_by) == ("accepted", dt.date(2009, 10, 1), "县验收组")
    assert AuditEvent.objects.filter(action="plan.accept", channel="web", actor=province_user).exists()
    page = client.get(reverse("web:plan_detail", args=[code])).content.decode()
    assert 'id="accept-form"' not in page and "县验收组" in page
    batch = client.get(reverse("web:batch_detail", args=[4]))
    assert batch.context["totals"]["accepted"] == 1


def test_accepting_needs_the_county(client, village_user, plan):
    login(client, village_user)  # the plan's village is the village user's own
    code = plan.village.code
    response = client.post(reverse("web:plan_start", args=[code]), {"date": "2008-04-01"})
    assert response.status_code == 200
    [message] = _errors(response)
    assert message.startswith(code) and "county office" in message
    assert VillagePlan.objects.get(pk=plan.pk).status == "planned"


def test_plan_actions_outside_the_scope_are_refused(client, county_user, province_user, bayan_village):
    theirs = data.plan(province_user, bayan_village)
    login(client, county_user)
    response = client.post(reverse("web:plan_start", args=[bayan_village]), {"date": "2008-04-01"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "planned"


# --- the project ------------------------------------------------------------------------------


def test_record_an_output(client, province_user, project):
    login(client, province_user)
    url = reverse("web:output_record", args=[project.code])
    response = client.post(url, {"kind": "road", "year": "2009", "quantity": "2.75"})
    assert response.status_code == 302
    output = ProjectOutput.objects.get(project=project)
    assert (output.kind.code, output.year, str(output.quantity)) == ("road", 2009, "2.750")
    assert AuditEvent.objects.filter(action="output.record", channel="web").exists()
    page = client.get(reverse("web:project_detail", args=[project.code])).content.decode()
    assert "Roads built" in page and "2.75" in page

    bad = client.post(url, {"kind": "road", "year": "2009", "quantity": "1.2345"})
    assert bad.status_code == 200
    assert "quantity" in bad.context["output_form"].errors
    assert ProjectOutput.objects.get(project=project).quantity == data.money("2.750")


def test_disburse_and_reverse(client, province_user, project):
    login(client, province_user)
    url = reverse("web:disburse", args=[project.code])
    post = {"source": "central", "year": "2009", "amount": "25000", "date": "2009-05-01", "document": "延财扶[2009]1号"}
    assert client.post(url, post).status_code == 302
    paid = Entry.objects.get(project=project, kind="disbursement")
    assert (paid.amount, paid.date, paid.recorded_by) == (data.money("25000.00"), dt.date(2009, 5, 1), province_user)

    too_much = client.post(url, {**post, "amount": "80000"})
    assert too_much.status_code == 200
    [message] = _errors(too_much)
    assert message.startswith(f"{project.code} · amount (yuan): Disbursement beyond what was allocated")
    assert "75,000.00 yuan available" in message
    assert too_much.context["disburse_form"].errors["amount"]
    assert Entry.objects.filter(project=project, kind="disbursement").count() == 1

    no_source = client.post(url, {**post, "source": "provincial"})
    assert "0.00 yuan available" in _errors(no_source)[0]

    reverse_url = reverse("web:entry_reverse", args=[paid.pk])
    response = client.post(reverse_url, {"reason": "重复录入"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:project_detail", args=[project.code])
    assert f"Entry #{paid.pk} reversed." in _messages(response)
    reversal = Entry.objects.get(reverses=paid)
    assert reversal.amount == data.money("-25000.00") and reversal.note == "重复录入"
    entries = {e.pk: e for e in response.context["entries"]}
    assert entries[paid.pk].is_reversed and not entries[reversal.pk].is_reversed
    assert response.context["overview"]["totals"]["disbursed"] == 0

    again = client.post(reverse_url, {"reason": "again"}, follow=True)
    # the one rule's message (funds.rules), the same the import gives
    assert _errors(again) == [
        f"#{paid.pk} · reverses: Entry {paid.number} has already been reversed by entry {reversal.number}."
    ]
    assert Entry.objects.filter(reverses__isnull=False).count() == 1


def test_disburse_outside_the_scope_is_refused(client, county_user, province_user, bayan_village):
    theirs = data.project(province_user, bayan_village)
    data.fund(province_user, theirs, "1000")
    login(client, county_user)
    response = client.post(
        reverse("web:disburse", args=[theirs.code]),
        {"source": "central", "year": "2009", "amount": "10", "date": "2009-05-01"},
    )
    assert response.status_code == 403
    assert not Entry.objects.filter(kind="disbursement").exists()


def test_labour_and_beneficiaries(client, province_user, project, make_household, bayan_village):
    login(client, province_user)
    assert (
        client.post(
            reverse("web:labour_record", args=[project.code]), {"year": "2009", "persons": "30", "person_days": "20"}
        ).status_code
        == 200
    )
    assert not LabourInput.objects.exists()
    client.post(
        reverse("web:labour_record", args=[project.code]), {"year": "2009", "persons": "30", "person_days": "300"}
    )
    assert LabourInput.objects.get(project=project).person_days == 300

    ours = make_household(project.area.code)
    theirs = make_household(bayan_village)
    url = reverse("web:beneficiaries_add", args=[project.code])
    refused = client.post(url, {"households": f"{ours.code}, {theirs.code}", "year": "2009"})
    [message] = _errors(refused)
    assert message.startswith(f"{project.code} · household: Household {theirs.code} lives in")
    assert not Beneficiary.objects.exists()
    unknown = client.post(url, {"households": "NOPE", "year": "2009"})
    assert _errors(unknown) == ["NOPE · household codes: No household with this code."]
    added = client.post(url, {"households": ours.code, "year": "2009"}, follow=True)
    assert "Households added: 1." in _messages(added)
    assert [b.household for b in added.context["overview"]["beneficiaries"]] == [ours]


# --- funds of an area and of a household ------------------------------------------------------------


def test_funds_page_shows_balances_and_the_flow(client, province_user, project):
    funds.disburse(actor=province_user, project=project, source="central", year=2009, amount="40000")
    login(client, province_user)
    response = client.get(reverse("web:funds_area"), {"area": "230000000000", "year": "2009"})
    balances = response.context["balances"]
    assert balances["totals"] == {
        "received": data.money("100000"),
        "allocated": data.money("100000"),
        "disbursed": data.money("40000"),
        "available": data.money("0"),
    }
    assert [row["source"] for row in balances["by_source"]] == ["central"]
    harbin = next(row for row in balances["children"] if row["area"].code == "230100000000")
    assert harbin["disbursed"] == data.money("40000")
    content = response.content.decode()
    assert 'id="fund-flow-chart"' in content
    chart = json.loads(content.split('id="fund-flow-data" type="application/json">')[1].split("</script>")[0])
    assert {"source": "source:central", "target": "program:village_advancement", "value": 40000.0} in chart["links"]
    assert any(n["name"] == f"project:{project.code}" and "村屯道路硬化" in n["label"] for n in chart["nodes"])
    empty = client.get(reverse("web:funds_area"), {"area": "230000000000", "year": "2005"})
    assert "No disbursements in this area for this year." in empty.content.decode()
    assert client.get(reverse("web:funds_area"), {"year": "x"}).status_code == 400


def test_household_page_lists_the_projects_and_funds_that_reached_it(client, province_user, project, make_household):
    household = make_household(project.area.code)
    login(client, province_user)
    before = client.get(reverse("web:household_detail", args=[household.code])).content.decode()
    assert "No project has recorded this household as a beneficiary." in before
    services.beneficiaries_add(actor=province_user, project=project, households=[household], year=2009)
    funds.disburse(actor=province_user, project=project, source="central", year=2009, amount="12345.60")
    response = client.get(reverse("web:household_detail", args=[household.code]))
    reached = response.context["funds"]
    assert [row["project"] for row in reached["projects"]] == [project]
    assert reached["total"] == data.money("12345.60")
    content = response.content.decode()
    assert reverse("web:project_detail", args=[project.code]) in content and "12,345.60" in content


def test_household_page_links_only_the_projects_the_user_can_see(
    client, province_user, village_user, project, yanshou_village, make_household
):
    """A county's project that reached a village's household is listed on the household's
    page without a link for the village's clerk, who may not open it."""
    county_project = data.project(province_user, YANSHOU, name="县级产业项目", code="P-COUNTY-1")
    household = make_household(yanshou_village)
    for p in (project, county_project):
        services.beneficiaries_add(actor=province_user, project=p, households=[household], year=2009)
    url = reverse("web:household_detail", args=[household.code])

    login(client, village_user)
    content = client.get(url).content.decode()
    assert reverse("web:project_detail", args=[project.code]) in content
    assert "县级产业项目" in content and reverse("web:project_detail", args=[county_project.code]) not in content
    assert client.get(reverse("web:project_detail", args=[county_project.code])).status_code == 404

    login(client, province_user)
    content = client.get(url).content.decode()
    assert reverse("web:project_detail", args=[county_project.code]) in content


def test_read_only_roles_see_no_forms(client, make_user, project):
    auditor = make_user(Role.AUDITOR, ("230000000000",))
    login(client, auditor)
    content = client.get(reverse("web:project_detail", args=[project.code])).content.decode()
    assert 'id="disburse-form"' not in content and 'id="output-form"' not in content
