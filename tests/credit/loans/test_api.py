"""The discounted loans' API: the one error shape, scope (another county: 404, nothing
changed), the auditor reads only, lists paginated, the quote."""

from __future__ import annotations

from fupin.core.choices import Role
from fupin.credit.loans.models import Discount, LoanRepayment
from tests.conftest import BAYAN, YANSHOU
from tests.testing import api


def test_lists_and_quote(province_user, household_loan):
    client = api(province_user)
    data = client.get("/api/discount-loans/").json()
    assert data["count"] == 1 and data["results"][0]["code"] == household_loan.code
    assert data["results"][0]["outstanding"] == "10000.00"
    quote = client.get(f"/api/discount-loans/{household_loan.code}/quote/", {"year": 2009}).json()
    assert quote == {
        "loan": household_loan.code,
        "year": 2009,
        "in_pilot": True,
        "basis": "10000.00",
        "days": 184,
        "rate": "5.00",
        "cap": "252.05",
    }
    assert client.get(f"/api/discount-loans/{household_loan.code}/quote/", {"year": "x"}).status_code == 400
    assert client.get("/api/discount-pilots/").json()["count"] == 1
    assert client.get("/api/discount-loans/", {"kind": "household", "year": 2009}).json()["count"] == 1
    assert client.get("/api/discount-loans/", {"year": 0}).status_code == 400


def test_repay_and_pay_through_the_api(province_user, household_loan, discount_project):
    client = api(province_user)
    r = client.post(
        f"/api/discount-loans/{household_loan.code}/repay/", {"paid_on": "2009-10-01", "amount": "20000"}, format="json"
    )
    assert r.status_code == 400
    assert r.json()["field"] == "amount" and r.json()["record"] == household_loan.code
    assert not LoanRepayment.objects.exists()
    r = client.post(
        "/api/loan-discounts/pay/",
        {"project": discount_project.code, "year": 2009, "source": "central", "date": "2009-12-20"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["amount"] == "252.05" and r.json()["loans"] == 1
    assert client.get("/api/loan-discounts/").json()["results"][0]["amount"] == "252.05"


def test_scope_and_the_auditor(make_user, household_loan, discount_project):
    other = api(make_user(Role.COUNTY, (BAYAN,)))
    assert other.get(f"/api/discount-loans/{household_loan.code}/").status_code == 404
    assert other.get("/api/discount-loans/").json()["count"] == 0
    r = other.post(f"/api/discount-loans/{household_loan.code}/repay/", {"paid_on": "2009-10-01", "amount": "1"})
    assert r.status_code == 403 and r.json()["code"] == "out_of_scope"
    r = other.post("/api/loan-discounts/pay/", {"project": discount_project.code, "year": 2009, "source": "central"})
    assert r.status_code == 403
    auditor = api(make_user(Role.AUDITOR, (YANSHOU,)))
    assert auditor.get("/api/discount-loans/").json()["count"] == 1
    r = auditor.post(f"/api/discount-loans/{household_loan.code}/repay/", {"paid_on": "2009-10-01", "amount": "1"})
    assert r.status_code == 403
    assert not LoanRepayment.objects.exists() and not Discount.objects.exists()
