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
the panel out. ``slot`` says where on the page: ``"main"`` (the sections, by default),
``"side"`` (a card beside the page's own card of facts, where a page has one) or
``"actions"`` (buttons in the page head).

The pages with panels: ``"household"`` (the household page: the record is the household;
the sections of what the household received), ``"person"`` (a member's page: the person),
``"area"`` (the area browser: the area), and the programs' pages ``"batch"`` (a batch),
``"plan"`` (a village plan), ``"project"`` (a project: ``side`` beside its facts, ``main``
under its beneficiaries) and ``"zone"`` (a contiguous development zone: ``side`` beside its
facts, ``main`` under its projects) and ``"enterprise"`` (a leading enterprise's page: the
enterprise; its loans, discounts and land contracts are other apps').

A page that shows a form of a panel again, bound and with its errors (a view of the panel's
app that posted to it), hands the form to the panel with ``bind(request, name=form)``; the
panel's ``context`` takes it back with ``bound(request, "name")``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

PAGES = ("household", "person", "area", "batch", "plan", "project", "zone", "enterprise")
SLOTS = ("main", "side", "actions")

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


def bind(request: HttpRequest, **objects: Any) -> None:
    """Hand objects (a bound form with its errors) to the panels of the page being rendered."""
    request.__dict__.setdefault("_panel_objects", {}).update(objects)


def bound(request: HttpRequest, name: str, default: Any = None) -> Any:
    """What the page handed to its panels under ``name`` (``bind``), or ``default``."""
    return request.__dict__.get("_panel_objects", {}).get(name, default)


# --- a panel's form posted to its own app's view ------------------------------------------------
#
# A panel's form (the funds' disbursement on the project page) posts to a view of the panel's
# app, which runs its service and then goes back to the page, or shows the page again with the
# form and its error. The page belongs to another app, so the page's app registers how one of
# its pages runs such an action, and the panel's app asks for it by the page's name.

ActionRunner = Callable[..., HttpResponse]
_actions: dict[str, ActionRunner] = {}


def register_action_runner(page: str, runner: ActionRunner) -> None:
    """``runner(request, key, name, form, call, done, models)`` runs ``call(obj, form)`` on the
    page's object ``key`` (its natural key in the URL) when ``form`` is valid, and answers with
    a redirect to the page and ``done`` as the message, or the page again with ``form`` bound as
    ``name`` and the error. ``models`` are the models the call writes (for the error's field
    labels)."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; pages: {', '.join(PAGES)}")
    _actions[page] = runner


def run_action(
    page: str, request: HttpRequest, key: str, name: str, form: Any, call: Any, done: Any, models: Any
) -> HttpResponse:
    """Run a panel's action on a page's object with the runner the page's app registered."""
    try:
        runner = _actions[page]
    except KeyError:
        raise LookupError(f"no app registered an action runner for the {page!r} page") from None
    return runner(request, key, name, form, call, done, models)
