"""Filters shared by every app's FilterSet: ``area`` means "in this area or below"."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.utils import label_for_filter

from fupin.core.areacodes import descendant_range, normalize
from fupin.core.scoping import area_q
from fupin.core.validation import YEARS

_lazy_label = lazy(label_for_filter, str)


class FilterSet(django_filters.FilterSet):
    """The FilterSet of every app. A filter without a label of its own gets django-filter's
    label from the model (the field's verbose name and the lookup) as a lazy string: django-filter
    would compute it once, on the first read of the class's filter, in the language of that
    request (the schema generator reads them all), and show it in every language after."""

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        filters = super().get_filters()
        model = cls._meta.model
        for f in filters.values():
            if f._label is None and model is not None:
                f._label = _lazy_label(model, f.field_name, f.lookup_expr, f.exclude)
        return filters


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
        return qs.filter(area_q(self.lookup, [descendant_range(value)], model=qs.model))


class YearFilter(django_filters.NumberFilter):
    """A year of Fupin's range (``core.validation.YEARS``): another, or a number too large
    for any column, is refused by the filter's form (a 400 in the API) instead of reaching
    the database (``date__year=0`` is no date at all)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEARS[0])
        kwargs.setdefault("max_value", YEARS[1])
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number that fits an integer column (a batch number, a count)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        low, high = BaseDatabaseOperations.integer_field_ranges["IntegerField"]
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
        super().__init__(*args, **kwargs)
