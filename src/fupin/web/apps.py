from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "fupin.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from fupin.web import navigation

        navigation.register_frameworks()
        # each app's menu entries (fupin.web.navigation) and page panels (fupin.web.panels)
        autodiscover_modules("navigation", "panels")
