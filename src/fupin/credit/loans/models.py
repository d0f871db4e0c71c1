"""Poverty-relief interest-discount loans (扶贫贴息贷款): the loan discount reform pilot,
loans to registry households, leading enterprises and projects, their repayments, and the
interest discounts paid on them through the funds ledger.

Where a record lies (who sees it, who may change it):

    a pilot       its area (a county, or a city or the province for a wider pilot)
    a loan        its borrower's area: the household's village, the enterprise's county,
                  the project's area (kept in ``area`` when the loan is recorded)
    a repayment   as its loan
    a discount    as its loan
    a payment     the discount project's area (a county-level project of the ledger)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.credit.loans import rules
from fupin.credit.loans.choices import BorrowerKind
from fupin.funds.models import Entry
from fupin.geo.models import AdminArea
from fupin.industry.models import Enterprise
from fupin.programs.models import Project
from fupin.registry.models import Household

__all__ = ["Discount", "DiscountPayment", "DiscountPilot", "Loan", "LoanRepayment"]


def _money(label: Any, **kw: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=16, decimal_places=2, **kw)


class PilotQuerySet(ScopedQuerySet):
    area_lookup = "area"


class DiscountPilot(TimeStampedModel):
    """An area in the loan discount reform pilot (扶贫贴息贷款改革试点) for a span of years:
    a discount is paid only on a loan whose borrower lies in a pilot area in the discount's
    year. ``rate`` is the discount rate of enterprise and project loans in the pilot (% a
    year); household loans are discounted at the rule's 5 %."""

    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="discount_pilots", verbose_name=_("pilot area")
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    rate = models.DecimalField(
        _("enterprise and project discount rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        default=rules.DEFAULT_ENTERPRISE_RATE,
    )
    note = models.CharField(_("note"), max_length=rules.NOTE_MAX_LENGTH, blank=True)

    objects = models.Manager.from_queryset(PilotQuerySet)()

    class Meta:
        verbose_name = _("loan discount pilot")
        verbose_name_plural = _("loan discount pilots")
        ordering = ["area__code", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "first_year"], name="credit_pilot_once_per_area_year"),
            models.CheckConstraint(condition=Q(last_year__gte=F("first_year")), name="credit_pilot_years_ordered"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="credit_pilot_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} {self.first_year}–{self.last_year}"


class LoanQuerySet(ScopedQuerySet):
    area_lookup = "area"


class Loan(TimeStampedModel):
    """A discounted loan from a bank or other lender to one borrower: a registry
    household, a leading enterprise or a project."""

    code = models.CharField(_("loan contract number"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    kind = models.CharField(_("borrower kind"), max_length=12, choices=BorrowerKind.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discount_loans",
        verbose_name=_("household"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discount_loans",
        verbose_name=_("leading enterprise"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discount_loans",
        verbose_name=_("project"),
    )
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="discount_loans", verbose_name=_("area"))
    lender = models.CharField(_("lender"), max_length=rules.NAME_MAX_LENGTH)
    principal = _money(_("principal (yuan)"))
    rate = models.DecimalField(_("annual interest rate (%)"), max_digits=5, decimal_places=2)
    drawn_on = models.DateField(_("drawn on"))
    matures_on = models.DateField(_("matures on"))
    purpose = models.CharField(_("purpose"), max_length=rules.NAME_MAX_LENGTH, blank=True)

    objects = models.Manager.from_queryset(LoanQuerySet)()

    class Meta:
        verbose_name = _("discounted loan")
        verbose_name_plural = _("discounted loans")
        ordering = ["-drawn_on", "code"]
        indexes = [models.Index(fields=["kind", "drawn_on"], name="credit_loan_kind_drawn_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="credit_loan_principal_positive"),
            models.CheckConstraint(condition=Q(matures_on__gt=F("drawn_on")), name="credit_loan_dates_ordered"),
            models.CheckConstraint(
                condition=(Q(kind=BorrowerKind.HOUSEHOLD) & Q(household__isnull=False))
                & Q(enterprise__isnull=True, project__isnull=True)
                | (Q(kind=BorrowerKind.ENTERPRISE) & Q(enterprise__isnull=False))
                & Q(household__isnull=True, project__isnull=True)
                | (Q(kind=BorrowerKind.PROJECT) & Q(project__isnull=False))
                & Q(household__isnull=True, enterprise__isnull=True),
                name="credit_loan_one_borrower",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.borrower_label}"

    @property
    def borrower(self) -> Household | Enterprise | Project | None:
        return self.household or self.enterprise or self.project

    @property
    def borrower_label(self) -> str:
        if self.household_id:
            return self.household.code  # type: ignore[union-attr]
        if self.enterprise_id:
            return self.enterprise.name  # type: ignore[union-attr]
        if self.project_id:
            return self.project.code  # type: ignore[union-attr]
        return ""


class RepaymentQuerySet(ScopedQuerySet):
    area_lookup = "loan__area"


class LoanRepayment(TimeStampedModel):
    """A repayment of principal; never beyond what is outstanding."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("loan"))
    paid_on = models.DateField(_("paid on"))
    amount = _money(_("amount (yuan)"))

    objects = models.Manager.from_queryset(RepaymentQuerySet)()

    class Meta:
        verbose_name = _("loan repayment")
        verbose_name_plural = _("loan repayments")
        ordering = ["loan_id", "paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="credit_repayment_positive")]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.paid_on} {self.amount}"


class PaymentQuerySet(ScopedQuerySet):
    area_lookup = "project__area"


class DiscountPayment(models.Model):
    """The discounts of one year paid together as one disbursement of the funds ledger
    (``entry``) from a county-level discount project."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="discount_payments", verbose_name=_("discount project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="loan_discount", verbose_name=_("ledger entry")
    )
    amount = _money(_("amount (yuan)"))

    objects = models.Manager.from_queryset(PaymentQuerySet)()

    class Meta:
        verbose_name = _("discount payment")
        verbose_name_plural = _("discount payments")
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year} {self.amount}"


class DiscountQuerySet(ScopedQuerySet):
    area_lookup = "loan__area"


class Discount(TimeStampedModel):
    """The interest discount of one loan for one year, as the rule computed it: the
    principal it was computed on (``basis``, after the household cap), the days of the
    year discounted, the rate and the amount; paid in ``payment``."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="discounts", verbose_name=_("loan"))
    year = models.PositiveSmallIntegerField(_("year"))
    pilot = models.ForeignKey(
        DiscountPilot, on_delete=models.PROTECT, related_name="discounts", verbose_name=_("pilot")
    )
    basis = _money(_("principal discounted (yuan)"))
    days = models.PositiveSmallIntegerField(_("days discounted"))
    rate = models.DecimalField(_("discount rate (% a year)"), max_digits=5, decimal_places=2)
    amount = _money(_("discount (yuan)"))
    payment = models.ForeignKey(
        DiscountPayment, on_delete=models.PROTECT, related_name="discounts", verbose_name=_("payment")
    )

    objects = models.Manager.from_queryset(DiscountQuerySet)()

    class Meta:
        verbose_name = _("loan discount")
        verbose_name_plural = _("loan discounts")
        ordering = ["year", "loan_id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "year"], name="credit_discount_once_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_discount_positive"),
            models.CheckConstraint(condition=Q(days__lte=366), name="credit_discount_days_in_year"),
        ]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.year} {self.amount}"


ZERO = Decimal("0")
