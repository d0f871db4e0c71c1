from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.areacodes import descendant_range
from fupin.core.choices import Role
from fupin.geo.models import AdminArea


class User(AbstractUser):
    """A person who works with Fupin: an office role and the areas they answer for."""

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PUBLIC)
    areas = models.ManyToManyField(AdminArea, blank=True, related_name="+", verbose_name=_("areas"))
    organisation = models.CharField(_("organisation"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def scope_ranges(self) -> list[tuple[str, str]]:
        """Code ranges of the user's areas and everything below them (see core.scoping)."""
        if self.role == Role.PUBLIC:
            return []
        cache = getattr(self, "_scope_cache", None)
        if cache is None:
            cache = [descendant_range(code) for code in self.areas.values_list("code", flat=True)]
            self._scope_cache = cache
        return cache

    @property
    def is_read_only(self) -> bool:
        return self.role in {Role.AUDITOR, Role.PUBLIC}
