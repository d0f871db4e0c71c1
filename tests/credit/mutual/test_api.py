"""The mutual funds' API: funds as a declared resource (scoped, filtered, paginated), the
loan workflow through one endpoint per action, errors in the one shape, the balance sheet."""

from __future__ import annotations

from fupin.core.models import AuditEvent
from fupin.credit.mutual.models import FundLoan, FundRepayment, MutualFund
from tests.conftest import BAYAN
from tests.credit.mutual.conftest import ESTABLISHED, make_fund, prepared_village
from tests.testing import APIResourceTests, api


class TestFundAPI(APIResourceTests):
    list_url = "/api/credit/funds/"

    def make(self, village_code, actor):
        return make_fund(actor, village_code)

    def key(self, obj):
        return obj.code

    def create_data(self, village_code):
        prepared_village(village_code)
        return {
            "code": f"NEW-{village_code}",
            "name": "互助资金协会",
            "village": village_code,
            "established_on": "2009-05-01",
            "loan_ceiling": "5000",
            "longest_term": 12,
            "fee_rate": "6",
        }

    def model_count(self):
        return MutualFund.objects.count()


def test_loan_workflow_and_balance_sheet(clerk, member, household, seeded):
    client = api(clerk)
    url = f"/api/credit/funds/{seeded.code}/balance/"
    before = client.get(url, {"on": "2009-12-31"}).json()
    response = client.post(
        "/api/credit/fund-loans/",
        {
            "fund": seeded.code,
            "household": household.code,
            "applied_on": "2009-05-01",
            "amount": "3000",
            "term_months": 6,
            "purpose": "养牛",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    loan_id = response.json()["id"]
    assert client.get(f"/api/credit/funds/{seeded.code}/queue/").json()["count"] == 1
    assert (
        client.post(f"/api/credit/fund-loans/{loan_id}/approve/", {"on": "2009-05-03"}, format="json").status_code
        == 200
    )
    response = client.post(
        f"/api/credit/fund-loans/{loan_id}/repay/",
        {"paid_on": "2009-10-01", "principal": "1000", "fee": "90"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    after = client.get(url, {"on": "2009-12-31"}).json()
    assert float(after["cash"]) == float(before["cash"]) - 3000 + 1000 + 90
    assert float(after["loans_outstanding"]) == 2000
    assert float(after["total_assets"]) == float(before["total_assets"]) + 90
    assert AuditEvent.objects.filter(actor=clerk, channel="api", action="mutual.loan.repay").exists()


def test_refusals_have_the_one_error_shape(clerk, member, household, seeded):
    client = api(clerk)
    data = {
        "fund": seeded.code,
        "household": household.code,
        "applied_on": "2009-05-01",
        "amount": "6000",
        "term_months": 6,
        "purpose": "x",
    }
    body = client.post("/api/credit/fund-loans/", data, format="json").json()
    assert body["code"] == "invalid" and body["field"] == "amount" and body["record"].startswith(seeded.code)
    assert not FundLoan.objects.exists()


def test_other_county_cannot_see_or_change(make_user, member, household, seeded, clerk):
    other = make_user("county", (BAYAN,))
    assert api(other).get(f"/api/credit/funds/{seeded.code}/").status_code == 404
    assert api(other).get(f"/api/credit/funds/{seeded.code}/balance/").status_code == 404
    loan = api(clerk).post(
        "/api/credit/fund-loans/",
        {
            "fund": seeded.code,
            "household": household.code,
            "applied_on": "2009-05-01",
            "approved_on": "2009-05-02",
            "amount": "1000",
            "term_months": 6,
            "purpose": "x",
        },
        format="json",
    )
    assert loan.status_code == 201
    response = api(other).post(
        f"/api/credit/fund-loans/{loan.json()['id']}/repay/", {"paid_on": "2009-06-01", "principal": "1"}, format="json"
    )
    assert response.status_code == 403
    assert not FundRepayment.objects.exists()
    assert api(clerk).get("/api/credit/fund-loans/", {"fund": seeded.code}).json()["count"] == 1


def test_bad_dates_are_400(clerk, seeded):
    assert api(clerk).get(f"/api/credit/funds/{seeded.code}/balance/", {"on": "x"}).status_code == 400
    assert ESTABLISHED
