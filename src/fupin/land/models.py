"""Land transfer (土地流转): the contracts by which households of a village transfer their
contracted land to a leading enterprise, a cooperative, a large household of the registry or
another party, and the transferors of each contract with their areas in mu.

Where a record lies (who sees it, who may change it):

    a contract     its village
    a transferor   its contract's village (a transferor lives in the contract's village)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.land import rules
from fupin.land.choices import Mode, Payment, TransfereeKind
from fupin.registry.models import Household


class ContractQuerySet(ScopedQuerySet):
    area_lookup = "village"

    def with_area(self) -> ContractQuerySet:
        return self.annotate(area=Sum("transferors__area_mu"))

    def in_force(self, on: dt.date) -> ContractQuerySet:
        """Contracts in force on the date: begun, not ended, not terminated."""
        return self.filter(start_date__lte=on, end_date__gte=on).exclude(terminated_on__lte=on)


class LandContract(TimeStampedModel):
    """A land transfer contract (土地流转合同), filed with the village (the contract-issuing
    party): the transferee, the mode, the start and term (within the remaining term of the
    household land contracts), and the rent per mu and year or the dividend."""

    number = models.CharField(_("contract number"), max_length=rules.NUMBER_MAX_LENGTH, unique=True)
    village = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="land_contracts", verbose_name=_("village")
    )
    transferee_kind = models.CharField(_("transferee"), max_length=16, choices=TransfereeKind.choices)
    transferee_enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="land_contracts",
        verbose_name=_("transferee enterprise"),
    )
    transferee_household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="land_taken_over",
        verbose_name=_("transferee household"),
    )
    transferee_name = models.CharField(_("transferee's name"), max_length=rules.NAME_MAX_LENGTH, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    start_date = models.DateField(pgettext_lazy("land contract", "start date"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    end_date = models.DateField(_("last day"))
    payment = models.CharField(_("payment terms"), max_length=10, choices=Payment.choices)
    rent_per_mu = models.DecimalField(
        _("rent (yuan per mu and year)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    dividend_terms = models.CharField(_("dividend terms"), max_length=rules.TERMS_MAX_LENGTH, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for termination"), max_length=rules.REASON_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = models.Manager.from_queryset(ContractQuerySet)()

    class Meta:
        verbose_name = _("land transfer contract")
        verbose_name_plural = _("land transfer contracts")
        ordering = ["-start_date", "number"]
        indexes = [models.Index(fields=["start_date", "end_date"], name="land_contract_term_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(term_years__gte=1), name="land_contract_term_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="land_contract_dates_ordered"),
            models.CheckConstraint(
                condition=Q(rent_per_mu__isnull=True) | Q(rent_per_mu__gt=0), name="land_contract_rent_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def transferee(self) -> str:
        """The transferee's name, whoever it is."""
        if self.transferee_enterprise_id is not None and self.transferee_enterprise is not None:
            return self.transferee_enterprise.name
        if self.transferee_household_id is not None and self.transferee_household is not None:
            return self.transferee_household.code
        return self.transferee_name

    @property
    def total_area(self) -> Decimal:
        area = getattr(self, "area", None)
        if area is None:
            area = self.transferors.aggregate(s=Sum("area_mu"))["s"]
        return Decimal(area or 0)

    @property
    def large_scale(self) -> bool:
        return rules.is_large_scale(self.total_area)


class TransferorQuerySet(ScopedQuerySet):
    area_lookup = "contract__village"


class Transferor(models.Model):
    """A household of the contract's village that transfers its contracted land, with the
    area in mu."""

    contract = models.ForeignKey(
        LandContract, on_delete=models.CASCADE, related_name="transferors", verbose_name=_("contract")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="land_transfers", verbose_name=_("household")
    )
    area_mu = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2)

    objects = models.Manager.from_queryset(TransferorQuerySet)()

    class Meta:
        verbose_name = _("transferor household")
        verbose_name_plural = _("transferor households")
        ordering = ["contract_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "household"], name="land_transferor_once_per_contract"),
            models.CheckConstraint(condition=Q(area_mu__gt=0), name="land_transferor_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.household.code}"
