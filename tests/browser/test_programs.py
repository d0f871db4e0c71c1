"""A county officer follows a village of batch 4 through entire village advancement in a
real browser: opens the batch, the village plan and a project, records an output and a
disbursement, ticks the acceptance checklist, accepts the village, and finds it counted
as completed on the batch page."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.funds.models import Entry
from fupin.geo.models import AdminArea
from fupin.programs.choices import CHECKLIST_FIELDS
from fupin.programs.models import ProjectOutput, VillagePlan
from tests import programs_data as data
from tests.conftest import PASSWORD, YANSHOU


def test_accept_a_village_of_batch_4(tree, page, make_user):
    province = make_user(Role.PROVINCE, ("230000000000",))
    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    plan = data.plan(province, village.code)
    data.plan(province, AdminArea.objects.in_area(YANSHOU).filter(level="village").order_by("-code").first().code)
    project = data.project(province, village.code, plan=plan, name="村屯道路硬化", budget="300000")
    data.fund(province, project, "200000")

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)
    page.locator("form.lang button[value=en]").click()
    expect(page.locator("form.lang button[value=en]")).to_have_attribute("aria-pressed", "true")

    # the batch, its village, the plan's project
    page.locator("nav.mainnav a", has_text="Programs").click()
    page.locator("#batches a", has_text="Batch 4").click()
    page.wait_for_url("**/programs/batches/4/")
    expect(page.locator("#batch-counts [data-status=total] .stat-value")).to_have_text("2")
    expect(page.locator("#batch-counts [data-status=accepted] .stat-value")).to_have_text("0")
    page.locator(f"#plans tr[data-village='{village.code}'] a").first.click()
    page.wait_for_url(f"**/programs/plans/{village.code}/")
    expect(page.locator("h1")).to_contain_text(village.code)
    page.locator(f"#projects tr[data-project='{project.code}'] a").click()
    page.wait_for_url(f"**/programs/projects/{project.code}/")

    # an output from the catalogue
    form = page.locator("#output-form")
    form.locator("select[name=kind]").select_option("road")
    form.locator("input[name=year]").fill("2009")
    form.locator("input[name=quantity]").fill("3.5")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("Output recorded.")
    expect(page.locator("#project-outputs tr[data-kind=road]")).to_contain_text("Roads built")
    expect(page.locator("#project-outputs tr[data-kind=road]")).to_contain_text("3.5")

    # a disbursement of the central funds allocated to the project
    form = page.locator("#disburse-form")
    form.locator("select[name=source]").select_option("central")
    form.locator("input[name=year]").fill("2009")
    form.locator("input[name=amount]").fill("120000")
    form.locator("input[name=date]").fill("2009-06-15")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("Disbursement recorded.")
    expect(page.locator("#project-disbursed .stat-value")).to_have_text("120,000.00")
    expect(page.locator("#project-funds tr[data-source=central]")).to_contain_text("80,000.00")
    expect(page.locator("#project-entries")).to_contain_text("disbursement")

    # back to the plan: tick every item of the checklist, then accept
    page.locator(".breadcrumb a", has_text="Village plan").click()
    page.wait_for_url(f"**/programs/plans/{village.code}/")
    expect(page.locator("#plan-disbursed .stat-value")).to_have_text("120,000.00")
    boxes = page.locator("#checklist-form input[type=checkbox]")
    expect(boxes).to_have_count(len(CHECKLIST_FIELDS))
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.locator("#checklist-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("Acceptance checklist saved.")
    expect(page.locator("#checklist-count")).to_have_text("10/10")

    form = page.locator("#accept-form")
    form.locator("input[name=accepted_on]").fill("2009-11-20")
    form.locator("input[name=accepted_by]").fill("延寿县扶贫办验收组 张明")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("The village is accepted as completed.")
    expect(page.locator(".page-head .badge")).to_have_text("accepted as completed")
    expect(page.locator("#accepted-on")).to_have_text("2009-11-20")
    expect(page.locator("#accept-form")).to_have_count(0)

    # the batch counts the village as completed
    page.locator(".breadcrumb a", has_text="第4批整村推进").click()
    page.wait_for_url("**/programs/batches/4/")
    expect(page.locator("#batch-counts [data-status=accepted] .stat-value")).to_have_text("1")
    expect(page.locator("#batch-counts [data-status=planned] .stat-value")).to_have_text("1")
    expect(page.locator(f"#plans tr[data-village='{village.code}']")).to_contain_text("accepted as completed")
    expect(page.locator(f"#counties tr[data-county='{YANSHOU}']")).to_contain_text("50 %")

    plan.refresh_from_db()
    assert (plan.status, plan.accepted_on, plan.accepted_by) == (
        "accepted",
        dt.date(2009, 11, 20),
        "延寿县扶贫办验收组 张明",
    )
    assert VillagePlan.objects.get(pk=plan.pk).checklist_done() == len(CHECKLIST_FIELDS)
    assert ProjectOutput.objects.get(project=project).quantity == Decimal("3.5")
    paid = Entry.objects.get(project=project, kind="disbursement")
    assert (paid.amount, paid.date, paid.recorded_by) == (Decimal("120000"), dt.date(2009, 6, 15), officer)
    audit = AuditEvent.objects.get(action="plan.accept")
    assert audit.channel == "web" and audit.actor == officer


def test_a_county_officer_plans_a_village_and_funds_its_project(tree, page, make_user):
    """Everything through the browser: a village into batch 4 (found by its name), a
    project of its plan, the province's funds down to the county, the county's to the
    project; an allocation beyond what the county holds is refused and changes nothing."""
    province = make_user(Role.PROVINCE, ("230000000000",))
    officer = make_user(Role.COUNTY, (YANSHOU,))
    data.batch(province, 4)
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    harbin, province_code = "230100000000", "230000000000"

    def log_in(user):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        expect(page.locator("body")).to_contain_text(user.username)

    log_in(officer)
    page.locator("form.lang button[value=en]").click()
    expect(page.locator("form.lang button[value=en]")).to_have_attribute("aria-pressed", "true")

    # the village into batch 4: type its name, pick it from the suggestions
    page.goto("/programs/batches/4/")
    form = page.locator("#plan-form")
    form.locator("input[name=village]").press_sequentially(village.name)
    expect(page.locator(f"#plan-village-options option[value='{village.code}']")).to_have_count(1)
    form.locator("input[name=village]").fill(village.code)
    form.locator("input[name=planned_investment]").fill("860000")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/programs/plans/{village.code}/")
    expect(page.locator(".message-success")).to_contain_text("Village plan of")

    # a project of the plan, with the suggested code
    form = page.locator("#project-form")
    code = form.locator("input[name=code]").input_value()
    assert code == f"ZT4-{village.code}-01"
    form.locator("input[name=name]").fill("村屯道路硬化")
    form.locator("select[name=category]").select_option("infrastructure")
    form.locator("input[name=budget]").fill("300000")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text(f"Project {code} created.")
    expect(page.locator(f"#projects tr[data-project='{code}']")).to_contain_text("300,000.00")

    # the province appropriates central funds and allocates them to Harbin, Harbin to the county
    page.locator("form[action='/accounts/logout/'] button").click()
    log_in(province)
    page.goto(f"/funds/?area={province_code}&year=2009")
    form = page.locator("#appropriate-form")
    form.locator("select[name=source]").select_option("central")
    form.locator("input[name=year]").fill("2009")
    form.locator("input[name=amount]").fill("500000")
    form.locator("input[name=date]").fill("2009-03-01")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("Funds appropriated to")
    expect(page.locator("#fund-totals [data-figure=available] .stat-value")).to_have_text("500,000.00")
    for source_area, target in ((province_code, harbin), (harbin, YANSHOU)):
        page.goto(f"/funds/?area={source_area}&year=2009")
        form = page.locator("#allocate-form")
        form.locator("select[name=to_area]").select_option(target)
        form.locator("select[name=source]").select_option("central")
        form.locator("input[name=amount]").fill("200000")
        form.locator("input[name=date]").fill("2009-03-10")
        form.locator("button[type=submit]").click()
        expect(page.locator(".message-success")).to_contain_text("Funds allocated to")

    # the county passes them on to the project by its code; too much is refused
    page.locator("form[action='/accounts/logout/'] button").click()
    log_in(officer)
    page.goto(f"/funds/?area={YANSHOU}&year=2009")
    form = page.locator("#allocate-form")
    form.locator("input[name=project]").fill(code)
    form.locator("select[name=source]").select_option("central")
    form.locator("input[name=amount]").fill("250000")
    form.locator("input[name=date]").fill("2009-04-01")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-error")).to_contain_text(f"{YANSHOU} · amount (yuan): Allocation beyond")
    expect(page.locator("#allocate-form input[name=project]")).to_have_value(code)
    page.locator("#allocate-form input[name=amount]").fill("150000")
    page.locator("#allocate-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text(f"Funds allocated to {code}.")
    page.goto(f"/programs/projects/{code}/")
    expect(page.locator("#project-funds tr[data-source=central]")).to_contain_text("150,000.00")

    allocations = Entry.objects.filter(kind="allocation").order_by("id")
    assert [(e.amount, e.project.code if e.project else e.to_area.code) for e in allocations] == [
        (Decimal("200000"), harbin),
        (Decimal("200000"), YANSHOU),
        (Decimal("150000"), code),
    ]
    assert VillagePlan.objects.get(village=village).projects.get().code == code
