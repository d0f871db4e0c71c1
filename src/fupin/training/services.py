"""Every write of Rain Plan training. Each service checks role and scope, applies the
rules of ``training.rules``, writes, and records its audit event in one transaction;
subsidies are paid through the funds ledger (``funds.services.disburse``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput, NotFound
from fupin.core.policy import check_role, check_scope
from fupin.core.scoping import scope_ranges
from fupin.core.validation import (
    check_choice,
    check_date,
    check_int,
    check_phone,
    check_text,
    check_year,
)
from fupin.funds import services as funds
from fupin.funds.choices import Source
from fupin.geo.choices import Level
from fupin.geo.models import AdminArea
from fupin.programs.models import Project
from fupin.registry.models import Person
from fupin.training import rules
from fupin.training.choices import (
    Certification,
    ClassType,
    Destination,
    EnrolmentStatus,
    LeaderRole,
    Sector,
)
from fupin.training.models import Enrolment, SubsidyPayment, Target, TrainingBase, TrainingClass, Transfer

CENT = Decimal("0.01")


def _amount(value: Any, *, field_name: str, record: str | None, maximum: int) -> Decimal:
    """A number of yuan with at most two decimals. Negative amounts pass: the rules say
    what a negative means for each field."""
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not amount.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("At most two decimal places (fen)."), field=field_name, record=record)
    if amount > maximum:
        raise InvalidInput(_("At most %(max)s yuan.") % {"max": f"{maximum:,}"}, field=field_name, record=record)
    return amount


def _area(code: Any, *, field_name: str, record: str | None, levels: tuple[str, ...]) -> AdminArea:
    area = AdminArea.objects.filter(code=str(code or "")).first()
    if area is None:
        raise InvalidInput(_("Unknown area code “%(code)s”.") % {"code": code}, field=field_name, record=record)
    if area.level not in levels:
        raise InvalidInput(
            _("Area “%(code)s” is a %(level)s, not a %(wanted)s.")
            % {
                "code": code,
                "level": area.get_level_display(),
                "wanted": " / ".join(str(Level(lv).label) for lv in levels),
            },
            field=field_name,
            record=record,
        )
    return area


def _in_scope(actor: Any, area: AdminArea, *, record: str | None) -> None:
    """The class rule ``CLASS_IN_SCOPE`` for one record (the importer applies it to a
    package)."""
    rules.CLASS_IN_SCOPE.check(record=record, params={"ranges": scope_ranges(actor)}, area_code=area.code)


# --- bases --------------------------------------------------------------------------------------


def _base_values(data: dict[str, Any], *, record: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = check_text(
            data["name"], field_name="name", record=record, max_length=rules.NAME_MAX_LENGTH, required=True
        )
    if "certification" in data:
        out["certification"] = check_choice(
            data["certification"], Certification, field_name="certification", record=record
        )
    if "certified_year" in data:
        value = data["certified_year"]
        out["certified_year"] = (
            None if value in (None, "") else check_year(value, field_name="certified_year", record=record)
        )
    if "capacity" in data:
        out["capacity"] = check_int(
            data["capacity"] or 0, field_name="capacity", record=record, minimum=0, maximum=10_000_000
        )
    if "contact" in data:
        out["contact"] = check_text(
            data["contact"], field_name="contact", record=record, max_length=rules.CONTACT_MAX_LENGTH
        )
    if "phone" in data:
        out["phone"] = check_phone(data["phone"], record=record)
    return out


@transaction.atomic
def base_create(
    *,
    actor: Any,
    code: str,
    name: str,
    county_code: str,
    certification: str,
    certified_year: int | None = None,
    capacity: int = 0,
    contact: str = "",
    phone: str = "",
) -> TrainingBase:
    """Register a training base in a county (county office or above)."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    check_role(actor, Role.COUNTY, record=record)
    county = _area(county_code, field_name="county", record=record, levels=(Level.COUNTY,))
    check_scope(actor, county.code, record=record, field="county")
    values = _base_values(
        {
            "name": name,
            "certification": certification,
            "certified_year": certified_year,
            "capacity": capacity,
            "contact": contact,
            "phone": phone,
        },
        record=record,
    )
    if TrainingBase.objects.filter(code=code).exists():
        raise Conflict(_("A training base with this code exists."), field="code", record=record)
    base = TrainingBase.objects.create(code=code, county=county, **values)
    audit_log(actor=actor, action="training.base.create", obj=base, after=snapshot(base), area_code=county.code)
    return base


@transaction.atomic
def base_update(*, actor: Any, base: TrainingBase, **changes: Any) -> TrainingBase:
    """Change a base's name, certification, capacity or contact."""
    base = TrainingBase.objects.select_for_update().select_related("county").get(pk=base.pk)
    record = base.code
    check_role(actor, Role.COUNTY, record=record)
    check_scope(actor, base.county.code, record=record, field="county")
    unknown = set(changes) - {"name", "certification", "certified_year", "capacity", "contact", "phone"}
    if unknown:
        raise InvalidInput(_("This field cannot be changed."), field=sorted(unknown)[0], record=record)
    values = _base_values(changes, record=record)
    before = snapshot(base)
    for name, value in values.items():
        setattr(base, name, value)
    base.save()
    audit_log(
        actor=actor,
        action="training.base.update",
        obj=base,
        before=before,
        after=snapshot(base),
        area_code=base.county.code,
    )
    return base


# --- classes ------------------------------------------------------------------------------------


@transaction.atomic
def class_create(
    *,
    actor: Any,
    code: str,
    type: str,
    subject: str,
    start_date: Any,
    end_date: Any,
    hours: int,
    subsidy_per_trainee: Any = 0,
    base: TrainingBase | None = None,
    organiser: str = "",
    area_code: str = "",
    project: Project | None = None,
) -> TrainingClass:
    """Open a class, held by a base (in the base's county, or a village of it) or by an
    organiser (anywhere: the province holds leaders classes, a county its village classes)."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    check_role(actor, Role.COUNTY, record=record)
    if area_code:
        area = _area(area_code, field_name="area", record=record, levels=tuple(Level))
    elif base is not None:
        area = base.county
    else:
        raise InvalidInput(_("Where is the class held? Give its area."), field="area", record=record)
    _in_scope(actor, area, record=record)
    organiser = check_text(organiser, field_name="organiser", record=record, max_length=rules.NAME_MAX_LENGTH)
    rules.CLASS_BASE_OR_ORGANISER.check(record=record, base=base.pk if base else None, organiser=organiser)
    if base is not None and not area.code.startswith(base.county.code[:6]):
        raise InvalidInput(
            _("A base's class is held in the base's county %(county)s.") % {"county": base.county.code},
            field="area",
            record=record,
        )
    values: dict[str, Any] = {
        "type": check_choice(type, ClassType, field_name="type", record=record),
        "subject": check_text(
            subject, field_name="subject", record=record, max_length=rules.NAME_MAX_LENGTH, required=True
        ),
        "start_date": check_date(start_date, field_name="start_date", record=record),
        "end_date": check_date(end_date, field_name="end_date", record=record),
        "hours": check_int(hours, field_name="hours", record=record, minimum=1, maximum=rules.HOURS_MAX),
        "subsidy_per_trainee": _amount(
            subsidy_per_trainee, field_name="subsidy_per_trainee", record=record, maximum=rules.SUBSIDY_MAX
        ),
    }
    if values["subsidy_per_trainee"] < 0:
        raise InvalidInput(_("Must be zero or more."), field="subsidy_per_trainee", record=record)
    rules.CLASS_DATES_ORDERED.check(record=record, start_date=values["start_date"], end_date=values["end_date"])
    if project is not None:
        check_scope(actor, project.area.code, record=record, field="project")
    if TrainingClass.objects.filter(code=code).exists():
        raise Conflict(_("A class with this code exists."), field="code", record=record)
    klass = TrainingClass.objects.create(
        code=code, base=base, organiser=organiser, area=area, project=project, **values
    )
    audit_log(actor=actor, action="training.class.create", obj=klass, after=snapshot(klass), area_code=area.code)
    return klass


def _lock_class(klass: TrainingClass) -> TrainingClass:
    try:
        return (
            TrainingClass.objects.select_for_update(of=("self",))
            .select_related("area", "base", "project__area")
            .get(pk=klass.pk)
        )
    except TrainingClass.DoesNotExist as exc:
        raise NotFound(record=str(klass.pk)) from exc


def _writable_class(actor: Any, klass: TrainingClass, minimum: str = Role.TOWNSHIP) -> None:
    check_role(actor, minimum, record=klass.code)
    _in_scope(actor, klass.area, record=klass.code)


def _trainee(id_number: str | None, person: Person | None, *, record: str) -> Person:
    """The registry person named by ID number (or given, picked from a household)."""
    if person is not None:
        return person
    id_number = (id_number or "").strip().upper()
    found = Person.objects.select_related("household__village").filter(id_number=id_number).first()
    rules.TRAINEE_IN_REGISTRY.check(record=record, person=found.pk if found else None)
    if found is None:  # refused by the rule above; for the type checker
        raise rules.TRAINEE_IN_REGISTRY.refusal(record)
    return found


# --- enrolment, attendance, completion -------------------------------------------------------------


@transaction.atomic
def enrolment_create(
    *,
    actor: Any,
    klass: TrainingClass,
    id_number: str | None = None,
    person: Person | None = None,
    enrolled_on: Any = None,
    leader_role: str = "",
) -> Enrolment:
    """Enrol a person of the registry (by ID number, or picked from a household's members)."""
    klass = _lock_class(klass)
    record = klass.code
    _writable_class(actor, klass)
    trainee = _trainee(id_number, person, record=record)
    on = check_date(enrolled_on or min(timezone.localdate(), klass.end_date), field_name="enrolled_on", record=record)
    rules.ENROLMENT_NOT_AFTER_CLASS.check(record=record, enrolled_on=on, class_end=klass.end_date)
    if leader_role:
        check_choice(leader_role, LeaderRole, field_name="leader_role", record=record)
        if klass.type != ClassType.LEADERS:
            raise InvalidInput(
                _("Only a leaders class names the trainee's leader role."), field="leader_role", record=record
            )
    if Enrolment.objects.filter(klass=klass, person=trainee).exists():
        raise Conflict(_("This person is already enrolled in the class."), field="id_number", record=record)
    enrolment = Enrolment.objects.create(klass=klass, person=trainee, enrolled_on=on, leader_role=leader_role)
    audit_log(
        actor=actor,
        action="training.enrolment.create",
        obj=enrolment,
        root=trainee.household,
        after=snapshot(enrolment),
        area_code=klass.area.code,
    )
    return enrolment


def _enrolled(
    klass: TrainingClass, id_number: str | None, person: Person | None, *, record: str, rule: rules.Rule
) -> Enrolment:
    """The trainee's enrolment in the class, locked; refused by ``rule`` when there is none."""
    enrolment = _enrolment_of(klass, id_number, person, record=record)
    rule.check(record=record, enrolment_status=enrolment.status if enrolment else None)
    if enrolment is None:  # refused by the rule; for the type checker
        raise rule.refusal(record)
    return enrolment


def _enrolment_of(
    klass: TrainingClass, id_number: str | None, person: Person | None, *, record: str
) -> Enrolment | None:
    trainee = _trainee(id_number, person, record=record)
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person__household", "klass__area")
        .filter(klass=klass, person=trainee)
        .first()
    )


@transaction.atomic
def enrolment_attendance(
    *, actor: Any, klass: TrainingClass, hours: int, id_number: str | None = None, person: Person | None = None
) -> Enrolment:
    """Record the hours a trainee attended."""
    klass = _lock_class(klass)
    record = klass.code
    _writable_class(actor, klass)
    enrolment = _enrolled(klass, id_number, person, record=record, rule=rules.COMPLETION_NEEDS_ENROLMENT)
    hours = check_int(hours, field_name="hours_attended", record=record, minimum=0, maximum=rules.HOURS_MAX)
    rules.HOURS_WITHIN_CLASS.check(record=record, hours_attended=hours, class_hours=klass.hours)
    before = snapshot(enrolment)
    enrolment.hours_attended = hours
    enrolment.save(update_fields=["hours_attended", "updated_at"])
    audit_log(
        actor=actor,
        action="training.enrolment.attendance",
        obj=enrolment,
        root=enrolment.person.household,
        before=before,
        after=snapshot(enrolment),
        area_code=klass.area.code,
    )
    return enrolment


@transaction.atomic
def enrolment_complete(
    *,
    actor: Any,
    klass: TrainingClass,
    id_number: str | None = None,
    person: Person | None = None,
    on: Any = None,
    certificate_number: str = "",
    hours_attended: int | None = None,
) -> Enrolment:
    """Record that an enrolled trainee completed the class (with the certificate)."""
    klass = _lock_class(klass)
    record = klass.code
    _writable_class(actor, klass)
    enrolment = _enrolled(klass, id_number, person, record=record, rule=rules.COMPLETION_NEEDS_ENROLMENT)
    completed_on = check_date(on or klass.end_date, field_name="completed_on", record=record)
    rules.COMPLETION_NOT_BEFORE_CLASS.check(record=record, completed_on=completed_on, class_start=klass.start_date)
    certificate = check_text(
        certificate_number, field_name="certificate_number", record=record, max_length=rules.CERTIFICATE_MAX_LENGTH
    )
    hours = klass.hours if hours_attended is None else hours_attended
    hours = check_int(hours, field_name="hours_attended", record=record, minimum=0, maximum=rules.HOURS_MAX)
    rules.HOURS_WITHIN_CLASS.check(record=record, hours_attended=hours, class_hours=klass.hours)
    if enrolment.subsidy_id is not None:
        raise Conflict(_("The subsidy for this completion has been paid; it cannot change."), record=record)
    before = snapshot(enrolment)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.certificate_number = certificate
    enrolment.hours_attended = hours
    enrolment.save(update_fields=["status", "completed_on", "certificate_number", "hours_attended", "updated_at"])
    audit_log(
        actor=actor,
        action="training.enrolment.complete",
        obj=enrolment,
        root=enrolment.person.household,
        before=before,
        after=snapshot(enrolment),
        area_code=klass.area.code,
    )
    return enrolment


@transaction.atomic
def enrolment_drop(
    *, actor: Any, klass: TrainingClass, id_number: str | None = None, person: Person | None = None, reason: str = ""
) -> Enrolment:
    """A trainee left the class without completing it."""
    klass = _lock_class(klass)
    record = klass.code
    _writable_class(actor, klass)
    enrolment = _enrolled(klass, id_number, person, record=record, rule=rules.COMPLETION_NEEDS_ENROLMENT)
    if enrolment.subsidy_id is not None:
        raise Conflict(_("The subsidy for this completion has been paid; it cannot change."), record=record)
    before = snapshot(enrolment)
    enrolment.status = EnrolmentStatus.DROPPED
    enrolment.completed_on = None
    enrolment.save(update_fields=["status", "completed_on", "updated_at"])
    audit_log(
        actor=actor,
        action="training.enrolment.drop",
        obj=enrolment,
        root=enrolment.person.household,
        before=before,
        after=snapshot(enrolment),
        area_code=klass.area.code,
        note=check_text(reason, field_name="reason", record=record, max_length=300),
    )
    return enrolment


# --- transfers to employment ---------------------------------------------------------------------


@transaction.atomic
def transfer_record(
    *,
    actor: Any,
    klass: TrainingClass,
    employer: str,
    place: str,
    destination: str,
    sector: str,
    start_date: Any,
    monthly_wage: Any,
    id_number: str | None = None,
    person: Person | None = None,
) -> Transfer:
    """A trainee of the class took up a job: employer, place, sector, start, monthly wage.
    A person may have several transfers over time."""
    klass = _lock_class(klass)
    record = klass.code
    _writable_class(actor, klass)
    enrolment = _enrolled(klass, id_number, person, record=record, rule=rules.TRANSFER_NEEDS_ENROLMENT)
    values: dict[str, Any] = {
        "employer": check_text(
            employer, field_name="employer", record=record, max_length=rules.NAME_MAX_LENGTH, required=True
        ),
        "place": check_text(place, field_name="place", record=record, max_length=rules.NAME_MAX_LENGTH, required=True),
        "destination": check_choice(destination, Destination, field_name="destination", record=record),
        "sector": check_choice(sector, Sector, field_name="sector", record=record),
        "start_date": check_date(start_date, field_name="start_date", record=record),
        "monthly_wage": _amount(monthly_wage, field_name="monthly_wage", record=record, maximum=rules.WAGE_MAX),
    }
    rules.TRANSFER_AFTER_CLASS.check(record=record, start_date=values["start_date"], class_end=klass.end_date)
    rules.WAGE_NOT_NEGATIVE.check(record=record, monthly_wage=values["monthly_wage"])
    if Transfer.objects.filter(
        enrolment=enrolment, employer=values["employer"], start_date=values["start_date"]
    ).exists():
        raise Conflict(_("This transfer is recorded already."), field="start_date", record=record)
    transfer = Transfer.objects.create(
        enrolment=enrolment, recorded_by=actor if getattr(actor, "pk", None) else None, **values
    )
    audit_log(
        actor=actor,
        action="training.transfer.record",
        obj=transfer,
        root=enrolment.person.household,
        after=snapshot(transfer),
        area_code=klass.area.code,
    )
    return transfer


# --- targets ----------------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, actor: Any, area_code: str, year: int, trained: int, transferred: int) -> Target:
    """Set the year's targets of a county (county office) or the province's plan
    (province office): people to train and people to transfer."""
    record = f"{area_code} {year}"
    area = AdminArea.objects.filter(code=str(area_code or "")).first()
    if area is None:
        raise InvalidInput(_("Unknown area code “%(code)s”.") % {"code": area_code}, field="area", record=record)
    rules.TARGET_AREA.check(record=record, area_level=area.level)
    check_role(actor, Role.PROVINCE if area.level == Level.PROVINCE else Role.COUNTY, record=record)
    check_scope(actor, area.code, record=record, field="area")
    year = check_year(year, field_name="year", record=record)
    values: dict[str, Any] = {
        "trained": check_int(trained, field_name="trained", record=record, minimum=0, maximum=100_000_000),
        "transferred": check_int(transferred, field_name="transferred", record=record, minimum=0, maximum=100_000_000),
    }
    target = Target.objects.select_for_update().filter(area=area, year=year).first()
    before = snapshot(target) if target is not None else None
    if target is None:
        target = Target.objects.create(area=area, year=year, **values)
    else:
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
    audit_log(
        actor=actor,
        action="training.target.set",
        obj=target,
        before=before,
        after=snapshot(target),
        area_code=area.code,
    )
    return target


# --- subsidies ------------------------------------------------------------------------------------


@transaction.atomic
def subsidy_pay(
    *, actor: Any, klass: TrainingClass, source: str, year: int, on: dt.date | None = None
) -> SubsidyPayment:
    """Pay the subsidy of every completed trainee of the class not yet paid for, as one
    disbursement of the funds ledger from the class's project (refused, like any
    disbursement, beyond what was allocated to the project)."""
    klass = _lock_class(klass)
    record = klass.code
    _writable_class(actor, klass)
    if klass.project is None:
        raise InvalidInput(
            _("The class has no funding project: the subsidies are paid from a project of the ledger."),
            field="project",
            record=record,
        )
    source = check_choice(source, Source, field_name="source", record=record)
    unpaid = list(
        Enrolment.objects.select_for_update()
        .filter(klass=klass, status=EnrolmentStatus.COMPLETED, subsidy__isnull=True)
        .values_list("pk", flat=True)
    )
    if not unpaid:
        raise InvalidInput(_("No completed trainee of this class awaits a subsidy."), record=record)
    if klass.subsidy_per_trainee <= 0:
        raise InvalidInput(_("The class pays no subsidy."), field="subsidy_per_trainee", record=record)
    amount = klass.subsidy_per_trainee * len(unpaid)
    entry = funds.disburse(
        actor=actor,
        project=klass.project,
        source=source,
        year=year,
        amount=amount,
        on=on,
        document=klass.code,
        note=_("Training subsidies of class %(code)s: %(n)s trainees") % {"code": klass.code, "n": len(unpaid)},
    )
    payment = SubsidyPayment.objects.create(klass=klass, entry=entry, trainees=len(unpaid), amount=amount)
    Enrolment.objects.filter(pk__in=unpaid).update(subsidy=payment)
    audit_log(
        actor=actor,
        action="training.subsidy.pay",
        obj=payment,
        root=klass,
        after=snapshot(payment),
        area_code=klass.area.code,
    )
    return payment
