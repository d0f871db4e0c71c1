from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fupin.core.areacodes import ancestor_codes, descendant_range
from fupin.core.scoping import ScopedQuerySet
from fupin.geo.choices import LEVEL_ORDER, AreaKind, KeyCounty, Level


class AdminAreaQuerySet(ScopedQuerySet):
    area_lookup = ""

    def under(self, area: AdminArea) -> Self:
        """The area and everything below it: one range condition on the indexed code."""
        return self.filter(code__range=descendant_range(area.code))


class AdminArea(models.Model):
    """One node of the administrative tree: province > city > county > township > village."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=pgettext_lazy("area", "parent area"),
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=AreaKind.choices)
    name = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)
    key_county = models.CharField(
        _("key county"), max_length=10, choices=KeyCounty.choices, blank=True, default=KeyCounty.NONE
    )
    key_village = models.BooleanField(_("key poverty-stricken village"), default=False)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    population = models.BigIntegerField(_("population"), null=True, blank=True)

    objects = models.Manager.from_queryset(AdminAreaQuerySet)()

    class Meta:
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="area_level_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_county="") | Q(level=Level.COUNTY), name="area_key_county_only_on_counties"
            ),
            models.CheckConstraint(
                condition=Q(key_village=False) | Q(level=Level.VILLAGE),
                name="area_key_village_only_on_villages",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(level=Level.PROVINCE), name="area_province_is_root"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_key_county(self) -> bool:
        return bool(self.key_county)

    def child_level(self) -> str | None:
        i = LEVEL_ORDER.index(Level(self.level))
        return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None

    def ancestors(self) -> models.QuerySet[AdminArea]:
        return AdminArea.objects.filter(code__in=ancestor_codes(self.code)).order_by("code")
