"""The registry's entries in the main menu."""

from django.utils.translation import gettext_lazy as _

from fupin.web import navigation

navigation.register(
    navigation.MenuItem(
        _("Households"),
        "web:household_list",
        active=navigation.url_names("web:household_list", "web:household_detail", "web:person_detail"),
        order=20,
    )
)
navigation.register(
    navigation.MenuItem(
        _("Register household"),
        "web:household_register",
        active=navigation.url_names("web:household_register"),
        order=30,
    )
)
