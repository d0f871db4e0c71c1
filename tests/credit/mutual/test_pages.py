"""The mutual fund pages: the list, a fund's page with its balance sheet at a date, the
loan and repayment forms (refusals shown on the page, nothing changed), the poor-share
warning, the household page's panel and the navigation entry; scope."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fupin.credit.mutual.models import FundLoan, FundRepayment
from tests.conftest import BAYAN, PASSWORD


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_record_a_loan_and_a_repayment(clerk, member, household, seeded):
    client = _client(clerk)
    url = reverse("credit:fund_detail", args=[seeded.code])
    page = client.get(url, {"on": "2009-12-31"})
    assert page.status_code == 200
    assert page.context["sheet"]["cash"] == 320300
    loan = {
        "action": "loan",
        "loan-household": household.code,
        "loan-applied_on": "2009-05-01",
        "loan-approved_on": "2009-05-02",
        "loan-amount": "6000",
        "loan-term_months": "6",
        "loan-purpose": "养牛",
    }
    refused = client.post(url, loan)
    assert refused.status_code == 200 and not FundLoan.objects.exists()
    assert refused.context["forms"]["loan"].errors
    loan["loan-amount"] = "3000"
    assert client.post(url, loan).status_code == 302
    number = FundLoan.objects.get().number
    repay = {"action": "repay", "repay-loan": number, "repay-paid_on": "2009-11-02", "repay-principal": "3000"}
    repay["repay-fee"] = "90"
    assert client.post(url, repay).status_code == 302
    assert FundRepayment.objects.count() == 1
    page = client.get(url, {"on": "2009-12-31"})
    assert page.context["sheet"]["cash"] == 320390
    assert page.context["sheet"]["total_assets"] == 320390
    household_page = client.get(reverse("web:household_detail", args=[household.code]))
    assert b"household-mutual" in household_page.content and number.encode() in household_page.content


def test_poor_share_warning(province_user, member, seeded):
    page = _client(province_user).get(reverse("credit:fund_detail", args=[seeded.code]))
    assert page.context["sheet"]["poor_share"] == 0.0 and page.context["poor_warning"]
    assert b'role="alert"' in page.content


def test_list_and_scope(province_user, make_user, seeded):
    client = _client(province_user)
    listing = client.get(reverse("credit:fund_list"))
    assert listing.status_code == 200 and seeded.code.encode() in listing.content
    assert reverse("credit:fund_list").encode() in client.get("/").content  # the menu entry
    other = _client(make_user("county", (BAYAN,)))
    assert seeded.code.encode() not in other.get(reverse("credit:fund_list")).content
    assert other.get(reverse("credit:fund_detail", args=[seeded.code])).status_code == 404
