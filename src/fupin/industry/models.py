"""Leading enterprises in industry-based poverty alleviation (扶贫龙头企业).

Where a record lies (who sees it, who may change it):

    an enterprise  its county (where it is registered)
    an employment  its enterprise's county, and also the employee's village
    a base         its enterprise's county
    a base link    its base's enterprise's county, and also the household's village
    a contract     its enterprise's county, and also the household's village
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.geo.models import AdminArea
from fupin.industry import rules
from fupin.industry.choices import Level, Sector, Status
from fupin.registry.models import Household, Person


class EnterpriseQuerySet(ScopedQuerySet):
    area_lookup = "county"


class Enterprise(TimeStampedModel):
    """A leading enterprise (龙头企业) identified by a poverty alleviation office, which
    brings poor households along: employment, production bases, order contracts."""

    code = models.CharField(_("unified social credit code"), max_length=rules.USCC_LENGTH, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=rules.NAME_MAX_LENGTH)
    county = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("county")
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    identified_year = models.PositiveSmallIntegerField(_("year identified"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)

    objects = models.Manager.from_queryset(EnterpriseQuerySet)()

    class Meta:
        verbose_name = _("leading enterprise")
        verbose_name_plural = _("leading enterprises")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=Decimal("0"))


class EmploymentQuerySet(ScopedQuerySet):
    area_lookup = "enterprise__county"
    also_visible_by = ("person__household__village",)


class Employment(TimeStampedModel):
    """A member of a registry household employed by a leading enterprise, from ``start_date``
    to ``end_date`` (empty: still employed)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="employments", verbose_name=_("leading enterprise")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enterprise_employments", verbose_name=_("employee")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    monthly_wage = models.DecimalField(_("monthly wage (yuan)"), max_digits=10, decimal_places=2)

    objects = models.Manager.from_queryset(EmploymentQuerySet)()

    class Meta:
        verbose_name = _("employment at a leading enterprise")
        verbose_name_plural = _("employments at leading enterprises")
        ordering = ["enterprise_id", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="industry_employment_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(monthly_wage__gte=0), name="industry_employment_wage_not_negative"),
            models.UniqueConstraint(
                fields=["enterprise", "person", "start_date"], name="industry_employment_once_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.code} {self.person.name}"


class BaseQuerySet(ScopedQuerySet):
    area_lookup = "enterprise__county"


class ProductionBase(TimeStampedModel):
    """A production base (生产基地) of a leading enterprise: set up in one or more villages,
    growing or raising one product on an area (mu), with the households linked to it, who
    may live anywhere in the counties of those villages."""

    code = models.CharField(_("base code"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="bases", verbose_name=_("leading enterprise")
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=rules.NAME_MAX_LENGTH)
    product = models.CharField(_("product"), max_length=rules.PRODUCT_MAX_LENGTH)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2)
    established_year = models.PositiveSmallIntegerField(_("year established"))
    villages = models.ManyToManyField(
        AdminArea, related_name="production_bases", verbose_name=_("villages"), blank=False
    )

    objects = models.Manager.from_queryset(BaseQuerySet)()

    class Meta:
        verbose_name = _("production base")
        verbose_name_plural = _("production bases")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(area_mu__gt=0), name="industry_base_area_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BaseLinkQuerySet(ScopedQuerySet):
    area_lookup = "base__enterprise__county"
    also_visible_by = ("household__village",)


class BaseLink(TimeStampedModel):
    """A registry household linked to a production base from ``joined_on`` (it grows for the
    base, works on it or holds shares in it)."""

    base = models.ForeignKey(
        ProductionBase, on_delete=models.PROTECT, related_name="links", verbose_name=_("production base")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="base_links", verbose_name=_("household")
    )
    joined_on = models.DateField(_("linked on"))

    objects = models.Manager.from_queryset(BaseLinkQuerySet)()

    class Meta:
        verbose_name = _("household linked to a base")
        verbose_name_plural = _("households linked to bases")
        ordering = ["base_id", "household_id"]
        constraints = [models.UniqueConstraint(fields=["base", "household"], name="industry_base_link_once")]

    def __str__(self) -> str:
        return f"{self.base.code} {self.household.code}"


class ContractQuerySet(ScopedQuerySet):
    area_lookup = "enterprise__county"
    also_visible_by = ("household__village",)


class OrderContract(TimeStampedModel):
    """An order contract (订单合同) of an enterprise with a household: the product, the
    quantity and the agreed price, the inputs the enterprise supplies on credit (deducted
    from the payment), and what was delivered and paid. It is complied with when the
    quantity was delivered and the delivery paid as agreed (``rules.contract_complied``)."""

    number = models.CharField(_("contract number"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("leading enterprise")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="order_contracts", verbose_name=_("household")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    product = models.CharField(_("product"), max_length=rules.PRODUCT_MAX_LENGTH)
    unit = models.CharField(_("unit"), max_length=rules.UNIT_MAX_LENGTH, default="kg")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    agreed_price = models.DecimalField(_("agreed price (yuan per unit)"), max_digits=12, decimal_places=2)
    inputs_on_credit = _money(_("inputs supplied on credit (yuan)"))
    delivered = models.DecimalField(_("delivered quantity"), max_digits=14, decimal_places=2, default=Decimal("0"))
    paid = _money(_("paid (yuan)"))

    objects = models.Manager.from_queryset(ContractQuerySet)()

    class Meta:
        verbose_name = _("order contract")
        verbose_name_plural = _("order contracts")
        ordering = ["-year", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="industry_contract_quantity_positive"),
            models.CheckConstraint(
                condition=Q(agreed_price__gte=0) & Q(inputs_on_credit__gte=0) & Q(delivered__gte=0) & Q(paid__gte=0),
                name="industry_contract_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def due(self) -> Decimal:
        """What the delivery is to be paid as agreed: delivered × price less the inputs on credit."""
        return rules.amount_due(self.delivered, self.agreed_price, self.inputs_on_credit)

    @property
    def complied(self) -> bool:
        return rules.contract_complied(self.quantity, self.delivered, self.paid, self.due)
