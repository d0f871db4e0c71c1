"""The training API: classes as a declared resource (scoped, filtered, paginated), the
workflow through one endpoint per action, errors in the one shape, the allocation."""

from __future__ import annotations

import itertools

from fupin.core.models import AuditEvent
from fupin.training import services
from fupin.training.models import Enrolment, TrainingClass, Transfer
from tests.testing import APIResourceTests, api

_codes = itertools.count(1)


class TestTrainingClassAPI(APIResourceTests):
    list_url = "/api/training/classes/"

    def make(self, village_code, actor):
        return services.class_create(
            actor=actor,
            code=f"WV-{next(_codes)}",
            type="whole_village",
            subject="水稻种植",
            start_date="2009-02-01",
            end_date="2009-02-05",
            hours=32,
            organiser="县农业技术推广站",
            area_code=village_code,
        )

    def key(self, obj):
        return obj.code

    def create_data(self, village_code):
        return {
            "code": f"NEW-{village_code}",
            "type": "whole_village",
            "subject": "大豆种植",
            "start_date": "2009-03-01",
            "end_date": "2009-03-04",
            "hours": 24,
            "organiser": "县农业局",
            "area": village_code,
        }

    def model_count(self):
        return TrainingClass.objects.count()


def test_enrol_complete_transfer_through_the_api(province_user, county_user, klass, trainee):
    client = api(county_user)
    url = f"/api/training/classes/{klass.code}/"
    r = client.post(url + "enrol/", {"person": trainee.pk}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["household"] == trainee.household.code
    r = client.post(url + "complete/", {"id_number": trainee.id_number, "certificate_number": "Z-1"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "completed"
    job = {
        "person": trainee.pk,
        "employer": "哈尔滨电机厂",
        "place": "哈尔滨",
        "destination": "province",
        "sector": "manufacturing",
        "start_date": "2009-06-15",
        "monthly_wage": "1600.00",
    }
    r = client.post(url + "transfer/", job, format="json")
    assert r.status_code == 201, r.json()
    roster = client.get(url + "roster/").json()
    assert roster["count"] == 1
    assert [row["certificate_number"] for row in roster["results"]] == ["Z-1"]
    assert client.get("/api/training/transfers/", {"household": trainee.household.code}).json()["count"] == 1
    assert AuditEvent.objects.filter(actor=county_user, channel="api", action="training.transfer.record").exists()
    # refusals: the one error shape, naming the field and the record, nothing written
    before = Transfer.objects.count()
    r = client.post(url + "transfer/", {**job, "monthly_wage": "-5", "employer": "X"}, format="json")
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"], r.json()["record"]) == ("invalid", "monthly_wage", klass.code)
    r = client.post(url + "transfer/", {**job, "start_date": "2009-05-01", "employer": "Y"}, format="json")
    assert r.json()["field"] == "start_date"
    assert Transfer.objects.count() == before
    r = client.post(url + "enrol/", {"id_number": "230129199001011234"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "id_number"
    targets = client.post(
        "/api/training/targets/", {"area": klass.area.code, "year": 2009, "trained": 1, "transferred": 1}
    )
    assert targets.status_code == 201
    completion = client.get("/api/training/targets/completion/", {"year": 2009}).json()
    assert completion[0]["transferred_percent"] == 100.0
    allocation = client.get("/api/training/allocation/", {"year": 2009, "total": "5000"}).json()
    assert allocation["bases"][0]["share"] == "5000.00" and allocation["for_year"] == 2010


def test_out_of_scope_writes_are_refused(make_user, klass, trainee):
    from fupin.core.choices import Role
    from tests.conftest import BAYAN

    bayan = make_user(Role.COUNTY, (BAYAN,))
    r = api(bayan).post(f"/api/training/classes/{klass.code}/enrol/", {"person": trainee.pk}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "out_of_scope"
    assert Enrolment.objects.count() == 0
    assert api(bayan).get(f"/api/training/classes/{klass.code}/").status_code == 404
    assert api(bayan).get("/api/training/enrolments/").json()["count"] == 0


def test_allocation_needs_a_year(province_user):
    r = api(province_user).get("/api/training/allocation/")
    assert r.status_code == 400 and r.json()["field"] == "year"
