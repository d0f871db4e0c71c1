"""One FilterSet per listed model of the responsibility and assessment system, for the
pages and the API. Every filter has a lazy label."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from fupin.accountability.choices import AssessmentStatus, ModelKind
from fupin.accountability.models import Assessment, PromotionMeeting, ResponsibilityAssignment, Target, TypicalModel
from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter


class AssignmentFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    year = YearFilter(field_name="year", label=_("year"))

    class Meta:
        model = ResponsibilityAssignment
        fields = ["area", "year"]


class TargetFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    year = YearFilter(field_name="year", label=_("year"))
    indicator = django_filters.CharFilter(field_name="indicator", label=_("indicator"))

    class Meta:
        model = Target
        fields = ["area", "year", "indicator"]


class AssessmentFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    year = YearFilter(field_name="year", label=_("year"))
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("status"))

    class Meta:
        model = Assessment
        fields = ["area", "year", "status"]


class ModelFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    year = YearFilter(field_name="year", label=_("year"))
    kind = django_filters.ChoiceFilter(choices=ModelKind.choices, label=_("kind of model"))

    class Meta:
        model = TypicalModel
        fields = ["area", "year", "kind"]


class MeetingFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")

    class Meta:
        model = PromotionMeeting
        fields = ["area"]
