"""What the registry adds to the shell's pages: its figures and links on the area page,
and how its records read in a history (``fupin.web.history``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fupin.geo.choices import Level
from fupin.geo.models import AdminArea
from fupin.registry.choices import Cause
from fupin.registry.models import Household, IncomeRecord, Person
from fupin.registry.selectors import area_figures
from fupin.web import history, panels

# --- the area page --------------------------------------------------------------------------


def area_links(request: HttpRequest, area: AdminArea) -> dict[str, Any]:
    return {"area": area, "is_village": area.level == Level.VILLAGE}


def area_poverty(request: HttpRequest, area: AdminArea) -> dict[str, Any]:
    """The area's poor households and people, and those of each area below it in scope."""
    child_level = area.child_level()
    figures = area_figures(user=request.user, area=area)
    children = figures["children"]
    peak = max((row["poor_households"] for row in children), default=0)
    for row in children:  # the width of the row's bar, relative to the largest child
        row["bar"] = round(100 * row["poor_households"] / peak) if peak else 0
    return {
        "area": area,
        "totals": figures["totals"],
        "children": children,
        "child_level": Level(child_level).label if child_level else "",
        "is_village": area.level == Level.VILLAGE,
    }


panels.register(page="area", template="registry/areas/_links.html", context=area_links, order=10, slot="actions")
panels.register(page="area", template="registry/areas/_poverty.html", context=area_poverty, order=10)


# --- history --------------------------------------------------------------------------------

_MEMBER_SUMMARY = ("name", "id_number", "relation")


def _causes(describe: Any, value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    return ", ".join(str(Cause(c).label) if c in Cause.values else str(c) for c in value) or "—"


def _members(describe: Any, value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    return "; ".join(
        " ".join(describe.value(Person, k, m.get(k)) for k in _MEMBER_SUMMARY if m.get(k))
        for m in value
        if isinstance(m, dict)
    )


def _helpers(describe: Any, value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    return (
        "; ".join(" ".join(describe.value(None, k, v) for k, v in h.items() if v) for h in value if isinstance(h, dict))
        or "—"
    )


history.register_model(Household, subject=lambda event: "")
history.register_model(Person)
history.register_model(IncomeRecord, subject=lambda event: str((event.after or event.before or {}).get("year", "")))
history.register_labels(
    {
        "secondary_causes": _("secondary causes"),
        "helpers": _("helpers"),
        "members": _("members"),
        "per_capita_net_income": _("per capita net income"),
        "village": _("village"),
    }
)
history.register_values({"secondary_causes": _causes, "members": _members, "helpers": _helpers})
