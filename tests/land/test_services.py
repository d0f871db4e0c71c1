"""The land services: a contract with its transferors and end date, audited; refusals name
the record and the field and change nothing; ending a contract; scope and roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.land import rules, selectors, services
from fupin.land.models import LandContract, Transferor
from tests.conftest import BAYAN
from tests.land.conftest import START


def _refused(call, field: str) -> ApplicationError:
    contracts, transferors, events = (
        LandContract.objects.count(),
        Transferor.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ApplicationError) as exc:
        call()
    assert exc.value.field == field, (exc.value.field, exc.value.message)
    assert exc.value.record
    assert (LandContract.objects.count(), Transferor.objects.count(), AuditEvent.objects.count()) == (
        contracts,
        transferors,
        events,
    )
    return exc.value


def test_a_contract_with_its_transferors_is_recorded_and_audited(make_contract, households, county_user):
    contract = make_contract(actor=county_user)
    assert contract.end_date == dt.date(2019, 2, 28)
    assert contract.total_area == Decimal("72.50")
    assert contract.large_scale  # 72.5 mu ≥ 50
    assert sorted(t.household_id for t in contract.transferors.all()) == sorted(h.pk for h in households)
    events = AuditEvent.objects.filter(actor=county_user)
    assert events.filter(action="land.contract.create", object_id=str(contract.pk)).exists()
    # the household's history shows its land transfer
    assert events.filter(action="land.transferor.add", root_id=str(households[0].pk)).count() == 1
    rows = selectors.household_contracts(households[0])
    assert [(r["contract"].number, r["role"], r["area_mu"]) for r in rows] == [
        ("LZ-2009-001", "transferor", Decimal("30.50"))
    ]


def test_the_transferee_kinds(make_contract, enterprise, households, make_household, yanshou_village, province_user):
    by_enterprise = make_contract(number="E-1", transferee_kind="enterprise", transferee_enterprise=enterprise.code)
    assert by_enterprise.transferee_enterprise == enterprise and by_enterprise.transferee == enterprise.name
    big = make_household(yanshou_village, size=4)
    by_household = make_contract(
        number="H-1", transferee_kind="large_household", transferee_household=big.code, transferee_name="ignored"
    )
    assert by_household.transferee_household == big and by_household.transferee_name == ""
    assert [r["role"] for r in selectors.household_contracts(big)] == ["transferee"]
    shares = make_contract(number="S-1", mode="shares", payment="dividend", rent_per_mu=None, dividend_terms="保底")
    assert shares.rent_per_mu is None
    assert list(selectors.enterprise_contracts(enterprise, province_user)) == [by_enterprise]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"transferors": "zero"}, "area_mu"),
        ({"transferors": "negative"}, "area_mu"),
        ({"transferors": "huge"}, "area_mu"),
        ({"term_years": 19}, "term_years"),  # 2009-03-01 + 19 years runs into 2028
        ({"term_years": 0}, "term_years"),
        ({"term_years": 400}, "term_years"),
        ({"transferors": "stranger"}, "household"),
        ({"transferors": "twice"}, "household"),
        ({"transferors": "nobody"}, "household"),
        ({"transferors": "none"}, "household"),
        ({"village_code": BAYAN}, "village"),  # a county, not a village
        ({"village_code": "239999999999"}, "village"),
        ({"payment": "rent", "rent_per_mu": None}, "rent_per_mu"),
        ({"payment": "rent", "rent_per_mu": "0"}, "rent_per_mu"),
        ({"payment": "dividend", "rent_per_mu": "100"}, "rent_per_mu"),
        ({"transferee_kind": "enterprise"}, "transferee_enterprise"),
        ({"transferee_kind": "enterprise", "transferee_enterprise": "91230129MA1B2C3D4X"}, "transferee_enterprise"),
        ({"transferee_kind": "large_household"}, "transferee_household"),
        ({"transferee_kind": "transferor"}, "transferee_household"),
        ({"transferee_kind": "other", "transferee_name": "  "}, "transferee_name"),
        ({"mode": "barter"}, "mode"),
        ({"start_date": "2009-02-30"}, "start_date"),
    ],
)
def test_refusals_name_the_record_and_the_field(make_contract, households, stranger, kw, field):
    a = households[0]
    lists = {
        "zero": [(a, "0")],
        "negative": [(a, "-3")],
        "huge": [(a, "1000000.01")],
        "stranger": [(a, "10"), (stranger, "10")],
        "twice": [(a, "10"), (a.code, "5")],
        "nobody": [("230129999999999999", "10")],
        "none": [],
    }
    if kw.get("transferors") in lists:
        kw = kw | {"transferors": lists[kw["transferors"]]}
    if kw.get("transferee_kind") == "transferor":
        kw = kw | {"transferee_kind": "large_household", "transferee_household": a.code}
    error = _refused(lambda: make_contract(**kw), field)
    assert error.record == "LZ-2009-001"


def test_the_term_limit_is_the_second_round_end_and_a_setting(make_contract):
    assert rules.second_round_end() == dt.date(2027, 12, 31)
    error = _refused(lambda: make_contract(term_years=19), "term_years")
    assert "2027-12-31" in str(error.message)
    # the longest term that ends by the limit: 2009-03-01 + 18 years - 1 day = 2027-02-28
    assert make_contract(term_years=18).end_date == dt.date(2027, 2, 28)
    with override_settings(FUPIN_LAND_SECOND_ROUND_END="2037-12-31"):
        assert make_contract(number="LZ-LATER", term_years=28).end_date == dt.date(2037, 2, 28)


def test_a_leap_day_start_ends_the_day_before_its_anniversary(make_contract):
    assert make_contract(start_date=dt.date(2008, 2, 29), term_years=1).end_date == dt.date(2009, 2, 27)


def test_the_large_scale_threshold_is_a_setting(make_contract, households, province_user):
    contract = make_contract()  # 72.5 mu
    make_contract(number="SMALL", transferors=[(households[0], "12")])
    rows = selectors.large_scale_areas(province_user, START)
    assert [(r["village"].code, r["contracts"], r["area"], r["households"]) for r in rows] == [
        (contract.village.code, 1, Decimal("72.50"), 2)
    ]
    assert selectors.large_scale_areas(province_user, START - dt.timedelta(days=1)) == []
    with override_settings(FUPIN_LAND_LARGE_SCALE_MU=100):
        assert not contract.large_scale
        assert selectors.large_scale_areas(province_user, START) == []
    assert contract.large_scale


def test_out_of_scope_and_read_only_users_are_refused(make_user, make_contract, households):
    bayan = make_user(Role.COUNTY, (BAYAN,))
    with pytest.raises(OutOfScope) as exc:
        make_contract(actor=bayan)
    assert exc.value.field == "village"
    auditor = make_user(Role.AUDITOR, ("230000000000",))
    with pytest.raises(NotPermitted):
        make_contract(actor=auditor)
    assert LandContract.objects.count() == 0
    contract = make_contract()
    with pytest.raises(OutOfScope):
        services.contract_terminate(actor=bayan, contract=contract, on=dt.date(2010, 1, 1))
    contract.refresh_from_db()
    assert contract.terminated_on is None
    assert not selectors.contracts(bayan).exists()
    assert selectors.contracts(auditor).count() == 1


def test_a_contract_is_terminated_within_its_term(make_contract, county_user):
    contract = make_contract()
    _refused(
        lambda: services.contract_terminate(actor=county_user, contract=contract, on=dt.date(2009, 1, 1)),
        "terminated_on",
    )
    ended = services.contract_terminate(actor=county_user, contract=contract, on=dt.date(2011, 6, 30), reason="协商")
    assert ended.terminated_on == dt.date(2011, 6, 30)
    assert AuditEvent.objects.filter(action="land.contract.terminate", object_id=str(contract.pk)).exists()
    assert not LandContract.objects.in_force(dt.date(2011, 6, 30)).exists()
    assert LandContract.objects.in_force(dt.date(2011, 6, 29)).count() == 1
    with pytest.raises(ApplicationError) as exc:
        services.contract_terminate(actor=county_user, contract=contract, on=dt.date(2012, 1, 1))
    assert exc.value.field == "terminated_on"


def test_a_second_contract_with_the_same_number_is_a_conflict(make_contract):
    make_contract()
    _refused(lambda: make_contract(), "number")
