from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "fupin.analytics"
    label = "analytics"
    verbose_name = _("Analytics and reports")

    def ready(self) -> None:
        # each installed app's snapshot tables, then its indicators' computations
        # (fupin.analytics.registry; docs/adding-an-app.md, "analytics")
        autodiscover_modules("snapshot")
        autodiscover_modules("indicators")
