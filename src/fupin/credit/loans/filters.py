"""One FilterSet per model of the discounted loans, used by the web pages and the API
(lazy labels: see ``fupin.training.filters``)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter
from fupin.credit.loans.choices import BorrowerKind
from fupin.credit.loans.models import Discount, DiscountPilot, Loan, LoanRepayment


class DiscountPilotFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    year = YearFilter(method="filter_year", label=_("in the pilot in year"))

    class Meta:
        model = DiscountPilot
        fields = ["area", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(first_year__lte=value, last_year__gte=value)


class LoanFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="area")
    kind = django_filters.ChoiceFilter(choices=BorrowerKind.choices, label=_("borrower kind"))
    household = django_filters.CharFilter(field_name="household__code", label=_("household code"))
    enterprise = django_filters.CharFilter(field_name="enterprise__code", label=_("enterprise code"))
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    lender = django_filters.CharFilter(field_name="lender", lookup_expr="icontains", label=_("lender contains"))
    year = YearFilter(method="filter_year", label=_("drawn in year"))

    class Meta:
        model = Loan
        fields = ["area", "kind", "household", "enterprise", "project", "lender", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(drawn_on__year=value)


class RepaymentFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="loan__area")
    loan = django_filters.CharFilter(field_name="loan__code", label=_("loan contract number"))

    class Meta:
        model = LoanRepayment
        fields = ["area", "loan"]


class DiscountFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="loan__area")
    loan = django_filters.CharFilter(field_name="loan__code", label=_("loan contract number"))
    kind = django_filters.ChoiceFilter(field_name="loan__kind", choices=BorrowerKind.choices, label=_("borrower kind"))
    year = YearFilter(field_name="year", label=_("year"))

    class Meta:
        model = Discount
        fields = ["area", "loan", "kind", "year"]
