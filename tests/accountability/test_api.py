"""The API of the responsibility and assessment system: the refusals in the one error
shape, scope, a user without the permission, and the ranking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from fupin.accountability import services
from fupin.accountability.models import Assessment, Target
from fupin.analytics.snapshot import take_snapshot
from fupin.core.choices import Role
from tests.accountability.conftest import HARBIN, PROVINCE, QIQIHAR
from tests.conftest import QIQIHAR_TAILAI, YANSHOU
from tests.testing import api


def _client(user):
    client = api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_target_on_an_unknown_indicator_is_a_400(province_user):
    response = _client(province_user).post(
        "/api/accountability/targets/",
        {"year": 2009, "area": YANSHOU, "indicator": "nope.nothing", "value": "3"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "indicator" and "nope.nothing" in body["message"]
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "weights", [{"poor.people": -2}, {"poor.people": 0, "poor.households": "0"}, {}, {"poor.people": "abc"}]
)
def test_bad_weights_are_a_400(province_user, weights):
    response = _client(province_user).post(
        "/api/accountability/assessments/",
        {"area": PROVINCE, "year": 2009, "title": "省考核", "weights": weights},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == "weights"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"area": PROVINCE, "year": 2009, "title": "t", "weights": "poor.people=1"},
        {"area": PROVINCE, "year": 2009, "title": "t", "weights": {"poor.people": {"x": 1}}},
        {"area": PROVINCE, "year": "twenty", "title": "t", "weights": {"poor.people": 1}},
        {"area": "x" * 5000, "year": 2009, "title": "t", "weights": {"poor.people": 1}},
        [1, 2, 3],
    ],
)
def test_malformed_requests_are_400_not_500(province_user, payload):
    response = _client(province_user).post("/api/accountability/assessments/", payload, format="json")
    assert response.status_code == 400
    assert {"code", "message"} <= set(response.json())


def test_scope_and_permission(make_user, harbin_user, qiqihar_user):
    services.assessment_create(
        actor=qiqihar_user, area_code=QIQIHAR, year=2009, title="齐齐哈尔", weights={"poor.people": "1"}
    )
    assert _client(harbin_user).get("/api/accountability/assessments/").json()["count"] == 0
    assert _client(qiqihar_user).get("/api/accountability/assessments/").json()["count"] == 1
    # Harbin may not set a target in Qiqihar's 泰来县: 403 out_of_scope
    response = _client(harbin_user).post(
        "/api/accountability/targets/",
        {"year": 2009, "area": QIQIHAR_TAILAI, "indicator": "poor.people", "value": "3"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    # a village clerk may not open an assessment: 403
    clerk = make_user(Role.VILLAGE, (YANSHOU,))
    response = _client(clerk).post(
        "/api/accountability/assessments/",
        {"area": HARBIN, "year": 2009, "title": "t", "weights": {"poor.people": 1}},
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"
    # anonymous: no access
    assert api().get("/api/accountability/assessments/").status_code in (401, 403)
    assert Assessment.objects.count() == 1


def test_run_and_ranking(province_user, tmp_path, monkeypatch):
    for county, value in ((YANSHOU, "2"), ("230126000000", "4")):
        services.target_set(
            actor=province_user, year=2009, indicator="industry.enterprises_new", value=value, area_code=county
        )
    client = _client(province_user)
    created = client.post(
        "/api/accountability/assessments/",
        {"area": PROVINCE, "year": 2009, "title": "省考核", "weights": {"industry.enterprises_new": 10}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    monkeypatch.setattr("fupin.analytics.snapshot.snapshot_for", lambda as_of, fresh=False: snapshot)
    pk = created.json()["id"]
    ran = client.post(f"/api/accountability/assessments/{pk}/run/")
    assert ran.status_code == 200, ran.json()
    # no enterprises recorded: both achieve 0 and share the first rank (then by area code)
    ranked = ran.json()["results"]  # the ranking's first page
    assert [(r["unit"], r["score"], r["rank"]) for r in ranked] == [("巴彦县", "0.00", 1), ("延寿县", "0.00", 1)]
    ranking = client.get(f"/api/accountability/assessments/{pk}/ranking/").json()
    assert ranking == ran.json()  # a page, like every list
    assert client.get(f"/api/accountability/assessments/{pk}/").json()["status"] == "run"


def test_other_records_through_the_api(province_user, yanshou_village):
    client = _client(province_user)
    made = client.post(
        "/api/accountability/assignments/",
        {
            "area": YANSHOU,
            "year": 2009,
            "leader_name": "县长",
            "leader_post": "县长",
            "units": ["县扶贫办", "县财政局"],
            "tasks": "整村推进",
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["units"] == ["县扶贫办", "县财政局"]
    meeting = client.post(
        "/api/accountability/meetings/",
        {"date": "2009-09-15", "area": YANSHOU, "title": "现场会", "participants": -3},
        format="json",
    )
    assert meeting.status_code == 400 and meeting.json()["field"] == "participants"
    model = client.post(
        "/api/accountability/models/",
        {
            "code": "TM-1",
            "kind": "village",
            "year": 2009,
            "area": yanshou_village,
            "title": "示范村",
            "case_zh": "案例",
            "case_en": "Case",
            "figures": {"households": "120"},
        },
        format="json",
    )
    assert model.status_code == 201 and model.json()["figures"] == {"households": "120.000"}
