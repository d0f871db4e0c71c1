from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "fupin.credit"
    label = "credit"
    verbose_name = _("Mutual funds and discounted loans")
