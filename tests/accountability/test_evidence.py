"""Evidence files: the type by content, the size limit, where they are stored, and who may
download them (as an attachment, never as a static file)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from fupin.accountability import services
from fupin.accountability.models import Evidence
from fupin.core.errors import ApplicationError, OutOfScope
from tests.accountability.conftest import HARBIN, office, pdf, plain_zip, png
from tests.conftest import PASSWORD
from tests.testing import api


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def assessment(harbin_user):
    return services.assessment_create(
        actor=harbin_user, area_code=HARBIN, year=2009, title="哈尔滨市考核", weights={"poor.people": "1"}
    )


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", pdf(), "pdf"),
        ("photo.jpg", png(), "png"),  # the content decides, not the name
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 30, "jpeg"),
        ("plan.docx", office("docx"), "docx"),
        ("table.xlsx", office("xlsx"), "xlsx"),
    ],
)
def test_accepted_types_are_stored_under_a_random_name(assessment, harbin_user, evidence_dir, name, data, kind):
    item = services.evidence_attach(actor=harbin_user, assessment=assessment, name=name, data=data)
    assert item.type == kind and item.size == len(data) and item.name == name
    stored = list(evidence_dir.iterdir())
    assert [p.name for p in stored] == [item.stored_name]
    assert len(item.stored_name) == 32 and name not in item.stored_name
    assert stored[0].read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"MZ\x90\x00 this is a program"),  # a .pdf that is not one
        ("notes.docx", plain_zip()),  # a zip archive that is no Office document
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_refused_type_is_refused_and_nothing_is_stored(assessment, harbin_user, evidence_dir, name, data):
    with pytest.raises(ApplicationError) as exc:
        services.evidence_attach(actor=harbin_user, assessment=assessment, name=name, data=data)
    assert exc.value.field == "file" and exc.value.record == name
    assert "PDF, PNG, JPEG, DOCX or XLSX" in str(exc.value.message)
    assert not Evidence.objects.exists()
    assert not evidence_dir.exists() or not list(evidence_dir.iterdir())


def test_over_the_limit_is_refused(assessment, harbin_user, evidence_dir, settings):
    settings.FUPIN_EVIDENCE_MAX_BYTES = 1000
    data = pdf() + b"0" * 1000
    with pytest.raises(ApplicationError) as exc:
        services.evidence_attach(actor=harbin_user, assessment=assessment, name="big.pdf", data=data)
    assert exc.value.field == "file"
    assert "1000" in str(exc.value.message) and str(len(data)) in str(exc.value.message)
    assert not Evidence.objects.exists()
    # at the limit it passes
    services.evidence_attach(actor=harbin_user, assessment=assessment, name="ok.pdf", data=data[:1000])
    assert Evidence.objects.count() == 1


def test_another_city_may_not_attach(assessment, qiqihar_user, evidence_dir):
    with pytest.raises(OutOfScope):
        services.evidence_attach(actor=qiqihar_user, assessment=assessment, name="a.pdf", data=pdf())
    assert not Evidence.objects.exists()


def test_the_api_uploads_and_refuses(assessment, harbin_user, evidence_dir, settings):
    client = api(harbin_user)
    url = f"/api/accountability/assessments/{assessment.pk}/evidence/"
    ok = client.post(url, {"file": SimpleUploadedFile("r.pdf", pdf())}, format="multipart")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["type"] == "pdf"
    bad = client.post(url, {"file": SimpleUploadedFile("r.pdf", b"GIF89a")}, format="multipart")
    assert bad.status_code == 400
    assert set(bad.json()) >= {"code", "message"} and bad.json()["field"] == "file"
    settings.FUPIN_EVIDENCE_MAX_BYTES = 100
    big = client.post(url, {"file": SimpleUploadedFile("big.pdf", pdf() * 10)}, format="multipart")
    assert big.status_code == 400 and big.json()["field"] == "file"
    assert Evidence.objects.count() == 1
    listed = client.get(url).json()  # a page, like every list of the API
    assert listed["count"] == 1 and listed["results"][0]["id"] == ok.json()["id"]
    assert [e["name"] for e in listed["results"]] == ["r.pdf"]


def test_downloads_are_attachments_within_scope(assessment, harbin_user, qiqihar_user, evidence_dir):
    item = services.evidence_attach(actor=harbin_user, assessment=assessment, name="报告.pdf", data=pdf())
    web = Client()
    web.login(username=harbin_user.username, password=PASSWORD)
    response = web.get(f"/accountability/evidence/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf()
    through_api = api(harbin_user).get(f"/api/accountability/evidence/{item.pk}/download/")
    assert through_api.status_code == 200 and through_api["Content-Disposition"].startswith("attachment")
    # another city's office: not found, on both channels
    other = Client()
    other.login(username=qiqihar_user.username, password=PASSWORD)
    assert other.get(f"/accountability/evidence/{item.pk}/").status_code == 404
    assert api(qiqihar_user).get(f"/api/accountability/evidence/{item.pk}/download/").status_code == 404
    # and nobody reaches the folder as a static file
    assert web.get(f"/media/evidence/{item.stored_name}").status_code == 404
    assert web.get(f"/static/evidence/{item.stored_name}").status_code == 404
