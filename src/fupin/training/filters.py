"""One FilterSet per model of training, used by the web pages and the API.

Every filter has a lazy label: django-filter would otherwise make one from the model field
once, in the language of the first request, and keep it for every later one."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter
from fupin.training.choices import Certification, ClassType, Destination, EnrolmentStatus, Sector
from fupin.training.models import Enrolment, Target, TrainingBase, TrainingClass, Transfer


class TrainingBaseFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="county")
    certification = django_filters.ChoiceFilter(choices=Certification.choices, label=_("certified by"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("name contains"))

    class Meta:
        model = TrainingBase
        fields = ["area", "certification", "q"]


class TrainingClassFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    type = django_filters.ChoiceFilter(choices=ClassType.choices, label=_("type"))
    base = django_filters.CharFilter(field_name="base__code", label=_("base code"))
    year = YearFilter(method="filter_year", label=_("ending in year"))

    class Meta:
        model = TrainingClass
        fields = ["area", "type", "base", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(end_date__year=value)


class EnrolmentFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="klass__area", label=_("class held in this area (code) or below"))
    home = AreaCodeFilter(lookup="person__household__village", label=_("trainee living in this area (code) or below"))
    class_code = django_filters.CharFilter(field_name="klass__code", label=_("class code"))
    type = django_filters.ChoiceFilter(field_name="klass__type", choices=ClassType.choices, label=_("type"))
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("status"))
    household = django_filters.CharFilter(field_name="person__household__code", label=_("household code"))
    year = YearFilter(method="filter_year", label=_("class ending in year"))

    class Meta:
        model = Enrolment
        fields = ["area", "home", "class_code", "type", "status", "household", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(klass__end_date__year=value)


class TransferFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="enrolment__klass__area", label=_("class held in this area (code) or below"))
    class_code = django_filters.CharFilter(field_name="enrolment__klass__code", label=_("class code"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("sector"))
    destination = django_filters.ChoiceFilter(choices=Destination.choices, label=_("destination"))
    household = django_filters.CharFilter(field_name="enrolment__person__household__code", label=_("household code"))
    year = YearFilter(method="filter_year", label=_("starting in year"))

    class Meta:
        model = Transfer
        fields = ["area", "class_code", "sector", "destination", "household", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(start_date__year=value)


class TargetFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    year = YearFilter(field_name="year")

    class Meta:
        model = Target
        fields = ["area", "year"]
