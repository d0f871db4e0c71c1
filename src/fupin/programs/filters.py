"""One FilterSet per model of the programs, used by the web pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, IntegerFilter, YearFilter
from fupin.programs.choices import Category, PlanStatus, ProgramType, ProjectStatus
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    OutputKind,
    Project,
    ProjectOutput,
    VillagePlan,
)


def _active_in(start: str, end: str, year: int | None) -> Q:
    """Rows whose years (``start`` to ``end``, an open end when null) include ``year``."""
    if year is None:
        return Q()
    return Q(**{f"{start}__lte": year}) & (Q(**{f"{end}__gte": year}) | Q(**{f"{end}__isnull": True}))


class BatchFilterSet(FilterSet):
    year = YearFilter(method="filter_year", label=_("active in year"))

    class Meta:
        model = Batch
        fields = ["year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs.filter(_active_in("start_year", "end_year", value))


class VillagePlanFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="village")
    batch = IntegerFilter(field_name="batch__number", label=_("batch number"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    year = YearFilter(method="filter_year", label=_("batch active in year"))
    key_village = django_filters.BooleanFilter(field_name="village__key_village", label=_("key village"))

    class Meta:
        model = VillagePlan
        fields = ["area", "batch", "status", "year", "key_village"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs.filter(_active_in("batch__start_year", "batch__end_year", value))


class ContiguousZoneFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="counties", label=_("with a county in this area (code)"))
    year = YearFilter(method="filter_year", label=_("active in year"))

    class Meta:
        model = ContiguousZone
        fields = ["area", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs.filter(_active_in("start_year", "end_year", value))


class ProjectFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    program = django_filters.ChoiceFilter(choices=ProgramType.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    year = YearFilter(method="filter_year", label=_("running in year"))
    batch = IntegerFilter(field_name="plan__batch__number", label=_("batch number"))
    plan = django_filters.CharFilter(field_name="plan__village__code", label=_("village plan (village code)"))
    zone = django_filters.CharFilter(field_name="zone__code", label=_("contiguous development zone (code)"))

    class Meta:
        model = Project
        fields = ["area", "program", "category", "status", "year", "batch", "plan", "zone"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs.filter(_active_in("start_year", "end_year", value))


class ProjectOutputFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="project__area")
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    kind = django_filters.CharFilter(field_name="kind__code", label=_("kind of output (code)"))
    year = YearFilter()
    program = django_filters.ChoiceFilter(field_name="project__program", choices=ProgramType.choices)
    category = django_filters.ChoiceFilter(field_name="kind__category", choices=Category.choices)
    batch = IntegerFilter(field_name="project__plan__batch__number", label=_("batch number"))

    class Meta:
        model = ProjectOutput
        fields = ["area", "project", "kind", "year", "program", "category", "batch"]


class BeneficiaryFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="household__village")
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    household = django_filters.CharFilter(field_name="household__code", label=_("household code"))
    year = YearFilter()
    program = django_filters.ChoiceFilter(field_name="project__program", choices=ProgramType.choices)
    category = django_filters.ChoiceFilter(field_name="project__category", choices=Category.choices)

    class Meta:
        model = Beneficiary
        fields = ["area", "project", "household", "year", "program", "category"]


class LabourInputFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="project__area")
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    year = YearFilter()
    program = django_filters.ChoiceFilter(field_name="project__program", choices=ProgramType.choices)
    batch = IntegerFilter(field_name="project__plan__batch__number", label=_("batch number"))

    class Meta:
        model = LabourInput
        fields = ["area", "project", "year", "program", "batch"]


class OutputKindFilterSet(FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)

    class Meta:
        model = OutputKind
        fields = ["category", "unit"]
