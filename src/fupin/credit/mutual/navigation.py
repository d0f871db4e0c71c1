"""The mutual funds' entry in the main menu (``fupin.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(
        _("Mutual funds"), "credit:fund_list", active=navigation.path_prefixes("/credit/funds/"), order=48
    )
)
