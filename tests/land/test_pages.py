"""The land pages: the list, a contract, the form (from a household's page, with the
household pre-filled), refusals shown on the form, the household and enterprise panels,
the menu; another county's user gets 404."""

from __future__ import annotations

from django.template import Context, Template
from django.test import Client, RequestFactory

from fupin.core.choices import Role
from fupin.land.models import LandContract
from tests.conftest import BAYAN


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_and_the_contract(county_user, make_contract):
    contract = make_contract()
    client = _client(county_user)
    page = client.get("/land/").content.decode()
    assert contract.number in page and 'href="/land/"' in page
    detail = client.get(f"/land/contracts/{contract.number}/").content.decode()
    assert "72.5" in detail and contract.transferors.first().household.code in detail
    assert client.get("/land/", {"area": "23x"}).status_code == 200
    assert client.get("/land/large-scale/", {"date": "2009-12-31"}).status_code == 200
    assert contract.village.name in client.get("/land/large-scale/", {"date": "2009-12-31"}).content.decode()


def test_another_countys_user_gets_404(make_user, make_contract, households):
    contract = make_contract()
    client = _client(make_user(Role.COUNTY, (BAYAN,)))
    assert client.get(f"/land/contracts/{contract.number}/").status_code == 404
    assert client.get(f"/land/contracts/new/?household={households[0].code}").status_code == 404
    assert contract.number not in client.get("/land/").content.decode()


def test_recording_from_a_household_page(county_user, households):
    a, b = households
    client = _client(county_user)
    household_page = client.get(f"/households/{a.code}/").content.decode()
    assert "household-land" in household_page and f"/land/contracts/new/?household={a.code}" in household_page
    form = client.get(f"/land/contracts/new/?household={a.code}").content.decode()
    assert f'value="{a.code}"' in form and f'value="{a.village.code}"' in form
    data = {
        "number": "LZ-WEB-1",
        "village": a.village.code,
        "transferee_kind": "cooperative",
        "transferee_name": "合作社",
        "mode": "lease",
        "start_date": "2009-04-01",
        "term_years": "30",  # beyond 2027-12-31
        "payment": "rent",
        "rent_per_mu": "300",
        "t-TOTAL_FORMS": "4",
        "t-INITIAL_FORMS": "0",
        "t-0-household": a.code,
        "t-0-area_mu": "25",
        "t-1-household": b.code,
        "t-1-area_mu": "30",
    }
    refused = client.post(f"/land/contracts/new/?household={a.code}", data)
    assert refused.status_code == 200 and not LandContract.objects.exists()
    assert "2027-12-31" in refused.content.decode()
    response = client.post(f"/land/contracts/new/?household={a.code}", data | {"term_years": "10"})
    assert response.status_code == 302 and response["Location"] == f"/households/{a.code}/"
    page = client.get(f"/households/{a.code}/").content.decode()
    assert 'data-contract="LZ-WEB-1"' in page


def test_the_enterprise_panel(province_user, make_contract, enterprise):
    make_contract(number="E-1", transferee_kind="enterprise", transferee_enterprise=enterprise.code)
    request = RequestFactory().get("/")
    request.user = province_user
    html = Template('{% load fupin_web %}{% panels "enterprise" enterprise %}').render(
        Context({"request": request, "enterprise": enterprise, "user": province_user})
    )
    assert 'data-contract="E-1"' in html
