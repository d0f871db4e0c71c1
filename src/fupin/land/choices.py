"""Code lists of land transfer (土地流转; domain-rules.md §8 and "Land-transfer modes")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """How the contracted land is transferred (以转包、出租、互换、转让或入股等方式流转)."""

    SUBCONTRACT = "subcontract", _("subcontracting (转包)")
    LEASE = "lease", _("leasing (出租)")
    EXCHANGE = "exchange", _("exchange (互换)")
    TRANSFER = "transfer", _("transfer (转让)")
    SHARES = "shares", _("contribution as shares (入股)")


class TransfereeKind(models.TextChoices):
    """Who takes the land over."""

    ENTERPRISE = "enterprise", _("leading enterprise (龙头企业)")
    COOPERATIVE = "cooperative", _("cooperative (合作社)")
    LARGE_HOUSEHOLD = "large_household", _("large household (种植大户)")
    OTHER = "other", _("other party (其他)")


class Payment(models.TextChoices):
    """What the transferors receive: a rent per mu and year, or a dividend (入股分红)."""

    RENT = "rent", _("rent per mu and year (租金)")
    DIVIDEND = "dividend", _("dividend (分红)")
