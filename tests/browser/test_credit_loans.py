"""A county officer records a discounted loan for a poor household in a real browser, from
the household's page; a repayment beyond what is outstanding is refused on the loan's page;
the officer pays the year's discounts of the county and finds the loan with its discount on
the household page. In Chinese, the default language."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.credit.loans import services
from fupin.credit.loans.models import Discount, Loan, LoanRepayment
from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from tests.conftest import PASSWORD, YANSHOU, walk


def test_record_a_discounted_loan_and_see_its_discount(tree, page, make_user, make_household):
    province = make_user(Role.PROVINCE, ("230000000000",))
    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    household = make_household(village.code, size=3, year=2008)
    walk(household, province, "identification", dt.date(2008, 3, 1))
    services.pilot_create(actor=province, area_code=YANSHOU, first_year=2008, last_year=2010)
    project = programs.project_create(
        actor=province,
        data=programs.ProjectData(
            code="TX2009-230129",
            name="延寿县扶贫贴息",
            program="loan_discount",
            category="industry",
            area_code=YANSHOU,
            start_year=2009,
            end_year=2009,
        ),
    )
    root = AdminArea.objects.get(code="230000000000")
    funds.appropriate(actor=province, source="central", year=2009, amount="5000", area=root, on=dt.date(2009, 3, 1))
    funds.allocate(
        actor=province,
        from_area=root,
        source="central",
        year=2009,
        amount="5000",
        project=project,
        on=dt.date(2009, 3, 2),
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    # the household's page: no loan yet; record one from there
    page.goto(f"/households/{household.code}/")
    panel = page.locator("#household-discount-loans")
    expect(panel).to_contain_text("扶贫贴息贷款")
    expect(panel).to_contain_text("无扶贫贴息贷款")
    panel.locator("a", has_text="登记扶贫贴息贷款").click()
    page.wait_for_url("**/credit/loans/new/**")
    form = page.locator("#loan-form")
    expect(form.locator("input[name=household]")).to_have_value(household.code)
    form.locator("input[name=code]").fill("TXD2009-0001")
    form.locator("input[name=lender]").fill("农村信用合作社")
    form.locator("input[name=principal]").fill("10000")
    form.locator("input[name=rate]").fill("5.31")
    form.locator("input[name=drawn_on]").fill("2009-07-01")
    form.locator("input[name=matures_on]").fill("2010-07-01")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/credit/loans/TXD2009-0001/")
    expect(page.locator(".message-success")).to_contain_text("已登记贷款")
    expect(page.locator("#quote")).to_contain_text("252.05")
    assert Loan.objects.get().household == household

    # a repayment beyond what is outstanding is refused, then one within it
    form = page.locator("#repayment-form")
    form.locator("input[name=paid_on]").fill("2009-10-01")
    form.locator("input[name=amount]").fill("12000")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("还款金额超过贷款余额 10000.00 元")
    assert not LoanRepayment.objects.exists()
    form = page.locator("#repayment-form")
    form.locator("input[name=amount]").fill("4000")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已登记还款")
    expect(page.locator("#outstanding")).to_contain_text("6")

    # pay the year's discounts of the county
    page.goto("/credit/loans/discounts/pay/")
    form = page.locator("#pay-form")
    form.locator("input[name=project]").fill(project.code)
    form.locator("input[name=year]").fill("2009")
    form.locator("select[name=source]").select_option("central")
    form.locator("input[name=date]").fill("2009-12-20")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已拨付 1 笔贴息")
    assert Discount.objects.get().amount == Decimal("201.64")

    # the household page: the loan and its discount
    page.goto(f"/households/{household.code}/")
    row = page.locator("#household-discount-loans tr[data-loan='TXD2009-0001']")
    expect(row).to_contain_text("农村信用合作社")
    expect(row.locator(".discount")).to_contain_text("2009 年：201.64 元（184 天）")
