"""What the registry's views share: the household lookups."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from fupin.registry.models import Household
from fupin.registry.selectors import household_get


def visible_household_or_404(request: HttpRequest, code: str) -> Household:
    household = household_get(user=request.user, code=code)
    if household is None:
        raise Http404(_("No household with this code in your areas."))
    return household


def household_for_write(code: str) -> Household:
    """Unscoped fetch by code, only to hand to a service: the service checks the scope
    itself and raises OutOfScope, which the view renders."""
    household = Household.objects.select_related("village").filter(code=code).first()
    if household is None:
        raise Http404(_("No household with this code."))
    return household
