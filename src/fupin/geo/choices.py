from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("prefecture-level city")
    PREFECTURE = "prefecture", _("prefecture (administrative office)")
    DISTRICT = "district", _("district")
    COUNTY = "county", _("county")
    COUNTY_CITY = "county_city", _("county-level city")
    TOWN = "town", _("town")
    TOWNSHIP = "township", pgettext_lazy("kind of area", "township")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    VILLAGE = "village", _("village")
    COMMUNITY = "community", _("community")
    OTHER = "other", _("other")


class KeyCounty(models.TextChoices):
    NONE = "", _("not a key county")
    NATIONAL = "national", _("national key county")
    PROVINCIAL = "provincial", _("provincial key county")
