"""Every write of the responsibility and assessment system. Each service checks role and
scope, applies the rules of ``accountability.rules``, writes, and records its audit event
in one transaction.

Who may write: a county office (or above) its areas' responsibility assignments and
promotion meetings; a city office (or above) the targets of its counties and departments,
its typical models, and its own city's assessment; the province office the province-wide
assessment (of the counties) and everything below."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accountability import evidence as files
from fupin.accountability import rules
from fupin.accountability.choices import AssessmentStatus, ModelKind
from fupin.accountability.models import (
    AssessedDepartment,
    Assessment,
    Evidence,
    ModelFigure,
    PromotionMeeting,
    ResponsibilityAssignment,
    Result,
    Score,
    Target,
    TypicalModel,
    Weight,
)
from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import InvalidInput
from fupin.core.policy import check_role, check_scope
from fupin.core.validation import check_choice, check_date, check_int, check_text, check_year
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.registry.models import Household

FIGURE_QUANTUM = Decimal(1).scaleb(-rules.FIGURE_DECIMALS)
WEIGHT_QUANTUM = Decimal(1).scaleb(-rules.WEIGHT_DECIMALS)
POINTS = Decimal("0.01")
ACHIEVEMENT = Decimal("0.0001")


def _decimal(value: Any, *, field_name: str, record: str | None, quantum: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(_("Not a number."), field=field_name, record=record) from exc
    if not number.is_finite():
        raise InvalidInput(_("Not a number."), field=field_name, record=record)
    if number != number.quantize(quantum, rounding=ROUND_HALF_UP):
        raise InvalidInput(
            _("At most %(n)s decimal places.") % {"n": -int(quantum.as_tuple().exponent)},
            field=field_name,
            record=record,
        )
    if abs(number) >= Decimal(10) ** (rules.FIGURE_DIGITS - rules.FIGURE_DECIMALS):
        raise InvalidInput(_("The number is too large."), field=field_name, record=record)
    return number


def _area(code: Any, *, field_name: str, record: str | None) -> AdminArea:
    area = AdminArea.objects.filter(code=str(code or "").strip()).first()
    if area is None:
        raise InvalidInput(_("Unknown area code “%(code)s”.") % {"code": code}, field=field_name, record=record)
    return area


def _text(value: Any, name: str, record: str | None, *, required: bool = True, long: bool = False) -> str:
    limit = rules.TEXT_MAX_LENGTH if long else rules.NAME_MAX_LENGTH
    return check_text(value, field_name=name, record=record, max_length=limit, required=required)


# --- responsibility assignments ----------------------------------------------------------------------


@transaction.atomic
def assignment_save(
    *,
    actor: Any,
    area_code: str,
    year: Any,
    leader_name: str,
    leader_post: str,
    units: Iterable[str] | str,
    tasks: str,
) -> ResponsibilityAssignment:
    """Record (or change) the responsible leader of an area for a year, with the units that
    implement the work and the tasks (county office or above)."""
    record = f"{area_code} {year} {leader_name}".strip()
    check_role(actor, Role.COUNTY, record=record)
    area = _area(area_code, field_name="area", record=record)
    check_scope(actor, area.code, record=record, field="area")
    year = check_year(year, field_name="year", record=record)
    name = _text(leader_name, "leader_name", record)
    unit_lines = units.splitlines() if isinstance(units, str) else list(units)
    values = {
        "leader_post": _text(leader_post, "leader_post", record),
        "units": _text("\n".join(u.strip() for u in unit_lines if u and u.strip()), "units", record, long=True),
        "tasks": _text(tasks, "tasks", record, long=True),
    }
    existing = ResponsibilityAssignment.objects.select_for_update(of=("self",)).filter(
        area=area, year=year, leader_name=name
    )
    assignment = existing.order_by("pk").first()
    before = snapshot(assignment) if assignment else None
    if assignment is None:
        assignment = ResponsibilityAssignment.objects.create(area=area, year=year, leader_name=name, **values)
    else:
        for key, value in values.items():
            setattr(assignment, key, value)
        assignment.save()
    audit_log(
        actor=actor,
        action="accountability.assignment.save",
        obj=assignment,
        before=before,
        after=snapshot(assignment),
        area_code=area.code,
    )
    return assignment


# --- targets --------------------------------------------------------------------------------------------


def department_for(*, actor: Any, city: AdminArea, name: str, record: str | None) -> AssessedDepartment:
    """The city's department of this name, registered if it is new (inside the caller's
    transaction; the caller checked role and scope)."""
    name = _text(name, "department", record)
    department, created = AssessedDepartment.objects.get_or_create(city=city, name=name)
    if created:
        audit_log(
            actor=actor,
            action="accountability.department.create",
            obj=department,
            after=snapshot(department),
            area_code=city.code,
        )
    return department


@transaction.atomic
def target_set(
    *,
    actor: Any,
    year: Any,
    indicator: str,
    value: Any,
    area_code: str,
    department: str = "",
    actual: Any = None,
) -> Target:
    """Set the target of a county (``area_code``), or of a city's department (the city's
    code and the department's name), on an indicator of the specification for a year
    (city office or above). A department's actual figure is entered with it."""
    indicator = str(indicator or "").strip()
    department = str(department or "").strip()
    unit = f"{area_code} {department}".strip() if department else str(area_code)
    record = f"{unit} {year} {indicator}"
    check_role(actor, Role.CITY, record=record)
    year = check_year(year, field_name="year", record=record)
    rules.INDICATOR_KNOWN.check(record=record, values={"indicator": indicator})
    if not indicator:
        raise InvalidInput(_("This field is required."), field="indicator", record=record)
    area = _area(area_code, field_name="area", record=record)
    rules.TARGET_AREA_LEVEL.check(record=record, values={"area_level": area.level, "department": department})
    check_scope(actor, area.code, record=record, field="area")
    rules.TARGET_POSITIVE.check(record=record, values={"value": str(value if value is not None else "").strip()})
    number = _decimal(value, field_name="value", record=record, quantum=FIGURE_QUANTUM)
    given_actual = None if actual in (None, "") else actual
    rules.ACTUAL_ONLY_FOR_DEPARTMENTS.check(
        record=record, values={"actual": "" if given_actual is None else str(given_actual), "department": department}
    )
    actual_number = None
    if given_actual is not None:
        rules.ACTUAL_NOT_NEGATIVE.check(record=record, values={"actual": str(given_actual).strip()})
        actual_number = _decimal(given_actual, field_name="actual", record=record, quantum=FIGURE_QUANTUM)
    if department:
        unit_lookup: dict[str, Any] = {
            "department": department_for(actor=actor, city=area, name=department, record=record)
        }
    else:
        unit_lookup = {"area": area}
    target = (
        Target.objects.select_for_update(of=("self",))
        .filter(year=year, indicator=indicator, **unit_lookup)
        .order_by("pk")
        .first()
    )
    before = snapshot(target) if target else None
    if target is None:
        target = Target.objects.create(
            year=year, indicator=indicator, value=number, actual=actual_number, **unit_lookup
        )
    else:
        target.value, target.actual = number, actual_number
        target.save()
    audit_log(
        actor=actor,
        action="accountability.target.set",
        obj=target,
        before=before,
        after=snapshot(target),
        area_code=area.code,
    )
    return target


# --- assessments ------------------------------------------------------------------------------------------


def check_weights(weights: Mapping[str, Any], *, record: str | None) -> dict[str, Decimal]:
    """The weights as decimals, or the first refusal of ``rules.WEIGHT_RULES`` and
    ``rules.WEIGHTS_NOT_ALL_ZERO`` (the rows the importer checks)."""
    rows = [(str(k).strip(), "" if v is None else str(v).strip()) for k, v in weights.items()]
    frame = pl.DataFrame(
        {"indicator": [r[0] for r in rows], "weight": [r[1] for r in rows], "_group": [0] * len(rows)},
        schema={"indicator": pl.String, "weight": pl.String, "_group": pl.Int64},
    )
    for rule in rules.WEIGHT_RULES:
        broken = frame.filter(rule.where())
        if broken.height:
            raise rule.refusal(record=record, indicator=broken["indicator"][0], maximum=rules.WEIGHT_MAX)
    if rules.all_zero(frame, "_group").height or not rows:
        raise rules.WEIGHTS_NOT_ALL_ZERO.refusal(record=record)
    out = {}
    for indicator, weight in rows:
        out[indicator] = _decimal(weight, field_name="weights", record=record, quantum=WEIGHT_QUANTUM)
    return out


def _assessor(actor: Any, area_code: str, record: str) -> AdminArea:
    check_role(actor, Role.CITY, record=record)
    area = _area(area_code, field_name="area", record=record)
    rules.ASSESSOR_LEVEL.check(record=record, values={"area_level": area.level})
    # the province's assessment needs the province in scope; a city office's, its city
    check_scope(actor, area.code, record=record, field="area")
    return area


def _write_weights(assessment: Assessment, weights: dict[str, Decimal]) -> None:
    assessment.weights.all().delete()
    Weight.objects.bulk_create(Weight(assessment=assessment, indicator=k, weight=v) for k, v in sorted(weights.items()))


def _weights_of(assessment: Assessment) -> dict[str, str]:
    return {w.indicator: str(w.weight) for w in assessment.weights.all()}


@transaction.atomic
def assessment_create(*, actor: Any, area_code: str, year: Any, title: str, weights: Mapping[str, Any]) -> Assessment:
    """Open the assessment of a year by the province or a city, with one weight per
    indicator (draft until it is run)."""
    record = f"{area_code} {year}"
    area = _assessor(actor, area_code, record)
    year = check_year(year, field_name="year", record=record)
    title = _text(title, "title", record)
    checked = check_weights(weights, record=record)
    if Assessment.objects.filter(area=area, year=year).exists():
        raise InvalidInput(_("This area's assessment of this year exists."), field="year", record=record)
    assessment = Assessment.objects.create(area=area, year=year, title=title)
    _write_weights(assessment, checked)
    audit_log(
        actor=actor,
        action="accountability.assessment.create",
        obj=assessment,
        after={**snapshot(assessment), "weights": _weights_of(assessment)},
        area_code=area.code,
    )
    return assessment


@transaction.atomic
def assessment_set_weights(*, actor: Any, assessment: Assessment, weights: Mapping[str, Any]) -> Assessment:
    """Replace the assessment's weights (its results, if it was run, stay until it is run again)."""
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("area").get(pk=assessment.pk)
    record = str(assessment)
    _assessor(actor, assessment.area.code, record)
    checked = check_weights(weights, record=record)
    before = _weights_of(assessment)
    _write_weights(assessment, checked)
    audit_log(
        actor=actor,
        action="accountability.assessment.weights",
        obj=assessment,
        before={"weights": before},
        after={"weights": _weights_of(assessment)},
        area_code=assessment.area.code,
    )
    return assessment


def achievement(actual: Decimal | None, target: Decimal) -> Decimal:
    """actual / target, at least 0 and at most ``rules.ACHIEVEMENT_CAP`` (an unavailable
    actual figure achieves 0)."""
    if actual is None or target <= 0:
        return Decimal(0)
    return min(max(actual / target, Decimal(0)), rules.ACHIEVEMENT_CAP).quantize(ACHIEVEMENT, rounding=ROUND_HALF_UP)


def score_unit(
    targets: Mapping[str, Decimal], actuals: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]
) -> tuple[list[tuple[str, Decimal, Decimal | None, Decimal, Decimal, Decimal]], Decimal] | None:
    """One unit's scores: for each weighted indicator (weight above 0) it has a target on,
    (indicator, target, actual, achievement, weight, points), and the total
    ``100 × Σ wᵢ·aᵢ / (cap × Σ wᵢ)``; None when no weighted indicator has a target."""
    chosen = [i for i in sorted(targets) if weights.get(i, Decimal(0)) > 0]
    if not chosen:
        return None
    total_weight = sum((weights[i] for i in chosen), Decimal(0))
    scale = rules.FULL_SCORE / (rules.ACHIEVEMENT_CAP * total_weight)
    rows = []
    exact = Decimal(0)
    for indicator in chosen:
        a = achievement(actuals.get(indicator), targets[indicator])
        points = weights[indicator] * a * scale
        exact += points
        rows.append(
            (
                indicator,
                targets[indicator],
                actuals.get(indicator),
                a,
                weights[indicator],
                points.quantize(POINTS, rounding=ROUND_HALF_UP),
            )
        )
    return rows, exact.quantize(POINTS, rounding=ROUND_HALF_UP)


def ranks(scores: list[Decimal]) -> list[int]:
    """Competition ranking (1, 2, 2, 4): a unit's rank is 1 + the number of units scoring more."""
    return [1 + sum(1 for other in scores if other > s) for s in scores]


def _county_actuals(assessment: Assessment, counties: list[str], indicator_ids: list[str], snapshot_: Any) -> dict:
    from fupin.analytics.engine import Engine
    from fupin.analytics.indicators import evaluate
    from fupin.analytics.report import year_end
    from fupin.analytics.snapshot import snapshot_for

    if not counties:
        return {}
    snapshot_ = snapshot_ or snapshot_for(year_end(assessment.year))
    engine = Engine(snapshot_)
    out: dict[str, dict[str, Decimal | None]] = {}
    for code in counties:
        values = evaluate(engine.scope(year=assessment.year, area=code), ids=indicator_ids)
        out[code] = {v.indicator.id: (Decimal(str(v.value)) if v.value is not None else None) for v in values}
    assessment.snapshot_as_of = snapshot_.as_of
    return out


@transaction.atomic
def assessment_run(*, actor: Any, assessment: Assessment, snapshot: Any = None) -> Assessment:
    """Score every assessed unit and rank them: the counties under the assessing area with
    a target of the year (actual figures from the indicator engine, on a current snapshot
    as of the year's end unless one is given) and, for a city, its departments (actual
    figures entered on their targets). Runs again from scratch when run before."""
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("area").get(pk=assessment.pk)
    record = str(assessment)
    _assessor(actor, assessment.area.code, record)
    weights = {w.indicator: w.weight for w in assessment.weights.all()}
    weighted = sorted(i for i, w in weights.items() if w > 0)
    if not weighted:
        raise rules.WEIGHTS_NOT_ALL_ZERO.refusal(record=record)
    targets = Target.objects.filter(year=assessment.year, indicator__in=weighted).select_related("area", "department")
    by_county: dict[str, dict[str, Decimal]] = {}
    counties = {}
    for t in targets.filter(area__isnull=False).in_area(assessment.area.code):
        by_county.setdefault(t.area.code, {})[t.indicator] = t.value
        counties[t.area.code] = t.area
    by_department: dict[int, dict[str, Decimal]] = {}
    dept_actuals: dict[int, dict[str, Decimal | None]] = {}
    departments = {}
    if assessment.area.level == "city":
        for t in targets.filter(department__city=assessment.area):
            by_department.setdefault(t.department_id, {})[t.indicator] = t.value
            dept_actuals.setdefault(t.department_id, {})[t.indicator] = t.actual
            departments[t.department_id] = t.department
    actuals = _county_actuals(assessment, sorted(counties), weighted, snapshot)
    assessment.results.all().delete()
    units: list[tuple[dict[str, Any], Any]] = []
    for code in sorted(by_county):
        units.append(({"area": counties[code]}, score_unit(by_county[code], actuals.get(code, {}), weights)))
    for dept_id in sorted(by_department, key=lambda d: departments[d].name):
        units.append(
            ({"department": departments[dept_id]}, score_unit(by_department[dept_id], dept_actuals[dept_id], weights))
        )
    summary = []
    for kind in ("area", "department"):
        scored = [(unit, s) for unit, s in units if kind in unit and s is not None]
        for (unit, (rows, total)), rank in zip(scored, ranks([s[1] for _u, s in scored]), strict=True):
            result = Result.objects.create(assessment=assessment, score=total, rank=rank, **unit)
            Score.objects.bulk_create(
                Score(result=result, indicator=i, target=t, actual=a, achievement=ach, weight=w, points=p)
                for i, t, a, ach, w, p in rows
            )
            summary.append({"unit": result.unit_name, "score": str(total), "rank": rank})
    assessment.status = AssessmentStatus.RUN
    assessment.run_at = timezone.now()
    assessment.save()
    audit_log(
        actor=actor,
        action="accountability.assessment.run",
        obj=assessment,
        after={"status": assessment.status, "results": summary},
        area_code=assessment.area.code,
    )
    return assessment


# --- evidence ---------------------------------------------------------------------------------------------


def read_limited(stream: Any, size: int | None = None) -> bytes:
    """At most the limit and one byte of an uploaded file (so that an oversized one is
    refused without reading it all)."""
    limit = files.max_bytes()
    if size is not None and size > limit:
        raise rules.EVIDENCE_SIZE.refusal(record=getattr(stream, "name", None), size=size, limit=limit)
    return stream.read(limit + 1)


@transaction.atomic
def evidence_attach(*, actor: Any, assessment: Assessment, name: str, data: bytes, description: str = "") -> Evidence:
    """Attach an evidence file to an assessment (the assessor's office): refused when its
    content is not of an accepted type or it is over ``FUPIN_EVIDENCE_MAX_BYTES``."""
    record = str(name or "")[: rules.FILE_NAME_MAX_LENGTH] or str(assessment)
    _assessor(actor, assessment.area.code, record)
    limit = files.max_bytes()
    if len(data) > limit:
        raise rules.EVIDENCE_SIZE.refusal(record=record, size=len(data), limit=limit)
    if not data:
        raise rules.EVIDENCE_EMPTY.refusal(record=record)
    kind = files.sniff(data)
    if kind is None:
        raise rules.EVIDENCE_TYPE.refusal(record=record)
    file_name = check_text(
        name.replace("/", "_").replace("\\", "_"),
        field_name="file",
        record=record,
        max_length=rules.FILE_NAME_MAX_LENGTH,
        required=True,
    )
    description = _text(description, "description", record, required=False)
    stored = files.new_name()
    path = files.path_of(stored)
    path.write_bytes(data)
    try:
        item = Evidence.objects.create(
            assessment=assessment,
            name=file_name,
            stored_name=stored,
            type=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            description=description,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_log(
            actor=actor,
            action="accountability.evidence.attach",
            obj=item,
            root=assessment,
            after={"name": item.name, "type": item.type, "size": item.size, "sha256": item.sha256},
            area_code=assessment.area.code,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return item


# --- typical models -----------------------------------------------------------------------------------------


def check_figures(figures: Mapping[str, Any] | str, *, record: str) -> dict[str, Decimal]:
    pairs = rules.figure_rows(figures) if isinstance(figures, str) else [(str(k), str(v)) for k, v in figures.items()]
    out = {}
    for key, value in pairs:
        key = key.strip()
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):
            number = None
        if not key or number is None or not number.is_finite() or len(key) > rules.KEY_MAX_LENGTH:
            raise rules.FIGURE_FORMAT.refusal(record=record, figure=f"{key}={value}")
        out[key] = _decimal(number, field_name="figures", record=record, quantum=FIGURE_QUANTUM)
    return out


@transaction.atomic
def model_save(
    *,
    actor: Any,
    code: str,
    kind: str,
    year: Any,
    title: str,
    case_zh: str,
    case_en: str,
    area_code: str = "",
    household_code: str = "",
    enterprise_code: str = "",
    figures: Mapping[str, Any] | str = "",
) -> TypicalModel:
    """Record (or change) a typical model: a village or county (``area_code``), a household
    (``household_code``) or an enterprise (``enterprise_code``) of the registry and of the
    leading enterprises, with its case in both languages and its figures (city office or above)."""
    code = check_text(code, field_name="code", record=None, max_length=rules.CODE_MAX_LENGTH, required=True)
    record = code
    check_role(actor, Role.CITY, record=record)
    kind = check_choice(kind, ModelKind, field_name="kind", record=record)
    year = check_year(year, field_name="year", record=record)
    household = enterprise = None
    area = None
    if kind == ModelKind.HOUSEHOLD and household_code:
        household = Household.objects.select_related("village").filter(code=str(household_code).strip()).first()
        if household is None:
            raise InvalidInput(_("No household with this code is in the registry."), field="household", record=record)
        area = household.village
    elif kind == ModelKind.ENTERPRISE and enterprise_code:
        enterprise = (
            Enterprise.objects.select_related("county").filter(code=str(enterprise_code).strip().upper()).first()
        )
        if enterprise is None:
            raise InvalidInput(_("No leading enterprise with this code."), field="enterprise", record=record)
        area = enterprise.county
    elif area_code:
        area = _area(area_code, field_name="area", record=record)
    rules.MODEL_SUBJECT.check(
        record=record,
        values={
            "kind": kind,
            "area_level": area.level if area is not None else "",
            "household": household.code if household else "",
            "enterprise": enterprise.code if enterprise else "",
        },
    )
    if area is None:  # MODEL_SUBJECT refuses a model without one
        raise rules.MODEL_SUBJECT.refusal(record=record)
    check_scope(actor, area.code, record=record, field="area")
    values = {
        "kind": kind,
        "year": year,
        "area": area,
        "household": household,
        "enterprise": enterprise,
        "title": _text(title, "title", record),
        "case_zh": _text(case_zh, "case_zh", record, long=True),
        "case_en": _text(case_en, "case_en", record, long=True),
    }
    numbers = check_figures(figures, record=record)
    model = TypicalModel.objects.select_for_update(of=("self",)).filter(code=code).order_by("pk").first()
    before = snapshot(model) if model else None
    if model is not None:
        check_scope(actor, model.area.code, record=record, field="area")
        for key, value in values.items():
            setattr(model, key, value)
        model.save()
    else:
        model = TypicalModel.objects.create(code=code, **values)
    model.figures.all().delete()
    ModelFigure.objects.bulk_create(ModelFigure(model=model, key=k, value=v) for k, v in numbers.items())
    audit_log(
        actor=actor,
        action="accountability.model.save",
        obj=model,
        before=before,
        after={**snapshot(model), "figures": {k: str(v) for k, v in numbers.items()}},
        area_code=area.code,
    )
    return model


# --- promotion meetings ----------------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(*, actor: Any, date: Any, area_code: str, title: str, participants: Any) -> PromotionMeeting:
    """Record an on-the-spot promotion meeting held in an area (county office or above)."""
    record = f"{area_code} {date}"
    check_role(actor, Role.COUNTY, record=record)
    area = _area(area_code, field_name="area", record=record)
    check_scope(actor, area.code, record=record, field="area")
    on: dt.date = check_date(date, field_name="date", record=record)
    title = _text(title, "title", record)
    rules.PARTICIPANTS_POSITIVE.check(record=record, values={"participants": str(participants)})
    count = check_int(participants, field_name="participants", record=record, minimum=1, maximum=1_000_000)
    if PromotionMeeting.objects.filter(date=on, area=area, title=title).exists():
        raise InvalidInput(_("This meeting is recorded."), field="title", record=record)
    meeting = PromotionMeeting.objects.create(date=on, area=area, title=title, participants=count)
    audit_log(
        actor=actor, action="accountability.meeting.record", obj=meeting, after=snapshot(meeting), area_code=area.code
    )
    return meeting
