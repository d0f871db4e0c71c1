"""A county officer opens the annual report of their county in the web UI, in Chinese
and then in English, and reads the poverty measures of its townships."""

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.registry import services
from tests.browser.test_household_flow import _household
from tests.conftest import PASSWORD, YANSHOU


def test_annual_report_in_both_languages(tree, page, make_user, settings, tmp_path):
    from fupin.geo.models import AdminArea

    settings.DATA_DIR = tmp_path
    page.set_default_timeout(60_000)  # each report page may take a snapshot first; CI machines are busy
    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    _household(officer, village.code, "王春生")  # 700 yuan in 2009: under the line
    rich = _household(officer, village.code, "李秋月")
    services.income_record_save(actor=officer, household=rich, year=2009, amounts={"wage": "5000"})

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    page.get_by_role("link", name="统计报告").click()
    page.wait_for_url("**/reports/annual/")
    report = page.locator("article.annual-report")
    expect(report.locator("h1")).to_contain_text("延寿县")
    expect(report.locator("#section-overview h2")).to_have_text("【概况】")
    expect(report.locator("#section-social h2")).to_have_text("【社会扶贫】")
    # social assistance is computed (issue 12): over no records of the county a sum is 0, and
    # a mean has nothing to divide by and says why
    expect(report.locator("tr[data-indicator='social.funds_total'] td.num")).to_have_text("0")
    expect(report.locator("tr[data-indicator='evap.funds.avg_per_village']")).to_contain_text("暂无数据")
    not_recorded = report.locator("#section-village_advancement p.not-available").first
    expect(not_recorded).to_contain_text("该区域本年度没有可据以计算的记录")

    page.get_by_role("button", name="English").click()
    report = page.locator("article.annual-report")
    expect(report.locator("h1")).to_contain_text("Yanshou County")
    expect(report.locator("#section-overview h2")).to_have_text("【Overview】")
    expect(report.locator("#section-land_transfer h2")).to_have_text(
        "【Large-scale operation through land transfer in impoverished villages】"
    )
    expect(report.locator("tr[data-indicator='poor.households'] td.num")).to_have_text("0")

    page.get_by_role("link", name="Poverty measures").click()
    page.wait_for_url("**/reports/measures/**")
    page.select_option("select[name=by]", "township")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table.measures tbody tr[data-area]")
    expect(rows).to_have_count(1)
    # two people, one at 700 yuan under the line of 1,196: half of them are poor
    expect(rows.first.locator("td").nth(3)).to_have_text("0.5000")
