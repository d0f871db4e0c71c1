from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from fupin.core.modelfields import TIMESTAMPS, field_names
from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.core.validation import PHONE_MAX_LENGTH, PHONE_PATTERN
from fupin.geo.models import AdminArea
from fupin.registry.choices import (
    ASSURANCE_FIELDS,
    INCOME_AMOUNT_FIELDS,
    INCOME_TRANSFER_ITEMS,
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
from fupin.registry.rules import HOUSEHOLD_CODE_MAX_LENGTH, HOUSEHOLD_CODE_PATTERN, HOUSEHOLD_SIZE_MAX, per_capita

phone_validator = RegexValidator(PHONE_PATTERN, _("Not a phone number."))


def money(label: Any) -> models.DecimalField:
    """An amount in yuan: NUMERIC(14, 2), never a float."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=Decimal("0"))


class HouseholdQuerySet(ScopedQuerySet):
    area_lookup = "village"


def assurance(label: Any) -> models.BooleanField:
    """Whether one item of 两不愁三保障 (or safe drinking water) is assured for the
    household: True assured, False not assured (the household is deprived in it), and
    NULL not yet assessed.

    Nullable on purpose: households registered before the assessment, and packages from
    systems that do not record it, must not count as assured (that would hide
    deprivation in the multidimensional measure) nor as deprived (that would invent it).
    The measure leaves out households with an item not yet assessed and reports how many.
    """
    return models.BooleanField(label, null=True, blank=True, default=None)


class Household(TimeStampedModel):
    """A rural household of a village, the unit of identification (建档立卡户).

    ``assured_food`` .. ``assured_water`` record the 两不愁三保障 items plus safe drinking
    water (see ``assurance``): not worrying about food (不愁吃) or clothing (不愁穿);
    compulsory education (义务教育), basic medical care (基本医疗) and safe housing (住房安全)
    guaranteed; safe drinking water (饮水安全) guaranteed."""

    code = models.CharField(
        _("household code"),
        max_length=HOUSEHOLD_CODE_MAX_LENGTH,
        unique=True,
        validators=[RegexValidator(HOUSEHOLD_CODE_PATTERN, _("The village's code followed by serial digits."))],
    )
    village = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[phone_validator])
    type_ordinary = models.BooleanField(_("ordinary poor household"), default=False)
    type_dibao = models.BooleanField(_("minimum living allowance (低保) household"), default=False)
    type_wubao = models.BooleanField(_("five guarantees (五保) household"), default=False)
    main_cause = models.CharField(_("main cause of poverty"), max_length=16, choices=Cause.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NON_POOR)
    returned = models.BooleanField(_("returned to poverty"), default=False)
    procedure = models.CharField(
        _("procedure under way"), max_length=16, choices=Procedure.choices, blank=True, default=""
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True, default="")
    stage_date = models.DateField(_("date of the last step"), null=True, blank=True)
    assured_food = assurance(_("food assured (不愁吃)"))
    assured_clothing = assurance(_("clothing assured (不愁穿)"))
    assured_education = assurance(_("compulsory education guaranteed (义务教育有保障)"))
    assured_medical = assurance(_("basic medical care guaranteed (基本医疗有保障)"))
    assured_housing = assurance(_("safe housing guaranteed (住房安全有保障)"))
    assured_water = assurance(_("safe drinking water guaranteed (饮水安全有保障)"))

    objects = models.Manager.from_queryset(HouseholdQuerySet)()

    ASSURANCE_FIELDS = ASSURANCE_FIELDS

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["village", "status"], name="household_village_status_idx"),
            models.Index(fields=["status"], name="household_status_idx"),
            models.Index(fields=["main_cause"], name="household_cause_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(procedure="") & Q(stage="")) | (~Q(procedure="") & ~Q(stage="")),
                name="household_stage_iff_procedure",
            ),
            models.CheckConstraint(condition=Q(code__regex=HOUSEHOLD_CODE_PATTERN), name="household_code_digits"),
        ]

    def __str__(self) -> str:
        return self.code


class SecondaryCause(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="secondary_causes")
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)

    class Meta:
        verbose_name = _("secondary cause")
        verbose_name_plural = _("secondary causes")
        constraints = [models.UniqueConstraint(fields=["household", "cause"], name="secondary_cause_unique")]

    def __str__(self) -> str:
        return self.get_cause_display()


class Helper(models.Model):
    """A person responsible for helping the household (帮扶责任人)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="helpers")
    name = models.CharField(_("name"), max_length=64)
    unit = models.CharField(_("work unit"), max_length=128, blank=True)
    post = models.CharField(_("post"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    area_lookup = "household__village"


class Person(TimeStampedModel):
    """A member of a household. A person belongs to one household at a time and an ID
    number exists once."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    relation = models.CharField(_("relation to the head"), max_length=14, choices=Relation.choices)
    education = models.CharField(_("education"), max_length=10, choices=Education.choices)
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY)
    disability = models.CharField(_("disability"), max_length=12, choices=Disability.choices, blank=True, default="")
    labour = models.CharField(_("labour ability"), max_length=10, choices=Labour.choices)
    migrant_work = models.CharField(
        _("migrant work"), max_length=10, choices=MigrantWork.choices, blank=True, default=""
    )
    migrant_months = models.PositiveSmallIntegerField(_("months of migrant work"), default=0)

    objects = models.Manager.from_queryset(PersonQuerySet)()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household_id", "id"]
        permissions = [("view_identifiers", _("Can see ID numbers and phone numbers unmasked"))]
        # varchar_pattern_ops serves LIKE 'prefix%' on PostgreSQL; SQLite ignores opclasses
        indexes = [models.Index(fields=["name"], name="person_name_idx", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="HEAD"), name="person_one_head_per_household"
            ),
            models.CheckConstraint(condition=Q(migrant_months__lte=12), name="person_migrant_months_max_12"),
        ]

    def __str__(self) -> str:
        return self.name


class IncomeQuerySet(ScopedQuerySet):
    area_lookup = "household__village"


_TRANSFER_ITEMS = INCOME_TRANSFER_ITEMS


def _sum(fields: list[str]) -> Any:
    expr: Any = F(fields[0])
    for name in fields[1:]:
        expr = expr + F(name)
    return expr


class IncomeRecord(TimeStampedModel):
    """A household's income in one year (yuan). Net income is the sum of wage, household
    business, property and transfer income minus production costs; per capita net income
    divides it by the household's size in that year. Both are computed by the database."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    year = models.PositiveSmallIntegerField(_("year"))
    household_size = models.PositiveSmallIntegerField(
        _("household size in the year"),
        validators=[MinValueValidator(1), MaxValueValidator(HOUSEHOLD_SIZE_MAX)],
    )
    wage = money(_("wage income"))
    business = money(_("household business income"))
    property_income = money(_("property income"))
    transfer_family_planning = money(_("family planning payments"))
    transfer_dibao = money(_("minimum living allowance"))
    transfer_wubao = money(_("five guarantees support"))
    transfer_pension = money(_("pension"))
    transfer_eco_compensation = money(_("ecological compensation"))
    transfer_other = money(_("other transfer income"))
    production_costs = money(_("production costs"))
    transfer = models.GeneratedField(
        expression=_sum(_TRANSFER_ITEMS),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("transfer income"),
    )
    net_income = models.GeneratedField(
        expression=_sum(["wage", "business", "property_income", *_TRANSFER_ITEMS]) - F("production_costs"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("net income"),
    )

    objects = models.Manager.from_queryset(IncomeQuerySet)()

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["household_id", "year"]
        indexes = [models.Index(fields=["year"], name="income_year_idx")]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_one_record_per_year"),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="income_household_size_positive"),
            models.CheckConstraint(
                condition=Q(household_size__lte=HOUSEHOLD_SIZE_MAX), name="income_household_size_max"
            ),
            models.CheckConstraint(
                condition=Q(wage__gte=0)
                & Q(business__gte=0)
                & Q(property_income__gte=0)
                & Q(transfer_family_planning__gte=0)
                & Q(transfer_dibao__gte=0)
                & Q(transfer_wubao__gte=0)
                & Q(transfer_pension__gte=0)
                & Q(transfer_eco_compensation__gte=0)
                & Q(transfer_other__gte=0)
                & Q(production_costs__gte=0),
                name="income_amounts_not_negative",
            ),
        ]

    TRANSFER_ITEMS = _TRANSFER_ITEMS
    AMOUNT_FIELDS = INCOME_AMOUNT_FIELDS

    def __str__(self) -> str:
        return f"{self.household_id}/{self.year}"

    @property
    def per_capita_net_income(self) -> Decimal:
        return per_capita(Decimal(self.net_income), self.household_size)


class PovertyLine(models.Model):
    """The poverty line of a year: national, or set by a province or city for its area."""

    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("line (yuan per person per year)"), max_digits=10, decimal_places=2)
    scope = models.CharField(_("scope"), max_length=10, choices=LineScope.choices, default=LineScope.NATIONAL)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["year", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(area__isnull=True), name="poverty_line_one_national_per_year"
            ),
            models.UniqueConstraint(fields=["year", "area"], name="poverty_line_one_per_area_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="poverty_line_positive"),
            models.CheckConstraint(
                condition=(Q(scope="national") & Q(area__isnull=True)) | (~Q(scope="national") & Q(area__isnull=False)),
                name="poverty_line_area_iff_local",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class StatusEventQuerySet(ScopedQuerySet):
    area_lookup = "household__village"


class StatusEvent(models.Model):
    """One dated step of a household's identification, exit or return procedure."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="status_events")
    procedure = models.CharField(_("procedure"), max_length=16, choices=Procedure.choices)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    date = models.DateField(_("date"))
    stage_before = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    stage_after = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    status_before = models.CharField(max_length=10, choices=Status.choices)
    status_after = models.CharField(max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(db_default=Now())

    objects = models.Manager.from_queryset(StatusEventQuerySet)()

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["household_id", "date", "id"]
        indexes = [
            models.Index(fields=["household", "date"], name="status_event_household_idx"),
            models.Index(fields=["procedure", "action", "date"], name="status_event_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.procedure} {self.action}"


# --- field lists, from the models ------------------------------------------------------------
# A household's own data, as its services take them (the code, the village and the status are
# set by their own steps: creation, moving, the workflow).
HOUSEHOLD_FIELDS = field_names(
    Household,
    exclude=("id", *TIMESTAMPS, "code", "village", "status", "returned", "procedure", "stage", "stage_date"),
)
# A member's data, as the services take them and the audit log records them.
MEMBER_FIELDS = field_names(Person, exclude=("id", *TIMESTAMPS, "household"))
