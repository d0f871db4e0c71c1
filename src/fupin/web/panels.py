"""Panels: sections an app adds to a page it does not own (NetBox's template extensions).
Each app registers them from its ``panels.py`` (found by ``autodiscover_modules("panels")``
in ``WebConfig.ready``):

    from fupin.web import panels

    panels.register(
        page="household",
        template="funds/_household_panel.html",
        context=lambda request, household: {"funds": household_funds_for(request.user, household)},
        order=50,
    )

A page shows its panels with ``{% panels "household" household %}`` (``{% load fupin_web %}``),
each rendered with the page's request and the context its ``context(request, obj)`` returns,
plus ``object`` (the page's record) and ``request``. A ``context`` that returns ``None`` leaves
the panel out. ``slot`` says where on the page: ``"main"`` (the sections, by default) or
``"actions"`` (buttons in the page head).

The pages with panels: ``"household"`` (the household page: the record is the household;
the sections of what the household received), ``"person"`` (a member's page: the person),
``"area"`` (the area browser: the area)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

PAGES = ("household", "person", "area")
SLOTS = ("main", "actions")

Context = Callable[[HttpRequest, Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Panel:
    page: str
    template: str
    context: Context | None
    order: int
    slot: str


_panels: list[Panel] = []


def register(
    *, page: str, template: str, context: Context | None = None, order: int = 100, slot: str = "main"
) -> Panel:
    """Add a panel to a page; registering the same template on the same page again replaces it."""
    if page not in PAGES:
        raise ValueError(f"No page {page!r} takes panels; the pages are {', '.join(PAGES)}.")
    if slot not in SLOTS:
        raise ValueError(f"No slot {slot!r}; the slots are {', '.join(SLOTS)}.")
    panel = Panel(page=page, template=template, context=context, order=order, slot=slot)
    _panels[:] = [p for p in _panels if not (p.page == page and p.template == template)]
    _panels.append(panel)
    return panel


def for_page(page: str, slot: str = "main") -> list[Panel]:
    return sorted((p for p in _panels if p.page == page and p.slot == slot), key=lambda p: (p.order, p.template))


def render(request: HttpRequest, page: str, obj: Any, slot: str = "main") -> SafeString:
    """The page's panels of this slot, rendered in their order."""
    parts = []
    for panel in for_page(page, slot):
        extra = panel.context(request, obj) if panel.context is not None else {}
        if extra is None:
            continue
        parts.append(render_to_string(panel.template, {"object": obj, **extra}, request=request))
    return format_html_join("", "{}", ((SafeString(part),) for part in parts))
