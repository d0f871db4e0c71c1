"""The responsibility and assessment system (责任制与考核): responsibility assignments,
yearly targets on indicators of the specification, assessments with their weights, scores
and ranking, evidence files, typical models and promotion meetings.

Where a record lies (who sees it, who may change it):

    an assignment      its area (a county, or any area with a responsible leader)
    a department       its city (a city's departments are assessed units, not areas)
    a target           its area (a county), or its department's city
    an assessment      its assessing area (the province, or a city), with its weights,
                       results, scores and evidence
    a typical model    its area (the village or county it is, or where the household or
                       enterprise is)
    a meeting          its area
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.accountability import rules
from fupin.accountability.choices import AssessmentStatus, EvidenceType, ModelKind
from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.registry.models import Household


def _figure(label: Any, **kw: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=rules.FIGURE_DIGITS, decimal_places=rules.FIGURE_DECIMALS, **kw)


class AreaQuerySet(ScopedQuerySet):
    area_lookup = "area"


class ResponsibilityAssignment(TimeStampedModel):
    """The responsible leader of an area's poverty alleviation work for a year, the units
    that implement it and its tasks (the seed: "clarify the responsible leaders and the
    implementation units and implement the responsibility and tasks")."""

    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="responsibility_assignments", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    leader_name = models.CharField(_("responsible leader"), max_length=rules.NAME_MAX_LENGTH)
    leader_post = models.CharField(_("post"), max_length=rules.NAME_MAX_LENGTH)
    units = models.TextField(_("implementing units (one a line)"), max_length=rules.TEXT_MAX_LENGTH)
    tasks = models.TextField(_("tasks"), max_length=rules.TEXT_MAX_LENGTH)

    objects = models.Manager.from_queryset(AreaQuerySet)()

    class Meta:
        verbose_name = _("responsibility assignment")
        verbose_name_plural = _("responsibility assignments")
        ordering = ["-year", "area__code", "leader_name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "leader_name"], name="accountability_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year} {self.leader_name}"

    @property
    def unit_list(self) -> list[str]:
        return [line.strip() for line in self.units.splitlines() if line.strip()]


class DepartmentQuerySet(ScopedQuerySet):
    area_lookup = "city"


class AssessedDepartment(TimeStampedModel):
    """A department of a city (市直部门) that the city assesses with its counties. It is no
    area of the tree: its actual figures are entered on its targets, not computed."""

    city = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="assessed_departments", verbose_name=_("city")
    )
    name = models.CharField(_("department"), max_length=rules.NAME_MAX_LENGTH)

    objects = models.Manager.from_queryset(DepartmentQuerySet)()

    class Meta:
        verbose_name = _("assessed department")
        verbose_name_plural = _("assessed departments")
        ordering = ["city__code", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="accountability_department_once")]

    def __str__(self) -> str:
        return self.name


class TargetQuerySet(ScopedQuerySet):
    area_lookup = "area"
    also_visible_by = ("department__city",)


class Target(TimeStampedModel):
    """A yearly target of a county, or of a city's department, on one indicator of the
    specification (``analytics/data/indicators.csv``). A department's actual figure is
    entered here (``actual``); a county's is computed by the indicator engine when an
    assessment runs."""

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_targets",
        verbose_name=_("county"),
    )
    department = models.ForeignKey(
        AssessedDepartment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("department"),
    )
    indicator = models.CharField(_("indicator"), max_length=rules.INDICATOR_MAX_LENGTH)
    value = _figure(_("target"))
    actual = _figure(_("actual figure (departments)"), null=True, blank=True)

    objects = models.Manager.from_queryset(TargetQuerySet)()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "area__code", "department__name", "indicator"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(department__isnull=True))
                | (Q(area__isnull=True) & Q(department__isnull=False)),
                name="accountability_target_area_or_department",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="accountability_target_positive"),
            models.UniqueConstraint(
                fields=["year", "area", "indicator"],
                condition=Q(area__isnull=False),
                name="accountability_target_area_once",
            ),
            models.UniqueConstraint(
                fields=["year", "department", "indicator"],
                condition=Q(department__isnull=False),
                name="accountability_target_department_once",
            ),
        ]

    def __str__(self) -> str:
        unit = self.area.code if self.area is not None else str(self.department)
        return f"{unit} {self.year} {self.indicator}"


class AssessmentQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Assessment(TimeStampedModel):
    """The target assessment (目标考核) of a year by the province (of its counties) or by a
    city (of its counties and its departments), with one weight per indicator."""

    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("assessing area")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=rules.NAME_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=8, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    run_at = models.DateTimeField(_("run at"), null=True, blank=True)
    snapshot_as_of = models.DateField(_("figures as of"), null=True, blank=True)

    objects = models.Manager.from_queryset(AssessmentQuerySet)()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "area__code"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="accountability_assessment_once")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}"


class InAssessmentQuerySet(ScopedQuerySet):
    area_lookup = "assessment__area"


class Weight(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="weights", verbose_name=_("assessment")
    )
    indicator = models.CharField(_("indicator"), max_length=rules.INDICATOR_MAX_LENGTH)
    weight = models.DecimalField(_("weight"), max_digits=rules.WEIGHT_DIGITS, decimal_places=rules.WEIGHT_DECIMALS)

    objects = models.Manager.from_queryset(InAssessmentQuerySet)()

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        ordering = ["assessment_id", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="accountability_weight_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="accountability_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.weight}"


class Result(models.Model):
    """One assessed unit's total score and rank in a run assessment (counties and
    departments are ranked each among their own kind)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name=_("assessment")
    )
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    department = models.ForeignKey(
        AssessedDepartment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("department"),
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))

    objects = models.Manager.from_queryset(InAssessmentQuerySet)()

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["assessment_id", "department_id", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.unit_name} {self.score}"

    @property
    def unit_name(self) -> str:
        return self.area.name if self.area is not None else str(self.department)


class Score(models.Model):
    """A unit's score on one indicator: actual / target capped at ``rules.ACHIEVEMENT_CAP``,
    and the points it gives (docs/accountability.md)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores", verbose_name=_("result"))
    indicator = models.CharField(_("indicator"), max_length=rules.INDICATOR_MAX_LENGTH)
    target = _figure(_("target"))
    actual = _figure(_("actual figure"), null=True, blank=True)
    achievement = models.DecimalField(_("achievement"), max_digits=9, decimal_places=4)
    weight = models.DecimalField(_("weight"), max_digits=rules.WEIGHT_DIGITS, decimal_places=rules.WEIGHT_DECIMALS)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["result_id", "indicator"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.points}"


class Evidence(models.Model):
    """A file attached to an assessment as evidence. Stored under a random name in the
    evidence folder (``fupin.accountability.evidence``), never served as a static file."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("assessment")
    )
    name = models.CharField(_("file name"), max_length=rules.FILE_NAME_MAX_LENGTH)
    stored_name = models.CharField(_("stored name"), max_length=64, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=8, choices=EvidenceType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=rules.NAME_MAX_LENGTH, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = models.Manager.from_queryset(InAssessmentQuerySet)()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["assessment_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class TypicalModel(TimeStampedModel):
    """A typical model (典型) of a year: a village, a county, a household or an enterprise,
    with its case in Chinese and in English and its figures."""

    code = models.CharField(_("model code"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    kind = models.CharField(_("kind of model"), max_length=12, choices=ModelKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="typical_models", verbose_name=_("area"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="typical_models",
        verbose_name=_("household"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="typical_models",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("title"), max_length=rules.NAME_MAX_LENGTH)
    case_zh = models.TextField(_("case (Chinese)"), max_length=rules.TEXT_MAX_LENGTH)
    case_en = models.TextField(_("case (English)"), max_length=rules.TEXT_MAX_LENGTH)

    objects = models.Manager.from_queryset(AreaQuerySet)()

    class Meta:
        verbose_name = _("typical model")
        verbose_name_plural = _("typical models")
        ordering = ["-year", "kind", "code"]

    def __str__(self) -> str:
        return self.title


class ModelFigure(models.Model):
    """One figure of a typical model's case (key and value, with its unit)."""

    model = models.ForeignKey(TypicalModel, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(pgettext_lazy("figure", "name"), max_length=rules.KEY_MAX_LENGTH)
    value = _figure(pgettext_lazy("figure", "value"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["model_id", "key"]
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="accountability_figure_once")]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class PromotionMeeting(TimeStampedModel):
    """An on-the-spot promotion meeting (现场推进会) held in an area."""

    date = models.DateField(_("date"))
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="promotion_meetings", verbose_name=_("held in")
    )
    title = models.CharField(_("title"), max_length=rules.NAME_MAX_LENGTH)
    participants = models.PositiveIntegerField(_("participants"))

    objects = models.Manager.from_queryset(AreaQuerySet)()

    class Meta:
        verbose_name = _("promotion meeting")
        verbose_name_plural = _("promotion meetings")
        ordering = ["-date", "area__code"]
        constraints = [models.UniqueConstraint(fields=["date", "area", "title"], name="accountability_meeting_once")]

    def __str__(self) -> str:
        return self.title
