"""Village mutual funds (贫困村村级发展互助资金; domain-rules.md §5): one fund per key
village, its seed capital, member households and their shares, its council and
supervisors, loans to members with their repayments and write-offs, and the spending of
its public-welfare fund (公益金, drawn from the occupancy fees).

Where a record lies (who sees it, who may change it): everything lies in the fund's
village (a village clerk of the village, its township, county, city and the province)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.credit.mutual import rules
from fupin.credit.mutual.choices import LoanStatus, OfficerRole, SeedKind
from fupin.funds.models import Entry
from fupin.geo.models import AdminArea
from fupin.registry.models import Household, Person

__all__ = ["FundLoan", "FundOfficer", "FundRepayment", "FundSeed", "FundWelfareSpending", "Membership", "MutualFund"]


def _money(label: Any, **kw: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, **kw)


class FundQuerySet(ScopedQuerySet):
    area_lookup = "village"


class MutualFund(TimeStampedModel):
    """A village's mutual fund (互助资金协会) with its rules: the value of a share, the
    loan ceiling, the longest term, the occupancy fee rate and the share of fees drawn for
    the public-welfare fund."""

    code = models.CharField(_("fund code"), max_length=rules.CODE_MAX_LENGTH, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=rules.NAME_MAX_LENGTH)
    village = models.OneToOneField(
        AdminArea, on_delete=models.PROTECT, related_name="mutual_fund", verbose_name=_("village")
    )
    established_on = models.DateField(_("established on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    share_value = _money(_("value of a share (yuan)"), default=Decimal("100"))
    loan_ceiling = _money(_("loan ceiling (yuan)"))
    longest_term = models.PositiveSmallIntegerField(_("longest term (months)"))
    fee_rate = models.DecimalField(_("occupancy fee rate (% a year)"), max_digits=5, decimal_places=2)
    welfare_share = models.DecimalField(
        _("fees drawn for the public-welfare fund (%)"), max_digits=5, decimal_places=2, default=Decimal("10")
    )

    objects = models.Manager.from_queryset(FundQuerySet)()

    class Meta:
        verbose_name = _("village mutual fund")
        verbose_name_plural = _("village mutual funds")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("established_on")),
                name="mutual_fund_closed_after_established",
            ),
            models.CheckConstraint(condition=Q(loan_ceiling__gt=0), name="mutual_fund_ceiling_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SeedQuerySet(ScopedQuerySet):
    area_lookup = "fund__village"


class FundSeed(TimeStampedModel):
    """Seed capital paid into a fund. Fiscal seed capital is a disbursement of the funds
    ledger (``entry``) from a county-level project; donations and other seed are kept
    apart (no entry)."""

    fund = models.ForeignKey(MutualFund, on_delete=models.PROTECT, related_name="seeds", verbose_name=_("fund"))
    kind = models.CharField(_("source"), max_length=12, choices=SeedKind.choices)
    amount = _money(_("amount (yuan)"))
    received_on = models.DateField(_("received on"))
    donor = models.CharField(_("donor or payer"), max_length=rules.NAME_MAX_LENGTH, blank=True)
    entry = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mutual_seed",
        verbose_name=_("ledger entry"),
    )

    objects = models.Manager.from_queryset(SeedQuerySet)()

    class Meta:
        verbose_name = _("seed capital")
        verbose_name_plural = _("seed capital")
        ordering = ["fund_id", "received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="mutual_seed_positive"),
            models.CheckConstraint(
                condition=(Q(kind=SeedKind.FISCAL) & Q(entry__isnull=False))
                | (~Q(kind=SeedKind.FISCAL) & Q(entry__isnull=True)),
                name="mutual_seed_fiscal_iff_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.kind} {self.amount}"


class MembershipQuerySet(ScopedQuerySet):
    area_lookup = "fund__village"


class Membership(TimeStampedModel):
    """A household of the fund's village as a member (one membership per household): its
    shares, what it paid in, and whether the fund paid its base share (poor households)."""

    fund = models.ForeignKey(MutualFund, on_delete=models.PROTECT, related_name="members", verbose_name=_("fund"))
    household = models.OneToOneField(
        Household, on_delete=models.PROTECT, related_name="mutual_membership", verbose_name=_("household")
    )
    joined_on = models.DateField(_("joined on"))
    shares = models.PositiveSmallIntegerField(_("shares"), default=1)
    base_paid_by_fund = models.BooleanField(_("base share paid by the fund"), default=False)
    paid_in = _money(_("shares paid in by the household (yuan)"), default=Decimal("0"))
    poor = models.BooleanField(_("poor household on joining"), default=False)

    objects = models.Manager.from_queryset(MembershipQuerySet)()

    class Meta:
        verbose_name = _("fund membership")
        verbose_name_plural = _("fund memberships")
        ordering = ["fund_id", "joined_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(shares__gte=1), name="mutual_member_shares_positive"),
            models.CheckConstraint(condition=Q(paid_in__gte=0), name="mutual_member_paid_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.household.code}"


class OfficerQuerySet(ScopedQuerySet):
    area_lookup = "fund__village"


class FundOfficer(TimeStampedModel):
    """A person of the village on the fund's council (理事会) or supervisory board (监事会)."""

    fund = models.ForeignKey(MutualFund, on_delete=models.PROTECT, related_name="officers", verbose_name=_("fund"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mutual_offices", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=OfficerRole.choices)
    since = models.DateField(_("since"))

    objects = models.Manager.from_queryset(OfficerQuerySet)()

    class Meta:
        verbose_name = _("council member or supervisor")
        verbose_name_plural = _("council and supervisors")
        ordering = ["fund_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["fund", "person"], name="mutual_officer_once")]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.person.name}"


class LoanQuerySet(ScopedQuerySet):
    area_lookup = "fund__village"


class FundLoan(TimeStampedModel):
    """A member's application and, once approved, the loan: amount, term, occupancy fee
    rate and purpose. Approval lends the money (``approved_on``); the principal is repaid
    by repayments or written off."""

    fund = models.ForeignKey(MutualFund, on_delete=models.PROTECT, related_name="loans", verbose_name=_("fund"))
    number = models.CharField(_("loan number"), max_length=rules.CODE_MAX_LENGTH)
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="loans", verbose_name=_("member"))
    applied_on = models.DateField(_("applied on"))
    amount = _money(_("amount (yuan)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    fee_rate = models.DecimalField(_("occupancy fee rate (% a year)"), max_digits=5, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=rules.PURPOSE_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.APPLIED)
    approved_on = models.DateField(_("approved and lent on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    decided_on = models.DateField(_("rejected on"), null=True, blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    written_off = _money(_("written off (yuan)"), default=Decimal("0"))

    objects = models.Manager.from_queryset(LoanQuerySet)()

    class Meta:
        verbose_name = _("mutual fund loan")
        verbose_name_plural = _("mutual fund loans")
        ordering = ["fund_id", "applied_on", "id"]
        indexes = [models.Index(fields=["status", "approved_on"], name="mutual_loan_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="mutual_loan_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="mutual_loan_positive"),
            models.CheckConstraint(condition=Q(written_off__gte=0), name="mutual_loan_write_off_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code}/{self.number}"


class RepaymentQuerySet(ScopedQuerySet):
    area_lookup = "loan__fund__village"


class FundRepayment(TimeStampedModel):
    """A repayment of a loan: principal and occupancy fee."""

    loan = models.ForeignKey(FundLoan, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("loan"))
    paid_on = models.DateField(_("paid on"))
    principal = _money(_("principal (yuan)"), default=Decimal("0"))
    fee = _money(_("occupancy fee (yuan)"), default=Decimal("0"))

    objects = models.Manager.from_queryset(RepaymentQuerySet)()

    class Meta:
        verbose_name = _("loan repayment")
        verbose_name_plural = _("loan repayments")
        ordering = ["loan_id", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gte=0) & Q(fee__gte=0), name="mutual_repayment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.paid_on}"


class WelfareQuerySet(ScopedQuerySet):
    area_lookup = "fund__village"


class FundWelfareSpending(TimeStampedModel):
    """Spending of the public-welfare fund (公益金) on the village's public works."""

    fund = models.ForeignKey(
        MutualFund, on_delete=models.PROTECT, related_name="welfare_spending", verbose_name=_("fund")
    )
    spent_on = models.DateField(_("spent on"))
    amount = _money(_("amount (yuan)"))
    purpose = models.CharField(_("purpose"), max_length=rules.PURPOSE_MAX_LENGTH)

    objects = models.Manager.from_queryset(WelfareQuerySet)()

    class Meta:
        verbose_name = _("public-welfare spending")
        verbose_name_plural = _("public-welfare spending")
        ordering = ["fund_id", "spent_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="mutual_welfare_positive")]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.spent_on} {self.amount}"
