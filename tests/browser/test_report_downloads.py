"""The province's officer opens the annual report page and downloads the report as PDF
and as XLSX with the page's buttons."""

import io

import openpyxl
from playwright.sync_api import expect

from fupin.core.choices import Role
from tests.browser.test_household_flow import _household
from tests.conftest import PASSWORD, YANSHOU


def test_province_downloads_the_pdf_and_the_xlsx(tree, page, make_user, settings, tmp_path):
    from fupin.geo.models import AdminArea

    settings.DATA_DIR = tmp_path
    page.set_default_timeout(60_000)  # the report takes a snapshot first; CI machines are busy
    officer = make_user(Role.PROVINCE, ("230000000000",))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    _household(officer, village.code, "王春生")

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)
    page.goto("/reports/annual/?year=2009")
    expect(page.locator("article.annual-report h1")).to_contain_text("黑龙江省")

    with page.expect_download() as pdf_download:
        page.locator("a[data-format='pdf']").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == "fupin-annual-2009-230000000000-zh.pdf"
    pdf.save_as(tmp_path / "got.pdf")
    assert (tmp_path / "got.pdf").read_bytes().startswith(b"%PDF-")

    with page.expect_download() as xlsx_download:
        page.locator("a[data-format='xlsx']").click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename == "fupin-annual-2009-230000000000-zh.xlsx"
    xlsx.save_as(tmp_path / "got.xlsx")
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "got.xlsx").read_bytes()))
    data = book.worksheets[-1]
    assert data["A1"].value == "indicator" and data.max_row > 90
