"""One FilterSet per model of social and pairing assistance, used by the web pages and the
API. Every filter has a lazy label (django-filter would otherwise make one once, in the
language of the first request)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.assistance.choices import CadreKind, ContributionKind, UnitLevel
from fupin.assistance.models import AssistingUnit, Cadre, Contribution, Pairing, StudentAid
from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter


class UnitFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area", label=_("unit of this area (code) or below"))
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label=_("level"))
    q = django_filters.CharFilter(method="filter_q", label=_("name or code contains"))

    class Meta:
        model = AssistingUnit
        fields = ["area", "level", "q"]

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else qs


class PairingFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area", label=_("paired area in this area (code) or below"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))
    year = YearFilter(method="filter_year", label=_("running in the year"))

    class Meta:
        model = Pairing
        fields = ["area", "unit", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(start_year__lte=value, end_year__gte=value)


class CadreFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="place", label=_("sent to this area (code) or below"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))
    kind = django_filters.ChoiceFilter(choices=CadreKind.choices, label=pgettext_lazy("cadre", "kind"))

    class Meta:
        model = Cadre
        fields = ["area", "unit", "kind"]


class ContributionFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area", label=_("recipient in this area (code) or below"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))
    kind = django_filters.ChoiceFilter(choices=ContributionKind.choices, label=pgettext_lazy("contribution", "kind"))
    year = YearFilter(field_name="date__year", label=_("year"))

    class Meta:
        model = Contribution
        fields = ["area", "unit", "kind", "year"]


class StudentFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="person__household__village", label=_("student living in this area (code) or below"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("unit code"))
    year = YearFilter(field_name="year", label=_("year"))

    class Meta:
        model = StudentAid
        fields = ["area", "unit", "year"]
