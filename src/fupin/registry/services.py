"""Every write to the registry. Each service checks role and scope, validates, writes,
and records its audit event in one transaction; the web forms, the API, the importer and
the CLI all call these functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, Conflict, InvalidInput, InvalidTransition, NotFound
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import YEARS, check_date, check_int, check_phone, check_text
from fupin.core.validation import check_choice as _check_choice
from fupin.geo.choices import Level
from fupin.geo.models import AdminArea
from fupin.registry import idnumbers
from fupin.registry.choices import (
    Action,
    Cause,
    Disability,
    Education,
    Health,
    Labour,
    LineScope,
    MigrantWork,
    Procedure,
    Relation,
    Sex,
    Stage,
    Status,
)
from fupin.registry.models import (
    ASSURANCE_FIELDS,
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    Helper,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    SecondaryCause,
    StatusEvent,
)
from fupin.registry.rules import HOUSEHOLD_SIZE_MAX, check_household_code, per_capita
from fupin.registry.selectors import poverty_line_for
from fupin.registry.workflow import OUTCOME, STARTS_FROM, STEPS

_MEMBER_CHOICES = {
    "sex": Sex,
    "relation": Relation,
    "education": Education,
    "health": Health,
    "disability": Disability,
    "labour": Labour,
    "migrant_work": MigrantWork,
}


@dataclass
class MemberData:
    name: str
    id_number: str
    relation: str
    education: str
    labour: str
    health: str = Health.HEALTHY
    disability: str = ""
    migrant_work: str = ""
    migrant_months: int = 0
    sex: str | None = None
    birth_date: dt.date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MemberData:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class HelperData:
    name: str
    unit: str = ""
    post: str = ""
    phone: str = ""


@dataclass
class HouseholdData:
    village_code: str
    members: list[MemberData]
    address: str = ""
    phone: str = ""
    type_ordinary: bool = False
    type_dibao: bool = False
    type_wubao: bool = False
    main_cause: str = ""
    secondary_causes: list[str] = field(default_factory=list)
    helpers: list[HelperData] = field(default_factory=list)
    code: str = ""
    # 两不愁三保障 and safe water: True assured, False not assured, None not yet assessed
    assured_food: bool | None = None
    assured_clothing: bool | None = None
    assured_education: bool | None = None
    assured_medical: bool | None = None
    assured_housing: bool | None = None
    assured_water: bool | None = None


# --- helpers -----------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _village(code: str, *, record: str | None = None) -> AdminArea:
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise InvalidInput(_("Unknown village code “%(code)s”.") % {"code": code}, record=record, field="village")
    if area.level != Level.VILLAGE:
        raise InvalidInput(
            _("Area “%(code)s” is a %(level)s, not a village.") % {"code": code, "level": area.get_level_display()},
            record=record,
            field="village",
        )
    return area


def _check_causes(main: str, secondary: Iterable[str], *, record: str | None) -> list[str]:
    if main:
        _check_choice(main, Cause, field_name="main_cause", record=record)
    result = []
    for cause in secondary:
        _check_choice(cause, Cause, field_name="secondary_causes", record=record)
        if cause == main:
            raise InvalidInput(
                _("The main cause cannot also be a secondary cause."), field="secondary_causes", record=record
            )
        if cause not in result:
            result.append(cause)
    return result


def _check_assurances(values: Mapping[str, Any], *, record: str | None) -> None:
    """Each 两不愁三保障 item is assured (True), not assured (False) or not yet assessed
    (None); anything else (a string, a number) is refused rather than guessed."""
    for name in ASSURANCE_FIELDS:
        if name in values and values[name] is not None and not isinstance(values[name], bool):
            raise InvalidInput(
                _("Must be yes, no or empty (not yet assessed), not “%(value)s”.") % {"value": values[name]},
                field=name,
                record=record,
            )


def _text(model: Any, name: str, value: Any, *, record: str | None, required: bool = False) -> str:
    """A text field checked against its model field's length (the one definition)."""
    max_length = model._meta.get_field(name).max_length
    return check_text(value, field_name=name, record=record, max_length=max_length, required=required)


def _check_household_fields(values: Mapping[str, Any], *, record: str | None) -> dict[str, Any]:
    """The household's address and phone, checked; other keys are returned unchanged."""
    checked = dict(values)
    if "address" in values:
        checked["address"] = _text(Household, "address", values["address"], record=record)
    if "phone" in values:
        checked["phone"] = check_phone(values["phone"], record=record)
    return checked


def _check_helpers(helpers: Iterable[HelperData], *, record: str | None) -> list[HelperData]:
    result = []
    for i, h in enumerate(helpers):
        try:
            result.append(
                HelperData(
                    name=_text(Helper, "name", h.name, record=record, required=True),
                    unit=_text(Helper, "unit", h.unit, record=record),
                    post=_text(Helper, "post", h.post, record=record),
                    phone=check_phone(h.phone, record=record),
                )
            )
        except ApplicationError as exc:
            exc.field = f"helpers[{i + 1}].{exc.field}"
            raise
    return result


def _household_snapshot(household: Household) -> dict[str, Any]:
    data = snapshot(household, ["code", "village", *HOUSEHOLD_FIELDS, "status", "returned", "procedure", "stage"])
    data["secondary_causes"] = sorted(household.secondary_causes.values_list("cause", flat=True))
    data["helpers"] = [
        {"name": h.name, "unit": h.unit, "post": h.post, "phone": h.phone} for h in household.helpers.all()
    ]
    return data


def _validated_member(data: MemberData, *, record: str | None, exclude_pk: int | None = None) -> dict[str, Any]:
    """Check one member's fields; returns the values to store."""
    if not data.name or not str(data.name).strip():
        raise InvalidInput(_("A name is required."), field="name", record=record)
    name = _text(Person, "name", data.name, record=record, required=True)
    try:
        number = idnumbers.validate(data.id_number or "")
    except idnumbers.IdNumberError as exc:
        raise InvalidInput(
            _("Invalid ID number: %(reason)s.") % {"reason": exc}, field="id_number", record=record
        ) from exc
    sex = data.sex or idnumbers.sex(number)
    born = data.birth_date or idnumbers.birth_date(number)
    if isinstance(born, str):
        try:
            born = dt.date.fromisoformat(born)
        except ValueError as exc:
            raise InvalidInput(_("Not a date (YYYY-MM-DD)."), field="birth_date", record=record) from exc
    born = check_date(born, field_name="birth_date", record=record)
    if sex != idnumbers.sex(number):
        raise InvalidInput(_("Sex does not match the ID number."), field="sex", record=record)
    if born != idnumbers.birth_date(number):
        raise InvalidInput(_("Birth date does not match the ID number."), field="birth_date", record=record)
    values: dict[str, Any] = {
        "name": name,
        "id_number": number,
        "sex": sex,
        "birth_date": born,
        "relation": data.relation,
        "education": data.education,
        "health": data.health or Health.HEALTHY,
        "disability": data.disability or "",
        "labour": data.labour,
        "migrant_work": data.migrant_work or "",
        "migrant_months": int(data.migrant_months or 0),
    }
    for name, choices in _MEMBER_CHOICES.items():
        _check_choice(values[name], choices, field_name=name, record=record)
    if not 0 <= values["migrant_months"] <= 12:
        raise InvalidInput(_("Months of migrant work must be between 0 and 12."), field="migrant_months", record=record)
    if values["migrant_months"] and not values["migrant_work"]:
        raise InvalidInput(
            _("Months of migrant work need a place of migrant work."), field="migrant_work", record=record
        )
    clash = Person.objects.filter(id_number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict(
            _("ID number %(id)s is already registered in another record.") % {"id": idnumbers.mask(number)},
            field="id_number",
            record=record,
        )
    return values


def _next_household_code(village: AdminArea) -> str:
    last = (
        Household.objects.filter(code__startswith=village.code, code__regex=r"^\d{16}$")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    seq = int(last[12:]) + 1 if last else 1
    return f"{village.code}{seq:04d}"


def _lock_household(household: Household) -> Household:
    try:
        return Household.objects.select_for_update().select_related("village").get(pk=household.pk)
    except Household.DoesNotExist as exc:
        raise NotFound(record=household.code) from exc


def _writable(actor: Any, household: Household, *, minimum: str = Role.VILLAGE) -> None:
    check_role(actor, minimum, record=household.code)
    check_scope(actor, household.village.code, record=household.code)


# --- households ---------------------------------------------------------------------------


@transaction.atomic
def household_register(*, actor: Any, data: HouseholdData) -> Household:
    """Register a household of a village with its members (one of them the head)."""
    record = data.code or None
    village = _village(data.village_code, record=record)
    if data.code:
        check_household_code(data.code, village_code=village.code, record=record)
    fields = _check_household_fields({"address": data.address, "phone": data.phone}, record=record)
    helpers = _check_helpers(data.helpers, record=record)
    check_role(actor, Role.VILLAGE, record=record)
    check_scope(actor, village.code, record=record, field="village")
    secondary = _check_causes(data.main_cause, data.secondary_causes, record=record)
    assurances = {name: getattr(data, name) for name in ASSURANCE_FIELDS}
    _check_assurances(assurances, record=record)
    if not data.members:
        raise InvalidInput(_("A household needs at least one member."), field="members", record=record)
    heads = [m for m in data.members if m.relation == Relation.HEAD]
    if len(heads) != 1:
        raise InvalidInput(_("A household has exactly one head."), field="members", record=record)
    seen: set[str] = set()
    member_values = []
    for i, member in enumerate(data.members):
        try:
            values = _validated_member(member, record=record)
        except ApplicationError as exc:
            exc.field = f"members[{i + 1}].{exc.field}" if exc.field else f"members[{i + 1}]"
            raise
        if values["id_number"] in seen:
            raise Conflict(_("The same ID number appears twice."), field=f"members[{i + 1}].id_number", record=record)
        seen.add(values["id_number"])
        member_values.append(values)
    code = data.code or _next_household_code(village)
    if Household.objects.filter(code=code).exists():
        raise Conflict(_("Household code %(code)s exists.") % {"code": code}, field="code", record=code)
    household = Household.objects.create(
        code=code,
        village=village,
        address=fields["address"],
        phone=fields["phone"],
        type_ordinary=data.type_ordinary,
        type_dibao=data.type_dibao,
        type_wubao=data.type_wubao,
        main_cause=data.main_cause,
        **assurances,
    )
    SecondaryCause.objects.bulk_create(SecondaryCause(household=household, cause=c) for c in secondary)
    Helper.objects.bulk_create(
        Helper(household=household, name=h.name, unit=h.unit, post=h.post, phone=h.phone) for h in helpers
    )
    Person.objects.bulk_create(Person(household=household, **v) for v in member_values)
    after = _household_snapshot(household)
    after["members"] = [{k: v for k, v in m.items() if k != "birth_date"} for m in member_values]
    audit_log(actor=actor, action="household.register", obj=household, after=after, area_code=village.code)
    return household


@transaction.atomic
def household_update(
    *,
    actor: Any,
    household: Household,
    changes: Mapping[str, Any],
) -> Household:
    """Change a household's own fields, causes, helpers or village (a move)."""
    household = _lock_household(household)
    _writable(actor, household)
    before = _household_snapshot(household)
    unknown = set(changes) - {*HOUSEHOLD_FIELDS, "village_code", "secondary_causes", "helpers"}
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0], record=household.code)
    main = changes.get("main_cause", household.main_cause)
    secondary = changes.get("secondary_causes")
    if secondary is None:
        secondary = [c for c in household.secondary_causes.values_list("cause", flat=True) if c != main]
    secondary = _check_causes(main, secondary, record=household.code)
    _check_assurances(changes, record=household.code)
    changes = _check_household_fields(changes, record=household.code)
    if "helpers" in changes:
        changes["helpers"] = _check_helpers(changes["helpers"], record=household.code)
    if household.status == Status.POOR and not main:
        raise InvalidInput(_("A poor household needs a main cause."), field="main_cause", record=household.code)
    for name in HOUSEHOLD_FIELDS:
        if name in changes:
            setattr(household, name, changes[name])
    if "village_code" in changes:
        village = _village(changes["village_code"], record=household.code)
        check_scope(actor, village.code, record=household.code, field="village")
        household.village = village
    household.save()
    household.secondary_causes.all().delete()
    SecondaryCause.objects.bulk_create(SecondaryCause(household=household, cause=c) for c in secondary)
    if "helpers" in changes:
        household.helpers.all().delete()
        Helper.objects.bulk_create(
            Helper(household=household, name=h.name, unit=h.unit, post=h.post, phone=h.phone)
            for h in changes["helpers"]
        )
    after = _household_snapshot(household)
    audit_log(
        actor=actor,
        action="household.update",
        obj=household,
        before=before,
        after=after,
        area_code=household.village.code,
    )
    return household


@transaction.atomic
def household_delete(*, actor: Any, household: Household, reason: str) -> None:
    """Delete a household registered in error. Only a household that was never in a
    procedure can be deleted; the audit event keeps everything it held."""
    household = _lock_household(household)
    _writable(actor, household, minimum=Role.COUNTY)
    if not reason.strip():
        raise InvalidInput(_("Give the reason for deleting."), field="reason", record=household.code)
    if household.status != Status.NON_POOR or household.procedure or household.status_events.exists():
        raise Conflict(
            _("Only a household that was never identified as poor can be deleted."),
            field="status",
            record=household.code,
        )
    before = _household_snapshot(household)
    before["members"] = [snapshot(p, MEMBER_FIELDS) for p in household.members.all()]
    before["incomes"] = [snapshot(r) for r in household.incomes.all()]
    audit_log(
        actor=actor,
        action="household.delete",
        obj=household,
        before=before,
        area_code=household.village.code,
        note=reason,
    )
    household.delete()


# --- members ------------------------------------------------------------------------------


@transaction.atomic
def member_add(*, actor: Any, household: Household, data: MemberData) -> Person:
    household = _lock_household(household)
    _writable(actor, household)
    values = _validated_member(data, record=f"{household.code} {data.name}")
    if values["relation"] == Relation.HEAD and household.members.filter(relation=Relation.HEAD).exists():
        raise Conflict(_("This household already has a head."), field="relation", record=household.code)
    person = Person.objects.create(household=household, **values)
    audit_log(
        actor=actor,
        action="member.add",
        obj=person,
        after=snapshot(person, MEMBER_FIELDS),
        root=household,
        area_code=household.village.code,
    )
    return person


@transaction.atomic
def member_update(*, actor: Any, person: Person, changes: Mapping[str, Any]) -> Person:
    person = Person.objects.select_for_update().select_related("household__village").get(pk=person.pk)
    household = person.household
    _writable(actor, household)
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0], record=person.name)
    before = snapshot(person, MEMBER_FIELDS)
    merged = {**before, **changes}
    if "id_number" in changes and "sex" not in changes:
        merged["sex"] = None
    if "id_number" in changes and "birth_date" not in changes:
        merged["birth_date"] = None
    values = _validated_member(
        MemberData.from_mapping(merged), record=f"{household.code} {person.name}", exclude_pk=person.pk
    )
    if (
        values["relation"] == Relation.HEAD
        and household.members.filter(relation=Relation.HEAD).exclude(pk=person.pk).exists()
    ):
        raise Conflict(_("This household already has a head."), field="relation", record=household.code)
    for k, v in values.items():
        setattr(person, k, v)
    person.save()
    audit_log(
        actor=actor,
        action="member.update",
        obj=person,
        before=before,
        after=snapshot(person, MEMBER_FIELDS),
        root=household,
        area_code=household.village.code,
    )
    return person


@transaction.atomic
def member_remove(*, actor: Any, person: Person, reason: str) -> None:
    """Remove a member (death, marriage out, registration moved). The audit keeps the record."""
    person = Person.objects.select_for_update().select_related("household__village").get(pk=person.pk)
    household = person.household
    _writable(actor, household)
    if not reason.strip():
        raise InvalidInput(_("Give the reason for removing the member."), field="reason", record=person.name)
    if person.relation == Relation.HEAD and household.members.count() > 1:
        raise Conflict(
            _("Name another member as head before removing the head."),
            field="relation",
            record=household.code,
        )
    audit_log(
        actor=actor,
        action="member.remove",
        obj=person,
        before=snapshot(person, MEMBER_FIELDS),
        root=household,
        area_code=household.village.code,
        note=reason,
    )
    person.delete()


@transaction.atomic
def member_move(*, actor: Any, person: Person, to_household: Household, relation: str) -> Person:
    """Move a person to another household (a person belongs to one household at a time)."""
    person = Person.objects.select_for_update().select_related("household__village").get(pk=person.pk)
    source = person.household
    target = _lock_household(to_household)
    _writable(actor, source)
    _writable(actor, target)
    if source.pk == target.pk:
        raise InvalidInput(_("The person is already in this household."), field="household", record=person.name)
    if person.relation == Relation.HEAD and source.members.count() > 1:
        raise Conflict(_("Name another member as head before moving the head."), field="relation", record=source.code)
    _check_choice(relation, Relation, field_name="relation", record=person.name)
    if relation == Relation.HEAD and target.members.filter(relation=Relation.HEAD).exists():
        raise Conflict(_("The target household already has a head."), field="relation", record=target.code)
    before = snapshot(person, ["household", "relation"])
    person.household = target
    person.relation = relation
    person.save(update_fields=["household", "relation", "updated_at"])
    after = snapshot(person, ["household", "relation"])
    for root in (source, target):
        audit_log(
            actor=actor,
            action="member.move",
            obj=person,
            before=before,
            after=after,
            root=root,
            area_code=root.village.code,
        )
    return person


# --- incomes ------------------------------------------------------------------------------


def _amount(value: Any, *, field_name: str, record: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(_("Must be zero or more."), field=field_name, record=record)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(_("At most two decimal places (fen)."), field=field_name, record=record)
    return amount


@transaction.atomic
def income_record_save(
    *,
    actor: Any,
    household: Household,
    year: int,
    amounts: Mapping[str, Any],
    household_size: int | None = None,
) -> IncomeRecord:
    """Enter or correct a household's income for a year."""
    household = _lock_household(household)
    _writable(actor, household)
    record = f"{household.code}/{year}"
    unknown = set(amounts) - set(IncomeRecord.AMOUNT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0], record=record)
    if not YEARS[0] <= int(year) <= _today().year:
        raise InvalidInput(
            _("The year must be between %(first)s and this year.") % {"first": YEARS[0]}, field="year", record=record
        )
    size = household_size if household_size is not None else household.members.count()
    size = check_int(size, field_name="household_size", record=record, minimum=1, maximum=HOUSEHOLD_SIZE_MAX)
    values = {f: _amount(amounts.get(f), field_name=f, record=record) for f in IncomeRecord.AMOUNT_FIELDS}
    existing = IncomeRecord.objects.filter(household=household, year=year).first()
    before = snapshot(existing) if existing else None
    if existing is None:
        income = IncomeRecord.objects.create(household=household, year=year, household_size=size, **values)
    else:
        income = existing
        for k, v in values.items():
            setattr(income, k, v)
        income.household_size = size
        income.save()
    income.refresh_from_db()
    after = snapshot(income)
    after["net_income"] = str(income.net_income)
    after["per_capita_net_income"] = str(income.per_capita_net_income)
    audit_log(
        actor=actor,
        action="income.save",
        obj=income,
        before=before,
        after=after,
        root=household,
        area_code=household.village.code,
    )
    return income


# --- poverty lines ------------------------------------------------------------------------


@transaction.atomic
def poverty_line_set(
    *, actor: Any, year: int, amount: Any, area: AdminArea | None = None, basis: str = "", source: str = ""
) -> PovertyLine:
    """Set the national line (superuser only) or a province's or city's own line."""
    record = f"{year}"
    value = _amount(amount, field_name="amount", record=record)
    if value <= 0:
        raise InvalidInput(_("Must be more than zero."), field="amount", record=record)
    if area is None:
        if not getattr(actor, "is_superuser", False):
            check_role(actor, Role.PROVINCE, record=record)
            raise InvalidInput(_("Name the area whose line this is."), field="area", record=record)
        scope = LineScope.NATIONAL
    else:
        check_role(actor, Role.CITY if area.level == Level.CITY else Role.PROVINCE, record=record)
        check_scope(actor, area.code, record=record, field="area")
        if area.level not in (Level.PROVINCE, Level.CITY):
            raise InvalidInput(_("Only a province or a city can set its own line."), field="area", record=record)
        scope = LineScope.PROVINCIAL if area.level == Level.PROVINCE else LineScope.MUNICIPAL
    line, created = PovertyLine.objects.get_or_create(
        year=year, area=area, defaults={"amount": value, "scope": scope, "basis": basis, "source": source}
    )
    before = None if created else snapshot(line)
    line.amount, line.basis, line.source, line.scope = value, basis, source, scope
    line.save()
    audit_log(
        actor=actor,
        action="poverty_line.set",
        obj=line,
        before=before,
        after=snapshot(line),
        area_code=area.code if area else "",
    )
    return line


# --- the status lifecycle -----------------------------------------------------------------


def _assessed_income(household: Household, on: dt.date) -> IncomeRecord:
    income = (
        IncomeRecord.objects.filter(household=household, year__lte=on.year, year__gte=on.year - 1)
        .order_by("-year")
        .first()
    )
    if income is None:
        raise InvalidTransition(
            _("Enter the household's income for %(year)s or %(prev)s first.") % {"year": on.year, "prev": on.year - 1},
            field="income",
            record=household.code,
        )
    return income


_NOTICES = (Action.FIRST_NOTICE, Action.SECOND_NOTICE)


def _last_action(household: Household) -> str | None:
    return (
        StatusEvent.objects.filter(household=household)
        .order_by("-date", "-id")
        .values_list("action", flat=True)
        .first()
    )


def check_step(*, household: Household, action: str, on: dt.date, procedure: str | None = None) -> tuple[str, str]:
    """Business preconditions of one step; returns (procedure, stage after)."""
    record = household.code
    step = STEPS.get(action)
    if step is None:
        raise InvalidTransition(_("Unknown action."), field="action", record=record)
    if on > _today():
        raise InvalidInput(_("The date cannot be in the future."), field="date", record=record)
    if household.stage_date and on < household.stage_date:
        raise InvalidInput(
            _("The date cannot be before the previous step (%(date)s).") % {"date": household.stage_date},
            field="date",
            record=record,
        )
    if action == Action.APPLY:
        if household.procedure:
            raise InvalidTransition(
                _("A %(procedure)s procedure is already under way.")
                % {"procedure": Procedure(household.procedure).label},
                field="procedure",
                record=record,
            )
        if procedure not in STARTS_FROM:
            raise InvalidInput(_("Choose the procedure to apply for."), field="procedure", record=record)
        if STARTS_FROM[procedure] != household.status:
            raise InvalidTransition(
                _("A household that is “%(status)s” cannot apply for %(procedure)s.")
                % {"status": Status(household.status).label, "procedure": Procedure(procedure).label},
                field="status",
                record=record,
            )
        if not household.members.filter(relation=Relation.HEAD).exists():
            raise InvalidTransition(_("The household has no head."), field="members", record=record)
        if procedure != Procedure.EXIT and not household.main_cause:
            raise InvalidTransition(_("Record the main cause of poverty first."), field="main_cause", record=record)
        income = _assessed_income(household, on)
        line = poverty_line_for(household.village, income.year)
        if line is None:
            raise InvalidTransition(
                _("No poverty line is set for %(year)s.") % {"year": income.year}, field="year", record=record
            )
        pc = per_capita(Decimal(income.net_income), income.household_size)
        below = pc < line.amount
        if procedure == Procedure.EXIT and below:
            raise InvalidTransition(
                _("Per capita net income %(pc)s in %(year)s is below the line %(line)s: the household cannot exit.")
                % {"pc": pc, "year": income.year, "line": line.amount},
                field="per_capita_net_income",
                record=record,
            )
        if procedure != Procedure.EXIT and not below:
            raise InvalidTransition(
                _("Per capita net income %(pc)s in %(year)s is not below the line %(line)s.")
                % {"pc": pc, "year": income.year, "line": line.amount},
                field="per_capita_net_income",
                record=record,
            )
        return procedure, Stage.APPLIED
    if not household.procedure:
        raise InvalidTransition(_("No procedure is under way: apply first."), field="action", record=record)
    if household.stage not in step.moves:
        raise InvalidTransition(
            _("“%(action)s” is not possible at the stage “%(stage)s”.")
            % {"action": Action(action).label, "stage": Stage(household.stage).label},
            field="action",
            record=record,
        )
    if step.after_notice and household.stage_date and _last_action(household) in _NOTICES:
        ready = household.stage_date + dt.timedelta(days=settings.FUPIN_NOTICE_DAYS)
        if on < ready:
            raise InvalidTransition(
                _("The public notice must stand %(days)s days, until %(date)s.")
                % {"days": settings.FUPIN_NOTICE_DAYS, "date": ready},
                field="date",
                record=record,
            )
    return household.procedure, step.moves[household.stage]


@transaction.atomic
def household_step(
    *,
    actor: Any,
    household: Household,
    action: str,
    on: dt.date | None = None,
    procedure: str | None = None,
    note: str = "",
) -> StatusEvent:
    """Move a household one step through its identification, exit or return procedure."""
    household = _lock_household(household)
    on = check_date(on or _today(), field_name="date", record=household.code)
    note = _text(StatusEvent, "note", note, record=household.code)
    step = STEPS.get(action)
    if step is None:
        raise InvalidTransition(_("Unknown action."), field="action", record=household.code)
    role = step.roles.get(household.stage or Stage.NONE, Role.COUNTY)
    _writable(actor, household, minimum=role)
    proc, stage_after = check_step(household=household, action=action, on=on, procedure=procedure)
    before = snapshot(household, ["status", "returned", "procedure", "stage", "stage_date"])
    status_before = household.status
    stage_before = household.stage
    if step.completes:
        household.status = OUTCOME[proc]
        if proc == Procedure.RETURN:
            household.returned = True
    if stage_after == Stage.NONE:
        household.procedure = Procedure.NONE
        household.stage = Stage.NONE
    else:
        household.procedure = proc
        household.stage = stage_after
    household.stage_date = on
    household.save(update_fields=["status", "returned", "procedure", "stage", "stage_date", "updated_at"])
    event = StatusEvent.objects.create(
        household=household,
        procedure=proc,
        action=action,
        date=on,
        stage_before=stage_before,
        stage_after=stage_after,
        status_before=status_before,
        status_after=household.status,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        action=f"household.{action}",
        obj=household,
        before=before,
        after=snapshot(household, ["status", "returned", "procedure", "stage", "stage_date"]),
        area_code=household.village.code,
        note=note,
    )
    return event


def household_apply(
    *, actor: Any, household: Household, procedure: str, on: dt.date | None = None, note: str = ""
) -> StatusEvent:
    return household_step(actor=actor, household=household, action=Action.APPLY, procedure=procedure, on=on, note=note)


def _named_step(action: str) -> Any:
    def service(*, actor: Any, household: Household, on: dt.date | None = None, note: str = "") -> StatusEvent:
        return household_step(actor=actor, household=household, action=action, on=on, note=note)

    service.__name__ = f"household_{action}"
    service.__doc__ = f"The workflow step “{action}” (see fupin.registry.workflow)."
    return service


household_appraise = _named_step(Action.APPRAISE)
household_first_notice = _named_step(Action.FIRST_NOTICE)
household_review = _named_step(Action.REVIEW)
household_second_notice = _named_step(Action.SECOND_NOTICE)
household_approve = _named_step(Action.APPROVE)
household_object = _named_step(Action.OBJECT)
household_reject = _named_step(Action.REJECT)
