"""Each rule once: every refusal the issue names (a loan over the fund's ceiling or term, a
member from another village, a second membership of one household, a repayment beyond
what is outstanding) is refused on the same field with the same message by the service,
the API and the importer, and none of them changes anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from fupin.core.errors import ApplicationError
from fupin.core.models import AuditEvent
from fupin.credit.mutual import rules, services
from fupin.credit.mutual.models import FundLoan, FundRepayment, Membership
from fupin.exchange.importer import apply_import, plan_import
from fupin.exchange.reader import read_package
from tests.credit.mutual.conftest import ESTABLISHED
from tests.testing import api

MEMBERS = "fund,household,joined_on,shares,base_paid_by_fund"
LOANS = "fund,number,household,applied_on,amount,term_months,fee_rate,purpose,approved_on"
REPAYMENTS = "fund,loan,paid_on,principal,fee"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts() -> tuple[int, ...]:
    return (
        Membership.objects.count(),
        FundLoan.objects.count(),
        FundRepayment.objects.count(),
        AuditEvent.objects.count(),
    )


def _service(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    assert exc.value.record
    return str(exc.value.field), str(exc.value.message)


def _api(user, url: str, data: dict[str, Any]) -> tuple[str, str]:
    client = api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the switcher's choice: English
    response = client.post(url, data, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["record"]
    return body["field"], body["message"]


def _import(folder: Path, files: dict[str, list[str]], user: Any) -> list[tuple[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = plan_import(read_package(folder), user=user)
    return [(e.column, e.reason) for e in plan.errors]


def _check(tmp_path, user, service, url, data, files, field, rule) -> None:
    before = _counts()
    by_service = _service(service)
    assert by_service[0] == field
    assert by_service[1] == _message(rule, by_service[1])
    assert _api(user, url, data) == by_service
    assert by_service in _import(tmp_path / "package", files, user)
    assert _counts() == before


def _message(rule, text: str) -> str:
    """The message is the rule's (its fixed start, before the first placeholder)."""
    start = str(rule.message).split("%(")[0]
    assert text.startswith(start)
    return text


def _loan_data(fund, household, **kw):
    return {
        "fund": fund.code,
        "household": household.code,
        "number": "L-1",
        "applied_on": "2009-05-01",
        "amount": "3000.00",
        "term_months": 6,
        "fee_rate": "6.00",
        "purpose": "养牛",
        "approved_on": "2009-05-05",
    } | kw


def _loan_files(data):
    row = ",".join(str(data[c]) for c in LOANS.split(","))
    return {"mutual_loans": [LOANS, row]}


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [({"amount": "5000.01"}, "amount", rules.LOAN_CEILING), ({"term_months": 13}, "term_months", rules.LOAN_TERM)],
)
def test_loan_over_ceiling_or_term(tmp_path, clerk, member, household, seeded, change, field, rule):
    data = _loan_data(seeded, household, **change)
    kwargs = {k: v for k, v in data.items() if k not in ("fund", "household")}

    def service():
        return services.loan_record(actor=clerk, fund=seeded, household_code=household.code, **kwargs)

    _check(tmp_path, clerk, service, "/api/credit/fund-loans/", data, _loan_files(data), field, rule)


def test_member_from_another_village(tmp_path, province_user, seeded, make_household, bayan_village):
    outsider = make_household(bayan_village)

    def service():
        return services.member_join(
            actor=province_user, fund=seeded, household_code=outsider.code, joined_on=ESTABLISHED
        )

    data = {"household": outsider.code, "joined_on": str(ESTABLISHED), "shares": 1}
    files = {"mutual_members": [MEMBERS, f"{seeded.code},{outsider.code},{ESTABLISHED},1,0"]}
    _check(
        tmp_path,
        province_user,
        service,
        f"/api/credit/funds/{seeded.code}/join/",
        data,
        files,
        "household",
        rules.MEMBER_OF_VILLAGE,
    )


def test_second_membership(tmp_path, province_user, seeded, member, household, make_household, running_village):
    # the household is a member of ``seeded``; joining again (the same fund) is refused
    def service():
        return services.member_join(
            actor=province_user, fund=seeded, household_code=household.code, joined_on=ESTABLISHED, shares=2
        )

    data = {"household": household.code, "joined_on": str(ESTABLISHED), "shares": 2}
    # in a package: a new membership of the same household (under another fund's code is
    # refused by the village rule; here the same household twice in one file)
    other = make_household(running_village)
    files = {
        "mutual_members": [
            MEMBERS,
            f"{seeded.code},{other.code},{ESTABLISHED},1,0",
            f"NEW-FUND,{household.code},{ESTABLISHED},2,0",
        ],
        "mutual_funds": [
            "code,name,village,established_on,closed_on,share_value,loan_ceiling,longest_term,fee_rate,welfare_share",
            f"NEW-FUND,x,{running_village},{ESTABLISHED},,100,5000,12,6,10",
        ],
    }
    before = _counts()
    by_service = _service(service)
    assert by_service[0] == "household"
    assert _api(province_user, f"/api/credit/funds/{seeded.code}/join/", data) == by_service
    assert by_service in _import(tmp_path / "package", files, province_user)
    assert _counts() == before


def test_repayment_beyond_outstanding(tmp_path, clerk, member, household, seeded):
    loan = services.loan_record(
        actor=clerk,
        fund=seeded,
        household_code=household.code,
        number="L-1",
        applied_on="2009-05-01",
        approved_on="2009-05-05",
        amount="3000",
        term_months=6,
        purpose="养牛",
    )
    services.repay(actor=clerk, loan=loan, paid_on="2009-08-01", principal="1000", fee="30")

    def service():
        return services.repay(actor=clerk, loan=loan, paid_on="2009-09-01", principal="2000.01", fee="60")

    data = {"paid_on": "2009-09-01", "principal": "2000.01", "fee": "60"}
    files = {"mutual_repayments": [REPAYMENTS, f"{seeded.code},L-1,2009-09-01,2000.01,60"]}
    _check(
        tmp_path,
        clerk,
        service,
        f"/api/credit/fund-loans/{loan.pk}/repay/",
        data,
        files,
        "principal",
        rules.REPAYMENT_OUTSTANDING,
    )


def test_a_clean_package_is_written(tmp_path, clerk, seeded, household, make_household, running_village):
    files = {
        "mutual_members": [MEMBERS, f"{seeded.code},{household.code},{ESTABLISHED},3,0"],
        "mutual_loans": [LOANS, f"{seeded.code},L-9,{household.code},2009-05-01,3000,6,6,养牛,2009-05-03"],
        "mutual_repayments": [REPAYMENTS, f"{seeded.code},L-9,2009-11-03,3000,90"],
    }
    folder = tmp_path / "package"
    assert _import(folder, files, clerk) == []
    plan = plan_import(read_package(folder), user=clerk)
    apply_import(plan, user=clerk)
    loan = FundLoan.objects.get(fund=seeded, number="L-9")
    assert loan.status == "repaid" and loan.due_on.isoformat() == "2009-11-03"
    assert Membership.objects.get(household=household).paid_in == 300
