"""Each rule once: every refusal of the discounted loans is given with the same field and
reason by the service, the API and the import (``plan_import``), and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from fupin.core.errors import ApplicationError
from fupin.credit.loans import services
from fupin.credit.loans.models import Discount, DiscountPilot, Loan, LoanRepayment
from fupin.exchange.importer import plan_import
from fupin.exchange.reader import read_package
from fupin.funds.models import Entry
from tests.conftest import YANSHOU
from tests.testing import api

LOANS = "code,kind,household,enterprise,project,lender,principal,rate,drawn_on,matures_on,purpose"
REPAYMENTS = "loan,paid_on,amount"
DISCOUNTS = "loan,year,amount,project,source,paid_on"
PILOTS = "area,first_year,last_year,rate,note"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _state() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (DiscountPilot, Loan, LoanRepayment, Discount, Entry))


def _service(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    return str(exc.value.field), str(exc.value.message)


def _api(user: Any, url: str, body: dict[str, Any]) -> tuple[str, str]:
    client = api(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, body, format="json")
    assert response.status_code in (400, 403, 404, 409), response.content
    data = response.json()
    assert {"code", "message"} <= set(data)
    return str(data.get("field")), str(data["message"])


def _import(folder: Path, files: dict[str, list[str]], column: str, user: Any) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = plan_import(read_package(folder), user=user)
    mine = [e for e in plan.errors if e.column == column]
    assert mine, plan.errors
    return mine[0].column, mine[0].reason


def _check(tmp_path, user, service, url, body, files, field):
    before = _state()
    by_service = _service(service)
    assert by_service[0] == field
    assert _api(user, url, body) == by_service
    assert _import(tmp_path / "package", files, field, user) == by_service
    assert _state() == before


def _loan_row(code: str, **kw: str) -> dict[str, str]:
    row = {"code": "L-NEW", "kind": "household", "household": code, "enterprise": "", "project": ""}
    row |= {"lender": "农行", "principal": "5000", "rate": "5.31", "drawn_on": "2009-03-01"}
    return row | {"matures_on": "2010-03-01", "purpose": ""} | kw


def _loan_case(tmp_path, user, borrower, field, **change):
    row = _loan_row(borrower.code, **change)
    call = dict(row)
    _check(
        tmp_path,
        user,
        lambda: services.loan_create(actor=user, **call),
        "/api/discount-loans/",
        row,
        {"discount_loans": [LOANS, ",".join(row.values())]},
        field,
    )


def test_a_loan_with_no_principal(tmp_path, province_user, pilot, poor_household):
    _loan_case(tmp_path, province_user, poor_household, "principal", principal="0")


def test_a_loan_maturing_before_it_is_drawn(tmp_path, province_user, pilot, poor_household):
    _loan_case(tmp_path, province_user, poor_household, "matures_on", matures_on="2009-02-01")


def test_a_loan_with_a_rate_beyond_100(tmp_path, province_user, pilot, poor_household):
    _loan_case(tmp_path, province_user, poor_household, "rate", rate="101")


def test_a_loan_to_a_household_not_in_the_registry(tmp_path, province_user, pilot, poor_household):
    _loan_case(tmp_path, province_user, poor_household, "household", household="2301299999999999")


def test_a_repayment_beyond_what_is_outstanding(tmp_path, province_user, household_loan):
    services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-09-01", amount="7000")
    _check(
        tmp_path,
        province_user,
        lambda: services.repayment_record(
            actor=province_user, loan=household_loan, paid_on="2009-10-01", amount="3000.50"
        ),
        f"/api/discount-loans/{household_loan.code}/repay/",
        {"paid_on": "2009-10-01", "amount": "3000.50"},
        {"discount_repayments": [REPAYMENTS, f"{household_loan.code},2009-10-01,3000.50"]},
        "amount",
    )


def test_repayments_of_one_file_add_up(tmp_path, province_user, household_loan):
    """Two rows of a file that together exceed what is outstanding: the second is refused."""
    lines = [REPAYMENTS, f"{household_loan.code},2009-08-01,6000", f"{household_loan.code},2009-09-01,4000.01"]
    folder = tmp_path / "p"
    assert _import(folder, {"discount_repayments": lines}, "amount", province_user)[1] == (
        "The repayment is more than the 4000.00 yuan outstanding on the loan."
    )


def test_a_repayment_before_the_loan_was_drawn(tmp_path, province_user, household_loan):
    _check(
        tmp_path,
        province_user,
        lambda: services.repayment_record(actor=province_user, loan=household_loan, paid_on="2009-06-01", amount="10"),
        f"/api/discount-loans/{household_loan.code}/repay/",
        {"paid_on": "2009-06-01", "amount": "10"},
        {"discount_repayments": [REPAYMENTS, f"{household_loan.code},2009-06-01,10"]},
        "paid_on",
    )


def _discount_case(tmp_path, user, loan, project, year, amount, field):
    _check(
        tmp_path,
        user,
        lambda: services.discount_pay(
            actor=user, project=project, year=year, source="central", loans=[(loan, amount or None)]
        ),
        "/api/loan-discounts/pay/",
        {
            "project": project.code,
            "year": year,
            "source": "central",
            "loans": [{"loan": loan.code, "amount": amount or None}],
        },
        {"loan_discounts": [DISCOUNTS, f"{loan.code},{year},{amount},{project.code},central,2009-12-20"]},
        field,
    )


def test_a_discount_beyond_the_cap(tmp_path, province_user, household_loan, discount_project):
    # the rule: 10,000 × 5 % × 184 / 365 = 252.05
    _discount_case(tmp_path, province_user, household_loan, discount_project, 2009, "252.06", "amount")


def test_a_discount_beyond_the_household_cap_of_50000(tmp_path, province_user, pilot, poor_household, discount_project):
    loan = services.loan_create(
        actor=province_user,
        code="BIG",
        kind="household",
        household=poor_household.code,
        lender="农行",
        principal="80000",
        rate="5.31",
        drawn_on="2009-01-01",
        matures_on="2010-01-01",
    )
    # 5 % of the 50,000 cap, not of 80,000
    _discount_case(tmp_path, province_user, loan, discount_project, 2009, "2500.01", "amount")


def test_a_discount_outside_the_pilot(tmp_path, province_user, poor_household, discount_project, pilot):
    loan = services.loan_create(
        actor=province_user,
        code="OUT",
        kind="household",
        household=poor_household.code,
        lender="农行",
        principal="5000",
        rate="5",
        drawn_on="2011-01-10",
        matures_on="2012-01-10",
    )
    _discount_case(tmp_path, province_user, loan, discount_project, 2011, "", "loan")


def test_a_pilot_ending_before_it_starts(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.pilot_create(actor=province_user, area_code=YANSHOU, first_year=2009, last_year=2008),
        "/api/discount-pilots/",
        {"area": YANSHOU, "first_year": 2009, "last_year": 2008},
        {"discount_pilots": [PILOTS, f"{YANSHOU},2009,2008,3,"]},
        "last_year",
    )


def test_an_import_of_a_good_package_pays_through_the_ledger(tmp_path, province_user, household_loan, discount_project):
    from fupin.exchange.importer import import_package

    folder = tmp_path / "good"
    folder.mkdir()
    (folder / "discount_repayments.csv").write_text(f"{REPAYMENTS}\n{household_loan.code},2009-10-01,4000\n")
    (folder / "loan_discounts.csv").write_text(
        f"{DISCOUNTS}\n{household_loan.code},2009,,{discount_project.code},central,2009-12-20\n"
    )
    plan, result = import_package(folder, user=province_user)
    assert not plan.errors and result and result["changed"]
    discount = Discount.objects.get()
    assert discount.amount == Decimal("201.64")
    assert discount.payment.entry.project == discount_project
