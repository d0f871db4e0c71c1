"""The discounted loans' pages: record a loan from a household's page, a repayment (and its
refusal shown on the page), pay the year's discounts, the household panel; scope."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from fupin.core.choices import Role
from fupin.credit.loans.models import Discount, Loan, LoanRepayment
from tests.conftest import BAYAN, PASSWORD, YANSHOU


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_record_a_loan_repay_pay_and_see_it_on_the_household_page(make_user, pilot, poor_household, discount_project):
    officer = make_user(Role.COUNTY, (YANSHOU,))
    client = _client(officer)
    household_page = reverse("web:household_detail", args=[poor_household.code])
    page = client.get(household_page).content.decode()
    assert 'id="household-discount-loans"' in page
    new = reverse("credit:loan_create") + f"?household={poor_household.code}"
    assert f'value="{poor_household.code}"' in client.get(new).content.decode()
    form = {
        "code": "L-P1",
        "kind": "household",
        "household": poor_household.code,
        "lender": "农村信用社",
        "principal": "10000",
        "rate": "5.31",
        "drawn_on": "2009-07-01",
        "matures_on": "2010-07-01",
        "purpose": "养牛",
    }
    r = client.post(reverse("credit:loan_create"), form)
    assert r.status_code == 302
    loan = Loan.objects.get(code="L-P1")
    detail = reverse("credit:loan_detail", args=[loan.code])
    # a repayment beyond what is outstanding: the page again with the error, nothing written
    r = client.post(detail, {"paid_on": "2009-10-01", "amount": "10000.01"})
    assert r.status_code == 200 and not LoanRepayment.objects.exists()
    assert client.post(detail, {"paid_on": "2009-10-01", "amount": "4000"}).status_code == 302
    r = client.post(
        reverse("credit:discount_pay"),
        {"project": discount_project.code, "year": "2009", "source": "central", "date": "2009-12-20"},
    )
    assert r.status_code == 302
    assert Discount.objects.get(loan=loan).amount == Decimal("201.64")
    page = client.get(household_page).content.decode()
    assert "L-P1" in page and "201.64" in page
    assert client.get(detail + "?year=2010").status_code == 200
    assert client.get(reverse("credit:loan_list")).status_code == 200


def test_another_county_sees_nothing(make_user, household_loan):
    other = _client(make_user(Role.COUNTY, (BAYAN,)))
    assert other.get(reverse("credit:loan_detail", args=[household_loan.code])).status_code == 404
    r = other.post(reverse("credit:loan_detail", args=[household_loan.code]), {"paid_on": "2009-10-01", "amount": "1"})
    assert r.status_code == 404 and not LoanRepayment.objects.exists()
    assert household_loan.code not in other.get(reverse("credit:loan_list")).content.decode()
