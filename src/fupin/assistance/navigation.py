"""Social and pairing assistance's entry in the main menu (``fupin.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(
        _("Social assistance"), "assistance:unit_list", active=navigation.path_prefixes("/assistance/"), order=50
    )
)
