"""Rain Plan training (雨露计划): training bases, classes, the enrolment of registry persons,
their transfers to employment, yearly targets, and the subsidies paid for completed
trainees through the funds ledger.

Where a record lies (who sees it, who may change it):

    a base         its county
    a class        its area (the county or village where it is held; a base's class is
                   held in the base's county unless it names a village)
    an enrolment   its class's area, and also the trainee's village (a county sees its
                   people trained at a base elsewhere)
    a transfer     as its enrolment
    a target       its area (a county, or the province for the province's plan)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.core.validation import PHONE_MAX_LENGTH
from fupin.funds.models import Entry
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


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=Decimal("0"))


class BaseQuerySet(ScopedQuerySet):
    area_lookup = "county"


class TrainingBase(TimeStampedModel):
    """A poverty alleviation training base (扶贫培训基地), open to the labour of poor
    households."""

    code = models.CharField(_("base code"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=rules.NAME_MAX_LENGTH)
    county = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="training_bases", verbose_name=_("county")
    )
    certification = models.CharField(_("certified by"), max_length=12, choices=Certification.choices)
    certified_year = models.PositiveSmallIntegerField(_("year certified"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("trainees a year"), default=0)
    contact = models.CharField(_("contact person"), max_length=rules.CONTACT_MAX_LENGTH, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True)

    objects = models.Manager.from_queryset(BaseQuerySet)()

    class Meta:
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ClassQuerySet(ScopedQuerySet):
    area_lookup = "area"


class TrainingClass(TimeStampedModel):
    """One class: held by a base or by another organiser (a county poverty office, an
    agricultural extension station), of one type, with its dates, subject, hours and the
    subsidy paid for each trainee who completes it. ``project`` is the project of the
    funds ledger that pays the subsidies (a training project)."""

    code = models.CharField(_("class code"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    base = models.ForeignKey(
        TrainingBase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classes",
        verbose_name=_("training base"),
    )
    organiser = models.CharField(_("organiser"), max_length=rules.NAME_MAX_LENGTH, blank=True)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="training_classes", verbose_name=_("held in")
    )
    type = models.CharField(_("type"), max_length=16, choices=ClassType.choices)
    subject = models.CharField(_("subject"), max_length=rules.NAME_MAX_LENGTH)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    hours = models.PositiveIntegerField(_("hours"))
    subsidy_per_trainee = _money(_("subsidy per trainee (yuan)"))
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_classes",
        verbose_name=_("funding project"),
    )

    objects = models.Manager.from_queryset(ClassQuerySet)()

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-start_date", "code"]
        indexes = [models.Index(fields=["type", "end_date"], name="training_class_type_end_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_class_dates_ordered"),
            models.CheckConstraint(
                condition=Q(base__isnull=False) | ~Q(organiser=""), name="training_class_base_or_organiser"
            ),
            models.CheckConstraint(condition=Q(subsidy_per_trainee__gte=0), name="training_class_subsidy_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    @property
    def held_by(self) -> str:
        return self.base.name if self.base is not None else self.organiser


class SubsidyPayment(models.Model):
    """The subsidies of a class's completed trainees, paid in one disbursement of the
    funds ledger (``entry``) from the class's project."""

    klass = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="subsidy_payments", verbose_name=_("class")
    )
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="training_subsidy", verbose_name=_("ledger entry")
    )
    trainees = models.PositiveIntegerField(_("trainees"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("training subsidy payment")
        verbose_name_plural = _("training subsidy payments")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.klass.code} {self.amount}"


class EnrolmentQuerySet(ScopedQuerySet):
    area_lookup = "klass__area"
    also_visible_by = ("person__household__village",)


class Enrolment(TimeStampedModel):
    """A registry person enrolled in a class: the hours attended, completion and the
    certificate."""

    klass = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("class")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training_enrolments", verbose_name=_("trainee")
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    hours_attended = models.PositiveIntegerField(_("hours attended"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=rules.CERTIFICATE_MAX_LENGTH, blank=True)
    leader_role = models.CharField(_("leader role"), max_length=20, choices=LeaderRole.choices, blank=True)
    subsidy = models.ForeignKey(
        SubsidyPayment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("subsidy paid"),
    )

    objects = models.Manager.from_queryset(EnrolmentQuerySet)()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["klass_id", "id"]
        indexes = [models.Index(fields=["status", "completed_on"], name="training_enrol_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["klass", "person"], name="training_enrolment_once_per_class"),
            models.CheckConstraint(
                condition=(Q(status=EnrolmentStatus.COMPLETED) & Q(completed_on__isnull=False))
                | (~Q(status=EnrolmentStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="training_enrolment_completed_iff_date",
            ),
            models.CheckConstraint(
                condition=Q(subsidy__isnull=True) | Q(status=EnrolmentStatus.COMPLETED),
                name="training_enrolment_subsidy_if_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.klass.code} {self.person.name}"


class TransferQuerySet(ScopedQuerySet):
    area_lookup = "enrolment__klass__area"
    also_visible_by = ("enrolment__person__household__village",)


class Transfer(TimeStampedModel):
    """A trainee's transfer to employment after a class: a person may have several over
    time (one per job)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("enrolment")
    )
    employer = models.CharField(_("employer"), max_length=rules.NAME_MAX_LENGTH)
    place = models.CharField(_("place of work"), max_length=rules.NAME_MAX_LENGTH)
    destination = models.CharField(_("destination"), max_length=16, choices=Destination.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    start_date = models.DateField(_("start date"))
    monthly_wage = models.DecimalField(_("monthly wage (yuan)"), max_digits=10, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = models.Manager.from_queryset(TransferQuerySet)()

    class Meta:
        verbose_name = _("transfer to employment")
        verbose_name_plural = _("transfers to employment")
        ordering = ["enrolment_id", "start_date", "id"]
        indexes = [models.Index(fields=["start_date"], name="training_transfer_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_wage__gte=0), name="training_transfer_wage_not_negative"),
            models.UniqueConstraint(
                fields=["enrolment", "employer", "start_date"], name="training_transfer_once_per_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.start_date}"


class TargetQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Target(TimeStampedModel):
    """The year's targets of a county, or of the province (the province's plan): people
    to train at the transfer training bases and to transfer to employment."""

    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="training_targets", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    trained = models.PositiveIntegerField(_("people to train"), default=0)
    transferred = models.PositiveIntegerField(_("people to transfer"), default=0)

    objects = models.Manager.from_queryset(TargetQuerySet)()

    class Meta:
        verbose_name = _("training target")
        verbose_name_plural = _("training targets")
        ordering = ["year", "area__code"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="training_target_once_per_year")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}"
