"""Leading enterprises' entry in the main menu (``fupin.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(
        _("Leading enterprises"), "industry:enterprise_list", active=navigation.path_prefixes("/industry/"), order=46
    )
)
