"""The accountability entry in the main menu (``fupin.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(
        _("Assessment"), "accountability:assessment_list", active=navigation.path_prefixes("/accountability/"), order=52
    )
)
