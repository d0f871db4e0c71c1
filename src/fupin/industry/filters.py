"""One FilterSet per model of leading enterprises, used by the web pages and the API.

Every filter has a lazy label: django-filter would otherwise make one from the model field
once, in the language of the first request, and keep it for every later one."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter
from fupin.industry.choices import Level, Sector, Status
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase


class EnterpriseFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="county")
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("sector"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"))
    identified_year = YearFilter(field_name="identified_year", label=_("year identified"))
    q = django_filters.CharFilter(method="filter_q", label=_("name or code contains"))

    class Meta:
        model = Enterprise
        fields = ["area", "level", "sector", "status", "identified_year", "q"]

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else qs


class EmploymentFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="enterprise__county", label=_("enterprise in this area (code) or below"))
    home = AreaCodeFilter(lookup="person__household__village", label=_("employee living in this area (code) or below"))
    enterprise = django_filters.CharFilter(field_name="enterprise__code", label=_("enterprise code"))
    household = django_filters.CharFilter(field_name="person__household__code", label=_("household code"))
    year = YearFilter(method="filter_year", label=_("employed during the year"))

    class Meta:
        model = Employment
        fields = ["area", "home", "enterprise", "household", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(start_date__year__lte=value).filter(Q(end_date__isnull=True) | Q(end_date__year__gte=value))


class _DistinctAreaCodeFilter(AreaCodeFilter):
    """An area filter over a many-to-many relation: each row once."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return super().filter(qs, value).distinct() if value else qs


class BaseFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="enterprise__county", label=_("enterprise in this area (code) or below"))
    village = _DistinctAreaCodeFilter(lookup="villages", label=_("set up in this area (code) or below"))
    enterprise = django_filters.CharFilter(field_name="enterprise__code", label=_("enterprise code"))
    q = django_filters.CharFilter(field_name="product", lookup_expr="icontains", label=_("product contains"))

    class Meta:
        model = ProductionBase
        fields = ["area", "village", "enterprise", "q"]


class BaseLinkFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="household__village", label=_("household living in this area (code) or below"))
    base = django_filters.CharFilter(field_name="base__code", label=_("base code"))
    household = django_filters.CharFilter(field_name="household__code", label=_("household code"))

    class Meta:
        model = BaseLink
        fields = ["area", "base", "household"]


class ContractFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="household__village", label=_("household living in this area (code) or below"))
    enterprise = django_filters.CharFilter(field_name="enterprise__code", label=_("enterprise code"))
    household = django_filters.CharFilter(field_name="household__code", label=_("household code"))
    year = YearFilter(field_name="year", label=_("year"))

    class Meta:
        model = OrderContract
        fields = ["area", "enterprise", "household", "year"]
