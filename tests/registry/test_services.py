"""Registration and member services: bad input gets an error naming the field and
changes nothing; every change is audited."""

import datetime as dt

import pytest

from fupin.core.errors import Conflict, InvalidInput, OutOfScope
from fupin.core.models import AuditEvent
from fupin.registry import services
from fupin.registry.models import Household, Person
from tests.conftest import id_number


def member(name="张三", relation="HEAD", number=None, **kw):
    values = {"education": "PRIMARY", "labour": "ORDINARY", **kw}
    return services.MemberData(name=name, id_number=number or id_number(), relation=relation, **values)


def register(actor, village, members, **kw):
    return services.household_register(
        actor=actor, data=services.HouseholdData(village_code=village, members=members, **kw)
    )


def counts():
    return Household.objects.count(), Person.objects.count(), AuditEvent.objects.count()


def test_register_writes_household_members_and_one_audit_event(province_user, yanshou_village):
    before = counts()
    household = register(
        province_user,
        yanshou_village,
        [member(), member("李四", "SPOUSE")],
        main_cause="ILLNESS",
        secondary_causes=["NO_CAPITAL"],
        helpers=[services.HelperData(name="王干部", unit="延寿县扶贫办", phone="13900000000")],
    )
    assert counts() == (before[0] + 1, before[1] + 2, before[2] + 1)
    assert household.code == yanshou_village + "0001"
    assert household.village.code == yanshou_village
    assert household.members.get(relation="HEAD").name == "张三"
    event = AuditEvent.objects.latest("id")
    assert event.action == "household.register" and event.after["secondary_causes"] == ["NO_CAPITAL"]
    assert len(event.after["members"]) == 2


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"number": "230129197005170011"}, InvalidInput, "id_number"),  # wrong check digit
        ({"number": "23012919700517001"}, InvalidInput, "id_number"),
        ({"sex": "F", "number": "230129197005170037"}, InvalidInput, "sex"),
        ({"birth_date": dt.date(1970, 5, 18), "number": "230129197005170037"}, InvalidInput, "birth_date"),
        ({"name": " "}, InvalidInput, "name"),
        ({"education": "PHD"}, InvalidInput, "education"),
        ({"migrant_months": 13}, InvalidInput, "migrant_months"),
    ],
)
def test_bad_member_is_refused_and_nothing_changes(province_user, yanshou_village, change, error, field):
    before = counts()
    with pytest.raises(error) as err:
        register(province_user, yanshou_village, [member(**change)])
    assert err.value.field == f"members[1].{field}"
    assert counts() == before


def test_unknown_village_code_is_refused(province_user):
    before = counts()
    with pytest.raises(InvalidInput) as err:
        register(province_user, "230129999999", [member()])
    assert err.value.field == "village"
    assert "230129999999" in str(err.value)
    assert counts() == before


def test_a_township_is_not_a_village(province_user):
    with pytest.raises(InvalidInput) as err:
        register(province_user, "230129100000", [member()])
    assert err.value.field == "village"


def test_exactly_one_head(province_user, yanshou_village):
    with pytest.raises(InvalidInput):
        register(province_user, yanshou_village, [member(relation="SPOUSE")])
    with pytest.raises(InvalidInput):
        register(province_user, yanshou_village, [member(), member()])


def test_an_id_number_exists_once(province_user, yanshou_village):
    number = id_number()
    register(province_user, yanshou_village, [member(number=number)])
    before = counts()
    with pytest.raises(Conflict) as err:
        register(province_user, yanshou_village, [member(number=number)])
    assert err.value.field == "members[1].id_number"
    assert number not in str(err.value)  # the message masks it
    assert counts() == before
    with pytest.raises(Conflict):
        register(province_user, yanshou_village, [member(number=id_number()), member("乙", "CHILD", number=number)])


def test_registering_outside_ones_county_is_refused(county_user, bayan_village):
    before = counts()
    with pytest.raises(OutOfScope):
        register(county_user, bayan_village, [member()])
    assert counts() == before


def test_a_person_belongs_to_one_household_and_moves(province_user, yanshou_village):
    a = register(province_user, yanshou_village, [member(), member("子", "CHILD")])
    b = register(province_user, yanshou_village, [member("户主乙")])
    child = a.members.get(relation="CHILD")
    services.member_move(actor=province_user, person=child, to_household=b, relation="SPOUSE")
    child.refresh_from_db()
    assert child.household == b and child.relation == "SPOUSE"
    assert AuditEvent.objects.filter(action="member.move", root_id=str(a.pk)).exists()
    assert AuditEvent.objects.filter(action="member.move", root_id=str(b.pk)).exists()
    with pytest.raises(Conflict):
        services.member_move(
            actor=province_user, person=a.members.get(relation="HEAD"), to_household=b, relation="HEAD"
        )


def test_member_update_and_remove_are_audited(province_user, yanshou_village):
    household = register(province_user, yanshou_village, [member(), member("子", "CHILD")])
    child = household.members.get(relation="CHILD")
    services.member_update(actor=province_user, person=child, changes={"education": "JUNIOR"})
    event = AuditEvent.objects.filter(action="member.update").latest("id")
    assert event.changes() == [("education", "PRIMARY", "JUNIOR")]
    with pytest.raises(InvalidInput):
        services.member_remove(actor=province_user, person=child, reason="")
    services.member_remove(actor=province_user, person=child, reason="外嫁")
    assert not Person.objects.filter(pk=child.pk).exists()
    removed = AuditEvent.objects.filter(action="member.remove").latest("id")
    assert removed.before["name"] == "子" and removed.note == "外嫁"


def test_household_update_moves_within_scope_only(county_user, yanshou_village, bayan_village):
    household = register(county_user, yanshou_village, [member()])
    with pytest.raises(OutOfScope):
        services.household_update(actor=county_user, household=household, changes={"village_code": bayan_village})
    household.refresh_from_db()
    assert household.village.code == yanshou_village
    services.household_update(
        actor=county_user, household=household, changes={"address": "新地址", "main_cause": "NO_SKILLS"}
    )
    event = AuditEvent.objects.filter(action="household.update").latest("id")
    assert ("address", "", "新地址") in event.changes()


def test_main_cause_cannot_be_a_secondary_cause(province_user, yanshou_village):
    with pytest.raises(InvalidInput) as err:
        register(province_user, yanshou_village, [member()], main_cause="ILLNESS", secondary_causes=["ILLNESS"])
    assert err.value.field == "secondary_causes"


def test_delete_only_a_never_identified_household(province_user, yanshou_village, make_household):
    household = register(province_user, yanshou_village, [member()])
    services.household_delete(actor=province_user, household=household, reason="重复登记")
    assert not Household.objects.filter(pk=household.pk).exists()
    assert AuditEvent.objects.filter(action="household.delete").latest("id").before["code"] == household.code
