"""The mutual funds' files of the exchange package: an export comes back with nothing new
or changed; a package of new rows writes members, loans and repayments as the services
would have; a change of a fund's rules comes in as an update, a change of a recorded loan
is refused; a user exports only their areas."""

from __future__ import annotations

import pytest
from django.utils import translation

from fupin.credit.mutual import rules, services
from fupin.credit.mutual.models import FundLoan, FundRepayment, Membership, MutualFund
from fupin.exchange import registry
from fupin.exchange.exporter import export_frames, write_package
from fupin.exchange.importer import import_package
from tests.conftest import BAYAN

MUTUAL = ["mutual_funds", "mutual_members", "mutual_loans", "mutual_repayments"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(province_user, member, household, seeded, make_household, running_village):
    services.member_join(
        actor=province_user,
        fund=seeded,
        household_code=make_household(running_village).code,
        joined_on="2009-04-05",
        shares=1,
    )
    loan = services.loan_record(
        actor=province_user,
        fund=seeded,
        household_code=household.code,
        applied_on="2009-05-01",
        approved_on="2009-05-03",
        amount="3000",
        term_months=6,
        purpose="养牛",
    )
    services.repay(actor=province_user, loan=loan, paid_on="2009-08-01", principal="1000", fee="30")
    services.loan_apply(
        actor=province_user,
        fund=seeded,
        household_code=household.code,
        applied_on="2009-09-01",
        amount="500",
        term_months=3,
        purpose="买种子",
    )
    return seeded


def _rows():
    return {
        "members": sorted(Membership.objects.values_list("fund__code", "household__code", "shares", "paid_in", "poor")),
        "loans": sorted(
            FundLoan.objects.values_list("fund__code", "number", "amount", "status", "approved_on", "due_on"), key=str
        ),
        "repayments": sorted(FundRepayment.objects.values_list("loan__number", "paid_on", "principal", "fee")),
    }


def test_the_entities_are_registered():
    names = [r.name for r in registry.registrations()]
    assert all(name in names for name in MUTUAL)
    assert names.index("households") < names.index("mutual_members") < names.index("mutual_loans")
    assert names.index("mutual_loans") < names.index("mutual_repayments")


def test_an_export_comes_back_with_nothing_new(tmp_path, province_user, records):
    frames = export_frames(user=province_user)
    assert [frames[n].height for n in MUTUAL] == [1, 2, 2, 1]
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == []
    assert frames["mutual_seeds"].height == 2  # the fiscal seed (with its ledger entry) and the donation
    for name in [*MUTUAL, "mutual_seeds", "mutual_officers", "mutual_welfare"]:
        assert plan.counts()[name] == {"created": 0, "updated": 0, "unchanged": frames[name].height}, name
    assert result == {"counts": plan.counts(), "changed": False}


def test_a_package_writes_what_the_services_would(tmp_path, province_user, records):
    frames = {n: export_frames(user=province_user, entities=[n])[n] for n in MUTUAL[1:]}
    before = _rows()
    FundRepayment.objects.all().delete()
    FundLoan.objects.all().delete()
    Membership.objects.all().delete()
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and result["changed"]
    assert _rows() == before


def test_rules_change_but_recorded_loans_do_not(tmp_path, province_user, records):
    frames = export_frames(user=province_user, entities=["mutual_funds", "mutual_loans"])
    frames["mutual_funds"] = frames["mutual_funds"].with_columns(
        loan_ceiling=frames["mutual_funds"]["loan_ceiling"].str.replace("5000.00", "8000.00")
    )
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and plan.counts()["mutual_funds"]["updated"] == 1
    assert MutualFund.objects.get(code=records.code).loan_ceiling == 8000
    frames["mutual_loans"] = frames["mutual_loans"].with_columns(
        amount=frames["mutual_loans"]["amount"].str.replace("3000.00", "2000.00")
    )
    write_package(frames, tmp_path / "package2")
    plan, _result = import_package(tmp_path / "package2", user=province_user)
    assert [(e.column, e.reason) for e in plan.errors] == [("fund", rules.IMPORT_NO_CHANGE.text())]
    assert FundLoan.objects.filter(amount=3000).exists()


def test_a_county_exports_its_own(make_user, records):
    elsewhere = make_user("county", (BAYAN,))
    frames = export_frames(user=elsewhere)
    assert all(frames[name].height == 0 for name in MUTUAL)
