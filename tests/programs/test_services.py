"""The programs' services: village plans and their acceptance, projects, outputs,
beneficiaries and labour, each refusing bad input with the record and field named and
nothing changed."""

import datetime as dt

import pytest

from fupin.core.errors import ApplicationError, Conflict, InvalidInput, InvalidTransition, OutOfScope
from fupin.core.models import AuditEvent
from fupin.programs import services
from fupin.programs.choices import CHECKLIST_FIELDS, PlanStatus
from fupin.programs.models import Beneficiary, LabourInput, Project, ProjectOutput, VillagePlan
from tests.conftest import BAYAN, YANSHOU


@pytest.fixture
def batch(province_user):
    return services.batch_create(actor=province_user, number=4, name="第四批整村推进", start_year=2008, end_year=2009)


@pytest.fixture
def plan(batch, county_user, yanshou_village):
    return services.plan_create(
        actor=county_user, batch=batch, village_code=yanshou_village, planned_investment="1280000"
    )


@pytest.fixture
def project(plan, county_user, yanshou_village):
    return services.project_create(
        actor=county_user,
        data=services.ProjectData(
            code="ZT4-001",
            name="贫困户养殖业发展",
            program="village_advancement",
            category="industry",
            area_code=yanshou_village,
            start_year=2008,
            end_year=2009,
            budget="300000",
            plan=plan,
        ),
    )


def _refused(exc: pytest.ExceptionInfo[ApplicationError], field: str, record: str) -> None:
    assert exc.value.field == field
    assert exc.value.record == record


def test_a_plan_is_accepted_only_with_every_checklist_item(plan, county_user):
    services.plan_start(actor=county_user, plan=plan, on=dt.date(2008, 4, 1))
    services.plan_checklist_set(actor=county_user, plan=plan, items=dict.fromkeys(CHECKLIST_FIELDS[:-1], True))
    with pytest.raises(InvalidInput) as exc:
        services.plan_accept(actor=county_user, plan=plan, on=dt.date(2009, 10, 1), officials="县扶贫办主任")
    _refused(exc, CHECKLIST_FIELDS[-1], plan.village.code)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS and plan.accepted_on is None

    services.plan_checklist_set(actor=county_user, plan=plan, items={CHECKLIST_FIELDS[-1]: True})
    accepted = services.plan_accept(actor=county_user, plan=plan, on=dt.date(2009, 10, 1), officials="县扶贫办主任")
    assert accepted.status == PlanStatus.ACCEPTED and accepted.accepted_on == dt.date(2009, 10, 1)
    assert AuditEvent.objects.filter(action="plan.accept", object_id=str(plan.pk)).exists()
    with pytest.raises(InvalidTransition):
        services.plan_checklist_set(actor=county_user, plan=plan, items={"check_road": False})
    with pytest.raises(InvalidTransition):
        services.plan_accept(actor=county_user, plan=plan, on=dt.date(2009, 11, 1), officials="x")


def test_a_village_has_one_plan_and_a_county_plans_only_its_own_villages(batch, plan, county_user, yanshou_village):
    with pytest.raises(Conflict) as exc:
        services.plan_create(actor=county_user, batch=batch, village_code=yanshou_village)
    _refused(exc, "village", yanshou_village)
    from fupin.geo.models import AdminArea

    bayan_village = AdminArea.objects.filter(code__startswith=BAYAN[:6], level="village").first().code
    with pytest.raises(OutOfScope):
        services.plan_create(actor=county_user, batch=batch, village_code=bayan_village)
    assert VillagePlan.objects.count() == 1


def test_a_plan_project_must_be_in_the_plans_village(plan, county_user):
    from fupin.geo.models import AdminArea

    other = AdminArea.objects.filter(code__startswith=YANSHOU[:6], level="village").exclude(pk=plan.village_id).first()
    data = services.ProjectData(
        code="ZT4-002",
        name="道路",
        program="village_advancement",
        category="infrastructure",
        area_code=other.code,
        start_year=2009,
        end_year=2009,
        plan=plan,
    )
    with pytest.raises(InvalidInput) as exc:
        services.project_create(actor=county_user, data=data)
    _refused(exc, "area", "ZT4-002")
    assert not Project.objects.filter(code="ZT4-002").exists()


@pytest.mark.parametrize(
    ("kind", "unit", "quantity", "field"),
    [
        ("no_such_output", None, "1", "kind"),
        ("beef_cattle", "furlongs", "1", "unit"),
        ("beef_cattle", "km", "1", "unit"),
        ("beef_cattle", "head", "-3", "quantity"),
        ("road", "km", "1.23456", "quantity"),
    ],
)
def test_a_bad_output_is_refused_and_changes_nothing(project, county_user, kind, unit, quantity, field):
    with pytest.raises(InvalidInput) as exc:
        services.output_record(
            actor=county_user, project=project, kind_code=kind, year=2009, quantity=quantity, unit=unit
        )
    _refused(exc, field, project.code)
    assert not ProjectOutput.objects.exists()


def test_an_output_is_recorded_in_the_catalogue_unit_and_replaced_by_a_new_figure(project, county_user):
    services.output_record(
        actor=county_user, project=project, kind_code="beef_cattle", year=2009, quantity="12", unit="head"
    )
    services.output_record(actor=county_user, project=project, kind_code="beef_cattle", year=2009, quantity="15")
    [output] = ProjectOutput.objects.all()
    assert output.quantity == 15 and output.kind.unit == "head"
    assert AuditEvent.objects.filter(action="output.record", root_id=str(project.pk)).count() == 2


def test_a_beneficiary_outside_the_project_area_is_refused(project, county_user, make_household, yanshou_village):
    from fupin.geo.models import AdminArea

    inside = make_household(yanshou_village)
    elsewhere = AdminArea.objects.filter(code__startswith=YANSHOU[:6], level="village").exclude(code=yanshou_village)
    outside = make_household(elsewhere.first().code)
    with pytest.raises(InvalidInput) as exc:
        services.beneficiaries_add(actor=county_user, project=project, households=[inside, outside], year=2009)
    _refused(exc, "household", project.code)
    assert outside.code in str(exc.value)
    assert not Beneficiary.objects.exists()
    assert services.beneficiaries_add(actor=county_user, project=project, households=[inside], year=2009) == 1
    assert services.beneficiaries_add(actor=county_user, project=project, households=[inside], year=2009) == 0
    assert list(Beneficiary.objects.values_list("household_id", flat=True)) == [inside.pk]


def test_labour_needs_a_day_per_person(project, county_user):
    with pytest.raises(InvalidInput) as exc:
        services.labour_record(actor=county_user, project=project, year=2009, persons=10, person_days=5)
    _refused(exc, "person_days", project.code)
    with pytest.raises(InvalidInput) as exc:
        services.labour_record(actor=county_user, project=project, year=2009, persons="2.5", person_days=5)
    _refused(exc, "persons", project.code)
    assert not LabourInput.objects.exists()
    services.labour_record(actor=county_user, project=project, year=2009, persons=10, person_days=40)
    assert LabourInput.objects.get().person_days == 40


def test_a_zone_project_is_in_one_of_the_zones_counties(province_user, county_user, yanshou_village):
    zone = services.zone_create(
        actor=province_user, code="LP-1", name="延寿连片开发区", county_codes=[YANSHOU], start_year=2009
    )
    ok = services.project_create(
        actor=county_user,
        data=services.ProjectData(
            code="LP-1-01",
            name="产业基地",
            program="contiguous",
            category="industry",
            area_code=yanshou_village,
            start_year=2009,
            end_year=2010,
            zone=zone,
        ),
    )
    assert ok.zone == zone
    with pytest.raises(InvalidInput) as exc:
        services.project_create(
            actor=province_user,
            data=services.ProjectData(
                code="LP-1-02",
                name="道路",
                program="contiguous",
                category="infrastructure",
                area_code=BAYAN,
                start_year=2009,
                end_year=2010,
                zone=zone,
            ),
        )
    _refused(exc, "area", "LP-1-02")


def test_a_zone_is_visible_to_the_users_of_its_counties_and_their_villages(province_user, make_user, yanshou_village):
    from fupin.core.choices import Role
    from fupin.programs.models import ContiguousZone

    zone = services.zone_create(
        actor=province_user, code="LP-2", name="延寿连片开发区", county_codes=[YANSHOU], start_year=2009
    )
    clerk = make_user(Role.VILLAGE, (yanshou_village,))
    harbin = make_user(Role.CITY, ("230100000000",))
    bayan = make_user(Role.COUNTY, (BAYAN,))
    assert list(ContiguousZone.objects.visible_to(clerk)) == [zone]
    assert list(ContiguousZone.objects.visible_to(harbin)) == [zone]
    assert list(ContiguousZone.objects.visible_to(bayan)) == []
