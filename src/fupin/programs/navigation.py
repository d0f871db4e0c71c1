"""The programs' entry in the main menu (the funds pages mark it too)."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(_("Programs"), "web:batch_list", active=navigation.path_prefixes("/programs/"), order=40)
)
