"""The web UI: every page renders in scope and 404s outside it, the list filters, and
each form writes through its service or shows the service's error and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.registry import idnumbers
from fupin.registry.models import Household, IncomeRecord, Person, StatusEvent
from tests.conftest import BAYAN, YANSHOU, id_number, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(make_household, yanshou_village):
    return make_household(yanshou_village, size=3, per_capita="800", year=2009)


def login(client, user, language="en"):
    """Log in; pages come in English so that tests can compare the services' messages."""
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def register_post(village: str, members: list[dict], **extra) -> dict:
    """The POST data of the register form: household, member rows and one helper row."""
    data = {
        "village": village,
        "address": "1 Main Street",
        "phone": "13800138000",
        "type_ordinary": "on",
        "main_cause": "ILLNESS",
        "secondary_causes": ["NO_SKILLS"],
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "helpers-TOTAL_FORMS": "1",
        "helpers-INITIAL_FORMS": "0",
        "helpers-MIN_NUM_FORMS": "0",
        "helpers-MAX_NUM_FORMS": "1000",
        "helpers-0-name": "王干部",
        "helpers-0-unit": "县扶贫办",
        "helpers-0-post": "科员",
        "helpers-0-phone": "13900139000",
        **extra,
    }
    for i, member in enumerate(members):
        row = {"health": "HEALTHY", "disability": "", "migrant_work": "", "migrant_months": "0", **member}
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def member(name: str, number: str, relation: str = "HEAD") -> dict:
    return {
        "name": name,
        "id_number": number,
        "relation": relation,
        "education": "PRIMARY",
        "labour": "ORDINARY",
    }


# --- rendering and scope ------------------------------------------------------------------------


def test_every_page_renders_for_a_user_in_scope(client, province_user, household, yanshou_village):
    login(client, province_user)
    code = household.code
    urls = [
        reverse("web:home"),
        reverse("web:area_detail", args=["230000000000"]),
        reverse("web:area_detail", args=[YANSHOU]),
        reverse("web:area_detail", args=[yanshou_village]),
        reverse("web:household_list"),
        reverse("web:household_list") + f"?area={YANSHOU}&status=non_poor&cause=ILLNESS&type=ordinary",
        reverse("web:household_detail", args=[code]),
        reverse("web:household_register"),
        reverse("web:member_row") + "?members-TOTAL_FORMS=3",
        reverse("web:area_search") + "?village=230129",
        reverse("web:household_edit", args=[code]),
        reverse("web:member_add", args=[code]),
        reverse("web:income_enter", args=[code]),
        reverse("web:income_enter", args=[code]) + "?year=2009",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_pages_require_login(client, household):
    response = client.get(reverse("web:household_detail", args=[household.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_area_browser_shows_totals_children_and_links(client, province_user, make_household, yanshou_village):
    hh = make_household(yanshou_village)
    walk(hh, province_user, "identification", dt.date(2010, 3, 1))
    login(client, province_user)
    response = client.get(reverse("web:area_detail", args=[YANSHOU]))
    content = response.content.decode()
    assert response.context["totals"] == {
        "poor_households": 1,
        "poor_people": 3,
        "exited_households": 0,
        "households": 1,
    }
    township = yanshou_village[:9] + "000"
    row = next(r for r in response.context["children"] if r["area"].code == township)
    assert (row["poor_households"], row["poor_people"]) == (1, 3)
    assert reverse("web:area_detail", args=[township]) in content
    assert f"{reverse('web:household_list')}?area={township}" in content
    assert [a.code for a in response.context["ancestors"]] == ["230000000000", "230100000000"]


def test_home_starts_at_the_users_area(client, province_user, village_user, yanshou_village):
    assert login(client, province_user).get(reverse("web:home")).context["area"].code == "230000000000"
    assert login(client, village_user).get(reverse("web:home")).context["area"].code == yanshou_village


def test_home_lists_several_areas(client, make_user):
    user = make_user(Role.COUNTY, (YANSHOU, BAYAN))
    response = login(client, user).get(reverse("web:home"))
    assert [a.code for a in response.context["areas"]] == [BAYAN, YANSHOU]


def test_county_user_gets_404_outside_the_county(client, county_user, make_household, bayan_village, household):
    other = make_household(bayan_village)
    login(client, county_user)
    assert client.get(reverse("web:area_detail", args=[YANSHOU])).status_code == 200
    assert client.get(reverse("web:household_detail", args=[household.code])).status_code == 200
    assert client.get(reverse("web:area_detail", args=[BAYAN])).status_code == 404
    assert client.get(reverse("web:area_detail", args=["230000000000"])).status_code == 404
    assert client.get(reverse("web:household_detail", args=[other.code])).status_code == 404
    assert client.get(reverse("web:household_edit", args=[other.code])).status_code == 404
    assert client.get(reverse("web:income_enter", args=[other.code])).status_code == 404
    codes = [r["household"].code for r in client.get(reverse("web:household_list")).context["rows"]]
    assert codes == [household.code]


def test_breadcrumb_shows_only_visible_ancestors(client, county_user):
    response = login(client, county_user).get(reverse("web:area_detail", args=[YANSHOU]))
    assert response.context["ancestors"] == []


# --- the household list -------------------------------------------------------------------------


def test_list_filters_by_status(client, province_user, make_household, yanshou_village):
    poor = make_household(yanshou_village)
    walk(poor, province_user, "identification", dt.date(2010, 3, 1))
    other = make_household(yanshou_village)
    login(client, province_user)
    url = reverse("web:household_list")
    assert [r["household"].code for r in client.get(url + "?status=poor").context["rows"]] == [poor.code]
    assert [r["household"].code for r in client.get(url + "?status=non_poor").context["rows"]] == [other.code]


def test_list_searches_by_member_name_and_id_number(client, province_user, household, make_household, yanshou_village):
    other = make_household(yanshou_village)
    Person.objects.filter(household=household, relation="HEAD").update(name="张三丰")
    head = Person.objects.get(household=other, relation="HEAD")
    login(client, province_user)
    url = reverse("web:household_list")
    by_name = client.get(url, {"q": "张三丰"}).context["rows"]
    assert [r["household"].code for r in by_name] == [household.code]
    assert by_name[0]["head"] == "张三丰"
    assert by_name[0]["members"] == 3
    by_id = client.get(url, {"q": head.id_number}).context["rows"]
    assert [r["household"].code for r in by_id] == [other.code]
    by_code = client.get(url, {"q": household.code}).context["rows"]
    assert [r["household"].code for r in by_code] == [household.code]


def test_list_htmx_returns_only_the_results(client, province_user, household):
    login(client, province_user)
    response = client.get(reverse("web:household_list"), {"q": household.code}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert household.code in content
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("web:household_list"), {"q": household.code})
    assert "<html" in full.content.decode()


def test_list_shows_a_bad_area_code_as_a_filter_error(client, province_user, household):
    response = login(client, province_user).get(reverse("web:household_list"), {"area": "x1"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "area" in response.context["form"].errors


def test_list_queries_do_not_grow_with_the_page(
    client, province_user, make_household, yanshou_village, django_assert_max_num_queries
):
    for _ in range(6):
        make_household(yanshou_village, per_capita=None)
    login(client, province_user)
    client.get(reverse("web:household_list"))  # warm the session
    # session, user, areas (scope), the user's permissions (may they search ID numbers?),
    # count, page, members of the page
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:household_list"))
    assert len(response.context["rows"]) == 6


def test_list_paginates_by_50(client, province_user, make_household, yanshou_village):
    from fupin.registry.views import households

    for _ in range(3):
        make_household(yanshou_village, per_capita=None)
    login(client, province_user)
    assert households.PAGE_SIZE == 50
    households.PAGE_SIZE = 2
    try:
        response = client.get(reverse("web:household_list"), {"page": 2})
    finally:
        households.PAGE_SIZE = 50
    assert response.context["page"].number == 2
    assert len(response.context["rows"]) == 1


# --- the household page and its workflow ----------------------------------------------------------


def test_household_page_shows_income_timeline_and_history(client, province_user, household):
    walk(household, province_user, "identification", dt.date(2010, 3, 1), until="appraise")
    response = login(client, province_user).get(reverse("web:household_detail", args=[household.code]))
    content = response.content.decode()
    assert response.context["chart"]["years"] == [2009]
    assert response.context["chart"]["line"] == [1196.0]
    assert response.context["chart"]["per_capita"] == [800.0]
    assert 'id="income-data"' in content
    assert [e.action for e in response.context["timeline"]] == ["apply", "appraise"]
    actions = [row["event"].action for row in response.context["history"]]
    assert actions == ["household.appraise", "household.apply", "income.save", "household.register"]
    assert [a["value"] for a in response.context["actions"]] == ["first_notice"]


def test_workflow_step_moves_the_household(client, province_user, household):
    login(client, province_user)
    response = client.post(
        reverse("web:household_step", args=[household.code]),
        {"action": "apply", "procedure": "identification", "date": "2010-03-01", "note": "申请"},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.procedure, household.stage) == ("identification", "applied")
    event = StatusEvent.objects.get(household=household)
    assert (event.action, event.date, event.note, event.actor) == (
        "apply",
        dt.date(2010, 3, 1),
        "申请",
        province_user,
    )
    audit = AuditEvent.objects.get(root_id=str(household.pk), action="household.apply")
    assert audit.channel == "web"
    assert audit.actor == province_user


def test_workflow_step_over_htmx_returns_panel_and_timeline(client, province_user, household):
    login(client, province_user)
    response = client.post(
        reverse("web:household_step", args=[household.code]),
        {"action": "apply", "procedure": "identification", "date": "2010-03-01"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="workflow-panel"' in content
    assert 'id="timeline" class="card" hx-swap-oob="true"' in content
    assert "<html" not in content
    assert [a["value"] for a in response.context["actions"]] == ["appraise", "reject"]


def test_illegal_step_shows_the_error_and_changes_nothing(client, province_user, household):
    login(client, province_user)
    response = client.post(
        reverse("web:household_step", args=[household.code]), {"action": "approve", "date": "2010-03-01"}
    )
    assert response.status_code == 200
    assert "No procedure is under way: apply first." in response.content.decode()
    household.refresh_from_db()
    assert (household.status, household.procedure, household.stage) == ("non_poor", "", "")
    assert not StatusEvent.objects.filter(household=household).exists()
    assert not AuditEvent.objects.filter(root_id=str(household.pk), action__startswith="household.a").exists()


def test_notice_period_error_shows_on_the_date(client, province_user, household):
    last = walk(household, province_user, "identification", dt.date(2010, 3, 1), until="first_notice")
    login(client, province_user)
    too_early = last + dt.timedelta(days=2)
    response = client.post(
        reverse("web:household_step", args=[household.code]),
        {"action": "review", "date": too_early.isoformat()},
    )
    assert "must stand" in response.context["step_form"].errors["date"][0]
    household.refresh_from_db()
    assert household.stage == "notice_1"


def test_role_too_low_is_refused(client, village_user, household):
    walk(household, village_user, "identification", dt.date(2010, 3, 1), until="first_notice")
    login(client, village_user)
    response = client.post(
        reverse("web:household_step", args=[household.code]), {"action": "review", "date": "2010-03-20"}
    )
    errors = [str(m) for m in response.context["messages"]]
    assert any("needs the role" in e for e in errors), errors
    household.refresh_from_db()
    assert household.stage == "notice_1"


def test_step_outside_the_scope_is_refused(client, county_user, make_household, bayan_village):
    other = make_household(bayan_village)
    login(client, county_user)
    response = client.post(
        reverse("web:household_step", args=[other.code]),
        {"action": "apply", "procedure": "identification", "date": "2010-03-01"},
    )
    assert response.status_code == 403
    assert "outside the areas you are responsible for" in response.content.decode()
    assert not StatusEvent.objects.filter(household=other).exists()


# --- registering and editing --------------------------------------------------------------------


def test_register_household_through_the_form(client, province_user, yanshou_village):
    head, child = id_number("230129"), id_number("230129", male=False)
    data = register_post(yanshou_village, [member("李四", head), member("李小妹", child, "CHILD"), {}])
    response = login(client, province_user).post(reverse("web:household_register"), data)
    household = Household.objects.get(village__code=yanshou_village)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:household_detail", args=[household.code])
    assert sorted(household.members.values_list("name", flat=True)) == ["李四", "李小妹"]
    assert household.members.get(relation="HEAD").id_number == head
    assert list(household.secondary_causes.values_list("cause", flat=True)) == ["NO_SKILLS"]
    assert household.helpers.get().name == "王干部"
    assert (household.main_cause, household.type_ordinary) == ("ILLNESS", True)


def test_register_bad_id_number_shows_on_that_field(client, province_user, yanshou_village):
    bad = id_number("230129")[:17] + "0"
    bad = bad if idnumbers.check_char(bad[:17]) != "0" else bad[:17] + "1"
    data = register_post(yanshou_village, [member("李四", id_number("230129")), member("李小妹", bad, "CHILD")])
    response = login(client, province_user).post(reverse("web:household_register"), data)
    assert response.status_code == 200
    rows = response.context["members"].forms
    assert "Invalid ID number" in rows[1].errors["id_number"][0]
    assert not rows[0].errors
    assert "Invalid ID number" in response.content.decode()
    assert not Household.objects.filter(village__code=yanshou_village).exists()
    assert not Person.objects.filter(name="李四").exists()


def test_register_duplicate_id_number_maps_to_the_row(client, province_user, yanshou_village):
    number = id_number("230129")
    data = register_post(yanshou_village, [member("甲", number), member("乙", number, "CHILD")])
    response = login(client, province_user).post(reverse("web:household_register"), data)
    assert response.context["members"].forms[1].errors["id_number"] == ["The same ID number appears twice."]
    assert not Household.objects.filter(village__code=yanshou_village).exists()


def test_register_without_head_is_a_form_error(client, province_user, yanshou_village):
    data = register_post(yanshou_village, [member("甲", id_number("230129"), "CHILD")])
    response = login(client, province_user).post(reverse("web:household_register"), data)
    assert response.context["form"].non_field_errors() == ["A household has exactly one head."]


def test_register_outside_the_scope_names_the_village(client, county_user, bayan_village):
    data = register_post(bayan_village, [member("甲", id_number("230126"))])
    response = login(client, county_user).post(reverse("web:household_register"), data)
    assert response.context["form"].errors["village"]
    assert not Household.objects.exists()


def test_add_member_row_without_javascript(client, province_user, yanshou_village):
    data = register_post(yanshou_village, [member("甲", id_number("230129"))], add_member="1")
    response = login(client, province_user).post(reverse("web:household_register"), data)
    assert len(response.context["members"].forms) == 2
    assert not Household.objects.exists()


def test_member_row_for_htmx_bumps_the_count(client, province_user):
    response = login(client, province_user).get(reverse("web:member_row"), {"members-TOTAL_FORMS": "3"})
    content = response.content.decode()
    assert 'name="members-3-id_number"' in content
    assert 'value="4" id="id_members-TOTAL_FORMS" hx-swap-oob="true"' in content


def test_edit_household(client, province_user, household):
    login(client, province_user)
    response = client.post(
        reverse("web:household_edit", args=[household.code]),
        {
            "village": household.village.code,
            "address": "新地址",
            "phone": "",
            "type_dibao": "on",
            "main_cause": "DISABILITY",
            "secondary_causes": ["ILLNESS"],
            "helpers-TOTAL_FORMS": "1",
            "helpers-INITIAL_FORMS": "0",
            "helpers-0-name": "",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.main_cause, household.type_dibao, household.type_ordinary) == (
        "新地址",
        "DISABILITY",
        True,
        False,
    )
    assert AuditEvent.objects.filter(root_id=str(household.pk), action="household.update").count() == 1


def test_add_member(client, province_user, household):
    login(client, province_user)
    response = client.post(
        reverse("web:member_add", args=[household.code]),
        {**member("新成员", id_number("230129"), "SPOUSE"), "health": "HEALTHY", "migrant_months": "0"},
    )
    assert response.status_code == 302
    assert household.members.filter(name="新成员").exists()


def test_add_second_head_is_refused_on_the_field(client, province_user, household):
    login(client, province_user)
    response = client.post(
        reverse("web:member_add", args=[household.code]),
        {**member("又一个户主", id_number("230129"), "HEAD"), "health": "HEALTHY"},
    )
    assert response.context["form"].errors["relation"] == ["This household already has a head."]
    assert household.members.count() == 3


def test_enter_income_prefills_and_saves(client, province_user, household):
    login(client, province_user)
    url = reverse("web:income_enter", args=[household.code])
    form = client.get(url, {"year": 2009}).context["form"]
    assert form.initial["wage"] == 2400
    assert form.initial["household_size"] == 3
    amounts = dict.fromkeys(IncomeRecord.AMOUNT_FIELDS, "0")
    response = client.post(url, {**amounts, "year": "2010", "household_size": "2", "wage": "3000.50"})
    assert response.status_code == 302
    record = IncomeRecord.objects.get(household=household, year=2010)
    assert (record.household_size, str(record.net_income)) == (2, "3000.50")
    detail = client.get(reverse("web:household_detail", args=[household.code]))
    assert detail.context["chart"]["years"] == [2009, 2010]


def test_enter_income_with_too_many_decimals_shows_on_the_field(client, province_user, household):
    login(client, province_user)
    amounts = dict.fromkeys(IncomeRecord.AMOUNT_FIELDS, "0")
    response = client.post(
        reverse("web:income_enter", args=[household.code]),
        {**amounts, "year": "2010", "household_size": "0"},
    )
    assert response.context["form"].errors["household_size"]
    assert not IncomeRecord.objects.filter(household=household, year=2010).exists()


# --- identifiers and languages ------------------------------------------------------------------


def test_identifiers_are_masked_without_the_permission(client, make_user, household):
    Household.objects.filter(pk=household.pk).update(phone="13812345678")
    number = household.members.get(relation="HEAD").id_number
    masked_user = make_user(Role.PROVINCE, identifiers=False)
    content = login(client, masked_user).get(reverse("web:household_detail", args=[household.code])).content.decode()
    assert number not in content
    assert idnumbers.mask(number) in content
    assert "13812345678" not in content
    assert "138****5678" in content

    full_user = make_user(Role.PROVINCE, identifiers=True)
    content = login(client, full_user).get(reverse("web:household_detail", args=[household.code])).content.decode()
    assert number in content
    assert "13812345678" in content


def test_history_masks_id_numbers_without_the_permission(client, make_user, household):
    number = household.members.get(relation="HEAD").id_number
    masked_user = make_user(Role.PROVINCE, identifiers=False)
    response = login(client, masked_user).get(reverse("web:household_detail", args=[household.code]))
    register = next(r for r in response.context["history"] if r["event"].action == "household.register")
    text = " ".join(str(v) for change in register["changes"] for v in change)
    assert idnumbers.mask(number) in text
    assert number not in response.content.decode()


def test_both_languages_render(client, province_user):
    login(client, province_user)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("web:household_list")).content.decode()
    assert '<html lang="en">' in english
    assert "Register household" in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("web:household_list")).content.decode()
    assert '<html lang="zh-hans">' in chinese


def test_login_page_in_chinese_by_default(client):
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in content
    assert "用户名" in content
    assert "中文" in content and "English" in content


def test_edit_form_hides_phones_and_keeps_them_when_left_empty(client, make_user, household):
    from fupin.registry import services

    services.household_update(
        actor=make_user(Role.PROVINCE),
        household=household,
        changes={"phone": "13812345678", "helpers": [services.HelperData(name="王", phone="13900001111")]},
    )
    masked_user = make_user(Role.PROVINCE, identifiers=False)
    login(client, masked_user)
    url = reverse("web:household_edit", args=[household.code])
    content = client.get(url).content.decode()
    assert "13812345678" not in content and "13900001111" not in content
    assert "138****5678" in content
    response = client.post(
        url,
        {
            "village": household.village.code,
            "address": "改过的地址",
            "phone": "",
            "type_ordinary": "on",
            "main_cause": "ILLNESS",
            "helpers-TOTAL_FORMS": "2",
            "helpers-INITIAL_FORMS": "1",
            "helpers-0-name": "王",
            "helpers-0-phone": "",
            "helpers-1-name": "",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.phone) == ("改过的地址", "13812345678")
    assert household.helpers.get().phone == "13900001111"
