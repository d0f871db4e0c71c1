"""The province office assesses counties in a real browser: sets the counties' targets on
an indicator chosen from the specification's list (a target below zero is refused on the
form first), opens the year's assessment with its weights (all-zero weights are refused),
runs it, and reads the ranking computed from the records by the indicator engine; then
downloads the year's annual report as PDF and XLSX from the report page, whose figures are
the ones the assessment scored. In Chinese, the default language."""

import io

import openpyxl
from playwright.sync_api import expect

from fupin.accountability.models import Assessment, Target
from fupin.industry import services as industry
from tests.analytics.test_report_formats import pdf_pages
from tests.conftest import BAYAN, PASSWORD, YANSHOU
from tests.industry.conftest import code


def test_set_targets_and_weights_run_and_see_the_ranking(tree, page, province_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the run takes a snapshot
    page.set_default_timeout(60_000)
    for n in (1, 2):  # 延寿县: two new leading enterprises in 2009; 巴彦县 none
        industry.enterprise_create(
            actor=province_user,
            code=code(f"91230129MA00000{n:02d}"),
            name=f"延寿县龙头企业{n}",
            county_code=YANSHOU,
            level="provincial",
            sector="processing",
            identified_year=2009,
        )

    page.goto("/accounts/login/")
    page.fill("#id_username", province_user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(province_user.username)

    page.locator("nav a", has_text="目标考核").first.click()
    page.wait_for_url("**/accountability/")
    page.locator(".subnav a", has_text="考核目标").click()
    page.wait_for_url("**/accountability/targets/**")

    # a target below zero is refused, then the two counties' targets are set
    form = page.locator("#target-form")
    form.locator("input[name='year']").fill("2009")
    form.locator("input[name='area']").fill(YANSHOU)
    form.locator("select[name='indicator']").select_option("industry.enterprises_new")
    form.locator("input[name='value']").fill("-1")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("目标值须为大于0的数")
    assert not Target.objects.exists()
    for county, value in ((YANSHOU, "2"), (BAYAN, "2")):
        form = page.locator("#target-form")
        form.locator("input[name='year']").fill("2009")
        form.locator("input[name='area']").fill(county)
        form.locator("select[name='indicator']").select_option("industry.enterprises_new")
        form.locator("input[name='value']").fill(value)
        form.locator("button[type=submit]").click()
        expect(page.locator(".message-success")).to_contain_text("考核目标已保存")
    expect(page.locator("#targets")).to_contain_text("延寿县")
    expect(page.locator("#targets")).to_contain_text("巴彦县")

    # the assessment with its weights: all zero is refused, then 100 on the indicator
    page.locator(".subnav a", has_text="目标考核").click()
    form = page.locator("#assessment-form")
    form.locator("input[name='assessment-area']").fill("230000000000")
    form.locator("input[name='assessment-year']").fill("2009")
    form.locator("input[name='assessment-title']").fill("2009年全省扶贫开发目标考核")
    form.locator("select[name='assessment-indicator_1']").select_option("industry.enterprises_new")
    form.locator("input[name='assessment-weight_1']").fill("0")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("权重全为0")
    assert not Assessment.objects.exists()
    page.locator("#assessment-form input[name='assessment-weight_1']").fill("100")
    page.locator("#assessment-form button[type=submit]").click()
    page.wait_for_url("**/accountability/assessments/*/")
    expect(page.locator(".message-success")).to_contain_text("已建立考核")
    expect(page.locator("#weights")).to_contain_text("industry.enterprises_new")
    expect(page.locator("#ranking")).to_contain_text("尚未评分")

    # run: 延寿县 met its target of 2 (100 points), 巴彦县 none of its 2 (0 points)
    page.locator("#run-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已完成考核评分")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("延寿县")
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("1")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("100.00")
    expect(rows.nth(1)).to_contain_text("巴彦县")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("2")
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("0.00")
    expect(page.locator("#status")).to_have_text("已评分")
    assert Assessment.objects.get().status == "run"

    # the annual report of the year, from the report page: the PDF holds the section of the
    # responsibility system, the XLSX's data sheet the figure the assessment scored
    page.goto("/reports/annual/?year=2009")
    with page.expect_download() as pdf_download:
        page.locator("a[data-format='pdf']").click()
    pdf_path = tmp_path / "downloaded.pdf"
    pdf_download.value.save_as(pdf_path)
    text = "".join(pdf_pages(pdf_path.read_bytes(), tmp_path))
    assert "扶贫措施" in text and "黑龙江省" in text
    with page.expect_download() as xlsx_download:
        page.locator("a[data-format='xlsx']").click()
    xlsx_path = tmp_path / "report.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    data = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes())).worksheets[-1]
    values = {row[0]: row[3] for row in data.iter_rows(min_row=2, values_only=True)}
    assert len(values) == 91
    assert values["industry.enterprises_new"] == 2
