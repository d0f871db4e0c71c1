"""Filters shared by every app's FilterSet: ``area`` means "in this area or below"."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.areacodes import descendant_range, normalize
from fupin.core.scoping import area_q


class AreaCodeField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalize(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Not an area code: %(code)s (12 digits, or its leading digits such as 2301)."),
                params={"code": value},
                code="invalid",
            ) from exc


class AreaCodeFilter(django_filters.CharFilter):
    """Rows in the area with this code (full 12 digits or its prefix) or below it.

    ``lookup`` is the path from the model to the area, e.g. ``village``."""

    field_class = AreaCodeField

    def __init__(self, *args: Any, lookup: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label", _("area (code), including everything below it"))
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        return qs.filter(area_q(self.lookup, [descendant_range(value)]))
