"""Every write of social and pairing assistance. Each service checks role and scope,
applies the rules of ``assistance.rules`` (the very expressions the importer applies to a
package), writes, and records its audit event in one transaction.

Who writes: the offices of the areas where the assistance arrives (county office or above
for units, pairings, contributions and projects; township cadre or above for cadres,
visits and aided students), within their own areas. Fupin has no "assisting unit" role yet
(docs/assistance.md): a unit's records are entered by the office of the area it helps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.assistance import rules
from fupin.assistance.choices import CadreKind, ContributionForm, ContributionKind, UnitLevel
from fupin.assistance.models import (
    AssistingUnit,
    Cadre,
    Contribution,
    Pairing,
    StudentAid,
    SupportedProject,
    UnitClass,
    Visit,
)
from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import check_choice, check_date, check_text, check_year
from fupin.funds import services as funds
from fupin.funds.choices import Source
from fupin.geo.models import AdminArea
from fupin.programs.models import Project
from fupin.registry.models import Person
from fupin.training.models import TrainingClass

# the funds ledger's source of each kind of contribution
SOURCE_OF_KIND = {ContributionKind.GRANT: Source.SOCIAL_GRANT, ContributionKind.INVESTMENT: Source.SOCIAL_INVESTMENT}


def county_of(code: str) -> str:
    """The 12-digit code of the county of an area code at or below a county."""
    return code[:6] + "000000"


def money(value: Any, *, field_name: str, record: str | None) -> Decimal:
    """An amount of yuan with at most two decimals (signs are the rules' business)."""
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not number.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(_("At most two decimal places."), field=field_name, record=record)
    if abs(number) > rules.MONEY_MAX:
        raise InvalidInput(_("At most %(max)s.") % {"max": f"{rules.MONEY_MAX:,}"}, field=field_name, record=record)
    return number


def _area(code: Any, *, field_name: str, record: str | None) -> AdminArea:
    area = AdminArea.objects.filter(code=str(code or "").strip()).first()
    if area is None:
        raise InvalidInput(_("Unknown area code “%(code)s”.") % {"code": code}, field=field_name, record=record)
    return area


def _reach(unit: AssistingUnit, code: str, *, record: str, field: str = "area") -> None:
    rules.REACH.check(
        record=record,
        values={"level": unit.level, "unit_area": unit.area.code, "area": code},
        field=field,
        unit=unit.code,
    )


# --- units -----------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor: Any, code: str, name: str, level: str, area_code: str, name_en: str = "") -> AssistingUnit:
    """Register an assisting unit with its own area (the office of that area or above)."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    check_role(actor, Role.COUNTY, record=record)
    name = check_text(name, field_name="name", record=record, max_length=rules.NAME_MAX_LENGTH, required=True)
    name_en = check_text(name_en, field_name="name_en", record=record, max_length=rules.NAME_MAX_LENGTH)
    level = check_choice(level, UnitLevel, field_name="level", record=record)
    area = _area(area_code, field_name="area", record=record)
    rules.UNIT_AREA_LEVEL.check(record=record, values={"level": level, "area_level": area.level}, code=code)
    check_scope(actor, area.code, record=record, field="area")
    if AssistingUnit.objects.filter(code=code).exists():
        raise Conflict(_("An assisting unit with this code exists."), field="code", record=record)
    unit = AssistingUnit.objects.create(code=code, name=name, name_en=name_en, level=level, area=area)
    audit_log(actor=actor, action="assistance.unit.create", obj=unit, after=snapshot(unit), area_code=area.code)
    return unit


# --- pairings -----------------------------------------------------------------------------------------


@transaction.atomic
def pairing_create(
    *, actor: Any, unit: AssistingUnit, area_code: str, start_year: Any, end_year: Any = None
) -> Pairing:
    """Pair a unit with a county, township or village for a year or years, within its reach
    (``rules.REACH``)."""
    record = unit.code
    check_role(actor, Role.COUNTY, record=record)
    area = _area(area_code, field_name="area", record=record)
    rules.PAIRING_AREA_LEVEL.check(record=record, values={"area_level": area.level}, area=area.code)
    _reach(unit, area.code, record=record)
    check_scope(actor, area.code, record=record, field="area")
    start = check_year(start_year, field_name="start_year", record=record)
    end = start if end_year in (None, "") else check_year(end_year, field_name="end_year", record=record)
    rules.PAIRING_YEARS.check(record=record, values={"start_year": start, "end_year": end})
    if Pairing.objects.filter(unit=unit, area=area, start_year=start).exists():
        raise Conflict(_("This pairing is recorded already."), field="start_year", record=record)
    pairing = Pairing.objects.create(unit=unit, area=area, start_year=start, end_year=end)
    audit_log(
        actor=actor, action="assistance.pairing.create", obj=pairing, after=snapshot(pairing), area_code=area.code
    )
    return pairing


# --- cadres and visits ----------------------------------------------------------------------------------


@transaction.atomic
def cadre_create(
    *,
    actor: Any,
    unit: AssistingUnit,
    name: str,
    kind: str,
    place_code: str,
    start_date: Any,
    end_date: Any = None,
    post: str = "",
) -> Cadre:
    """Record a cadre the unit dispatches to a place within its reach."""
    record = unit.code
    check_role(actor, Role.TOWNSHIP, record=record)
    name = check_text(name, field_name="name", record=record, max_length=100, required=True)
    post = check_text(post, field_name="post", record=record, max_length=rules.TEXT_MAX_LENGTH)
    kind = check_choice(kind, CadreKind, field_name="kind", record=record)
    place = _area(place_code, field_name="place", record=record)
    _reach(unit, place.code, record=record, field="place")
    check_scope(actor, place.code, record=record, field="place")
    start = check_date(start_date, field_name="start_date", record=record)
    end = None if end_date in (None, "") else check_date(end_date, field_name="end_date", record=record)
    rules.CADRE_DATES.check(
        record=record, values={"start_date": start.isoformat(), "end_date": end.isoformat() if end else None}
    )
    cadre = Cadre.objects.create(
        unit=unit, name=name, post=post, kind=kind, place=place, start_date=start, end_date=end
    )
    audit_log(actor=actor, action="assistance.cadre.create", obj=cadre, after=snapshot(cadre), area_code=place.code)
    return cadre


@transaction.atomic
def visit_create(
    *, actor: Any, unit: AssistingUnit, area_code: str, date: Any, people: Any, purpose: str = ""
) -> Visit:
    """Record a visit of the unit to an area."""
    record = unit.code
    check_role(actor, Role.TOWNSHIP, record=record)
    area = _area(area_code, field_name="area", record=record)
    check_scope(actor, area.code, record=record, field="area")
    on = check_date(date, field_name="date", record=record)
    try:
        count = int(str(people).strip())
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Not a whole number."), field="people", record=record) from exc
    rules.VISIT_PEOPLE.check(record=record, values={"people": count})
    if count > rules.PEOPLE_MAX:
        raise InvalidInput(_("At most %(max)s.") % {"max": f"{rules.PEOPLE_MAX:,}"}, field="people", record=record)
    purpose = check_text(purpose, field_name="purpose", record=record, max_length=rules.TEXT_MAX_LENGTH)
    visit = Visit.objects.create(unit=unit, area=area, date=on, people=count, purpose=purpose)
    audit_log(actor=actor, action="assistance.visit.create", obj=visit, after=snapshot(visit), area_code=area.code)
    return visit


# --- contributions ----------------------------------------------------------------------------------------


def _recipient(area_code: Any, project: Project | None, project_code: Any, *, record: str) -> tuple[AdminArea, Any]:
    if project is None and project_code not in (None, ""):
        project = Project.objects.select_related("area").filter(code=str(project_code).strip()).first()
        if project is None:
            raise InvalidInput(
                _("Unknown project “%(code)s”.") % {"code": project_code}, field="project", record=record
            )
    rules.CONTRIBUTION_RECIPIENT.check(
        record=record, values={"area": str(area_code or ""), "project": project.code if project else ""}
    )
    if project is not None:
        return project.area, project
    area = _area(area_code, field_name="area", record=record)
    rules.PAIRING_AREA_LEVEL.check(record=record, values={"area_level": area.level}, area=area.code)
    return area, None


@transaction.atomic
def contribution_create(
    *,
    actor: Any,
    unit: AssistingUnit,
    number: str,
    kind: str,
    value: Any,
    date: Any,
    area_code: Any = "",
    project: Project | None = None,
    project_code: Any = "",
    form: str = ContributionForm.CASH,
    description: str = "",
) -> Contribution:
    """Record a contribution of the unit to an area or a project, and its receipt in the
    funds ledger: an appropriation of the social source of its kind at the recipient's
    county, posted by ``funds.services.appropriate`` in the same transaction (so the funds'
    authority table, a county office or above of that county, applies)."""
    number = check_text(number, field_name="number", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = number
    check_role(actor, Role.COUNTY, record=record)
    kind = check_choice(kind, ContributionKind, field_name="kind", record=record)
    form = check_choice(form or ContributionForm.CASH, ContributionForm, field_name="form", record=record)
    amount = money(value, field_name="value", record=record)
    rules.CONTRIBUTION_VALUE_POSITIVE.check(record=record, values={"value": str(amount)})
    on = check_date(date, field_name="date", record=record)
    area, project = _recipient(area_code, project, project_code, record=record)
    _reach(unit, area.code, record=record, field="project" if project is not None else "area")
    check_scope(actor, area.code, record=record, field="project" if project is not None else "area")
    description = check_text(description, field_name="description", record=record, max_length=rules.TEXT_MAX_LENGTH)
    if Contribution.objects.filter(number=number).exists():
        raise Conflict(_("A contribution with this number exists."), field="number", record=record)
    county = AdminArea.objects.get(code=county_of(area.code))
    entry = funds.appropriate(
        actor=actor,
        source=SOURCE_OF_KIND[ContributionKind(kind)],
        year=on.year,
        amount=amount,
        area=county,
        on=on,
        document=number,
        note=f"{unit.code} {unit.name}"[:200],
    )
    contribution = Contribution.objects.create(
        number=number,
        unit=unit,
        kind=kind,
        form=form,
        value=amount,
        date=on,
        area=area,
        project=project,
        description=description,
        entry=entry,
    )
    audit_log(
        actor=actor,
        action="assistance.contribution.create",
        obj=contribution,
        after=snapshot(contribution),
        area_code=area.code,
    )
    return contribution


# --- projects, classes, students ---------------------------------------------------------------------------


@transaction.atomic
def project_support(*, actor: Any, unit: AssistingUnit, project: Project, year: Any) -> SupportedProject:
    """Record that a programs project within the unit's reach was built with its help in a year."""
    record = unit.code
    check_role(actor, Role.COUNTY, record=record)
    _reach(unit, project.area.code, record=record, field="project")
    check_scope(actor, project.area.code, record=record, field="project")
    year = check_year(year, field_name="year", record=record)
    if SupportedProject.objects.filter(unit=unit, project=project, year=year).exists():
        raise Conflict(_("This project is recorded already."), field="project", record=record)
    link = SupportedProject.objects.create(unit=unit, project=project, year=year)
    audit_log(
        actor=actor, action="assistance.project.create", obj=link, after=snapshot(link), area_code=project.area.code
    )
    return link


@transaction.atomic
def class_organise(*, actor: Any, unit: AssistingUnit, klass: TrainingClass) -> UnitClass:
    """Record that a training class was organised by the unit (its organiser)."""
    record = unit.code
    check_role(actor, Role.COUNTY, record=record)
    check_scope(actor, klass.area.code, record=record, field="klass")
    _reach(unit, klass.area.code, record=record, field="klass")
    if UnitClass.objects.filter(klass=klass).exists():
        raise Conflict(_("This class has its organising unit already."), field="klass", record=record)
    link = UnitClass.objects.create(unit=unit, klass=klass)
    audit_log(actor=actor, action="assistance.class.create", obj=link, after=snapshot(link), area_code=klass.area.code)
    return link


def _person(id_number: str | None, person: Person | None, *, record: str) -> Person:
    if person is not None:
        return person
    id_number = (id_number or "").strip().upper()
    found = (
        Person.objects.select_related("household__village").filter(id_number=id_number).first() if id_number else None
    )
    rules.STUDENT_IN_REGISTRY.check(record=record, values={"person": found.pk if found else None}, id_number=id_number)
    if found is None:  # refused above; for the type checker
        raise rules.STUDENT_IN_REGISTRY.refusal(record=record, id_number=id_number)
    return found


@transaction.atomic
def student_aid(
    *,
    actor: Any,
    unit: AssistingUnit,
    year: Any,
    school: str,
    amount: Any,
    id_number: str | None = None,
    person: Person | None = None,
) -> StudentAid:
    """Record the unit's aid to a student, a person of the registry (by ID number)."""
    record = unit.code
    check_role(actor, Role.TOWNSHIP, record=record)
    student = _person(id_number, person, record=record)
    check_scope(actor, student.household.village.code, record=record, field="id_number")
    year = check_year(year, field_name="year", record=record)
    school = check_text(school, field_name="school", record=record, max_length=rules.TEXT_MAX_LENGTH, required=True)
    value = money(amount, field_name="amount", record=record)
    rules.STUDENT_AMOUNT_POSITIVE.check(record=record, values={"amount": str(value)})
    if StudentAid.objects.filter(unit=unit, person=student, year=year).exists():
        raise Conflict(_("This student's aid of the year is recorded already."), field="id_number", record=record)
    aid = StudentAid.objects.create(unit=unit, person=student, year=year, school=school, amount=value)
    audit_log(
        actor=actor,
        action="assistance.student.create",
        obj=aid,
        root=student.household,
        after=snapshot(aid),
        area_code=student.household.village.code,
    )
    return aid
