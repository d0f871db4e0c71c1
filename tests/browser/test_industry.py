"""A county officer brings a household to a leading enterprise in a real browser: registers
the enterprise (a code with a wrong check character is refused on the form first), sets up
its production base in a village of the county, links a household of the county to it (a
household of another county is refused), and finds the link on the household page. In
Chinese, the default language."""

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.geo.models import AdminArea
from fupin.industry.models import BaseLink, Enterprise
from fupin.industry.rules import uscc_check_character
from tests.conftest import BAYAN, PASSWORD, YANSHOU


def test_register_an_enterprise_and_link_a_household(tree, page, make_user, make_household):
    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    household = make_household(village.code, size=2)
    elsewhere = AdminArea.objects.in_area(BAYAN).filter(level="village", kind="village").order_by("code").first()
    far = make_household(elsewhere.code, size=2)
    first17 = "91230129MA0000001"
    code = first17 + uscc_check_character(first17)
    wrong = first17 + ("1" if code[-1] != "1" else "2")

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    # the menu's entry, then the registration form: the wrong check character first
    page.locator("nav a", has_text="龙头企业").first.click()
    page.wait_for_url("**/industry/")
    form = page.locator("#enterprise-form")
    form.locator("input[name='enterprise-code']").fill(wrong)
    form.locator("input[name='enterprise-name']").fill("延寿县大豆龙头企业")
    form.locator("input[name='enterprise-county']").fill(YANSHOU)
    form.locator("select[name='enterprise-level']").select_option("provincial")
    form.locator("select[name='enterprise-sector']").select_option("processing")
    form.locator("input[name='enterprise-identified_year']").fill("2009")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("校验码（第18位）有误")
    assert not Enterprise.objects.exists()
    page.locator("#enterprise-form input[name='enterprise-code']").fill(code)
    page.locator("#enterprise-form button[type=submit]").click()
    page.wait_for_url(f"**/industry/enterprises/{code}/")
    expect(page.locator(".message-success")).to_contain_text("已登记龙头企业")
    expect(page.locator("h1")).to_contain_text("延寿县大豆龙头企业")

    # a production base in a village of the county
    page.locator("summary", has_text="建立生产基地").click()
    form = page.locator("#base-form")
    form.locator("input[name='base-code']").fill("JD-YS-1")
    form.locator("input[name='base-name']").fill("大豆生产基地")
    form.locator("input[name='base-product']").fill("大豆")
    form.locator("input[name='base-area_mu']").fill("1200")
    form.locator("input[name='base-established_year']").fill("2009")
    form.locator("input[name='base-villages']").fill(village.code)
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已建立生产基地")
    expect(page.locator("#bases")).to_contain_text("JD-YS-1")

    # a household of 巴彦县, outside the officer's areas (and the base's county), is refused;
    # then the household of the county is linked
    page.locator("summary", has_text="农户联结基地").click()
    form = page.locator("#link-form")
    form.locator("input[name='link-base']").fill("JD-YS-1")
    form.locator("input[name='link-household']").fill(far.code)
    form.locator("input[name='link-joined_on']").fill("2009-04-01")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("JD-YS-1: 该记录不在您负责的区域范围内")
    assert not BaseLink.objects.exists()
    page.locator("#link-form input[name='link-household']").fill(household.code)
    page.locator("#link-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("农户已联结基地")

    # the household page shows the link
    page.locator("#links a", has_text=household.code).click()
    page.wait_for_url(f"**/households/{household.code}/")
    panel = page.locator("#household-industry")
    expect(panel).to_contain_text("龙头企业带动")
    expect(panel.locator("li[data-base='JD-YS-1']")).to_contain_text("大豆生产基地")
    expect(panel.locator("li[data-base='JD-YS-1']")).to_contain_text("延寿县大豆龙头企业")
    expect(panel.locator("li[data-base='JD-YS-1']")).to_contain_text("2009-04-01")
    assert BaseLink.objects.get().household == household
