"""The web shell's registries: the menu the apps register (same entries, order and
current page as before), the panels of the household, person and area pages, the person
page, and the audit action labels (none shown as a raw code)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

import fupin.programs
from fupin.core.audit import action_label, registered_actions
from fupin.registry import idnumbers
from fupin.web import navigation, panels

pytestmark = pytest.mark.django_db

# the training app (issue 10) adds its entry after the programs'; the apps of issue 11 theirs after it;
# accountability (issue 12) its entry at 52, after import / export
MENU = [
    "Areas",
    "Households",
    "Register household",
    "Programs",
    "Training",
    "Leading enterprises",
    "Discounted loans",
    "Mutual funds",
    "Land transfer",
    "Social assistance",
    "Import / export",
    "Assessment",
    "Reports",
    "API docs",
]


@pytest.fixture
def household(make_household, yanshou_village):
    return make_household(yanshou_village, size=3, per_capita="800", year=2009)


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _menu(html: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None
    return [
        (label, bool(current))
        for current, label in re.findall(r'<a href="[^"]*"( aria-current="page")?>([^<]*)</a>', nav.group(1))
    ]


def test_menu_has_the_entries_in_order_and_marks_the_current_page(client, province_user, household):
    login(client, province_user)
    pages = {
        reverse("web:home"): "Areas",
        reverse("web:household_list"): "Households",
        reverse("web:household_detail", args=[household.code]): "Households",
        reverse("web:household_register"): "Register household",
        reverse("web:batch_list"): "Programs",
        reverse("web:funds_area"): "Programs",
        reverse("exchange:home"): "Import / export",
        reverse("analytics:annual"): "Reports",
    }
    for url, current in pages.items():
        menu = _menu(client.get(url).content.decode())
        assert [label for label, _ in menu] == MENU, url
        assert [label for label, on in menu if on] == [current], url


def test_the_apps_register_the_menu_entries():
    assert [str(item.label) for item in navigation.items()] == MENU


def test_panels_are_registered_for_the_household_and_area_pages():
    assert [p.template for p in panels.for_page("household")] == [
        "funds/_household_panel.html",
        "training/_household_panel.html",
        "industry/_household_panel.html",
        "credit/mutual/_household_panel.html",
        "credit/loans/_household_panel.html",
        "land/_household_panel.html",
        "assistance/_student_aid_panel.html",
    ]
    assert [p.template for p in panels.for_page("area")] == ["registry/areas/_poverty.html"]
    assert [p.template for p in panels.for_page("area", "actions")] == ["registry/areas/_links.html"]
    with pytest.raises(ValueError):
        panels.register(page="nowhere", template="x.html")


def test_the_funds_add_panels_to_the_project_and_zone_pages():
    assert [p.template for p in panels.for_page("project", "side")] == ["funds/_project_funds.html"]
    assert [p.template for p in panels.for_page("project")] == ["funds/_project_ledger.html"]
    assert [p.template for p in panels.for_page("zone", "side")] == ["funds/_zone_funds.html"]
    assert panels.for_page("project", "actions") == panels.for_page("plan") == panels.for_page("batch") == []
    with pytest.raises(ValueError):
        panels.register(page="project", template="x.html", slot="nowhere")


def test_a_page_hands_a_bound_form_to_its_panels(rf):
    request = rf.get("/")
    assert panels.bound(request, "disburse") is None
    panels.bind(request, disburse="form")
    assert panels.bound(request, "disburse") == "form" and panels.bound(request, "other", 1) == 1


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_programs_do_not_import_the_funds():
    root = Path(fupin.programs.__file__).parent
    importing = [
        str(f)
        for f in root.rglob("*.py")
        if any(m == "fupin.funds" or m.startswith("fupin.funds.") for m in _imported_modules(f))
    ]
    assert importing == []


def test_household_page_shows_the_funds_panel_and_links_members(client, province_user, household):
    login(client, province_user)
    html = client.get(reverse("web:household_detail", args=[household.code])).content.decode()
    assert 'id="household-funds"' in html
    person = household.members.order_by("id").first()
    assert reverse("web:person_detail", args=[household.code, person.pk]) in html


def test_person_page_shows_the_member_masked_and_404s_outside(
    client, make_user, household, yanshou_village, bayan_village
):
    person = household.members.order_by("id").first()
    url = reverse("web:person_detail", args=[household.code, person.pk])
    assert url == f"/households/{household.code}/members/{person.pk}/"
    user = make_user("village", (yanshou_village,), identifiers=False)
    login(client, user)
    html = client.get(url).content.decode()
    assert person.name in html
    assert idnumbers.mask(person.id_number) in html and person.id_number not in html
    assert client.get(reverse("web:person_detail", args=[household.code, 999999])).status_code == 404
    outsider = make_user("village", (bayan_village,))
    login(client, outsider)
    assert client.get(url).status_code == 404


def test_every_action_the_services_write_has_a_label():
    for code in [
        "household.register",
        "household.approve",
        "member.move",
        "beneficiary.add",
        "plan.accept",
        "fund.appropriation",
        "fund.allocation",
        "fund.disbursement",
        "fund.allocation.reverse",
    ]:
        assert code in registered_actions()
        assert action_label(code) != code
    assert action_label("fund.allocation") == "allocated funds"
    assert action_label("no.such") == "no.such"
