"""Social and pairing assistance (社会扶贫, 定点帮扶): assisting units, their pairings with
counties, townships and villages, the cadres they dispatch and their visits, their
contributions (which enter the funds ledger as the social sources), the programs projects
they support, the training classes they organise, and the students they aid.

Where a record lies (who sees it, who may change it):

    a unit          its own area, and also every area it is paired with
    a pairing       its area (the county, township or village paired)
    a cadre         the place (area) the cadre is sent to
    a visit         the area visited
    a contribution  its recipient area (a project's area for a project)
    a project link  the project's area
    a class link    the class's area
    a student aid   the student's household's village
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.assistance import rules
from fupin.assistance.choices import CadreKind, ContributionForm, ContributionKind, UnitLevel
from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.funds.models import Entry
from fupin.geo.models import AdminArea
from fupin.programs.models import Project
from fupin.registry.models import Person
from fupin.training.models import TrainingClass


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2)


class UnitQuerySet(ScopedQuerySet):
    area_lookup = "area"
    also_visible_by = ("pairings__area",)


class AssistingUnit(TimeStampedModel):
    """A unit that assists poor areas: a central, provincial, city or county organ, an
    enterprise or another organisation, with its own area (``rules.UNIT_AREA_LEVELS``)."""

    code = models.CharField(_("unit code"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=rules.NAME_MAX_LENGTH)
    name_en = models.CharField(_("English name"), max_length=rules.NAME_MAX_LENGTH, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=UnitLevel.choices)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="assisting_units", verbose_name=_("area")
    )

    objects = models.Manager.from_queryset(UnitQuerySet)()

    class Meta:
        verbose_name = _("assisting unit")
        verbose_name_plural = _("assisting units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PairingQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Pairing(TimeStampedModel):
    """A unit paired with (assigned to help) a county, township or village (结对帮扶), from
    ``start_year`` to ``end_year`` (one year when they are the same)."""

    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("assisting unit")
    )
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("area"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    objects = models.Manager.from_queryset(PairingQuerySet)()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["unit_id", "start_year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="assistance_pairing_years"),
            models.UniqueConstraint(fields=["unit", "area", "start_year"], name="assistance_pairing_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.area.code} {self.start_year}-{self.end_year}"


class CadreQuerySet(ScopedQuerySet):
    area_lookup = "place"


class Cadre(TimeStampedModel):
    """A cadre a unit dispatches to a place (people outside the registry): a member of a
    resident work team, a first secretary or another post, from ``start_date`` to
    ``end_date`` (empty: still there)."""

    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("assisting unit")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    post = models.CharField(_("post"), max_length=rules.TEXT_MAX_LENGTH, blank=True)
    kind = models.CharField(pgettext_lazy("cadre", "kind"), max_length=16, choices=CadreKind.choices)
    place = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("place"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = models.Manager.from_queryset(CadreQuerySet)()

    class Meta:
        verbose_name = _("cadre dispatched")
        verbose_name_plural = _("cadres dispatched")
        ordering = ["unit_id", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="assistance_cadre_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.name}"


class VisitQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Visit(TimeStampedModel):
    """A visit of a unit to an area: the date, how many people came and why."""

    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="visits", verbose_name=_("assisting unit")
    )
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    date = models.DateField(_("date"))
    people = models.PositiveIntegerField(_("people"))
    purpose = models.CharField(pgettext_lazy("visit", "purpose"), max_length=rules.TEXT_MAX_LENGTH, blank=True)

    objects = models.Manager.from_queryset(VisitQuerySet)()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "id"]
        constraints = [models.CheckConstraint(condition=Q(people__gte=1), name="assistance_visit_people")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.area.code} {self.date}"


class ContributionQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Contribution(TimeStampedModel):
    """Money or goods a unit gives (a grant, 无偿) or brings in (introduced investment, 引进)
    to an area or a programs project. It enters the funds ledger as an appropriation of the
    social source (``SOCIAL_GRANT`` or ``SOCIAL_INVESTMENT``) at the recipient's county:
    ``entry`` is that appropriation (empty only for a contribution whose money is in the
    ledger by another entry)."""

    number = models.CharField(_("contribution number"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("assisting unit")
    )
    kind = models.CharField(pgettext_lazy("contribution", "kind"), max_length=12, choices=ContributionKind.choices)
    form = models.CharField(_("form"), max_length=8, choices=ContributionForm.choices, default=ContributionForm.CASH)
    value = _money(_("value (yuan)"))
    date = models.DateField(_("date"))
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient area"))
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("project"),
    )
    description = models.CharField(_("description"), max_length=rules.TEXT_MAX_LENGTH, blank=True)
    entry = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contribution",
        verbose_name=_("ledger entry"),
    )

    objects = models.Manager.from_queryset(ContributionQuerySet)()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-date", "number"]
        constraints = [models.CheckConstraint(condition=Q(value__gt=0), name="assistance_contribution_positive")]

    def __str__(self) -> str:
        return self.number


class SupportedProjectQuerySet(ScopedQuerySet):
    area_lookup = "project__area"


class SupportedProject(TimeStampedModel):
    """A programs project built with a unit's help in a year (项目建设)."""

    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("assisting unit")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="assisting_units", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))

    objects = models.Manager.from_queryset(SupportedProjectQuerySet)()

    class Meta:
        verbose_name = _("project supported by a unit")
        verbose_name_plural = _("projects supported by units")
        ordering = ["-year", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "project", "year"], name="assistance_project_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.project.code} {self.year}"


class UnitClassQuerySet(ScopedQuerySet):
    area_lookup = "klass__area"


class UnitClass(TimeStampedModel):
    """A training class (of the training app) organised by a unit: its trainees, the
    class's enrolments, are the farmers the unit trained."""

    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="classes", verbose_name=_("assisting unit")
    )
    klass = models.OneToOneField(
        TrainingClass, on_delete=models.PROTECT, related_name="assisting_unit", verbose_name=_("training class")
    )

    objects = models.Manager.from_queryset(UnitClassQuerySet)()

    class Meta:
        verbose_name = _("class organised by a unit")
        verbose_name_plural = _("classes organised by units")
        ordering = ["unit_id", "klass_id"]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.klass.code}"


class StudentAidQuerySet(ScopedQuerySet):
    area_lookup = "person__household__village"


class StudentAid(TimeStampedModel):
    """Aid of a unit to a student of a registry household in a year: the school and the
    amount."""

    unit = models.ForeignKey(
        AssistingUnit, on_delete=models.PROTECT, related_name="students", verbose_name=_("assisting unit")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="student_aid", verbose_name=_("student"))
    year = models.PositiveSmallIntegerField(_("year"))
    school = models.CharField(_("school"), max_length=rules.TEXT_MAX_LENGTH)
    amount = _money(_("amount (yuan)"))

    objects = models.Manager.from_queryset(StudentAidQuerySet)()

    class Meta:
        verbose_name = _("student aid")
        verbose_name_plural = _("student aid")
        ordering = ["-year", "person_id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="assistance_student_amount_positive"),
            models.UniqueConstraint(fields=["unit", "person", "year"], name="assistance_student_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.person.name} {self.year}"
