"""The foundation's acceptance checks for a county user, end to end through the web and
the API: they see only their county, changing another county's household is an error,
and every change they make appears in the household's history with before and after."""

import datetime as dt

from django.urls import reverse
from rest_framework.authtoken.models import Token

from fupin.core.models import AuditEvent
from fupin.registry.models import Household
from tests.testing import api


def test_county_user_sees_only_their_county(client, county_user, make_household, yanshou_village, bayan_village):
    ours = make_household(yanshou_village)
    theirs = make_household(bayan_village)
    client.force_login(county_user)
    listing = client.get(reverse("web:household_list")).content.decode()
    assert ours.code in listing and theirs.code not in listing
    assert client.get(reverse("web:household_detail", args=[theirs.code])).status_code == 404
    assert client.get(reverse("web:area_detail", args=["230126000000"])).status_code == 404
    codes = {r["code"] for r in api(county_user).get("/api/households/").json()["results"]}
    assert codes == {ours.code}
    areas = api(county_user).get("/api/areas/", {"level": "county"}).json()["results"]
    assert [a["code"] for a in areas] == ["230129000000"]


def test_changing_another_countys_household_is_an_error(client, county_user, make_household, bayan_village):
    theirs = make_household(bayan_village)
    before = (theirs.address, AuditEvent.objects.count())
    client.force_login(county_user)
    response = client.post(reverse("web:household_edit", args=[theirs.code]), {"address": "改了"})
    assert response.status_code in (403, 404)
    response = api(county_user).patch(f"/api/households/{theirs.code}/", {"address": "改了"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    theirs.refresh_from_db()
    assert (theirs.address, AuditEvent.objects.count()) == before


def test_every_change_appears_in_the_history_with_before_and_after(
    client, county_user, make_household, yanshou_village
):
    household = make_household(yanshou_village, actor=county_user)
    api(county_user).patch(f"/api/households/{household.code}/", {"address": "二组8号"}, format="json")
    client.force_login(county_user)
    client.post(
        reverse("web:household_step", args=[household.code]),
        {"action": "apply", "procedure": "identification", "date": "2010-03-01", "note": ""},
    )
    household.refresh_from_db()
    assert household.procedure == "identification"
    events = AuditEvent.objects.filter(root_id=str(household.pk), actor=county_user).order_by("id")
    assert [e.action for e in events] == ["household.register", "income.save", "household.update", "household.apply"]
    update = events.get(action="household.update")
    assert update.before["address"] == "" and update.after["address"] == "二组8号" and update.channel == "api"
    step = events.get(action="household.apply")
    assert step.before["procedure"] == "" and step.after["stage"] == "applied" and step.channel == "web"
    response = client.get(reverse("web:household_detail", args=[household.code]))
    history = {
        (row["event"].action, tuple(map(str, change)))
        for row in response.context["history"]
        for change in row["changes"]
    }
    assert any(action == "household.update" and change[2] == "二组8号" for action, change in history)
    page = response.content.decode()
    assert "<ins>二组8号</ins>" in page and county_user.username in page


def test_token_authentication(county_user, make_household, yanshou_village):
    from rest_framework.test import APIClient

    make_household(yanshou_village)
    token = Token.objects.create(user=county_user)
    client = APIClient()
    assert client.get("/api/households/").status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/households/").json()["count"] == 1


def test_list_endpoints_do_not_grow_queries_with_rows(
    django_assert_max_num_queries, province_user, make_household, yanshou_village
):
    for _ in range(12):
        make_household(yanshou_village)
    client = api(province_user)
    for url in ("/api/households/", "/api/persons/", "/api/incomes/", "/api/areas/?level=county"):
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200
    household = Household.objects.first()
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/households/{household.code}/").status_code == 200


def test_cli_changes_are_audited_as_cli(province_user, make_household, yanshou_village):
    from fupin.registry import services

    household = make_household(yanshou_village)
    services.household_apply(
        actor=province_user, household=household, procedure="identification", on=dt.date(2010, 3, 1)
    )
    assert AuditEvent.objects.filter(action="household.apply").get().channel == "cli"
