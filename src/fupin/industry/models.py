"""Leading enterprises in industry-based poverty alleviation (扶贫龙头企业).

Where a record lies (who sees it, who may change it):

    an enterprise  its county (where it is registered)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.models import TimeStampedModel
from fupin.core.scoping import ScopedQuerySet
from fupin.geo.models import AdminArea
from fupin.industry import rules
from fupin.industry.choices import Level, Sector, Status


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
