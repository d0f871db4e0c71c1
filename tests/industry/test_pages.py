"""The industry pages: the enterprise list with the registration form, an enterprise's
page (with the enterprise panels) and its forms, refusals shown on the form, the
household page's panel, and scope (another county gets 404)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fupin.core.choices import Role
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract
from tests.conftest import BAYAN, PASSWORD, YANSHOU
from tests.industry.conftest import code, wrong_code


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_register_an_enterprise_through_the_form(county_user):
    client = _client(county_user)
    url = reverse("industry:enterprise_list")
    assert client.get(url).status_code == 200
    data = {
        "enterprise-code": wrong_code("91230129MA0000055"),
        "enterprise-name": "新企业",
        "enterprise-county": YANSHOU,
        "enterprise-level": "county",
        "enterprise-sector": "planting",
        "enterprise-identified_year": "2009",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Enterprise.objects.exists()
    assert "GB 32100" in response.content.decode()
    data["enterprise-code"] = code("91230129MA0000055")
    response = client.post(url, data)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    page = client.get(reverse("industry:enterprise_detail", args=[enterprise.code])).content.decode()
    assert "新企业" in page and enterprise.code in page


def test_link_employ_and_contract_then_the_household_page(county_user, base, household):
    client = _client(county_user)
    url = reverse("industry:enterprise_detail", args=[base.enterprise.code])
    r = client.post(
        url,
        {"action": "link", "link-base": base.code, "link-household": household.code, "link-joined_on": "2009-04-01"},
    )
    assert r.status_code == 302 and BaseLink.objects.filter(household=household).exists()
    person = household.members.first()
    r = client.post(
        url,
        {
            "action": "employment",
            "employment-id_number": person.id_number,
            "employment-start_date": "2009-03-01",
            "employment-monthly_wage": "1300",
        },
    )
    assert r.status_code == 302 and Employment.objects.filter(person=person).exists()
    r = client.post(
        url,
        {
            "action": "contract",
            "contract-number": "DD-P1",
            "contract-household": household.code,
            "contract-year": "2009",
            "contract-product": "大豆",
            "contract-unit": "kg",
            "contract-quantity": "100",
            "contract-agreed_price": "3.5",
        },
    )
    assert r.status_code == 302 and OrderContract.objects.filter(number="DD-P1").exists()
    page = client.get(reverse("web:household_detail", args=[household.code])).content.decode()
    assert 'id="household-industry"' in page
    assert base.code in page and "DD-P1" in page and base.enterprise.name in page


def test_a_refused_link_is_shown_on_the_form(county_user, base, make_household, province_user):
    from fupin.geo.models import AdminArea

    village = AdminArea.objects.filter(code__startswith="230126", level="village").order_by("code").first()
    far = make_household(village.code)
    client = _client(province_user)
    url = reverse("industry:enterprise_detail", args=[base.enterprise.code])
    r = client.post(
        url, {"action": "link", "link-base": base.code, "link-household": far.code, "link-joined_on": "2009-04-01"}
    )
    assert r.status_code == 200 and far.code in r.content.decode()
    assert not BaseLink.objects.exists()


def test_another_county_gets_404(base, make_user):
    other = make_user(Role.COUNTY, (BAYAN,))
    client = _client(other)
    url = reverse("industry:enterprise_detail", args=[base.enterprise.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "link"}).status_code == 404
    assert base.enterprise.code not in client.get(reverse("industry:enterprise_list")).content.decode()


def test_the_menu_has_the_entry(county_user):
    page = _client(county_user).get(reverse("industry:enterprise_list")).content.decode()
    assert reverse("industry:enterprise_list") in page
