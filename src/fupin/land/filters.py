"""The FilterSet of land transfer contracts, used by the web pages and the API. Every filter
has a lazy label (django-filter would otherwise fix one in the first request's language)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter
from fupin.land import rules
from fupin.land.choices import Mode, Payment, TransfereeKind
from fupin.land.models import LandContract
from fupin.land.selectors import in_force_q


class LandContractFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="village")
    mode = django_filters.ChoiceFilter(choices=Mode.choices, label=_("mode"))
    transferee_kind = django_filters.ChoiceFilter(choices=TransfereeKind.choices, label=_("transferee"))
    payment = django_filters.ChoiceFilter(choices=Payment.choices, label=_("payment terms"))
    household = django_filters.CharFilter(
        field_name="transferors__household__code", label=_("transferor household code"), distinct=True
    )
    enterprise = django_filters.CharFilter(
        field_name="transferee_enterprise__code", label=_("transferee enterprise (credit code)")
    )
    in_force = django_filters.DateFilter(
        method="filter_in_force", label=_("in force on (date)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    year = YearFilter(method="filter_year", label=_("contract starting in year"))
    large_scale = django_filters.BooleanFilter(method="filter_large_scale", label=_("large-scale operation"))

    class Meta:
        model = LandContract
        fields = ["area", "mode", "transferee_kind", "payment", "household", "enterprise", "in_force", "year"]

    def filter_in_force(self, qs: QuerySet, name: str, value: dt.date | None) -> QuerySet:
        return qs if value is None else qs.filter(in_force_q(value))

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(start_date__year=value)

    def filter_large_scale(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        limit = rules.large_scale_mu()
        ids = LandContract.objects.with_area().filter(area__gte=limit).values("pk")
        return qs.filter(pk__in=ids) if value else qs.exclude(pk__in=ids)
