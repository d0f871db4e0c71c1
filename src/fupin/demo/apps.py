from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "fupin.demo"
    label = "demo"
    verbose_name = _("Demo province")

    def ready(self) -> None:
        autodiscover_modules("demo")
