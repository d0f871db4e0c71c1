"""One FilterSet per model of the funds ledger, used by the web pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.areacodes import descendant_range
from fupin.core.filters import AreaCodeFilter, FilterSet, IntegerFilter, YearFilter
from fupin.core.scoping import area_q
from fupin.funds.choices import EntryKind, Source
from fupin.funds.models import Account, Entry
from fupin.programs.choices import Category, ProgramType


class EntryFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area", label=_("area the money moves from (code), including everything below it"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    year = YearFilter(label=_("fund year"))
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    program = django_filters.ChoiceFilter(field_name="project__program", choices=ProgramType.choices)
    category = django_filters.ChoiceFilter(field_name="project__category", choices=Category.choices)
    batch = IntegerFilter(field_name="project__plan__batch__number", label=_("batch number"))
    reversal = django_filters.BooleanFilter(
        field_name="reverses", lookup_expr="isnull", exclude=True, label=_("is a reversing entry")
    )

    class Meta:
        model = Entry
        fields = ["area", "kind", "source", "year", "project", "program", "category", "batch", "reversal"]


class NodeAreaFilter(AreaCodeFilter):
    """Accounts of the areas, and of the projects, in this area or below it."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        ranges = [descendant_range(value)]
        return qs.filter(area_q("area", ranges, model=qs.model) | area_q("project__area", ranges, model=qs.model))


class AccountFilterSet(FilterSet):
    area = NodeAreaFilter()
    node = django_filters.ChoiceFilter(
        choices=[("area", pgettext_lazy("node", "areas")), ("project", pgettext_lazy("node", "projects"))],
        method="filter_node",
        label=_("kind of node"),
    )
    source = django_filters.ChoiceFilter(choices=Source.choices)
    year = YearFilter(label=_("fund year"))
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    program = django_filters.ChoiceFilter(field_name="project__program", choices=ProgramType.choices)
    category = django_filters.ChoiceFilter(field_name="project__category", choices=Category.choices)

    class Meta:
        model = Account
        fields = ["area", "node", "source", "year", "project", "program", "category"]

    def filter_node(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "area":
            return qs.filter(project__isnull=True)
        if value == "project":
            return qs.filter(area__isnull=True)
        return qs
