"""A county officer logs in, filters the household list, opens a household and moves it
one step through its identification, in a real browser."""

import datetime as dt

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.registry import services
from fupin.registry.models import Household, StatusEvent
from tests.conftest import PASSWORD, YANSHOU, id_number


def _household(actor, village, name):
    household = services.household_register(
        actor=actor,
        data=services.HouseholdData(
            village_code=village,
            main_cause="ILLNESS",
            type_ordinary=True,
            members=[
                services.MemberData(
                    name=name, id_number=id_number("230129"), relation="HEAD", education="PRIMARY", labour="ORDINARY"
                )
            ],
        ),
    )
    services.income_record_save(actor=actor, household=household, year=2009, amounts={"wage": "700"})
    return household


def test_filter_open_and_move_one_step(tree, page, make_user):
    from fupin.geo.models import AdminArea

    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    target = _household(officer, village.code, "王春生")
    other = _household(officer, village.code, "李秋月")
    services.household_apply(
        actor=officer, household=target, procedure="identification", on=dt.date(2010, 3, 1), note="本人申请"
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    page.goto("/households/")
    results = page.locator("#results")
    expect(results).to_contain_text(other.code)
    page.fill("#id_q", "王春生")
    expect(results).not_to_contain_text(other.code)
    expect(results).to_contain_text(target.code)
    assert "q=" in page.url  # the filter is in the address (hx-push-url)

    page.locator(f"#results a:has-text('{target.code}')").first.click()
    page.wait_for_url(f"**/households/{target.code}/")
    panel = page.locator("#workflow-panel")
    expect(panel).to_be_visible()

    page.fill("#workflow-panel input[name=date]", "2010-03-05")
    page.fill("#workflow-panel [name=note]", "村民代表大会评议通过")
    page.locator("#workflow-panel button[name=action][value=appraise]").click()
    expect(panel.locator("button[name=action][value=first_notice]")).to_be_visible()

    target.refresh_from_db()
    assert (target.procedure, target.stage, target.stage_date) == ("identification", "appraised", dt.date(2010, 3, 5))
    event = StatusEvent.objects.get(household=target, action="appraise")
    assert event.note == "村民代表大会评议通过" and event.actor == officer
    audit = AuditEvent.objects.filter(action="household.appraise", object_id=str(target.pk)).get()
    assert audit.channel == "web" and audit.actor == officer
    assert Household.objects.get(pk=other.pk).procedure == ""
