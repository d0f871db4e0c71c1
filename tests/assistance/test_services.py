"""The services of social and pairing assistance: what they write, audit and refuse
(naming the record and the field, changing nothing), and who may call them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fupin.assistance import rules, services
from fupin.assistance.models import AssistingUnit, Contribution, Pairing, StudentAid
from fupin.core.choices import Role
from fupin.core.errors import InvalidInput, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.funds.models import Account, Entry
from tests.conftest import BAYAN, QIQIHAR_TAILAI, YANSHOU, id_number


def _village(county: str) -> str:
    from tests.conftest import _first_village

    return _first_village(county)


def test_a_unit_is_registered_and_audited(provincial_unit):
    assert provincial_unit.area.code == "230000000000"
    assert AuditEvent.objects.filter(action="assistance.unit.create", object_id=str(provincial_unit.pk)).exists()


@pytest.mark.parametrize(("level", "area"), [("city", YANSHOU), ("county", "230100000000"), ("provincial", YANSHOU)])
def test_a_unit_whose_area_does_not_fit_its_level_is_refused(province_user, level, area):
    with pytest.raises(InvalidInput) as exc:
        services.unit_create(actor=province_user, code="U1", name="x", level=level, area_code=area)
    assert exc.value.field == "area" and exc.value.record == "U1"
    assert str(exc.value.message) == rules.UNIT_AREA_LEVEL.text(code="U1")
    assert not AssistingUnit.objects.exists()


def test_pairings_within_reach(provincial_unit, city_unit, county_unit, yanshou_village, province_user):
    # a provincial organ anywhere in the province, a city organ in its city, a county organ in its county
    for unit, code in ((provincial_unit, QIQIHAR_TAILAI), (city_unit, BAYAN), (county_unit, yanshou_village)):
        services.pairing_create(actor=province_user, unit=unit, area_code=code, start_year=2009)
    assert Pairing.objects.count() == 3


@pytest.mark.parametrize(("unit_name", "area"), [("city_unit", QIQIHAR_TAILAI), ("county_unit", BAYAN)])
def test_a_pairing_outside_the_units_reach_is_refused(request, province_user, unit_name, area):
    unit = request.getfixturevalue(unit_name)
    with pytest.raises(InvalidInput) as exc:
        services.pairing_create(actor=province_user, unit=unit, area_code=area, start_year=2009, end_year=2010)
    assert exc.value.field == "area" and exc.value.record == unit.code
    assert str(exc.value.message) == rules.REACH.text(area=area, unit=unit.code)
    assert not Pairing.objects.exists()


def test_a_pairing_with_a_city_or_backwards_years_is_refused(provincial_unit, province_user):
    with pytest.raises(InvalidInput) as exc:
        services.pairing_create(actor=province_user, unit=provincial_unit, area_code="230100000000", start_year=2009)
    assert exc.value.field == "area"
    with pytest.raises(InvalidInput) as exc:
        services.pairing_create(
            actor=province_user, unit=provincial_unit, area_code=YANSHOU, start_year=2010, end_year=2009
        )
    assert exc.value.field == "end_year"
    assert not Pairing.objects.exists()


def test_a_county_office_pairs_only_in_its_county(county_user, provincial_unit, make_user):
    services.pairing_create(actor=county_user, unit=provincial_unit, area_code=YANSHOU, start_year=2009)
    with pytest.raises(OutOfScope):
        services.pairing_create(actor=county_user, unit=provincial_unit, area_code=BAYAN, start_year=2009)
    township = make_user(Role.TOWNSHIP, (YANSHOU,))
    with pytest.raises(NotPermitted):
        services.pairing_create(actor=township, unit=provincial_unit, area_code=YANSHOU, start_year=2010)
    assert Pairing.objects.count() == 1


def test_a_contribution_enters_the_ledger_as_a_social_source(county_user, provincial_unit, yanshou_village):
    c = services.contribution_create(
        actor=county_user,
        unit=provincial_unit,
        number="JZ-1",
        kind="grant",
        value="120000.50",
        date="2009-05-01",
        area_code=yanshou_village,
    )
    entry = Entry.objects.get(pk=c.entry_id)
    assert (entry.kind, entry.source, entry.year, entry.amount) == ("appropriation", "social_grant", 2009, c.value)
    assert entry.area.code == YANSHOU  # received at the recipient's county
    account = Account.objects.get(area__code=YANSHOU, source="social_grant", year=2009)
    assert account.received == Decimal("120000.50")
    i = services.contribution_create(
        actor=county_user,
        unit=provincial_unit,
        number="YJ-1",
        kind="investment",
        value="5000",
        date="2009-06-01",
        area_code=YANSHOU,
        form="kind",
    )
    assert Entry.objects.get(pk=i.entry_id).source == "social_investment"


@pytest.mark.parametrize("value", ["-100", "0", "-0.01"])
def test_a_negative_or_zero_contribution_is_refused(county_user, provincial_unit, value):
    with pytest.raises(InvalidInput) as exc:
        services.contribution_create(
            actor=county_user,
            unit=provincial_unit,
            number="JZ-9",
            kind="grant",
            value=value,
            date="2009-05-01",
            area_code=YANSHOU,
        )
    assert exc.value.field == "value" and exc.value.record == "JZ-9"
    assert str(exc.value.message) == rules.CONTRIBUTION_VALUE_POSITIVE.text()
    assert not Contribution.objects.exists() and not Entry.objects.exists()


def test_a_contribution_outside_reach_or_scope_changes_nothing(county_user, county_unit, province_user, make_user):
    with pytest.raises(InvalidInput) as exc:
        services.contribution_create(
            actor=province_user,
            unit=county_unit,
            number="JZ-2",
            kind="grant",
            value="10",
            date="2009-05-01",
            area_code=BAYAN,
        )
    assert exc.value.field == "area"
    other = make_user(Role.COUNTY, (BAYAN,))
    with pytest.raises(OutOfScope):
        services.contribution_create(
            actor=other,
            unit=county_unit,
            number="JZ-3",
            kind="grant",
            value="10",
            date="2009-05-01",
            area_code=YANSHOU,
        )
    assert not Contribution.objects.exists() and not Entry.objects.exists() and not Account.objects.exists()


def test_a_contribution_to_a_project(county_user, county_unit, project):
    c = services.contribution_create(
        actor=county_user,
        unit=county_unit,
        number="JZ-4",
        kind="investment",
        value="30000",
        date="2009-07-01",
        project_code=project.code,
    )
    assert c.project == project and c.area == project.area
    with pytest.raises(InvalidInput) as exc:
        services.contribution_create(
            actor=county_user,
            unit=county_unit,
            number="JZ-5",
            kind="grant",
            value="1",
            date="2009-07-01",
        )
    assert exc.value.field == "area"


def test_an_aided_student_is_a_registry_person(county_user, county_unit, household):
    person = household.members.first()
    aid = services.student_aid(
        actor=county_user, unit=county_unit, year=2009, school="延寿一中", amount="800", id_number=person.id_number
    )
    assert aid.person == person
    stranger = id_number("230129")
    with pytest.raises(InvalidInput) as exc:
        services.student_aid(
            actor=county_user, unit=county_unit, year=2009, school="x", amount="800", id_number=stranger
        )
    assert exc.value.field == "id_number" and exc.value.record == county_unit.code
    assert str(exc.value.message) == rules.STUDENT_IN_REGISTRY.text(id_number=stranger)
    with pytest.raises(InvalidInput) as exc:
        services.student_aid(actor=county_user, unit=county_unit, year=2010, school="x", amount="-5", person=person)
    assert exc.value.field == "amount"
    assert StudentAid.objects.count() == 1


def test_a_student_of_another_county_is_out_of_scope(make_user, county_unit, household):
    other = make_user(Role.COUNTY, (BAYAN,))
    with pytest.raises(OutOfScope):
        services.student_aid(
            actor=other, unit=county_unit, year=2009, school="x", amount="1", person=household.members.first()
        )
    assert not StudentAid.objects.exists()


def test_cadres_visits_projects_and_classes(county_user, county_unit, yanshou_village, project):
    cadre = services.cadre_create(
        actor=county_user,
        unit=county_unit,
        name="王明",
        kind="first_secretary",
        place_code=yanshou_village,
        start_date="2009-03-01",
        post="第一书记",
    )
    assert cadre.end_date is None
    with pytest.raises(InvalidInput) as exc:
        services.cadre_create(
            actor=county_user,
            unit=county_unit,
            name="李",
            kind="team_member",
            place_code=yanshou_village,
            start_date="2009-03-01",
            end_date="2009-01-01",
        )
    assert exc.value.field == "end_date"
    with pytest.raises(InvalidInput) as exc:
        services.visit_create(
            actor=county_user, unit=county_unit, area_code=yanshou_village, date="2009-05-01", people=0
        )
    assert exc.value.field == "people"
    services.visit_create(actor=county_user, unit=county_unit, area_code=yanshou_village, date="2009-05-01", people=4)
    link = services.project_support(actor=county_user, unit=county_unit, project=project, year=2009)
    assert link.project == project
