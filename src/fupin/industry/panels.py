"""What industry adds to other apps' pages (``fupin.web.panels``): on the household page
its members' employment at leading enterprises, its links to production bases and its
order contracts. The household's history names the fields of these records by the models'
labels (``fupin.web.history``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.industry import selectors
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from fupin.web import history, panels


def _household(request: HttpRequest, household: Any) -> dict[str, Any]:
    return selectors.household_industry(request.user, household)


panels.register(page="household", template="industry/_household_panel.html", context=_household, order=62)

for model in (Enterprise, Employment, ProductionBase, BaseLink, OrderContract):
    history.register_model(model)
