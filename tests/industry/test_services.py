"""The services of leading enterprises: what they write, audit and refuse (naming the
record and the field, changing nothing), and who may call them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, Conflict, InvalidInput, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.industry import rules, services
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from tests.conftest import BAYAN, YANSHOU
from tests.industry.conftest import code, wrong_code


def test_the_check_character_of_a_published_code():
    # the example code often cited for GB 32100: its 18th character is its check character
    assert rules.uscc_check_character("91350100M000100Y4") == "3"
    assert services.check_code("91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(InvalidInput):
        services.check_code("91350100M000100Y44")


def test_register_an_enterprise(enterprise):
    assert enterprise.county.code == YANSHOU
    event = AuditEvent.objects.get(action="industry.enterprise.create")
    assert event.object_id == str(enterprise.pk) and event.area_code == YANSHOU


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (wrong_code(), rules.USCC_CHECK),
        ("91230129MA000000", rules.USCC_FORMAT),
        ("91230129MA000000I1", rules.USCC_FORMAT),
    ],
)
def test_a_wrong_code_is_refused(province_user, value, rule):
    with pytest.raises(InvalidInput) as exc:
        services.enterprise_create(
            actor=province_user,
            code=value,
            name="x",
            county_code=YANSHOU,
            level="county",
            sector="other",
            identified_year=2009,
        )
    assert exc.value.field == "code" and exc.value.record == value.upper()
    assert str(exc.value.message) == rule.text(code=value.upper())
    assert not Enterprise.objects.exists()


def test_county_officer_of_another_county_is_refused(make_user, enterprise, province_user):
    other = make_user(Role.COUNTY, (BAYAN,))
    with pytest.raises(OutOfScope):
        services.enterprise_create(
            actor=other,
            code=code("91230129MA0000002"),
            name="x",
            county_code=YANSHOU,
            level="county",
            sector="other",
            identified_year=2009,
        )
    with pytest.raises(OutOfScope):
        services.enterprise_update(actor=other, enterprise=enterprise, name="改名")
    enterprise.refresh_from_db()
    assert enterprise.name == "延寿县大豆龙头企业"
    village = make_user(Role.VILLAGE, (YANSHOU,))
    with pytest.raises(NotPermitted):
        services.enterprise_update(actor=village, enterprise=enterprise, name="改名")


def test_a_second_enterprise_with_the_code_conflicts(province_user, enterprise):
    with pytest.raises(Conflict) as exc:
        services.enterprise_create(
            actor=province_user,
            code=enterprise.code,
            name="x",
            county_code=YANSHOU,
            level="county",
            sector="other",
            identified_year=2009,
        )
    assert exc.value.field == "code"


def test_employment(province_user, enterprise, household):
    person = household.members.first()
    job = services.employment_create(
        actor=province_user, enterprise=enterprise, person=person, start_date="2009-03-01", monthly_wage="1500"
    )
    assert job.end_date is None and job.monthly_wage == Decimal("1500")
    with pytest.raises(InvalidInput) as exc:
        services.employment_end(actor=province_user, employment=job, end_date="2009-02-01")
    assert exc.value.field == "end_date" and exc.value.record == enterprise.code
    services.employment_end(actor=province_user, employment=job, end_date="2009-12-01")
    job.refresh_from_db()
    assert str(job.end_date) == "2009-12-01"
    with pytest.raises(InvalidInput) as exc:
        services.employment_create(
            actor=province_user,
            enterprise=enterprise,
            id_number="230129197001010000",
            start_date="2009-03-01",
            monthly_wage="1500",
        )
    assert exc.value.field == "id_number"
    with pytest.raises(InvalidInput) as exc:
        services.employment_create(
            actor=province_user, enterprise=enterprise, person=person, start_date="2009-05-01", monthly_wage="-1"
        )
    assert exc.value.field == "monthly_wage"
    assert Employment.objects.count() == 1


def test_base_and_links(province_user, base, household, make_household, bayan_village):
    assert [v.code for v in base.villages.all()] == [household.village.code]
    link = services.base_link(actor=province_user, base=base, household=household, joined_on="2009-04-01")
    assert link.household == household
    assert AuditEvent.objects.filter(action="industry.base.link", root_id=str(household.pk)).exists()
    with pytest.raises(Conflict):
        services.base_link(actor=province_user, base=base, household=household, joined_on="2009-04-01")
    # a household of 巴彦县, outside the county of the base's village: refused, nothing written
    far = make_household(bayan_village)
    with pytest.raises(InvalidInput) as exc:
        services.base_link(actor=province_user, base=base, household_code=far.code, joined_on="2009-04-01")
    assert exc.value.field == "household" and exc.value.record == base.code
    assert far.code in str(exc.value.message)
    assert BaseLink.objects.count() == 1
    # a base also set up in a village of 巴彦县 links households of both counties
    both = services.base_create(
        actor=province_user,
        enterprise=base.enterprise,
        code="JD-YS-2",
        name="两县基地",
        product="玉米",
        area_mu="300.5",
        established_year=2009,
        village_codes=f"{household.village.code};{bayan_village}",
    )
    services.base_link(actor=province_user, base=both, household=far, joined_on="2009-05-01")
    services.base_unlink(actor=province_user, link=link)
    assert BaseLink.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area_mu": "0"}, "area_mu"),
        ({"area_mu": "-5"}, "area_mu"),
        ({"village_codes": []}, "villages"),
        ({"village_codes": [YANSHOU]}, "villages"),
        ({"village_codes": ["239999999999"]}, "villages"),
    ],
)
def test_base_refusals(province_user, enterprise, yanshou_village, changes, field):
    data = {
        "code": "JD-X",
        "name": "基地",
        "product": "大豆",
        "area_mu": "10",
        "established_year": 2009,
        "village_codes": [yanshou_village],
        **changes,
    }
    with pytest.raises(ApplicationError) as exc:
        services.base_create(actor=province_user, enterprise=enterprise, **data)
    assert exc.value.field == field and exc.value.record == "JD-X"
    assert not ProductionBase.objects.exists()


def test_contract_and_compliance(province_user, enterprise, household):
    contract = services.contract_create(
        actor=province_user,
        enterprise=enterprise,
        number="DD-1",
        household=household,
        year=2009,
        product="大豆",
        quantity="1000",
        agreed_price="3.60",
        inputs_on_credit="600",
    )
    assert contract.due == Decimal("0.00") and not contract.complied
    contract = services.contract_fulfil(actor=province_user, contract=contract, delivered="1000", paid="2999.99")
    assert contract.due == Decimal("3000.00") and not contract.complied
    contract = services.contract_fulfil(actor=province_user, contract=contract, delivered="1000", paid="3000")
    assert contract.complied
    assert rules.compliance_rate([(1000, 1000, 3000, 3000), (10, 5, 0, 0)]) == 0.5
    with pytest.raises(InvalidInput) as exc:
        services.contract_fulfil(actor=province_user, contract=contract, delivered="1000.01", paid="3000")
    assert exc.value.field == "delivered" and exc.value.record == "DD-1"
    contract.refresh_from_db()
    assert contract.delivered == Decimal("1000")
    with pytest.raises(InvalidInput) as exc:
        services.contract_create(
            actor=province_user,
            enterprise=enterprise,
            number="DD-2",
            household=household,
            year=2009,
            product="大豆",
            quantity="0",
            agreed_price="1",
        )
    assert exc.value.field == "quantity"
    with pytest.raises(InvalidInput) as exc:
        services.contract_create(
            actor=province_user,
            enterprise=enterprise,
            number="DD-2",
            household=household,
            year=2009,
            product="大豆",
            quantity="10",
            agreed_price="-1",
        )
    assert exc.value.field == "agreed_price"
    assert OrderContract.objects.count() == 1
