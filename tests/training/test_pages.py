"""The training pages: a class with its roster, enrolment from a household's members,
completion and a transfer through the forms, the household and person panels, targets and
the allocation page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fupin.training.models import Enrolment, Transfer
from fupin.web import panels
from tests.conftest import PASSWORD


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_enrol_members_complete_and_transfer(province_user, klass, household, trainee):
    client = _client(province_user)
    url = reverse("training:enrol_members", args=[klass.code, household.code])
    assert client.get(url).status_code == 200
    r = client.post(url, {"person": [trainee.pk]})
    assert r.status_code == 302
    assert Enrolment.objects.filter(klass=klass, person=trainee).exists()
    detail = reverse("training:class_detail", args=[klass.code])
    r = client.post(
        detail, {"action": "complete", "complete-id_number": trainee.id_number, "complete-certificate_number": "C-9"}
    )
    assert r.status_code == 302
    job = {
        "action": "transfer",
        "transfer-id_number": trainee.id_number,
        "transfer-employer": "大庆油田",
        "transfer-place": "大庆",
        "transfer-destination": "province",
        "transfer-sector": "services",
        "transfer-start_date": "2009-06-20",
        "transfer-monthly_wage": "-3",
    }
    r = client.post(detail, job)
    assert r.status_code == 200 and Transfer.objects.count() == 0  # refused, shown on the page
    r = client.post(detail, {**job, "transfer-monthly_wage": "1800"})
    assert r.status_code == 302 and Transfer.objects.count() == 1
    page = client.get(detail).content.decode()
    assert "C-9" in page and "大庆油田" in page


def test_panels_show_the_members_training(rf, province_user, klass, household, trainee):
    from fupin.training import services

    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    services.enrolment_complete(actor=province_user, klass=klass, person=trainee, certificate_number="C-1")
    request = rf.get("/")
    request.user = province_user
    html = panels.render(request, "household", household)
    assert "household-training" in html and "C-1" in html and klass.code in html
    assert "C-1" in panels.render(request, "person", trainee)


def test_targets_allocation_and_lists(province_user, klass):
    client = _client(province_user)
    for name in ("class_list", "targets", "allocation"):
        assert client.get(reverse(f"training:{name}")).status_code == 200
    assert client.get(reverse("training:base_detail", args=[klass.base.code])).status_code == 200
    r = client.post(reverse("training:targets"), {"area": "230000000000", "year": 2009, "trained": 5, "transferred": 4})
    assert r.status_code == 302
