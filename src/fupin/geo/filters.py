from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet
from fupin.geo.choices import AreaKind, KeyCounty, Level
from fupin.geo.models import AdminArea


class AdminAreaFilterSet(FilterSet):
    area = AreaCodeFilter()
    parent = django_filters.CharFilter(field_name="parent__code", label=_("parent (code)"))
    level = django_filters.ChoiceFilter(choices=Level.choices)
    kind = django_filters.ChoiceFilter(choices=AreaKind.choices)
    key_county = django_filters.BooleanFilter(method="filter_key_county", label=_("key county"))
    key_county_type = django_filters.ChoiceFilter(
        field_name="key_county", choices=KeyCounty.choices[1:], label=_("key county type")
    )
    key_village = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", label=_("search name or code"))

    class Meta:
        model = AdminArea
        fields = ["area", "parent", "level", "kind", "key_county", "key_county_type", "key_village", "q"]

    def filter_key_county(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.exclude(key_county="") if value else qs.filter(key_county="")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return qs
        return qs.filter(Q(name__contains=value) | Q(name_en__icontains=value) | Q(code__startswith=value))
