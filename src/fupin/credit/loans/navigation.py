"""The discounted loans' entry in the main menu (``fupin.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(
        _("Discounted loans"), "credit:loan_list", active=navigation.path_prefixes("/credit/loans/"), order=47
    )
)
