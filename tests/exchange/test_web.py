"""The data exchange pages: upload, validation report, confirmation and progress, blank
templates, scoped and masked export, and the generated format documentation."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fupin.core.choices import Role
from fupin.core.masking import mask_id
from fupin.exchange import schema
from fupin.exchange.exporter import export_frames, write_package
from fupin.exchange.models import ImportRun
from fupin.exchange.services import WorkerLock
from fupin.registry.exchange import MEMBERS
from fupin.registry.models import Household, IncomeRecord, Person
from tests.conftest import YANSHOU, id_number

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploads are stored under DATA_DIR/imports: keep them in the test's own folder."""
    settings.DATA_DIR = tmp_path


def login(client, user, language="en"):
    """Log in; pages come in English so that tests can compare the engine's messages."""
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def upload(client, name: str, data: bytes):
    return client.post(reverse("exchange:home"), {"file": SimpleUploadedFile(name, data)})


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def new_household_package(village: str) -> tuple[bytes, str, list[str]]:
    """A new household with two members and one year's income, by hand."""
    code = f"{village}9001"
    head, child = id_number(village[:6]), id_number(village[:6], male=False)
    files = {
        "households.csv": csv_text([{"code": code, "village": village, "type_ordinary": "1", "status": "non_poor"}]),
        "members.csv": csv_text(
            [
                {
                    "id_number": number,
                    "household": code,
                    "name": name,
                    "relation": relation,
                    "education": "PRIMARY",
                    "labour": "ORDINARY",
                }
                for number, name, relation in ((head, "李四", "HEAD"), (child, "李小", "CHILD"))
            ]
        ),
        "incomes.csv": csv_text([{"household": code, "year": "2009", "household_size": "2", "wage": "1500.00"}]),
    }
    return zip_of(files), code, [head, child]


def run_of(response) -> ImportRun:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


# --- the page -------------------------------------------------------------------------------------


def test_home_shows_forms_templates_and_only_own_history(client, province_user, county_user):
    ImportRun.objects.create(user=county_user, file_name="theirs.zip", path="/x", state=ImportRun.State.INVALID)
    ImportRun.objects.create(user=province_user, file_name="mine.zip", path="/x", state=ImportRun.State.UNCHANGED)
    response = login(client, province_user).get(reverse("exchange:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert reverse("exchange:export") in html
    assert reverse("exchange:template_all") in html
    for name in schema.ENTITIES:
        assert reverse("exchange:template", args=[name]) in html
    assert "mine.zip" in html
    assert "theirs.zip" not in html
    assert "Import / export" in html  # the navigation link


def test_upload_of_a_wrong_kind_of_file_shows_the_services_error_on_the_form(client, province_user):
    response = upload(login(client, province_user), "notes.txt", b"hello")
    assert response.status_code == 200
    assert "Upload a .zip of CSV files, a .csv or an .xlsx file." in response.content.decode()
    assert not ImportRun.objects.exists()


# --- upload, report, confirm ----------------------------------------------------------------------


def test_reupload_of_an_export_is_unchanged(client, province_user, make_household, yanshou_village, tmp_path):
    make_household(yanshou_village)
    # poverty_lines left out: the engine refuses the national lines to anyone but a superuser,
    # even unchanged ones
    entities = [name for name in schema.ENTITIES if name != "poverty_lines"]
    package = write_package(export_frames(user=province_user, entities=entities), tmp_path / "export.zip")
    login(client, province_user)
    run = run_of(upload(client, "export.zip", package.read_bytes()))
    assert run.state == ImportRun.State.UNCHANGED
    assert run.counts["households"] == {"created": 0, "updated": 0, "unchanged": 1}
    html = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert "nothing would change" in html
    assert "Confirm import" not in html


def test_valid_upload_shows_counts_and_confirming_imports_it(client, settings, province_user, yanshou_village):
    settings.FUPIN_IMPORT_SYNC = True
    data, code, numbers = new_household_package(yanshou_village)
    login(client, province_user)
    run = run_of(upload(client, "new.zip", data))
    assert run.state == ImportRun.State.READY
    assert run.counts["households"]["created"] == 1
    assert run.counts["members"]["created"] == 2
    assert not Household.objects.filter(code=code).exists()  # nothing before confirmation

    page = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert "Confirm import" in page
    assert reverse("exchange:start", args=[run.pk]) in page

    response = client.post(reverse("exchange:start", args=[run.pk]))
    assert response.status_code == 302
    assert response.url == reverse("exchange:run", args=[run.pk])
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
    household = Household.objects.get(code=code)
    assert set(Person.objects.filter(household=household).values_list("id_number", flat=True)) == set(numbers)
    assert IncomeRecord.objects.get(household=household, year=2009).household_size == 2
    assert "Imported at" in client.get(reverse("exchange:run", args=[run.pk])).content.decode()

    # the same file again: valid, nothing to change
    again = run_of(upload(client, "new.zip", data))
    assert again.state == ImportRun.State.UNCHANGED


def test_confirming_twice_is_refused_with_a_message(client, settings, province_user, yanshou_village):
    settings.FUPIN_IMPORT_SYNC = True
    data, _code, _numbers = new_household_package(yanshou_village)
    login(client, province_user)
    run = run_of(upload(client, "new.zip", data))
    client.post(reverse("exchange:start", args=[run.pk]))
    response = client.post(reverse("exchange:start", args=[run.pk]), follow=True)
    assert "This upload is not waiting for confirmation." in response.content.decode()


def test_invalid_upload_lists_every_error_and_imports_nothing(client, province_user, yanshou_village):
    code = f"{yanshou_village}9002"
    good = id_number("230129")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    text = csv_text(
        [
            {"id_number": bad, "household": code, "name": "王五", "relation": "HEAD", "education": "PRIMARY"},
            {"id_number": good, "household": code, "name": "王六", "relation": "BOSS", "education": "PRIMARY"},
        ]
    )
    persons = Person.objects.count()
    login(client, province_user)
    run = run_of(upload(client, "members.csv", text.encode("utf-8")))
    assert run.state == ImportRun.State.INVALID
    assert run.error_count >= 3
    html = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert "Nothing was imported" in html
    assert "the check digit of the ID number is" in html
    assert "unknown code “BOSS”" in html
    assert "required column is missing" in html  # labour
    # every error is located as file, line and column
    for file, line, column, _reason in run.errors:
        assert file == "members.csv"
        assert f'<td class="where">{file}</td>' in html
        assert f'<td class="num where">{line}</td>' in html
        assert f'<td class="where">{column}</td>' in html
    located = {(line, column) for _f, line, column, _r in run.errors}
    assert {(2, "id_number"), (3, "relation"), (1, "labour")} <= located
    assert Person.objects.count() == persons
    assert not Household.objects.filter(code=code).exists()
    with pytest.raises(ImportRun.DoesNotExist):
        ImportRun.objects.get(pk=run.pk, state=ImportRun.State.READY)
    # and the errors as CSV
    response = client.get(reverse("exchange:run_errors", args=[run.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["file", "line", "column", "reason"]
    assert len(rows) == run.error_count + 1


def test_another_user_gets_404_for_the_run(client, province_user, county_user, make_user):
    run = ImportRun.objects.create(user=province_user, file_name="a.zip", path="/x", state=ImportRun.State.READY)
    login(client, county_user)
    assert client.get(reverse("exchange:run", args=[run.pk])).status_code == 404
    assert client.post(reverse("exchange:start", args=[run.pk])).status_code == 404
    assert client.get(reverse("exchange:run_errors", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.state == ImportRun.State.READY
    admin = make_user(Role.PROVINCE)
    admin.is_superuser = True
    admin.save()
    assert login(client, admin).get(reverse("exchange:run", args=[run.pk])).status_code == 200


def test_pages_need_login(client):
    for url in (reverse("exchange:home"), reverse("exchange:template_all"), reverse("exchange:export")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


# --- progress -------------------------------------------------------------------------------------


def test_progress_partial_polls_while_importing_and_stops_when_done(client, province_user, tmp_path):
    run = ImportRun.objects.create(
        user=province_user,
        file_name="big.zip",
        path=str(tmp_path / "big.zip"),
        state=ImportRun.State.IMPORTING,
        total=10,
        done=4,
        heartbeat_at=timezone.now(),
    )
    worker = WorkerLock(run)  # a live worker holds the run's lock
    assert worker.acquire()
    login(client, province_user)
    url = reverse("exchange:run", args=[run.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "exchange/_report.html"
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{url}"' in html
    assert 'value="40"' in html
    assert "4 of 10 records (40%)" in html

    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.DONE, done=10, counts={})
    worker.release()
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html
    assert "Imported at" in html

    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.FAILED, message="IntegrityError: boom")
    html = client.get(url).content.decode()
    assert "IntegrityError: boom" in html
    assert "hx-trigger" not in html


# --- templates ------------------------------------------------------------------------------------


def test_templates_are_blank_workbooks_with_reference_sheets(client, village_user):
    login(client, village_user)
    for name, entity in schema.ENTITIES.items():
        response = client.get(reverse("exchange:template", args=[name]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == [name, "reference", "code lists"]
        sheet = book[name]
        assert [c.value for c in sheet[1]] == entity.column_names
        assert sheet.max_row == 1  # no example row to import by mistake
        described = [row[:2] for row in book["reference"].iter_rows(min_row=2, values_only=True)]
        assert described == [(name, c) for c in entity.column_names]
        coded = {row[0] for row in book["code lists"].iter_rows(min_row=2, values_only=True)}
        assert coded <= {name}
    assert client.get("/exchange/templates/nonsense.xlsx").status_code == 404

    response = client.get(reverse("exchange:template_all"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [*schema.ENTITIES, "reference", "code lists"]
    for name, entity in schema.ENTITIES.items():
        assert [c.value for c in book[name][1]] == entity.column_names
    examples = {(r[0], r[1]): r[4] for r in book["reference"].iter_rows(min_row=2, values_only=True)}
    assert examples[("members", "id_number")] == MEMBERS.column("id_number").example
    codes = {(r[1], r[2]) for r in book["code lists"].iter_rows(min_row=2, values_only=True)}
    assert ("relation", "HEAD") in codes


def test_the_blank_workbook_uploads_without_errors(client, province_user):
    """The reference sheets are skipped by the reader: a filled-in template imports as it is."""
    login(client, province_user)
    data = client.get(reverse("exchange:template_all")).content
    run = run_of(upload(client, "fupin-template.xlsx", data))
    assert run.errors == []
    assert run.state == ImportRun.State.UNCHANGED


# --- export ---------------------------------------------------------------------------------------


def test_export_of_a_county_user_is_scoped_and_masked(
    client, make_user, make_household, yanshou_village, bayan_village
):
    mine = make_household(yanshou_village)
    other = make_household(bayan_village)
    user = make_user(Role.COUNTY, (YANSHOU,), identifiers=False)
    login(client, user)
    response = client.get(reverse("exchange:export"), {"format": "zip", "entities": ["households", "members"]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert sorted(zf.namelist()) == ["households.csv", "members.csv"]
        households = list(csv.DictReader(io.StringIO(zf.read("households.csv").decode("utf-8-sig"))))
        members = list(csv.DictReader(io.StringIO(zf.read("members.csv").decode("utf-8-sig"))))
    assert [h["code"] for h in households] == [mine.code]
    assert other.code not in {m["household"] for m in members}
    real = sorted(mine.members.values_list("id_number", flat=True))
    assert sorted(m["id_number"] for m in members) == sorted(mask_id(n) for n in real)
    assert not set(real) & {m["id_number"] for m in members}


def test_export_as_xlsx_and_with_an_area(client, province_user, make_household, yanshou_village, bayan_village):
    mine = make_household(yanshou_village)
    make_household(bayan_village)
    login(client, province_user)
    response = client.get(reverse("exchange:export"), {"format": "xlsx", "area": YANSHOU[:6]})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert set(schema.ENTITIES) <= set(book.sheetnames)
    codes = [row[0] for row in book["households"].iter_rows(min_row=2, values_only=True)]
    assert codes == [mine.code]
    numbers = {row[0] for row in book["members"].iter_rows(min_row=2, values_only=True)}
    assert numbers == set(mine.members.values_list("id_number", flat=True))  # may see identifiers


def test_export_with_an_area_outside_ones_areas_shows_the_form_error(client, county_user):
    response = login(client, county_user).get(reverse("exchange:export"), {"format": "zip", "area": "230126"})
    assert response.status_code == 200
    assert "No area with this code in your areas." in response.content.decode()


# --- documentation --------------------------------------------------------------------------------


def test_the_format_documentation_is_generated_from_the_schema(tmp_path):
    target = tmp_path / "data-exchange.md"
    call_command("exchange_docs", "-o", str(target), stdout=io.StringIO())
    text = target.read_text(encoding="utf-8")
    for entity in schema.ENTITIES.values():
        assert f"### `{entity.filename}`" in text
        for column in entity.columns:
            assert f"| `{column.name}` |" in text
    assert "`HEAD` head of household" in text  # code lists in English
    committed = ROOT / "docs" / "data-exchange.md"
    assert committed.read_text(encoding="utf-8") == text, "run: fupin exchange_docs -o docs/data-exchange.md"
