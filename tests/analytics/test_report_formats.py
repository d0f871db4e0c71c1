"""The annual report's files: PDF (read back with pdftotext), XLSX (read back with
openpyxl), HTML and JSON, from the library, the command line, the web page's download view
and the API; for the province and for a county; and the requests they must refuse."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from fupin.analytics import formats
from fupin.analytics.engine import Engine
from fupin.analytics.report import annual_report
from fupin.analytics.sections import sections as report_sections
from fupin.analytics.selectors import status_flows
from tests.analytics.test_report import demo_snapshot  # noqa: F401 - the module's fixture
from tests.conftest import BAYAN, PASSWORD, QIQIHAR_TAILAI, YANSHOU, walk

pytestmark = pytest.mark.django_db

SPEC = Path(__file__).resolve().parents[2] / "src" / "fupin" / "analytics" / "data" / "indicators.csv"
PROVINCE = "230000000000"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of a PDF, by Debian's pdftotext (scripts/ci/ensure-pdf-deps)."""
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: run scripts/ci/ensure-pdf-deps")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")


def flat(text: str) -> str:
    """Text with every run of white space (line breaks of a wrapped line too) as one space."""
    return re.sub(r"\s+", " ", text)


def titles(language: str) -> list[str]:
    with translation.override(language):
        return [str(entry.title) for entry in report_sections().values()]


def spec_ids() -> list[str]:
    with SPEC.open(encoding="utf-8") as f:
        return [row["id"] for row in csv.DictReader(f)]


def data_sheet(data: bytes) -> dict[str, tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[-1]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("indicator", "name", "unit", "value", "area", "year")
    return {row[0]: row for row in rows[1:]}


@pytest.mark.parametrize(("lang", "language"), [("zh", "zh-hans"), ("en", "en")])
def test_pdf_has_title_page_contents_and_every_section(demo_snapshot, tmp_path, lang, language):  # noqa: F811
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    pages = pdf_pages(formats.render(report, "pdf", lang), tmp_path)
    with translation.override(language):
        area = report.area_name()
    first = pages[0]
    assert area in first and "2009" in first and snapshot.as_of.isoformat() in first
    assert ("年度报告" if lang == "zh" else "Annual report") in first
    # a long title (the seed's "Pilot program of poverty alleviation loan discount management
    # system reform") wraps: the text is read with its line breaks as spaces
    text = flat("\n".join(pages))
    for title in titles(language):
        assert f"【{title}】" in text, title
    # the contents give each section's page: the page that starts with its heading
    contents = flat(pages[1])
    for title in titles(language):
        found = re.search(rf"【{re.escape(title)}】[ .]*?(\d+)(?!\d)", contents)
        assert found, f"{title} is not in the contents"
        page = flat(pages[int(found.group(1)) - 1])
        assert f"【{title}】" in page, f"{title}: the contents say page {found.group(1)}"
    # every page after the title page is numbered "n / total"
    total = len([p for p in pages if p.strip()])
    for number, page in enumerate(pages[1:total], start=2):
        assert re.search(rf"\b{number} / {total}\b", page), f"page {number} has no number"


def test_pdf_charts_keep_their_text(demo_snapshot, tmp_path):  # noqa: F811
    """The overview's chart of the cities is vector graphics whose labels are text: the
    city names and the legend are found in the PDF's text, on the overview's pages."""
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    cities = [r["name"] for r in status_flows(Engine(snapshot).scope(year=2009), by="city") if r["area"]]
    assert len(cities) >= 2
    pages = pdf_pages(formats.render(report, "pdf", "zh"), tmp_path)
    overview = [p for p in pages if "【概况】" in p]
    following = pages[pages.index(overview[-1]) : pages.index(overview[-1]) + 2]
    chart_text = "\n".join(following)
    for city in cities:
        assert city in chart_text, city
    assert "贫困户数" in chart_text and "贫困人口数" in chart_text


def test_no_chart_without_figures(demo_snapshot):  # noqa: F811
    """A village has no areas below it, and a section whose figures are not available has
    nothing to chart."""
    snapshot, _ = demo_snapshot
    from fupin.geo.models import AdminArea  # noqa: F401 - the areas are in the snapshot

    village = next(
        r["area"] for r in status_flows(Engine(snapshot).scope(year=2009, area=YANSHOU), by="village") if r["area"]
    )
    report = annual_report(year=2009, area=village, snapshot=snapshot)
    assert formats.children_chart(report, english=False) is None
    assert formats.figures_chart(report, "measures", english=False) is None
    province = annual_report(year=2009, snapshot=snapshot)
    assert formats.children_chart(province, english=True) is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_data_sheet_has_every_indicator_as_the_json(demo_snapshot, lang):  # noqa: F811
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    data = data_sheet(formats.render(report, "xlsx", lang))
    as_json = json.loads(formats.render(report, "json", lang))
    by_id = {row["id"]: row for row in as_json["indicators"]}
    assert set(spec_ids()) <= set(data)
    numbers = 0
    for key in spec_ids():
        row = data[key]
        assert row[1] == by_id[key]["name"] and row[2] == by_id[key]["unit"], key
        assert row[4] == PROVINCE and row[5] == 2009, key
        expected = by_id[key]["value"]
        if expected is None:
            assert row[3] is None and row[6], key  # not available, with its reason
        else:
            assert isinstance(row[3], int | float) and not isinstance(row[3], bool), key
            assert row[3] == pytest.approx(expected, rel=1e-12), key
            numbers += 1
    assert numbers > 20  # the demo computes most of them


def test_xlsx_has_a_sheet_per_section(demo_snapshot):  # noqa: F811
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    book = openpyxl.load_workbook(io.BytesIO(formats.render(report, "xlsx", "en")))
    with translation.override("en"):
        sections = report.sections()
    sheets = book.worksheets[1:-1]
    assert [s["A1"].value for s in sheets] == [s["title"] for s in sections]
    for sheet, section in zip(sheets, sections, strict=True):
        assert len(sheet.title) <= 31
        cells = list(sheet.iter_rows(values_only=True))
        column_a = [row[0] for row in cells]
        for sentence in section["sentences"]:
            assert sentence in column_a
        table = {row[3]: row for row in cells if row and len(row) > 3 and row[3] in {r["id"] for r in section["rows"]}}
        assert set(table) == {r["id"] for r in section["rows"]}
        for r in section["rows"]:
            value = report.value(r["id"])
            if value is not None:
                assert table[r["id"]][1] == pytest.approx(value), r["id"]


def test_a_decimal_value_stays_a_number(demo_snapshot):  # noqa: F811
    """Sums of decimal columns may come as Decimal: the XLSX keeps them as numbers and the
    JSON as numbers."""
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    index, target = next((i, v) for i, v in enumerate(report.values) if v.available and v.indicator.unit == "yuan")
    report.values[index] = dataclasses.replace(target, value=Decimal("1234567.89"))
    row = data_sheet(formats.render(report, "xlsx", "zh"))[target.indicator.id]
    assert row[3] == pytest.approx(1234567.89)
    as_json = json.loads(formats.render(report, "json", "zh"))
    assert {r["id"]: r["value"] for r in as_json["indicators"]}[target.indicator.id] == pytest.approx(1234567.89)


def test_a_county_report_in_every_format(demo_snapshot, tmp_path):  # noqa: F811
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, area=YANSHOU, snapshot=snapshot)
    with translation.override("zh-hans"):
        name = report.area_name()
    assert name and name != "黑龙江省"
    text = "\n".join(pdf_pages(formats.render(report, "pdf", "zh"), tmp_path))
    assert name in text and "【概况】" in text
    data = data_sheet(formats.render(report, "xlsx", "zh"))
    assert {row[4] for row in data.values()} == {YANSHOU}
    province = data_sheet(formats.render(annual_report(year=2009, snapshot=snapshot), "xlsx", "zh"))
    assert data["poor.households"][3] < province["poor.households"][3]
    as_json = json.loads(formats.render(report, "json", "en"))
    assert as_json["area"]["code"] == YANSHOU
    assert {r["id"]: r["value"] for r in as_json["indicators"]}["poor.households"] == data["poor.households"][3]
    html = formats.render(report, "html", "en").decode()
    assert "【Overview】" in html and f'data-area="{YANSHOU}"' in html
    assert formats.file_name(report, "pdf", "zh") == f"fupin-annual-2009-{YANSHOU}-zh.pdf"


def test_render_refuses_an_unknown_format(demo_snapshot):  # noqa: F811
    snapshot, _ = demo_snapshot
    with pytest.raises(ValueError, match="not a report format"):
        formats.render(annual_report(year=2009, snapshot=snapshot), "docx", "zh")


# --- web, API and command line on a small registry --------------------------------------------


@pytest.fixture
def small_registry(settings, tmp_path, make_household, yanshou_village, bayan_village, province_user):
    """Two households, one of them (in 延寿) identified poor in 2009."""
    settings.DATA_DIR = tmp_path
    walk(make_household(yanshou_village, per_capita="800"), province_user, "identification", dt.date(2009, 3, 1))
    make_household(bayan_village, per_capita="1000", size=4)


def test_download_view_gives_each_format(client, small_registry, province_user):
    client.login(username=province_user.username, password=PASSWORD)
    page = client.get("/reports/annual/", {"year": 2009}).content.decode()
    for fmt in ("pdf", "xlsx", "html", "json"):
        assert f'data-format="{fmt}"' in page, fmt
    response = client.get("/reports/annual/download/", {"year": 2009, "area": PROVINCE, "lang": "en", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fupin-annual-2009-230000000000-en.pdf"'
    assert response.content.startswith(b"%PDF-")
    response = client.get("/reports/annual/download/", {"year": 2009, "area": YANSHOU, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="fupin-annual-2009-{YANSHOU}-zh.xlsx"'
    assert data_sheet(response.content)["poor.households"][3] == 1  # the one household of 延寿 in this registry
    response = client.get("/reports/annual/download/", {"year": 2009, "format": "json", "lang": "en"})
    assert response.json()["language"] == "en"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"format": "docx"}, 400),
        ({}, 400),
        ({"format": "pdf", "lang": "fr"}, 400),
        ({"format": "pdf", "year": "99999"}, 400),
        ({"format": "pdf", "year": "x"}, 400),
        ({"format": "pdf", "area": "not-a-code"}, 400),
        ({"format": "pdf", "area": QIQIHAR_TAILAI}, 403),
        ({"format": "xlsx", "area": PROVINCE}, 403),
    ],
)
def test_download_view_refuses(client, small_registry, county_user, params, status):
    client.login(username=county_user.username, password=PASSWORD)
    response = client.get("/reports/annual/download/", {"year": 2009, **params})
    assert response.status_code == status
    assert "Content-Disposition" not in response


def test_download_view_needs_a_login_and_an_area(client, small_registry, make_user):
    response = client.get("/reports/annual/download/", {"year": 2009, "format": "pdf"})
    assert response.status_code == 302 and "/login" in response["Location"]
    nobody = make_user("county", ())
    client.login(username=nobody.username, password=PASSWORD)
    response = client.get("/reports/annual/download/", {"year": 2009, "format": "pdf"})
    assert response.status_code == 403


def test_api_report_file(small_registry, province_user, county_user):
    from tests.testing import api

    client = api(province_user)
    response = client.get("/api/reports/annual/file/", {"year": 2009, "format": "xlsx", "lang": "en"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="fupin-annual-2009-230000000000-en.xlsx"'
    assert data_sheet(response.content)["poor.households"][3] == 1
    response = client.get("/api/reports/annual/file/", {"year": 2009, "format": "pdf", "area": BAYAN})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    bad = client.get("/api/reports/annual/file/", {"year": 2009, "format": "docx"})
    assert bad.status_code == 400 and set(bad.json()) >= {"code", "message"}
    assert client.get("/api/reports/annual/file/", {"year": 2009}).status_code == 400
    county = api(county_user)
    refused = county.get("/api/reports/annual/file/", {"year": 2009, "format": "pdf", "area": PROVINCE})
    assert refused.status_code == 403 and set(refused.json()) >= {"code", "message"}
    assert api().get("/api/reports/annual/file/", {"year": 2009, "format": "pdf"}).status_code in (401, 403)


def test_cli_writes_each_format(small_registry, tmp_path, capsysbinary):
    out = tmp_path / "r.xlsx"
    call_command("report", "annual", "--year", "2009", "--format", "xlsx", "--lang", "en", "-o", str(out))
    assert data_sheet(out.read_bytes())["poor.households"][3] == 1
    pdf = tmp_path / "r.pdf"
    call_command(
        "report", "annual", "--year", "2009", "--area", YANSHOU, "--format", "pdf", "--lang", "en", "-o", str(pdf)
    )
    text = flat("\n".join(pdf_pages(pdf.read_bytes(), tmp_path)))
    assert "Yanshou" in text
    for title in titles("en"):
        assert f"【{title}】" in text, title
    # without -o the bytes go to standard output
    capsysbinary.readouterr()
    call_command("report", "annual", "--year", "2009", "--format", "xlsx")
    assert data_sheet(capsysbinary.readouterr().out)["poor.households"][3] == 1
    with pytest.raises(CommandError, match="--area"):
        call_command("report", "annual", "--year", "2009", "--area", "x", "--format", "pdf", "-o", str(pdf))
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "annual", "--year", "2009", "--format", "xlsx", "-o", str(tmp_path / "no" / "r.xlsx"))
