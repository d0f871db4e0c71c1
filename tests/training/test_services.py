"""The services of Rain Plan training: what they write and audit, and what they refuse,
naming the record and the field and changing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.funds import services as funds
from fupin.funds.models import Entry
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from fupin.training import selectors, services
from fupin.training.models import Enrolment, Target, TrainingClass, Transfer
from tests.conftest import BAYAN, YANSHOU
from tests.training.conftest import CLASS_END

PROVINCE = "230000000000"


def _state():
    """Everything a refused call must leave as it was."""
    return (
        TrainingClass.objects.count(),
        list(Enrolment.objects.values_list("id", "status", "completed_on", "hours_attended", "certificate_number")),
        Transfer.objects.count(),
        Target.objects.count(),
        AuditEvent.objects.count(),
        Entry.objects.count(),
    )


def _transfer(actor, klass, person, **kw):
    values = {
        "employer": "哈尔滨电机厂",
        "place": "哈尔滨市",
        "destination": "province",
        "sector": "manufacturing",
        "start_date": CLASS_END + dt.timedelta(days=10),
        "monthly_wage": "1500",
    }
    values.update(kw)
    return services.transfer_record(actor=actor, klass=klass, person=person, **values)


def test_enrol_complete_and_transfer_are_written_and_audited(province_user, klass, trainee):
    enrolment = services.enrolment_create(actor=province_user, klass=klass, id_number=trainee.id_number)
    assert enrolment.person == trainee and enrolment.status == "enrolled"
    services.enrolment_attendance(actor=province_user, klass=klass, person=trainee, hours=100)
    done = services.enrolment_complete(
        actor=province_user, klass=klass, person=trainee, certificate_number="HLJ-2009-0001", hours_attended=110
    )
    assert done.status == "completed" and done.completed_on == CLASS_END and done.hours_attended == 110
    first = _transfer(province_user, klass, trainee)
    second = _transfer(province_user, klass, trainee, employer="大庆油田", start_date=dt.date(2009, 9, 1))
    assert first.enrolment == second.enrolment == done
    actions = list(
        AuditEvent.objects.filter(root_type="registry.household", root_id=str(trainee.household_id))
        .filter(action__startswith="training.")
        .values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            "training.enrolment.create",
            "training.enrolment.attendance",
            "training.enrolment.complete",
            "training.transfer.record",
            "training.transfer.record",
        ]
    )
    rows = selectors.household_training(trainee.household)
    assert [len(r["transfers"]) for r in rows] == [2]


def _refused(exc_type, field, record, call):
    before = _state()
    with pytest.raises(exc_type) as info:
        call()
    assert info.value.field == field
    assert info.value.record == record
    assert _state() == before
    return info.value


def test_a_trainee_not_in_the_registry_is_refused(province_user, klass):
    with translation.override("en"):
        err = _refused(
            InvalidInput,
            "id_number",
            klass.code,
            lambda: services.enrolment_create(actor=province_user, klass=klass, id_number="230129197001010000"),
        )
    assert "registry" in str(err.message)


def test_a_completion_for_a_person_not_enrolled_is_refused(province_user, klass, trainee):
    _refused(
        InvalidInput,
        "id_number",
        klass.code,
        lambda: services.enrolment_complete(actor=province_user, klass=klass, person=trainee),
    )


def test_a_transfer_dated_before_the_class_ended_is_refused(province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    _refused(
        InvalidInput,
        "start_date",
        klass.code,
        lambda: _transfer(province_user, klass, trainee, start_date=CLASS_END - dt.timedelta(days=1)),
    )


def test_a_negative_wage_is_refused(province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    _refused(
        InvalidInput, "monthly_wage", klass.code, lambda: _transfer(province_user, klass, trainee, monthly_wage="-1")
    )


def test_a_class_outside_the_users_areas_is_refused(make_user, base, klass, trainee):
    bayan = make_user(Role.COUNTY, (BAYAN,))
    _refused(
        OutOfScope,
        "area",
        "C-X",
        lambda: services.class_create(
            actor=bayan,
            code="C-X",
            type="labour_transfer",
            subject="厨师",
            start_date="2009-06-01",
            end_date="2009-06-30",
            hours=60,
            organiser="延寿县扶贫办",
            area_code=YANSHOU,
        ),
    )
    # nor may they enrol anyone in a class outside their areas
    _refused(
        OutOfScope, "area", klass.code, lambda: services.enrolment_create(actor=bayan, klass=klass, person=trainee)
    )


def test_other_refusals_name_record_and_field(province_user, county_user, base, klass, trainee):
    common = {"actor": province_user, "type": "leaders", "subject": "带头人", "hours": 40}
    _refused(
        InvalidInput,
        "end_date",
        "C-D",
        lambda: services.class_create(
            code="C-D",
            start_date="2009-06-30",
            end_date="2009-06-01",
            organiser="省扶贫办",
            area_code=YANSHOU,
            **common,
        ),
    )
    _refused(
        InvalidInput,
        "organiser",
        "C-O",
        lambda: services.class_create(
            code="C-O", start_date="2009-06-01", end_date="2009-06-30", area_code=YANSHOU, **common
        ),
    )
    _refused(
        InvalidInput,
        "enrolled_on",
        klass.code,
        lambda: services.enrolment_create(
            actor=province_user, klass=klass, person=trainee, enrolled_on=CLASS_END + dt.timedelta(days=1)
        ),
    )
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    _refused(
        Conflict,
        "id_number",
        klass.code,
        lambda: services.enrolment_create(actor=province_user, klass=klass, person=trainee),
    )
    _refused(
        InvalidInput,
        "hours_attended",
        klass.code,
        lambda: services.enrolment_attendance(actor=province_user, klass=klass, person=trainee, hours=121),
    )
    _refused(
        InvalidInput,
        "completed_on",
        klass.code,
        lambda: services.enrolment_complete(actor=province_user, klass=klass, person=trainee, on=dt.date(2009, 3, 1)),
    )
    _refused(
        InvalidInput,
        "area",
        f"{YANSHOU[:6]}001000 2009",
        lambda: services.target_set(
            actor=province_user, area_code=f"{YANSHOU[:6]}001000", year=2009, trained=1, transferred=1
        ),
    )
    _refused(
        NotPermitted,
        None,
        f"{PROVINCE} 2009",
        lambda: services.target_set(actor=county_user, area_code=PROVINCE, year=2009, trained=1, transferred=1),
    )


def test_targets_and_their_completion(province_user, county_user, klass, trainee):
    services.target_set(actor=province_user, area_code=PROVINCE, year=2009, trained=2, transferred=2)
    services.target_set(actor=county_user, area_code=YANSHOU, year=2009, trained=1, transferred=4)
    services.target_set(actor=county_user, area_code=YANSHOU, year=2009, trained=1, transferred=1)
    assert Target.objects.count() == 2
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    services.enrolment_complete(actor=province_user, klass=klass, person=trainee)
    _transfer(province_user, klass, trainee)
    rows = {r["target"].area.code: r for r in selectors.target_completion(user=province_user, year=2009)}
    assert rows[PROVINCE]["transferred_percent"] == 50.0
    assert rows[YANSHOU]["trained_percent"] == 100.0
    # the county sees its own target only
    assert [r["target"].area.code for r in selectors.target_completion(user=county_user, year=2009)] == [YANSHOU]


def test_subsidies_are_paid_through_the_funds_ledger(province_user, klass, make_household, yanshou_village):
    project = programs.project_create(
        actor=province_user,
        data=programs.ProjectData(
            code="T-2009",
            name="雨露计划培训",
            program="training",
            category="training",
            area_code=YANSHOU,
            start_year=2009,
            end_year=2009,
        ),
    )
    TrainingClass.objects.filter(pk=klass.pk).update(project=project)
    klass.refresh_from_db()
    people = list(make_household(yanshou_village, size=3).members.all())
    for person in people:
        services.enrolment_create(actor=province_user, klass=klass, person=person)
    for person in people[:2]:
        services.enrolment_complete(actor=province_user, klass=klass, person=person)
    # nothing allocated to the project yet: refused as any disbursement, nothing changed
    before = _state()
    with pytest.raises(funds.Overdrawn) as info:
        services.subsidy_pay(actor=province_user, klass=klass, source="central", year=2009, on=dt.date(2009, 6, 10))
    assert info.value.field == "amount"
    assert _state() == before
    province = AdminArea.objects.get(code=PROVINCE)
    funds.appropriate(
        actor=province_user, source="central", year=2009, amount="10000", area=province, on=dt.date(2009, 3, 1)
    )
    funds.allocate(
        actor=province_user,
        from_area=province,
        source="central",
        year=2009,
        amount="5000",
        project=project,
        on=dt.date(2009, 3, 2),
    )
    payment = services.subsidy_pay(
        actor=province_user, klass=klass, source="central", year=2009, on=dt.date(2009, 6, 10)
    )
    assert payment.amount == Decimal("1600.00") and payment.trainees == 2
    assert payment.entry.kind == "disbursement" and payment.entry.project == project
    assert Enrolment.objects.filter(subsidy=payment).count() == 2
    with pytest.raises(InvalidInput):  # nothing left to pay
        services.subsidy_pay(actor=province_user, klass=klass, source="central", year=2009)
    assert selectors.subsidies_paid(user=province_user, year=2009) == Decimal("1600.00")


def test_reads_are_scoped(province_user, county_user, make_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    bayan = make_user(Role.COUNTY, (BAYAN,))
    assert selectors.classes(county_user).count() == 1
    assert selectors.classes(bayan).count() == 0
    assert selectors.enrolments(county_user).count() == 1
    assert selectors.enrolments(bayan).count() == 0
    assert selectors.bases(bayan).count() == 0


def test_allocation_follows_the_transfers(province_user, base, klass, make_household, yanshou_village):
    other = services.base_create(
        actor=province_user, code="B-YS-2", name="第二基地", county_code=YANSHOU, certification="county"
    )
    klass2 = services.class_create(
        actor=province_user,
        code="C-2009-2",
        type="labour_transfer",
        subject="厨师",
        start_date="2009-04-01",
        end_date="2009-05-31",
        hours=80,
        base=other,
    )
    people = list(make_household(yanshou_village, size=4).members.all())
    for k, group, transferred in ((klass, people[:2], 2), (klass2, people[2:], 1)):
        for i, person in enumerate(group):
            services.enrolment_create(actor=province_user, klass=k, person=person)
            services.enrolment_complete(actor=province_user, klass=k, person=person)
            if i < transferred:
                _transfer(province_user, k, person)
    result = selectors.allocation(user=province_user, year=2009, total=Decimal("1000"))
    shares = {r.base.code: (r.trained, r.transferred, r.rate, r.share) for r in result["bases"]}
    assert shares == {"B-YS-1": (2, 2, 1.0, Decimal("666.67")), "B-YS-2": (2, 1, 0.5, Decimal("333.33"))}
    assert result["for_year"] == 2010 and result["rate"] == 0.75
