"""The accountability pages: they render for the province and an empty database, the
forms call the services (and show their refusals on the field), a user of another city
does not see or reach the records, and the menu entry is there."""

from __future__ import annotations

import pytest
from django.test import Client

from fupin.accountability import services
from fupin.accountability.models import Assessment, Target
from fupin.core.choices import Role
from tests.accountability.conftest import HARBIN, PROVINCE
from tests.conftest import PASSWORD, YANSHOU

PAGES = [
    "/accountability/",
    "/accountability/targets/",
    "/accountability/assignments/",
    "/accountability/models/",
    "/accountability/meetings/",
]


def _login(user, language="en") -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pages_render_on_an_empty_database(province_user, language):
    client = _login(province_user, language)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get("/accountability/").content.decode()
    assert ("目标考核" if language == "zh-hans" else "Assessment") in body


def test_a_target_through_the_form_and_its_refusal(province_user):
    client = _login(province_user)
    data = {"year": 2009, "area": YANSHOU, "department": "", "indicator": "poor.people", "value": "-3"}
    response = client.post("/accountability/targets/", data)
    assert response.status_code == 200
    assert "A target is a number above 0" in response.content.decode()
    assert not Target.objects.exists()
    # an indicator not of the list is refused by the form itself
    response = client.post("/accountability/targets/", {**data, "value": "3", "indicator": "nope"})
    assert response.status_code == 200 and not Target.objects.exists()
    response = client.post("/accountability/targets/", {**data, "value": "3"})
    assert response.status_code == 302
    assert Target.objects.get().value == 3


def test_open_run_and_rank_through_the_pages(province_user):
    client = _login(province_user)
    form = {
        "assessment-area": PROVINCE,
        "assessment-year": 2009,
        "assessment-title": "省考核",
        "assessment-indicator_1": "poor.people",
        "assessment-weight_1": "0",
    }
    response = client.post("/accountability/", form)
    assert "All weights are zero" in response.content.decode()
    assert not Assessment.objects.exists()
    response = client.post("/accountability/", {**form, "assessment-weight_1": "5"})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accountability/assessments/{assessment.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Not run yet" in page and "poor.people" in page


def test_another_city_neither_sees_nor_reaches(harbin_user, qiqihar_user):
    assessment = services.assessment_create(
        actor=harbin_user, area_code=HARBIN, year=2009, title="哈尔滨考核", weights={"poor.people": "1"}
    )
    client = _login(qiqihar_user)
    assert "哈尔滨考核" not in client.get("/accountability/").content.decode()
    assert client.get(f"/accountability/assessments/{assessment.pk}/").status_code == 404
    # a post to run it is a 404 too, and changes nothing
    assert client.post(f"/accountability/assessments/{assessment.pk}/", {"action": "run"}).status_code == 404
    assert Assessment.objects.get().status == "draft"
    # Qiqihar's office cannot open Harbin's assessment through the form
    response = client.post(
        "/accountability/",
        {
            "assessment-area": HARBIN,
            "assessment-year": 2010,
            "assessment-title": "t",
            "assessment-indicator_1": "poor.people",
            "assessment-weight_1": "1",
        },
    )
    assert response.status_code == 200 and Assessment.objects.count() == 1


def test_a_user_without_write_permission_gets_no_forms(make_user, harbin_user):
    auditor = make_user(Role.AUDITOR, (HARBIN,))
    services.assessment_create(
        actor=harbin_user, area_code=HARBIN, year=2009, title="哈尔滨考核", weights={"poor.people": "1"}
    )
    client = _login(auditor)
    page = client.get("/accountability/").content.decode()
    assert "哈尔滨考核" in page and 'id="assessment-form"' not in page
    response = client.post(
        "/accountability/targets/", {"year": 2009, "area": YANSHOU, "indicator": "poor.people", "value": "3"}
    )
    assert response.status_code == 200 and not Target.objects.exists()


def test_anonymous_is_sent_to_the_login():
    response = Client().get("/accountability/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
