"""A county officer trains a member of a poor household in a real browser: from the
household's page enrols a member in a Rain Plan class (picked from the household's
members), records the completion with the certificate and the transfer to employment on the
class's page, and finds both on the household page. In Chinese, the default language."""

import datetime as dt

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.geo.models import AdminArea
from fupin.training import services
from fupin.training.models import Enrolment, Transfer
from tests.conftest import PASSWORD, YANSHOU


def test_enrol_a_member_complete_and_transfer(tree, page, make_user, make_household):
    province = make_user(Role.PROVINCE, ("230000000000",))
    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    household = make_household(village.code, size=3)
    member = household.members.order_by("id").last()
    base = services.base_create(
        actor=province, code="B-YS-1", name="延寿县扶贫培训基地", county_code=YANSHOU, certification="provincial"
    )
    klass = services.class_create(
        actor=province,
        code="C-2009-1",
        type="labour_transfer",
        subject="电焊工",
        start_date=dt.date(2009, 4, 1),
        end_date=dt.date(2009, 5, 31),
        hours=120,
        subsidy_per_trainee="800",
        base=base,
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    # the household's page: no one trained yet; enrol a member in the class
    page.goto(f"/households/{household.code}/")
    panel = page.locator("#household-training")
    expect(panel).to_contain_text("培训及转移就业情况")
    expect(panel).to_contain_text("该户家庭成员尚未参加培训")
    panel.locator("details.enrol-members summary").click()
    panel.locator("details.enrol-members a", has_text="电焊工").click()
    page.wait_for_url(f"**/training/classes/{klass.code}/enrol/{household.code}/")
    page.locator(f"#enrol-members input[name=person][value='{member.pk}']").check()
    page.locator("#enrol-members button[type=submit]").click()
    page.wait_for_url(f"**/training/classes/{klass.code}/")
    expect(page.locator(".message-success")).to_contain_text("已报名")
    row = page.locator(f"#roster tr[data-person='{member.pk}']")
    expect(row).to_contain_text(member.name)
    expect(row).to_contain_text("在训")
    assert Enrolment.objects.filter(klass=klass, person=member).count() == 1

    # completion with the certificate
    form = page.locator("#complete-form")
    form.locator("input[name='complete-id_number']").fill(member.id_number)
    form.locator("input[name='complete-certificate_number']").fill("YL-2009-0001")
    form.locator("input[name='complete-completed_on']").fill("2009-05-31")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已登记结业")
    expect(row).to_contain_text("已结业")
    expect(row).to_contain_text("YL-2009-0001")

    # a transfer dated before the class ended is refused on the page, then the right one
    form = page.locator("#transfer-form")
    form.locator("input[name='transfer-id_number']").fill(member.id_number)
    form.locator("input[name='transfer-employer']").fill("大庆油田建设集团")
    form.locator("input[name='transfer-place']").fill("大庆市")
    form.locator("select[name='transfer-destination']").select_option("province")
    form.locator("select[name='transfer-sector']").select_option("construction")
    form.locator("input[name='transfer-start_date']").fill("2009-05-01")
    form.locator("input[name='transfer-monthly_wage']").fill("1800")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("上岗日期早于培训班结业日期")
    assert not Transfer.objects.exists()
    form = page.locator("#transfer-form")
    form.locator("input[name='transfer-start_date']").fill("2009-06-20")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已登记转移就业")
    expect(row).to_contain_text("大庆油田建设集团")

    # both on the household page
    page.locator(f"#roster tr[data-person='{member.pk}'] a", has_text=household.code).click()
    page.wait_for_url(f"**/households/{household.code}/")
    trained = page.locator(f"#household-training tr[data-person='{member.pk}']")
    expect(trained).to_contain_text(member.name)
    expect(trained).to_contain_text("电焊工")
    expect(trained).to_contain_text("已结业")
    expect(trained).to_contain_text("YL-2009-0001")
    expect(trained.locator(".transfer")).to_contain_text("大庆油田建设集团")
    expect(trained.locator(".transfer")).to_contain_text("2009-06-20")
    expect(trained.locator(".transfer")).to_contain_text("1800.00 元/月")
    transfer = Transfer.objects.get()
    assert transfer.enrolment.person == member and transfer.recorded_by == officer
