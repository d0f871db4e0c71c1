from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("web")
    API = "api", _("API")
    CLI = "cli", _("command line")
    IMPORT = "import", _("import")


class Role(models.TextChoices):
    PROVINCE = "province", _("province office")
    CITY = "city", _("city office")
    COUNTY = "county", _("county office")
    TOWNSHIP = "township", _("township cadre")
    VILLAGE = "village", _("village clerk")
    AUDITOR = "auditor", _("auditor (read-only)")
    PUBLIC = "public", _("public")
