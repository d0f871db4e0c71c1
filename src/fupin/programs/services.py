"""Every write to the programs: batches, village plans and their acceptance, contiguous
zones, projects, outputs, beneficiaries and labour inputs. Each service checks role and
scope, validates, writes and records its audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.areacodes import descendant_range
from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput, NotFound
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import check_choice, check_date, check_text, check_year
from fupin.geo.choices import Level
from fupin.geo.models import AdminArea
from fupin.programs import rules
from fupin.programs.choices import CHECKLIST, CHECKLIST_FIELDS, Category, PlanStatus, ProgramType, ProjectStatus, Unit
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    OutputKind,
    Project,
    ProjectOutput,
    VillagePlan,
)
from fupin.programs.rules import NOTE_MAX_LENGTH, check_in_project_years, check_labour
from fupin.registry.models import Household


def _years(start: Any, end: Any, *, record: str | None) -> tuple[int, int]:
    first = check_year(start, field_name="start_year", record=record)
    last = check_year(end, field_name="end_year", record=record)
    rules.YEARS_IN_ORDER.check(record=record, values={"start_year": first, "end_year": last})
    return first, last


def _note(value: Any, *, record: str | None) -> str:
    return check_text(value, field_name="note", record=record, max_length=NOTE_MAX_LENGTH)


def _decimal(value: Any, *, field_name: str, record: str | None, places: int = 2) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not number.is_finite() or number < 0:
        raise InvalidInput(_("Must be zero or more."), field=field_name, record=record)
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise InvalidInput(
            _("At most %(places)s decimal places.") % {"places": places}, field=field_name, record=record
        )
    return number


def _area(code: str, *, field_name: str, record: str | None, level: str | None = None) -> AdminArea:
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise rules.AREA_KNOWN.refusal(record=record, field=field_name, code=code)
    if level is not None:
        rules.AREA_LEVEL.check(
            record=record,
            field=field_name,
            values={"code": code, "level": area.level, "wanted": level},
            level_label=area.get_level_display(),
            wanted_label=Level(level).label,
        )
    return area


def _within(code: str, area_code: str) -> bool:
    lo, hi = descendant_range(area_code)
    return lo <= code <= hi


# --- batches and village plans -----------------------------------------------------------


@transaction.atomic
def batch_create(*, actor: Any, number: int, name: str, start_year: int, end_year: int, note: str = "") -> Batch:
    record = _("batch %(number)s") % {"number": number}
    check_role(actor, Role.PROVINCE, record=record)
    first, last = _years(start_year, end_year, record=record)
    if not name.strip():
        raise InvalidInput(_("A name is required."), field="name", record=record)
    note = _note(note, record=record)
    if Batch.objects.filter(number=number).exists():
        raise Conflict(_("Batch %(number)s exists.") % {"number": number}, field="number", record=record)
    for other in Batch.objects.all():
        rules.BATCHES_OVERLAP.check(
            record=record,
            values={
                "number": number,
                "start_year": first,
                "end_year": last,
                "other": other.number,
                "other_start": other.start_year,
                "other_end": other.end_year,
            },
        )
    batch = Batch.objects.create(number=number, name=name.strip(), start_year=first, end_year=last, note=note)
    audit_log(actor=actor, action="batch.create", obj=batch, after=snapshot(batch), area_code="")
    return batch


@transaction.atomic
def plan_create(
    *, actor: Any, batch: Batch, village_code: str, planned_investment: Any = 0, note: str = ""
) -> VillagePlan:
    """Put a village into a batch with a plan (one plan per village)."""
    record = village_code
    check_role(actor, Role.COUNTY, record=record)
    village = _area(village_code, field_name="village", record=record, level=Level.VILLAGE)
    check_scope(actor, village.code, record=record, field="village")
    note = _note(note, record=record)
    existing = VillagePlan.objects.filter(village=village).select_related("batch").first()
    if existing is not None:
        raise rules.ONE_PLAN_PER_VILLAGE.refusal(record=record, batch=existing.batch)
    plan = VillagePlan.objects.create(
        batch=batch,
        village=village,
        planned_investment=_decimal(planned_investment, field_name="planned_investment", record=record),
        note=note,
    )
    audit_log(actor=actor, action="plan.create", obj=plan, after=snapshot(plan), area_code=village.code)
    return plan


def _lock_plan(plan: VillagePlan) -> VillagePlan:
    try:
        return VillagePlan.objects.select_for_update(of=("self",)).select_related("village", "batch").get(pk=plan.pk)
    except VillagePlan.DoesNotExist as exc:
        raise NotFound(record=str(plan.pk)) from exc


def _writable_plan(actor: Any, plan: VillagePlan, minimum: str = Role.COUNTY) -> None:
    check_role(actor, minimum, record=plan.village.code)
    check_scope(actor, plan.village.code, record=plan.village.code)


@transaction.atomic
def plan_update(
    *, actor: Any, plan: VillagePlan, planned_investment: Any = None, note: str | None = None
) -> VillagePlan:
    plan = _lock_plan(plan)
    _writable_plan(actor, plan)
    before = snapshot(plan)
    if planned_investment is not None:
        plan.planned_investment = _decimal(
            planned_investment, field_name="planned_investment", record=plan.village.code
        )
    if note is not None:
        plan.note = _note(note, record=plan.village.code)
    plan.save()
    audit_log(
        actor=actor, action="plan.update", obj=plan, before=before, after=snapshot(plan), area_code=plan.village.code
    )
    return plan


@transaction.atomic
def plan_start(*, actor: Any, plan: VillagePlan, on: dt.date) -> VillagePlan:
    """Work on the plan begins."""
    plan = _lock_plan(plan)
    _writable_plan(actor, plan)
    on = check_date(on, field_name="started_on", record=plan.village.code)
    rules.PLAN_STARTS_PLANNED.check(
        record=plan.village.code, values={"status": plan.status}, status_label=plan.get_status_display()
    )
    before = snapshot(plan)
    plan.status = PlanStatus.IN_PROGRESS
    plan.started_on = on
    plan.save(update_fields=["status", "started_on", "updated_at"])
    audit_log(
        actor=actor, action="plan.start", obj=plan, before=before, after=snapshot(plan), area_code=plan.village.code
    )
    return plan


@transaction.atomic
def plan_checklist_set(*, actor: Any, plan: VillagePlan, items: Mapping[str, bool]) -> VillagePlan:
    """Tick or untick items of the acceptance checklist ("四有三通三提高")."""
    plan = _lock_plan(plan)
    _writable_plan(actor, plan, Role.TOWNSHIP)
    unknown = sorted(set(items) - set(CHECKLIST_FIELDS))
    if unknown:
        raise InvalidInput(
            _("Not an item of the checklist: %(items)s.") % {"items": ", ".join(unknown)},
            field=unknown[0],
            record=plan.village.code,
        )
    if plan.status == PlanStatus.ACCEPTED and not all(items.values()):
        raise rules.ACCEPTED_CHECKLIST_STAYS.refusal(record=plan.village.code)
    before = snapshot(plan, CHECKLIST_FIELDS)
    for name, value in items.items():
        setattr(plan, name, bool(value))
    plan.save(update_fields=[*items, "updated_at"])
    audit_log(
        actor=actor,
        action="plan.checklist",
        obj=plan,
        before=before,
        after=snapshot(plan, CHECKLIST_FIELDS),
        area_code=plan.village.code,
    )
    return plan


@transaction.atomic
def plan_accept(*, actor: Any, plan: VillagePlan, on: dt.date, officials: str) -> VillagePlan:
    """The county accepts the village as having completed entire village advancement:
    every item of the checklist must be ticked."""
    plan = _lock_plan(plan)
    _writable_plan(actor, plan)
    record = plan.village.code
    on = check_date(on, field_name="accepted_on", record=record)
    officials = check_text(officials, field_name="accepted_by", record=record, max_length=200)
    rules.ALREADY_ACCEPTED.check(record=record, values={"status": plan.status})
    # the plan as it would be once accepted: the rules of an accepted plan hold for it
    accepted = {
        "status": PlanStatus.ACCEPTED,
        "accepted_on": on,
        "accepted_by": officials.strip(),
        "started_on": plan.started_on,
        **{name: getattr(plan, name) for name in CHECKLIST_FIELDS},
    }
    missing = [name for name in CHECKLIST_FIELDS if not getattr(plan, name)]
    labels = {n: str(label) for n, _g, label in CHECKLIST}
    rules.CHECKLIST_COMPLETE.check(
        record=record,
        values=accepted,
        field=missing[0] if missing else None,
        items="; ".join(labels[name] for name in missing),
    )
    rules.ACCEPTED_BY.check(record=record, values=accepted)
    rules.ACCEPTED_AFTER_START.check(record=record, values=accepted)
    before = snapshot(plan)
    plan.status = PlanStatus.ACCEPTED
    plan.accepted_on = on
    plan.accepted_by = officials.strip()
    plan.started_on = plan.started_on or on
    plan.save()
    audit_log(actor=actor, action="plan.accept", obj=plan, before=before, after=snapshot(plan), area_code=record)
    return plan


# --- contiguous development zones ------------------------------------------------------------


@transaction.atomic
def zone_create(
    *,
    actor: Any,
    code: str,
    name: str,
    county_codes: Iterable[str],
    start_year: int,
    end_year: int | None = None,
    name_en: str = "",
    note: str = "",
) -> ContiguousZone:
    record = code
    check_role(actor, Role.PROVINCE, record=record)
    if not code.strip() or not name.strip():
        raise InvalidInput(
            _("A code and a name are required."), field="code" if not code.strip() else "name", record=record
        )
    first = check_year(start_year, field_name="start_year", record=record)
    if end_year is not None:
        first, _last = _years(start_year, end_year, record=record)
    note = _note(note, record=record)
    counties = [_area(c, field_name="counties", record=record, level=Level.COUNTY) for c in county_codes]
    rules.ZONE_HAS_COUNTIES.check(record=record, values={"counties": ";".join(c.code for c in counties)})
    if ContiguousZone.objects.filter(code=code).exists():
        raise Conflict(_("Zone %(code)s exists.") % {"code": code}, field="code", record=record)
    zone = ContiguousZone.objects.create(
        code=code.strip(), name=name.strip(), name_en=name_en, start_year=first, end_year=end_year, note=note
    )
    zone.counties.set(counties)
    after = snapshot(zone)
    after["counties"] = [c.code for c in counties]
    audit_log(actor=actor, action="zone.create", obj=zone, after=after, area_code="")
    return zone


# --- projects ---------------------------------------------------------------------------------


@dataclass
class ProjectData:
    code: str
    name: str
    program: str
    category: str
    area_code: str
    start_year: int
    end_year: int
    budget: Any = 0
    plan: VillagePlan | None = None
    zone: ContiguousZone | None = None
    status: str = ProjectStatus.PLANNED
    note: str = ""


def _project_values(data: ProjectData, *, record: str) -> dict[str, Any]:
    if not data.code.strip():
        raise InvalidInput(_("A project code is required."), field="code", record=record)
    if not data.name.strip():
        raise InvalidInput(_("A name is required."), field="name", record=record)
    program = check_choice(data.program, ProgramType, field_name="program", record=record)
    category = check_choice(data.category, Category, field_name="category", record=record)
    status = check_choice(data.status, ProjectStatus, field_name="status", record=record)
    area = _area(data.area_code, field_name="area", record=record)
    first, last = _years(data.start_year, data.end_year, record=record)
    if data.plan is not None:
        values = {"plan": data.plan.village.code, "program": program, "area": area.code}
        rules.PLAN_PROJECT_PROGRAM.check(record=record, values=values)
        rules.PLAN_PROJECT_AREA.check(record=record, values=values)
    if data.zone is not None:
        counties = sorted(data.zone.counties.values_list("code", flat=True))
        rules.ZONE_PROJECT_AREA.check(
            record=record,
            values={"zone": data.zone.code, "counties": ";".join(counties), "area": area.code},
            counties=", ".join(counties),
        )
    return {
        "code": data.code.strip(),
        "name": data.name.strip(),
        "program": program,
        "category": category,
        "status": status,
        "area": area,
        "plan": data.plan,
        "zone": data.zone,
        "start_year": first,
        "end_year": last,
        "budget": _decimal(data.budget, field_name="budget", record=record),
        "note": _note(data.note, record=record),
    }


@transaction.atomic
def project_create(*, actor: Any, data: ProjectData) -> Project:
    record = data.code
    values = _project_values(data, record=record)
    check_role(actor, Role.COUNTY, record=record)
    check_scope(actor, values["area"].code, record=record, field="area")
    if Project.objects.filter(code=values["code"]).exists():
        raise Conflict(_("Project %(code)s exists.") % {"code": values["code"]}, field="code", record=record)
    project = Project.objects.create(**values)
    audit_log(actor=actor, action="project.create", obj=project, after=snapshot(project), area_code=project.area.code)
    return project


def _lock_project(project: Project) -> Project:
    try:
        return (
            Project.objects.select_for_update(of=("self",))
            .select_related("area", "plan__village", "zone")
            .get(pk=project.pk)
        )
    except Project.DoesNotExist as exc:
        raise NotFound(record=project.code) from exc


def _writable_project(actor: Any, project: Project, minimum: str = Role.COUNTY) -> None:
    check_role(actor, minimum, record=project.code)
    check_scope(actor, project.area.code, record=project.code)


@transaction.atomic
def project_update(*, actor: Any, project: Project, changes: Mapping[str, Any]) -> Project:
    """Change a project's name, category, years, status, budget or note."""
    project = _lock_project(project)
    _writable_project(actor, project)
    allowed = {"name", "category", "start_year", "end_year", "status", "budget", "note"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)},
            field=unknown[0],
            record=project.code,
        )
    data = ProjectData(
        code=project.code,
        name=changes.get("name", project.name),
        program=project.program,
        category=changes.get("category", project.category),
        area_code=project.area.code,
        start_year=changes.get("start_year", project.start_year),
        end_year=changes.get("end_year", project.end_year),
        budget=changes.get("budget", project.budget),
        plan=project.plan,
        zone=project.zone,
        status=changes.get("status", project.status),
        note=changes.get("note", project.note),
    )
    values = _project_values(data, record=project.code)
    before = snapshot(project)
    for name in allowed:
        setattr(project, name, values[name])
    project.save()
    audit_log(
        actor=actor,
        action="project.update",
        obj=project,
        before=before,
        after=snapshot(project),
        area_code=project.area.code,
    )
    return project


# --- outputs, beneficiaries, labour -------------------------------------------------------------


@transaction.atomic
def output_record(
    *, actor: Any, project: Project, kind_code: str, year: int, quantity: Any, unit: str | None = None
) -> ProjectOutput:
    """Record what a project delivered in a year (replaces the year's figure for that kind).
    ``unit``, when given (an import or API row names it), must be the catalogue's unit."""
    project = _lock_project(project)
    _writable_project(actor, project, Role.TOWNSHIP)
    record = project.code
    kind = OutputKind.objects.filter(code=kind_code).first()
    if kind is None:
        raise rules.OUTPUT_KIND_KNOWN.refusal(record=record, kind=kind_code)
    if unit is not None and unit != "":
        check_choice(unit, Unit, field_name="unit", record=record)
        rules.OUTPUT_UNIT.check(
            record=record,
            values={"kind_unit": kind.unit, "unit": unit},
            kind_name=kind.name,
            kind_unit_label=kind.get_unit_display(),
            unit_label=Unit(unit).label,
        )
    year = check_year(year, field_name="year", record=record)
    check_in_project_years(year, start=project.start_year, end=project.end_year, record=record)
    amount = _decimal(quantity, field_name="quantity", record=record, places=3)
    output, created = ProjectOutput.objects.get_or_create(
        project=project, kind=kind, year=year, defaults={"quantity": amount}
    )
    before = None if created else snapshot(output)
    if not created:
        output.quantity = amount
        output.save(update_fields=["quantity", "updated_at"])
    audit_log(
        actor=actor,
        action="output.record",
        obj=output,
        root=project,
        before=before,
        after=snapshot(output),
        area_code=project.area.code,
    )
    return output


@transaction.atomic
def beneficiaries_add(*, actor: Any, project: Project, households: Iterable[Household], year: int) -> int:
    """Record households a project reached. Each must live in the project's area; one
    outside it refuses the whole call. Households already recorded are left as they are.
    Returns how many were added."""
    project = _lock_project(project)
    _writable_project(actor, project, Role.VILLAGE)
    record = project.code
    year = check_year(year, field_name="year", record=record)
    check_in_project_years(year, start=project.start_year, end=project.end_year, record=record)
    chosen = list(households)
    for household in chosen:
        code = household.village.code
        rules.BENEFICIARY_IN_AREA.check(
            record=record,
            values={"household": household.code, "village": code, "project_area": project.area.code},
        )
        check_scope(actor, code, record=household.code, field="household")
    existing = set(project.beneficiaries.values_list("household_id", flat=True))
    new = [h for h in dict.fromkeys(chosen) if h.pk not in existing]
    Beneficiary.objects.bulk_create(Beneficiary(project=project, household=h, year=year) for h in new)
    for household in new:
        audit_log(
            actor=actor,
            action="beneficiary.add",
            obj=project,
            root=household,
            after={"project": project.code, "household": household.code, "year": year},
            area_code=household.village.code,
        )
    return len(new)


@transaction.atomic
def beneficiary_remove(*, actor: Any, project: Project, household: Household, reason: str) -> None:
    project = _lock_project(project)
    _writable_project(actor, project, Role.VILLAGE)
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), field="reason", record=project.code)
    deleted, _detail = Beneficiary.objects.filter(project=project, household=household).delete()
    if not deleted:
        raise NotFound(_("The household is not a beneficiary of this project."), field="household", record=project.code)
    audit_log(
        actor=actor,
        action="beneficiary.remove",
        obj=project,
        root=household,
        before={"project": project.code, "household": household.code},
        area_code=household.village.code,
        note=reason,
    )


@transaction.atomic
def labour_record(*, actor: Any, project: Project, year: int, persons: Any, person_days: Any) -> LabourInput:
    """Record the labour villagers put into a project in a year (replaces the year's figure)."""
    project = _lock_project(project)
    _writable_project(actor, project, Role.TOWNSHIP)
    record = project.code
    year = check_year(year, field_name="year", record=record)
    check_in_project_years(year, start=project.start_year, end=project.end_year, record=record)
    counts = {}
    for name, value in (("persons", persons), ("person_days", person_days)):
        try:
            counts[name] = int(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("Not a whole number."), field=name, record=record) from exc
        if counts[name] < 0 or str(counts[name]) != str(value).strip():
            raise InvalidInput(_("A whole number, zero or more."), field=name, record=record)
    check_labour(counts["persons"], counts["person_days"], record=record)
    labour, created = LabourInput.objects.get_or_create(project=project, year=year, defaults=counts)
    before = None if created else snapshot(labour)
    if not created:
        labour.persons, labour.person_days = counts["persons"], counts["person_days"]
        labour.save()
    audit_log(
        actor=actor,
        action="labour.record",
        obj=labour,
        root=project,
        before=before,
        after=snapshot(labour),
        area_code=project.area.code,
    )
    return labour
