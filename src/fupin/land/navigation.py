"""Land transfer's entry in the main menu (``fupin.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(_("Land transfer"), "land:contract_list", active=navigation.path_prefixes("/land/"), order=49)
)
