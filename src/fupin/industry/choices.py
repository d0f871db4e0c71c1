"""Code lists of leading enterprises (domain-rules.md §7 and "Organisation levels")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    """The office that identified the enterprise as a leading enterprise."""

    NATIONAL = "national", _("national (国家级)")
    PROVINCIAL = "provincial", _("provincial (省级)")
    CITY = "city", _("city (市级)")
    COUNTY = "county", _("county (县级)")


class Sector(models.TextChoices):
    PLANTING = "planting", _("planting (种植业)")
    LIVESTOCK = "livestock", _("livestock and aquaculture (养殖业)")
    PROCESSING = "processing", _("farm produce processing (农产品加工)")
    TRADE = "trade", _("trade and logistics (商贸流通)")
    FORESTRY = "forestry", _("forestry and forest products (林业)")
    LABOUR_INTENSIVE = "labour_intensive", _("labour-intensive manufacturing (劳动密集型加工)")
    TOURISM = "tourism", _("rural tourism (乡村旅游)")
    OTHER = "other", pgettext_lazy("sector", "other (其他)")


class Status(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("enterprise status", "identified (认定有效)")
    SUSPENDED = "suspended", pgettext_lazy("enterprise status", "suspended (暂停)")
    REVOKED = "revoked", pgettext_lazy("enterprise status", "identification revoked (取消认定)")
