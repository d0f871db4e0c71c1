"""Programs: entire village advancement batches and village plans, projects with their
outputs, beneficiaries and labour inputs, and contiguous development zones.

A project belongs to one area (a village, a county or the province); a village plan's
projects are in its village and a zone's projects in one of its counties. Reads are
scoped by that area like every other record (``ScopedQuerySet``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.areacodes import ancestor_codes
from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet, scope_ranges
from fupin.geo.models import AdminArea
from fupin.programs.choices import (
    CHECKLIST,
    CHECKLIST_FIELDS,
    Category,
    PlanStatus,
    ProgramType,
    ProjectStatus,
    Unit,
)
from fupin.programs.rules import LABOUR_MIN_PERSONS, NOTE_MAX_LENGTH
from fupin.registry.models import Household, money


def note_field() -> models.TextField:
    """A note of at most ``NOTE_MAX_LENGTH`` characters (checked by the database too)."""
    return models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )


def note_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH), name=f"{name}_note_max_length"
    )


class Batch(TimeStampedModel):
    """A batch of entire village advancement (整村推进): villages that carry out their plans
    over the same years (Heilongjiang's 4th batch: 750 villages, completed in 2009)."""

    number = models.PositiveSmallIntegerField(_("batch number"), unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("year of completion"))
    note = note_field()

    class Meta:
        verbose_name = _("batch of entire village advancement")
        verbose_name_plural = _("batches of entire village advancement")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="batch_years_ordered"),
            note_constraint("batch"),
        ]

    def __str__(self) -> str:
        return self.name

    def active_in(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


def _check(label: Any) -> models.BooleanField:
    return models.BooleanField(label, default=False)


class VillagePlanQuerySet(ScopedQuerySet):
    area_lookup = "village"


class VillagePlan(TimeStampedModel):
    """A village's plan of entire village advancement (村级扶贫规划): its projects, the
    planned investment, its progress, and its acceptance against the province's standard
    ("四有三通三提高", one flag per item)."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="plans", verbose_name=_("batch"))
    village = models.OneToOneField(
        AdminArea, on_delete=models.PROTECT, related_name="village_plan", verbose_name=_("village")
    )
    planned_investment = money(_("planned investment"))
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.CharField(_("accepted by (officials)"), max_length=200, blank=True)
    check_household_projects = _check(CHECKLIST[0][2])
    check_training = _check(CHECKLIST[1][2])
    check_machinery = _check(CHECKLIST[2][2])
    check_clinic = _check(CHECKLIST[3][2])
    check_road = _check(CHECKLIST[4][2])
    check_tap_water = _check(CHECKLIST[5][2])
    check_tv = _check(CHECKLIST[6][2])
    check_conditions = _check(CHECKLIST[7][2])
    check_civility = _check(CHECKLIST[8][2])
    check_democracy = _check(CHECKLIST[9][2])
    note = note_field()

    objects = models.Manager.from_queryset(VillagePlanQuerySet)()

    CHECKLIST_FIELDS = CHECKLIST_FIELDS

    class Meta:
        verbose_name = _("village plan")
        verbose_name_plural = _("village plans")
        ordering = ["village__code"]
        indexes = [models.Index(fields=["batch", "status"], name="plan_batch_status_idx")]
        constraints = [
            note_constraint("plan"),
            # accepted iff it has an acceptance date, and only with every checklist item
            models.CheckConstraint(
                condition=(Q(status=PlanStatus.ACCEPTED) & Q(accepted_on__isnull=False))
                | (~Q(status=PlanStatus.ACCEPTED) & Q(accepted_on__isnull=True)),
                name="plan_accepted_iff_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.ACCEPTED) | Q(**dict.fromkeys(CHECKLIST_FIELDS, True)),
                name="plan_accepted_needs_checklist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} ({self.batch})"

    def checklist(self) -> list[tuple[str, str, Any, bool]]:
        return [(name, group, label, bool(getattr(self, name))) for name, group, label in CHECKLIST]

    def checklist_done(self) -> int:
        return sum(bool(getattr(self, name)) for name in CHECKLIST_FIELDS)


class ContiguousZoneQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ContiguousZoneQuerySet:
        """Zones that share ground with the user's areas: a county of the zone lies in one
        of them (a city's or the province's user) or one of them lies in a county of the
        zone (a township's or village's user): codes nest, so two areas share ground when one
        lies in the other. One query: ``id IN (SELECT zone FROM zone_counties WHERE ...)``."""
        ranges = scope_ranges(user)
        if ranges is None:
            return self
        if not ranges:
            return self.none()
        q = Q(pk__in=[])
        for lo, hi in ranges:
            q |= Q(adminarea__code__range=(lo, hi)) | Q(adminarea__code__in=ancestor_codes(lo))
        through = ContiguousZone.counties.through.objects.filter(q)
        return self.filter(pk__in=through.values("contiguouszone_id"))


class ContiguousZone(TimeStampedModel):
    """A contiguous development zone (连片开发区): several counties developed together, with
    projects and funds of their own (the pilots in Raohe and Fuyuan, then Yanshou and
    Tongjiang)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    counties = models.ManyToManyField(AdminArea, related_name="contiguous_zones", verbose_name=_("counties"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    note = note_field()

    objects = models.Manager.from_queryset(ContiguousZoneQuerySet)()

    class Meta:
        verbose_name = _("contiguous development zone")
        verbose_name_plural = _("contiguous development zones")
        ordering = ["code"]
        constraints = [note_constraint("zone")]

    def __str__(self) -> str:
        return self.name

    def active_in(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)


class ProjectQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Project(TimeStampedModel):
    """A project: in a village (usually of a village plan), a county (possibly of a
    contiguous zone) or the province."""

    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    program = models.CharField(_("program"), max_length=20, choices=ProgramType.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="projects", verbose_name=_("area"))
    plan = models.ForeignKey(
        VillagePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("village plan"),
    )
    zone = models.ForeignKey(
        ContiguousZone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("contiguous development zone"),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    budget = money(_("budget"))
    note = note_field()

    objects = models.Manager.from_queryset(ProjectQuerySet)()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["area", "program"], name="project_area_program_idx"),
            models.Index(fields=["program", "start_year"], name="project_program_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="project_years_ordered"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
            note_constraint("project"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OutputKind(models.Model):
    """One entry of the output catalogue (head of cattle, km of road, households connected
    to tap water...). The province extends it; the indicators ``output.*`` read it by code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=128)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("kind of output")
        verbose_name_plural = _("output catalogue")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_unit_display()})"


class ProjectOutputQuerySet(ScopedQuerySet):
    area_lookup = "project__area"


class ProjectOutput(TimeStampedModel):
    """What a project delivered in a year, in the catalogue's unit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("project"))
    kind = models.ForeignKey(OutputKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("output"))
    year = models.PositiveSmallIntegerField(_("year"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)

    objects = models.Manager.from_queryset(ProjectOutputQuerySet)()

    class Meta:
        verbose_name = _("project output")
        verbose_name_plural = _("project outputs")
        ordering = ["project_id", "year", "kind__order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "year"], name="output_one_per_kind_and_year"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="output_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name} {self.quantity.normalize():f} {self.kind.get_unit_display()}"


class BeneficiaryQuerySet(ScopedQuerySet):
    area_lookup = "household__village"


class Beneficiary(models.Model):
    """A household a project reached (受益户)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="beneficiaries", verbose_name=_("project")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="project_benefits", verbose_name=_("household")
    )
    year = models.PositiveSmallIntegerField(_("year"))

    objects = models.Manager.from_queryset(BeneficiaryQuerySet)()

    class Meta:
        verbose_name = _("beneficiary household")
        verbose_name_plural = _("beneficiary households")
        ordering = ["project_id", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household"], name="beneficiary_once_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} → {self.household.code}"


class LabourInputQuerySet(ScopedQuerySet):
    area_lookup = "project__area"


class LabourInput(models.Model):
    """Labour villagers put into a project in a year (投工投劳): persons and person-days."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="labour_inputs", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    persons = models.PositiveIntegerField(_("persons"))
    person_days = models.PositiveIntegerField(_("person-days"))

    objects = models.Manager.from_queryset(LabourInputQuerySet)()

    class Meta:
        verbose_name = _("labour input")
        verbose_name_plural = _("labour inputs")
        ordering = ["project_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="labour_one_per_project_and_year"),
            models.CheckConstraint(
                condition=Q(person_days__gte=models.F("persons")), name="labour_days_at_least_persons"
            ),
            models.CheckConstraint(condition=Q(persons__gte=LABOUR_MIN_PERSONS), name="labour_at_least_one_person"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}: {self.persons}"


ZERO = Decimal("0")
