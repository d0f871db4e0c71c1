"""What the funds add to other apps' pages (``fupin.web.panels``): on the household page,
the projects and funds that reached the household; on a project's page, its funds by
source and year with the disbursement form (beside its facts) and its ledger entries with
their reversal (under the page); on a zone's page, its funds by fund year."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.core.choices import Role
from fupin.funds.choices import Source
from fupin.funds.forms import DisburseForm, ReverseForm
from fupin.funds.selectors import project_entries, project_funds
from fupin.funds.views import household_funds_for
from fupin.programs.selectors import zone_funds_by_year
from fupin.web import panels
from fupin.web.views.common import has_role, year_initial


def household_funds(request: HttpRequest, household: Any) -> dict[str, Any]:
    return {"household": household, "funds": household_funds_for(request.user, household)}


def project_funds_panel(request: HttpRequest, project: Any) -> dict[str, Any]:
    """The disbursement form is the one the disbursement posted (``web:disburse``), shown
    again with its errors, or a new one."""
    form = panels.bound(request, "disburse") or DisburseForm(initial=year_initial(), auto_id="disburse_%s")
    return {
        "project": project,
        "funds": project_funds(project),
        "disburse_form": form,
        "can_record": has_role(request.user, Role.TOWNSHIP),
    }


def project_ledger(request: HttpRequest, project: Any) -> dict[str, Any]:
    return {
        "project": project,
        "entries": list(project_entries(project)),
        "reverse_form": ReverseForm(),
        "can_record": has_role(request.user, Role.TOWNSHIP),
        "can_manage": has_role(request.user, Role.COUNTY),
    }


def zone_funds(request: HttpRequest, zone: Any) -> dict[str, Any]:
    by_year = zone_funds_by_year(user=request.user, zone=zone)
    for row in by_year:
        row["sources"] = [
            (str(Source(s).label) if s in Source.values else s, amount) for s, amount in row["by_source"].items()
        ]
    return {"zone": zone, "by_year": by_year}


panels.register(page="household", template="funds/_household_panel.html", context=household_funds, order=50)
panels.register(
    page="project", template="funds/_project_funds.html", context=project_funds_panel, slot="side", order=50
)
panels.register(page="project", template="funds/_project_ledger.html", context=project_ledger, order=50)
panels.register(page="zone", template="funds/_zone_funds.html", context=zone_funds, slot="side", order=50)
