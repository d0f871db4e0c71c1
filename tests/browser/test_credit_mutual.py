"""A mutual fund's clerk (a village clerk of the fund's village) records a loan and a
repayment in a real browser on the fund's page and sees the balance sheet change; a loan
over the fund's ceiling is refused on the page and changes nothing. In Chinese, the
default language."""

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.credit.mutual import services
from fupin.credit.mutual.models import FundLoan, FundRepayment
from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from tests.conftest import PASSWORD, YANSHOU


def _setup(province, village):
    AdminArea.objects.filter(code=village).update(key_village=True)
    batch = programs.batch_create(actor=province, number=4, name="第四批", start_year=2008, end_year=2009)
    plan = programs.plan_create(actor=province, batch=batch, village_code=village)
    programs.plan_start(actor=province, plan=plan, on=dt.date(2008, 4, 1))
    project = programs.project_create(
        actor=province,
        data=programs.ProjectData(
            code="HZ-230129-2009",
            name="互助资金试点",
            program="mutual_fund",
            category="industry",
            area_code=YANSHOU,
            start_year=2009,
            end_year=2009,
        ),
    )
    root = AdminArea.objects.get(code="230000000000")
    funds.appropriate(actor=province, source="central", year=2009, amount="300000", area=root, on=dt.date(2009, 1, 5))
    funds.allocate(
        actor=province,
        from_area=root,
        source="central",
        year=2009,
        amount="300000",
        project=project,
        on=dt.date(2009, 1, 6),
    )
    fund = services.fund_create(
        actor=province,
        code="HZ-YS-1",
        name="互助资金协会",
        village_code=village,
        established_on="2009-04-01",
        loan_ceiling="5000",
        longest_term=12,
        fee_rate="6",
    )
    services.seed_record(
        actor=province, fund=fund, kind="fiscal", amount="300000", received_on="2009-04-01", project=project
    )
    return fund


def _cell(page, item):
    return page.locator(f"#balance-sheet td[data-item='{item}']")


def test_clerk_records_a_loan_and_a_repayment(tree, page, make_user, make_household):
    province = make_user(Role.PROVINCE, ("230000000000",))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first().code
    fund = _setup(province, village)
    household = make_household(village, size=3)
    services.member_join(actor=province, fund=fund, household_code=household.code, joined_on="2009-04-10", shares=2)
    clerk = make_user(Role.VILLAGE, (village,))

    page.goto("/accounts/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(clerk.username)

    page.goto(f"/credit/funds/{fund.code}/?on=2009-12-31")
    expect(_cell(page, "cash")).to_contain_text("300200.00")
    expect(_cell(page, "loans_outstanding")).to_contain_text("0.00")

    # a loan over the ceiling is refused on the page
    form = page.locator("#loan-form")
    form.locator("input[name='loan-household']").fill(household.code)
    form.locator("input[name='loan-applied_on']").fill("2009-05-01")
    form.locator("input[name='loan-approved_on']").fill("2009-05-03")
    form.locator("input[name='loan-amount']").fill("6000")
    form.locator("input[name='loan-term_months']").fill("6")
    form.locator("input[name='loan-purpose']").fill("养牛")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("超过互助资金的借款上限")
    assert not FundLoan.objects.exists()

    form = page.locator("#loan-form")
    form.locator("input[name='loan-amount']").fill("4000")
    form.locator("button[type=submit]").click()
    with translation.override("zh-hans"):
        recorded = gettext("Loan recorded.")  # the catalogue's Chinese, shared with the discounted loans
    expect(page.locator(".message-success")).to_contain_text(recorded)
    expect(_cell(page, "cash")).to_contain_text("296200.00")
    expect(_cell(page, "loans_outstanding")).to_contain_text("4000.00")
    loan = FundLoan.objects.get()
    expect(page.locator(f"#loans tr[data-loan='{loan.number}']")).to_contain_text("已批准放款")

    form = page.locator("#repay-form")
    form.locator("input[name='repay-loan']").fill(loan.number)
    form.locator("input[name='repay-paid_on']").fill("2009-11-03")
    form.locator("input[name='repay-principal']").fill("4000")
    form.locator("input[name='repay-fee']").fill("120")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已登记还款")
    expect(_cell(page, "cash")).to_contain_text("300320.00")
    expect(_cell(page, "loans_outstanding")).to_contain_text("0.00")
    expect(_cell(page, "total_assets")).to_contain_text("300320.00")
    expect(page.locator(f"#loans tr[data-loan='{loan.number}']")).to_contain_text("已还清")
    assert FundRepayment.objects.get().fee == 120

    # the household's page shows the membership and the loan
    page.goto(f"/households/{household.code}/")
    expect(page.locator("#household-mutual")).to_contain_text(fund.code)
    expect(page.locator(f"#household-mutual tr[data-loan='{loan.number}']")).to_contain_text("4000.00")
