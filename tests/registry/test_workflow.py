"""Every legal and illegal transition of the status lifecycle, through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from fupin.core.choices import Role
from fupin.core.errors import InvalidInput, InvalidTransition, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.registry import services
from fupin.registry.choices import Action, Procedure, Stage, Status
from fupin.registry.models import Household, StatusEvent
from fupin.registry.workflow import STEPS, available_actions
from tests.conftest import walk

START = dt.date(2010, 3, 1)
CHAIN = ["apply", "appraise", "first_notice", "review", "second_notice", "approve"]
STAGE_AFTER = {
    "apply": Stage.APPLIED,
    "appraise": Stage.APPRAISED,
    "first_notice": Stage.NOTICE_1,
    "review": Stage.REVIEWED,
    "second_notice": Stage.NOTICE_2,
}


def state(household):
    household.refresh_from_db()
    return (household.status, household.returned, household.procedure, household.stage, household.stage_date)


def at_stage(make_household, actor, village, procedure, until):
    """A household with the given procedure open and ``until`` as its last step."""
    household = make_household(village, per_capita="800")
    last = START
    if procedure in (Procedure.EXIT, Procedure.RETURN):
        last = walk(household, actor, Procedure.IDENTIFICATION, START)
        services.income_record_save(actor=actor, household=household, year=2011, amounts={"wage": "9000"})
        last = walk(household, actor, Procedure.EXIT, dt.date(2011, 6, 1))
    if procedure == Procedure.RETURN:
        services.income_record_save(actor=actor, household=household, year=2012, amounts={"wage": "300"})
        last = dt.date(2012, 6, 1)
    if until:
        start = (
            last
            if procedure == Procedure.IDENTIFICATION
            else (dt.date(2011, 6, 1) if procedure == Procedure.EXIT else dt.date(2012, 6, 1))
        )
        if procedure == Procedure.EXIT:
            household2 = make_household(village, per_capita="800")
            walk(household2, actor, Procedure.IDENTIFICATION, START)
            services.income_record_save(actor=actor, household=household2, year=2011, amounts={"wage": "9000"})
            household = household2
        walk(household, actor, procedure, start, until=until)
    household.refresh_from_db()
    return household


@pytest.mark.parametrize("procedure", [Procedure.IDENTIFICATION, Procedure.EXIT, Procedure.RETURN])
def test_full_chains(make_household, province_user, yanshou_village, procedure):
    household = at_stage(make_household, province_user, yanshou_village, procedure, "approve")
    expected = {
        Procedure.IDENTIFICATION: Status.POOR,
        Procedure.EXIT: Status.EXITED,
        Procedure.RETURN: Status.POOR,
    }
    assert household.status == expected[procedure]
    assert household.procedure == "" and household.stage == ""
    assert household.returned is (procedure == Procedure.RETURN)
    events = list(StatusEvent.objects.filter(household=household, procedure=procedure).order_by("id"))
    assert [e.action for e in events] == CHAIN
    assert events[-1].status_after == expected[procedure]


@pytest.mark.parametrize("procedure", [Procedure.IDENTIFICATION, Procedure.EXIT, Procedure.RETURN])
@pytest.mark.parametrize("done", CHAIN[:-1])
@pytest.mark.parametrize("action", list(Action))
def test_every_action_at_every_stage(make_household, province_user, yanshou_village, procedure, done, action):
    """From each open stage, the legal actions move the case; the others are refused and
    change nothing."""
    household = at_stage(make_household, province_user, yanshou_village, procedure, done)
    assert household.stage == STAGE_AFTER[done]
    legal = action in available_actions(household.status, household.procedure, household.stage)
    assert legal == (household.stage in STEPS[action].moves and action != Action.APPLY)
    before = state(household)
    events = StatusEvent.objects.count()
    on = household.stage_date + dt.timedelta(days=10)
    if legal:
        services.household_step(actor=province_user, household=household, action=action, on=on)
        after = state(household)
        assert after != before
        assert StatusEvent.objects.count() == events + 1
        assert household.stage == STEPS[action].moves[before[3]]
    else:
        with pytest.raises(InvalidTransition):
            services.household_step(actor=province_user, household=household, action=action, on=on, procedure=procedure)
        assert state(household) == before
        assert StatusEvent.objects.count() == events


def test_objection_during_first_notice_goes_back_to_village_appraisal(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "first_notice")
    services.household_object(actor=province_user, household=household, on=household.stage_date, note="邻居异议")
    assert state(household)[2:4] == (Procedure.IDENTIFICATION, Stage.APPLIED)


def test_objection_during_second_notice_goes_back_to_township_review(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "second_notice")
    services.household_object(actor=province_user, household=household, on=household.stage_date)
    assert state(household)[3] == Stage.NOTICE_1
    services.household_review(actor=province_user, household=household, on=household.stage_date)
    assert state(household)[3] == Stage.REVIEWED


def test_reject_closes_the_case_and_keeps_the_status(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "second_notice")
    services.household_reject(actor=province_user, household=household, on=household.stage_date)
    assert state(household)[:4] == (Status.NON_POOR, False, "", "")


def test_review_before_the_notice_period_ends_is_refused(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "first_notice")
    before = state(household)
    with pytest.raises(InvalidTransition, match="7") as err:
        services.household_review(
            actor=province_user, household=household, on=household.stage_date + dt.timedelta(days=6)
        )
    assert err.value.field == "date"
    assert state(household) == before
    services.household_review(actor=province_user, household=household, on=household.stage_date + dt.timedelta(days=7))


def test_dates_cannot_go_backwards_or_into_the_future(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "apply")
    with pytest.raises(InvalidInput):
        services.household_appraise(
            actor=province_user, household=household, on=household.stage_date - dt.timedelta(days=1)
        )
    with pytest.raises(InvalidInput):
        services.household_appraise(
            actor=province_user, household=household, on=timezone.localdate() + dt.timedelta(days=2)
        )


def test_identification_needs_income_below_the_line(make_household, province_user, yanshou_village):
    household = make_household(yanshou_village, per_capita="1500", year=2009)
    with pytest.raises(InvalidTransition) as err:
        services.household_apply(
            actor=province_user,
            household=household,
            procedure=Procedure.IDENTIFICATION,
            on=dt.date(2010, 3, 1),
        )
    assert err.value.field == "per_capita_net_income"
    assert Household.objects.get(pk=household.pk).procedure == ""


def test_identification_needs_a_recent_income_record(make_household, province_user, yanshou_village):
    household = make_household(yanshou_village, per_capita="800", year=2009)
    with pytest.raises(InvalidTransition) as err:
        services.household_apply(
            actor=province_user,
            household=household,
            procedure=Procedure.IDENTIFICATION,
            on=dt.date(2012, 3, 1),
        )
    assert err.value.field == "income"


def test_exit_needs_income_at_or_above_the_line(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "approve")
    with pytest.raises(InvalidTransition) as err:
        services.household_apply(
            actor=province_user, household=household, procedure=Procedure.EXIT, on=dt.date(2010, 12, 1)
        )
    assert err.value.field == "per_capita_net_income"
    services.income_record_save(
        actor=province_user, household=household, year=2010, amounts={"wage": str(1274 * 3)}
    )  # exactly the 2010 line: y >= z exits
    services.household_apply(
        actor=province_user, household=household, procedure=Procedure.EXIT, on=dt.date(2010, 12, 1)
    )
    assert state(household)[2] == Procedure.EXIT


def test_a_poor_household_cannot_apply_for_identification(make_household, province_user, yanshou_village):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, "approve")
    with pytest.raises(InvalidTransition) as err:
        services.household_apply(
            actor=province_user,
            household=household,
            procedure=Procedure.IDENTIFICATION,
            on=dt.date(2010, 12, 1),
        )
    assert err.value.field == "status"


@pytest.mark.parametrize(
    ("role", "done", "action", "allowed"),
    [
        (Role.VILLAGE, "apply", "appraise", True),
        (Role.VILLAGE, "first_notice", "review", False),
        (Role.TOWNSHIP, "first_notice", "review", True),
        (Role.TOWNSHIP, "second_notice", "approve", False),
        (Role.COUNTY, "second_notice", "approve", True),
        (Role.AUDITOR, "apply", "appraise", False),
    ],
)
def test_each_step_needs_its_office(
    make_household, make_user, province_user, yanshou_village, role, done, action, allowed
):
    household = at_stage(make_household, province_user, yanshou_village, Procedure.IDENTIFICATION, done)
    user = make_user(role, (yanshou_village,))
    on = household.stage_date + dt.timedelta(days=8)
    if allowed:
        services.household_step(actor=user, household=household, action=action, on=on)
    else:
        before = state(household)
        with pytest.raises(NotPermitted):
            services.household_step(actor=user, household=household, action=action, on=on)
        assert state(household) == before


def test_a_county_cannot_move_another_countys_household(make_household, county_user, province_user, bayan_village):
    household = at_stage(make_household, province_user, bayan_village, Procedure.IDENTIFICATION, "second_notice")
    before = state(household)
    audits = AuditEvent.objects.count()
    with pytest.raises(OutOfScope):
        services.household_approve(
            actor=county_user, household=household, on=household.stage_date + dt.timedelta(days=8)
        )
    assert state(household) == before
    assert AuditEvent.objects.count() == audits


def test_each_step_is_audited_with_before_and_after(make_household, county_user, yanshou_village):
    household = make_household(yanshou_village, per_capita="800", actor=county_user)
    services.household_apply(
        actor=county_user, household=household, procedure=Procedure.IDENTIFICATION, on=START, note="申请"
    )
    event = AuditEvent.objects.filter(action="household.apply").latest("id")
    assert event.actor == county_user
    assert event.before["procedure"] == "" and event.after["procedure"] == "identification"
    assert event.after["stage"] == "applied"
    assert event.channel == "cli"
    assert event.area_code == yanshou_village
