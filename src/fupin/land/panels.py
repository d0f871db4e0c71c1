"""What land transfer adds to other apps' pages (``fupin.web.panels``): on the household
page the household's land transfer contracts (as a transferor, with its area, and as the
large household that took land over), with a button to record one with the household as a
transferor; on the enterprise page the contracts where the enterprise is the transferee.
The household's history names the fields of its transfers by the models' labels."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.core.policy import ROLE_RANK, role_rank
from fupin.land import selectors, services
from fupin.land.models import LandContract, Transferor
from fupin.web import history, panels


def _household(request: HttpRequest, household: Any) -> dict[str, Any]:
    can_record = role_rank(request.user) >= ROLE_RANK[services.WRITE_ROLE]
    return {"land_rows": selectors.household_contracts(household), "can_record_land": can_record}


def _enterprise(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"land_contracts": list(selectors.enterprise_contracts(enterprise, request.user)[:100])}


panels.register(page="household", template="land/_household_panel.html", context=_household, order=80)
panels.register(page="enterprise", template="land/_enterprise_panel.html", context=_enterprise, order=70)

for model in (LandContract, Transferor):
    history.register_model(model)
