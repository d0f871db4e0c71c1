from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "fupin.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        # The areas file is the framework's own (geo sits below the exchange in the layers, so
        # it cannot register itself); it comes first. Then every installed app's exchange.py
        # registers its entities (fupin.exchange.registry).
        import_module("fupin.exchange.areas")
        autodiscover_modules("exchange")
