"""What the funds add to other apps' pages: on the household page, the projects and funds
that reached the household."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.funds.views import household_funds_for
from fupin.web import panels


def household_funds(request: HttpRequest, household: Any) -> dict[str, Any]:
    return {"household": household, "funds": household_funds_for(request.user, household)}


panels.register(page="household", template="funds/_household_panel.html", context=household_funds, order=50)
