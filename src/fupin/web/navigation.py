"""The main menu: each app registers its entries from its ``navigation.py`` (found by
``autodiscover_modules("navigation")`` in ``WebConfig.ready``); ``base.html`` shows them
in their ``order``.

    from fupin.web import navigation

    navigation.register(
        navigation.MenuItem(_("Households"), "web:household_list", order=20,
                            active=navigation.url_names("web:household_list", "web:household_detail"))
    )

An entry is marked ``aria-current="page"`` when its ``active(request)`` is true; another
app can add a condition to an entry it does not own with ``also_active`` (the funds pages
mark the programs' entry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

Active = Callable[[HttpRequest], bool]


def _never(request: HttpRequest) -> bool:
    return False


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main menu: its label (lazy, translated), the URL name it links to,
    when it is the current page, and its place (lower first)."""

    label: Any
    url_name: str
    active: Active = field(default=_never)
    order: int = 100


_items: dict[str, MenuItem] = {}
_extra: dict[str, list[Active]] = {}


def register(item: MenuItem) -> MenuItem:
    """Add an entry; its ``url_name`` names it (registering it again replaces it)."""
    _items[item.url_name] = item
    return item


def also_active(url_name: str, active: Active) -> None:
    """Mark the entry of ``url_name`` current also when ``active(request)`` is true."""
    _extra.setdefault(url_name, []).append(active)


def items() -> list[MenuItem]:
    return sorted(_items.values(), key=lambda item: (item.order, item.url_name))


def menu(request: HttpRequest) -> list[dict[str, Any]]:
    """The entries as ``base.html`` shows them: label, href and whether current."""
    rows = []
    for item in items():
        conditions = [item.active, *_extra.get(item.url_name, [])]
        rows.append(
            {
                "label": item.label,
                "href": reverse(item.url_name),
                "current": any(condition(request) for condition in conditions),
            }
        )
    return rows


# --- conditions ----------------------------------------------------------------------------


def url_names(*names: str) -> Active:
    """Current on the pages of these URL names (``"web:household_list"``: with namespace)."""

    def active(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name in names

    return active


def namespace(name: str) -> Active:
    """Current on every page of a URL namespace (``"exchange"``)."""

    def active(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        return match is not None and match.namespace == name

    return active


def path_prefixes(*prefixes: str) -> Active:
    """Current on every page whose path starts with one of these (``"/programs/"``)."""

    def active(request: HttpRequest) -> bool:
        return request.path.startswith(prefixes)

    return active


def register_frameworks() -> None:
    """The entries of the shell and of the frameworks with pages (called by ``WebConfig.ready``);
    the domain apps' entries come between them (orders 20–49)."""
    from django.utils.translation import gettext_lazy as _

    register(MenuItem(_("Areas"), "web:home", active=url_names("web:home", "web:area_detail"), order=10))
    register(MenuItem(_("Import / export"), "exchange:home", active=namespace("exchange"), order=50))
    register(MenuItem(_("Reports"), "analytics:annual", active=namespace("analytics"), order=60))
    register(MenuItem(_("API docs"), "api-docs", order=70))
