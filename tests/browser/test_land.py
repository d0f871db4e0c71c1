"""A county officer records a land transfer contract from a household's page in a real
browser: the household's land panel opens the form with the household as a transferor (and
its village), a term beyond the second-round household contracts is refused on the form,
the right one is recorded, and the contract is on the household's page. In Chinese, the
default language."""

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.geo.models import AdminArea
from fupin.land.models import LandContract, Transferor
from tests.conftest import PASSWORD, YANSHOU


def test_record_a_land_contract_from_a_household_page(tree, page, make_user, make_household):
    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    household = make_household(village.code, size=3)
    neighbour = make_household(village.code, size=2)

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    page.goto(f"/households/{household.code}/")
    panel = page.locator("#household-land")
    expect(panel).to_contain_text("土地流转")
    expect(panel).to_contain_text("该户尚无土地流转合同")
    panel.locator("#record-land-contract").click()
    page.wait_for_url(f"**/land/contracts/new/?household={household.code}")
    form = page.locator("#contract-form")
    expect(form.locator("input[name='village']")).to_have_value(village.code)
    expect(form.locator("input[name='t-0-household']")).to_have_value(household.code)

    form.locator("input[name='number']").fill("LZ-YS-2009-01")
    form.locator("select[name='transferee_kind']").select_option("cooperative")
    form.locator("input[name='transferee_name']").fill("延寿县水稻种植专业合作社")
    form.locator("select[name='mode']").select_option("lease")
    form.locator("input[name='start_date']").fill("2009-04-01")
    form.locator("input[name='term_years']").fill("20")  # to 2029: beyond the household contracts
    form.locator("select[name='payment']").select_option("rent")
    form.locator("input[name='rent_per_mu']").fill("280")
    form.locator("input[name='t-0-area_mu']").fill("36.5")
    form.locator("input[name='t-1-household']").fill(neighbour.code)
    form.locator("input[name='t-1-area_mu']").fill("24")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("流转期限超过了农户土地承包合同的剩余期限")
    assert not LandContract.objects.exists()

    page.locator("#contract-form input[name='term_years']").fill("10")
    page.locator("#contract-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{household.code}/")
    expect(page.locator(".message-success")).to_contain_text("土地流转合同已登记")
    row = page.locator("#household-land tr[data-contract='LZ-YS-2009-01']")
    expect(row).to_contain_text("延寿县水稻种植专业合作社")
    expect(row).to_contain_text("出租")
    expect(row).to_contain_text("2009-04-01")
    expect(row).to_contain_text("36.5")
    contract = LandContract.objects.get()
    assert contract.recorded_by == officer and contract.term_years == 10
    assert sorted(Transferor.objects.values_list("household__code", flat=True)) == sorted(
        [household.code, neighbour.code]
    )
