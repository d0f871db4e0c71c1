"""The funds ledger: append-only entries, and the balances they add up to.

Money enters at an area or a project by *appropriation* (central and provincial funds at
the province, county funds at a county, households' own money at a project: who may
appropriate what where is ``funds.authority``), moves down the tree by *allocation* (area to a child area, or
to a project in the area) and leaves by *disbursement* (a project pays out what was
allocated to it). Entries are never changed or deleted: a correction is a reversing entry
(the same movement with the opposite amount, pointing at the entry it reverses).

``Account`` holds, for each node (an area or a project), source and fund year, the sums
of the entries: what it received, what it allocated on and what it disbursed. The
services update an account only with its row locked, and check the invariants there:

    at an area:   allocated ≤ received          (received = appropriated + allocated to it)
    at a project: disbursed ≤ received          (received = appropriated + allocated to it)

The database checks the same (``CHECK`` constraints) as a last line of defence."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.scoping import ScopedQuerySet
from fupin.funds.choices import EntryKind, Source
from fupin.geo.models import AdminArea
from fupin.programs.models import Project


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=16, decimal_places=2, default=0)


def new_entry_number() -> str:
    """The number of an entry posted in Fupin itself (an import brings its own numbers)."""
    return "FE" + uuid.uuid4().hex[:14].upper()


class AppendOnlyError(Exception):
    pass


class EntryQuerySet(ScopedQuerySet):
    # Entries that leave, reach or pay out in the user's areas: a county sees the
    # province's allocation to it as well as its own postings.
    area_lookup = "area"
    also_visible_by = ("to_area", "project__area")

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("ledger entries are never changed; post a reversing entry")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries are never deleted; post a reversing entry")


class Entry(models.Model):
    """One movement of money. ``area`` is the node the money comes from (the area an
    allocation leaves, the area an appropriation reaches, the area of the project that
    disburses or that an appropriation reaches) and scopes who sees the entry."""

    kind = models.CharField(pgettext_lazy("ledger entry", "kind"), max_length=14, choices=EntryKind.choices)
    source = models.CharField(_("fund source"), max_length=18, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("fund year"))
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, related_name="fund_entries", verbose_name=_("area"))
    to_area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_entries_in",
        verbose_name=_("to area"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_entries",
        verbose_name=_("project"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # the entry's own number, unique in the ledger: the natural key of the exchange format.
    # Entries written by a bulk loader without one (and those posted before numbers) are
    # empty; the exchange format calls them "#<id>".
    number = models.CharField(
        _("entry number"), max_length=40, unique=True, null=True, blank=True, default=new_entry_number
    )
    document = models.CharField(_("document number"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), db_default=Now(), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = models.Manager.from_queryset(EntryQuerySet)()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["project", "kind"], name="entry_project_kind_idx"),
            models.Index(fields=["area", "year", "source"], name="entry_area_year_source_idx"),
            models.Index(fields=["kind", "date"], name="entry_kind_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
            # an original entry moves money forward; only a reversal is negative
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="entry_sign_by_reversal",
            ),
            models.CheckConstraint(
                condition=(
                    # at an area, or (credit, households' own money, labour) at a project
                    Q(kind=EntryKind.APPROPRIATION, to_area__isnull=True)
                    | Q(kind=EntryKind.ALLOCATION, to_area__isnull=False, project__isnull=True)
                    | Q(kind=EntryKind.ALLOCATION, to_area__isnull=True, project__isnull=False)
                    | Q(kind=EntryKind.DISBURSEMENT, to_area__isnull=True, project__isnull=False)
                ),
                name="entry_targets_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.get_source_display()} {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("ledger entries are never changed; post a reversing entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries are never deleted; post a reversing entry")


class AccountQuerySet(ScopedQuerySet):
    # an account belongs to an area or to a project (in an area)
    area_lookup = "area"
    also_visible_by = ("project__area",)


class Account(models.Model):
    """The balance of one node (an area or a project) for one source and fund year."""

    area = models.ForeignKey(AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts")
    source = models.CharField(_("fund source"), max_length=18, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("fund year"))
    received = _money(_("received"))
    allocated = _money(_("allocated on"))
    disbursed = _money(_("disbursed"))

    objects = models.Manager.from_queryset(AccountQuerySet)()

    class Meta:
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "source", "year"], condition=Q(project__isnull=True), name="account_one_per_area"
            ),
            models.UniqueConstraint(
                fields=["project", "source", "year"], condition=Q(area__isnull=True), name="account_one_per_project"
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True, project__isnull=False) | Q(area__isnull=False, project__isnull=True),
                name="account_one_node",
            ),
            models.CheckConstraint(
                condition=Q(received__gte=0, allocated__gte=0, disbursed__gte=0), name="account_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(allocated__lte=F("received") - F("disbursed")), name="account_within_received"
            ),
            # areas allocate, projects disburse
            models.CheckConstraint(
                condition=Q(project__isnull=True, disbursed=0) | Q(area__isnull=True, allocated=0),
                name="account_node_roles",
            ),
        ]

    def __str__(self) -> str:
        node = self.project.code if self.project else self.area.code if self.area else ""
        return f"{node} {self.source} {self.year}"

    @property
    def available(self) -> Any:
        return self.received - self.allocated - self.disbursed
