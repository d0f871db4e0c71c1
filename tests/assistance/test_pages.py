"""The assistance pages: the unit list with the registration form, a unit's page and its
forms (refusals shown on the form, nothing written), the lists and details of cadres,
contributions and aided students, the person page's panel, and scope (another county gets
404; a read-only user gets no forms and writes nothing)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fupin.assistance import services
from fupin.assistance.models import AssistingUnit, Cadre, Contribution, Pairing, StudentAid
from fupin.core.choices import Role
from fupin.funds.models import Entry
from tests.conftest import BAYAN, PASSWORD, QIQIHAR_TAILAI, YANSHOU


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


def test_register_a_unit_through_the_form(county_user):
    client = _client(county_user)
    url = reverse("assistance:unit_list")
    assert client.get(url).status_code == 200
    data = {"unit-code": "XZ-1", "unit-name": "县交通局", "unit-level": "city", "unit-area": YANSHOU}
    response = client.post(url, data)
    assert response.status_code == 200 and not AssistingUnit.objects.exists()
    assert "does not fit its level" in response.content.decode()
    data["unit-level"] = "county"
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("assistance:unit_detail", args=["XZ-1"])).content.decode()
    assert "县交通局" in page


def test_the_units_forms_and_their_refusals(province_user, county_unit, yanshou_village, household):
    client = _client(province_user)
    url = reverse("assistance:unit_detail", args=[county_unit.code])
    r = client.post(url, {"action": "pairing", "pairing-area": QIQIHAR_TAILAI, "pairing-start_year": "2009"})
    assert r.status_code == 200 and "outside the reach" in r.content.decode() and not Pairing.objects.exists()
    r = client.post(url, {"action": "pairing", "pairing-area": yanshou_village, "pairing-start_year": "2009"})
    assert r.status_code == 302 and Pairing.objects.count() == 1
    contribution = {
        "action": "contribution",
        "contribution-number": "JZ-1",
        "contribution-kind": "grant",
        "contribution-form": "cash",
        "contribution-value": "-1",
        "contribution-date": "2009-05-01",
        "contribution-area": yanshou_village,
    }
    r = client.post(url, contribution)
    assert r.status_code == 200 and "more than 0 yuan" in r.content.decode()
    assert not Contribution.objects.exists() and not Entry.objects.exists()
    contribution["contribution-value"] = "5000"
    assert client.post(url, contribution).status_code == 302
    assert Contribution.objects.get().entry.source == "social_grant"
    r = client.post(
        url,
        {
            "action": "cadre",
            "cadre-name": "王明",
            "cadre-kind": "first_secretary",
            "cadre-place": yanshou_village,
            "cadre-start_date": "2009-03-01",
        },
    )
    assert r.status_code == 302 and Cadre.objects.count() == 1
    person = household.members.first()
    student = {
        "action": "student",
        "student-id_number": "230129190001010000",
        "student-year": "2009",
        "student-school": "一中",
        "student-amount": "800",
    }
    r = client.post(url, student)
    assert r.status_code == 200 and "is in the registry" in r.content.decode() and not StudentAid.objects.exists()
    student["student-id_number"] = person.id_number
    assert client.post(url, student).status_code == 302
    page = client.get(url).content.decode()
    assert "JZ-1" in page and "王明" in page and person.name in page


def test_the_lists_details_and_the_person_panel(province_user, county_unit, yanshou_village, household):
    services.cadre_create(
        actor=province_user,
        unit=county_unit,
        name="李强",
        kind="team_member",
        place_code=yanshou_village,
        start_date="2009-03-01",
    )
    services.contribution_create(
        actor=province_user,
        unit=county_unit,
        number="JZ-2",
        kind="investment",
        value="300",
        date="2009-05-01",
        area_code=yanshou_village,
    )
    person = household.members.first()
    aid = services.student_aid(
        actor=province_user, unit=county_unit, year=2009, school="延寿一中", amount="800", person=person
    )
    client = _client(province_user)
    assert "李强" in client.get(reverse("assistance:cadre_list")).content.decode()
    assert "JZ-2" in client.get(reverse("assistance:contribution_list")).content.decode()
    detail = client.get(reverse("assistance:contribution_detail", args=["JZ-2"])).content.decode()
    assert Contribution.objects.get().entry.number in detail
    assert "延寿一中" in client.get(reverse("assistance:student_list")).content.decode()
    assert client.get(reverse("assistance:student_detail", args=[aid.pk])).status_code == 200
    panel = client.get(reverse("web:person_detail", args=[household.code, person.pk])).content.decode()
    assert 'id="person-student-aid"' in panel and "延寿一中" in panel
    page = client.get(reverse("web:household_detail", args=[household.code])).content.decode()
    assert 'id="household-student-aid"' in page


def test_another_county_gets_404_and_an_auditor_no_forms(make_user, province_user, county_unit, yanshou_village):
    services.contribution_create(
        actor=province_user,
        unit=county_unit,
        number="JZ-3",
        kind="grant",
        value="1",
        date="2009-05-01",
        area_code=yanshou_village,
    )
    bayan = _client(make_user(Role.COUNTY, (BAYAN,)))
    assert bayan.get(reverse("assistance:unit_detail", args=[county_unit.code])).status_code == 404
    assert bayan.get(reverse("assistance:contribution_detail", args=["JZ-3"])).status_code == 404
    assert "JZ-3" not in bayan.get(reverse("assistance:contribution_list")).content.decode()
    auditor = _client(make_user(Role.AUDITOR, ("230000000000",)))
    url = reverse("assistance:unit_detail", args=[county_unit.code])
    assert 'id="contribution-form"' not in auditor.get(url).content.decode()
    r = auditor.post(url, {"action": "pairing", "pairing-area": yanshou_village, "pairing-start_year": "2009"})
    assert r.status_code == 200 and not Pairing.objects.exists()


def test_anonymous_is_sent_to_log_in_and_junk_is_not_a_500(county_user):
    assert Client().get(reverse("assistance:unit_list")).status_code == 302
    client = _client(county_user)
    assert client.get(reverse("assistance:unit_list"), {"area": "23x", "level": "nope"}).status_code == 200
    assert client.get("/assistance/students/abc/").status_code == 404
    assert client.get(reverse("assistance:contribution_detail", args=["NONE"])).status_code == 404
    r = client.post(reverse("assistance:unit_list"), {"unit-code": "x" * 500, "unit-level": "central"})
    assert r.status_code == 200 and not AssistingUnit.objects.exists()
