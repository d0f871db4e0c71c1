from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.core.errors import InvalidInput
from fupin.core.models import AuditEvent
from fupin.registry import services
from fupin.registry.models import IncomeRecord
from fupin.registry.rules import per_capita

money = st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2, allow_nan=False, allow_infinity=False)
FIELDS = IncomeRecord.AMOUNT_FIELDS


@given(st.lists(money, min_size=len(FIELDS), max_size=len(FIELDS)), st.integers(min_value=1, max_value=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_net_and_per_capita_income(make_household, province_user, yanshou_village, amounts, size):
    household = make_household(yanshou_village, per_capita=None, size=1)
    values = dict(zip(FIELDS, amounts, strict=True))
    services.income_record_save(
        actor=province_user, household=household, year=2009, amounts=values, household_size=size
    )
    record = IncomeRecord.objects.get(household=household, year=2009)
    expected_net = (
        sum((v for k, v in values.items() if k != "production_costs"), Decimal(0)) - values["production_costs"]
    )
    transfer = sum((values[k] for k in IncomeRecord.TRANSFER_ITEMS), Decimal(0))
    assert Decimal(record.net_income) == expected_net
    assert Decimal(record.transfer) == transfer
    assert record.per_capita_net_income == (expected_net / size).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_per_capita_rounds_half_up():
    assert per_capita(Decimal("0.05"), 2) == Decimal("0.03")
    assert per_capita(Decimal("-0.05"), 2) == Decimal("-0.03")
    assert per_capita(Decimal("1000"), 3) == Decimal("333.33")
    with pytest.raises(ValueError):
        per_capita(Decimal("1"), 0)


@pytest.mark.parametrize(
    ("amounts", "field"),
    [
        ({"wage": "-1"}, "wage"),
        ({"business": "abc"}, "business"),
        ({"wage": "1.001"}, "wage"),
        ({"bonus": "5"}, "bonus"),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(make_household, province_user, yanshou_village, amounts, field):
    household = make_household(yanshou_village, per_capita=None)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.income_record_save(actor=province_user, household=household, year=2009, amounts=amounts)
    assert err.value.field == field
    assert not IncomeRecord.objects.filter(household=household).exists()
    assert AuditEvent.objects.count() == before


def test_saving_a_year_again_corrects_it_and_audits_before_and_after(make_household, province_user, yanshou_village):
    household = make_household(yanshou_village, per_capita="800", size=2)
    services.income_record_save(actor=province_user, household=household, year=2009, amounts={"wage": "3000"})
    assert IncomeRecord.objects.filter(household=household).count() == 1
    record = IncomeRecord.objects.get(household=household)
    assert record.per_capita_net_income == Decimal("1500.00")
    event = AuditEvent.objects.filter(action="income.save").latest("id")
    assert event.before["wage"] == "1600.00"
    assert event.after["wage"] == "3000.00"
    assert event.root_id == str(household.pk)
