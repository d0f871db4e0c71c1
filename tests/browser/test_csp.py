"""Under the Content-Security-Policy (script-src 'self', style-src 'self', no inline
anything) the pages still work in a real browser: the income chart draws, the bars get
their widths, HTMX swaps, the Swagger UI loads, and the browser reports no violation."""

from __future__ import annotations

from playwright.sync_api import expect

from fupin.core.choices import Role
from tests.browser.test_household_flow import _household
from tests.conftest import PASSWORD, YANSHOU


def test_pages_work_under_the_csp(tree, page, make_user):
    from fupin.geo.models import AdminArea

    officer = make_user(Role.COUNTY, (YANSHOU,))
    village = AdminArea.objects.in_area(YANSHOU).filter(level="village", kind="village").order_by("code").first()
    household = _household(officer, village.code, "王春生")

    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))

    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(officer.username)

    # the income chart: ECharts draws into the container
    page.goto(f"/households/{household.code}/")
    expect(page.locator("#income-chart canvas, #income-chart svg").first).to_be_attached()

    # bars get their width from data-width through the CSSOM
    page.goto(f"/areas/{YANSHOU}/")
    bar = page.locator("span.bar[data-width]").first
    expect(bar).to_be_attached()
    assert bar.evaluate("el => el.style.width").endswith("%")

    # an HTMX swap: the household list filter
    page.goto("/households/")
    expect(page.locator("body")).to_contain_text("王春生")

    page.goto("/exchange/")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info").first).to_be_visible()

    assert violations == []
