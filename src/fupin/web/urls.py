"""The web shell's pages and the discovered pages of the apps.

The root URLconf mounts ``page_urls()``: the shell's own pages (the area browser) and the
``urls.py`` of every installed Fupin app that the root URLconf does not mount under a
prefix of its own. An app's ``urls.py`` without ``app_name`` joins the ``web`` namespace
(``{% url 'web:household_detail' code %}``); one with ``app_name`` keeps its own. Paths are
written from the site root (``households/<str:code>/``)."""

from __future__ import annotations

from collections.abc import Collection
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import include, path
from django.utils.module_loading import module_has_submodule

from fupin.web import views

app_name = "web"
urlpatterns: list[Any] = [
    path("", views.home, name="home"),
    path("areas/search/", views.area_search, name="area_search"),
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
]


def page_urls(exclude: Collection[str] = ()) -> list[Any]:
    """The shell's patterns with those of the apps' ``urls.py`` (in ``INSTALLED_APPS``
    order), leaving out the apps named in ``exclude`` (mounted elsewhere)."""
    merged = list(urlpatterns)
    own: list[Any] = []
    for config in apps.get_app_configs():
        if config.name in exclude or config.name == __package__ or not config.name.startswith("fupin."):
            continue
        if not module_has_submodule(config.module, "urls"):
            continue
        module = import_module(f"{config.name}.urls")
        if getattr(module, "app_name", None):
            own.append(path("", include(module)))
        else:
            merged.extend(module.urlpatterns)
    return [path("", include((merged, app_name))), *own]
