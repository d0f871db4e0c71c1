"""One FilterSet per listed model of the mutual funds, used by the pages and the API.
Every filter has a lazy label (django-filter would fix one in the first request's language)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter
from fupin.credit.mutual.choices import LoanStatus
from fupin.credit.mutual.models import FundLoan, Membership, MutualFund


class FundFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="village", label=_("in this area (code) or below"))
    year = YearFilter(method="filter_year", label=_("established in year"))
    open = django_filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", label=_("open"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("name contains"))

    class Meta:
        model = MutualFund
        fields = ["area", "year", "open", "q"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(established_on__year=value)


class MembershipFilterSet(FilterSet):
    poor = django_filters.BooleanFilter(field_name="poor", label=_("poor household"))

    class Meta:
        model = Membership
        fields = ["poor"]


class FundLoanFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="fund__village", label=_("in this area (code) or below"))
    fund = django_filters.CharFilter(field_name="fund__code", label=_("fund code"))
    household = django_filters.CharFilter(field_name="member__household__code", label=_("household code"))
    status = django_filters.ChoiceFilter(choices=LoanStatus.choices, label=_("status"))
    year = YearFilter(method="filter_year", label=_("applied for in year"))

    class Meta:
        model = FundLoan
        fields = ["area", "fund", "household", "status", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(applied_on__year=value)
