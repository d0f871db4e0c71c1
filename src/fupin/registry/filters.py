"""One FilterSet per model, used by the web lists, the API and exports."""

from __future__ import annotations

import django_filters
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.core.filters import AreaCodeFilter, FilterSet, YearFilter
from fupin.core.policy import can_view_identifiers
from fupin.registry import idnumbers
from fupin.registry.choices import Cause, Labour, Procedure, Relation, Sex, Stage, Status
from fupin.registry.models import ASSURANCE_FIELDS, Household, IncomeRecord, Person, StatusEvent

HOUSEHOLD_TYPES = [
    ("ordinary", _("ordinary poor")),
    ("dibao", _("低保 (minimum living allowance)")),
    ("wubao", _("五保 (five guarantees)")),
]


def _person_match(value: str, *, identifiers: bool) -> Q:
    """An ID number matches exactly, for a user who may see identifiers only (for anyone
    else a search by ID number would confirm a guess of a masked number, so digits match no
    ID number); a name matches from its start (a surname, or a full name), as a range on
    the indexed name so that it stays fast over millions of people."""
    value = value.strip()
    if len(value) == 18 and value[:17].isdigit():
        return Q(id_number=idnumbers.normalize(value)) if identifiers else Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(name__startswith=value)  # LIKE 'x%' on the varchar_pattern_ops index
    return Q(name__gte=value, name__lt=value + "\U0010ffff")  # SQLite compares by code point


ASSURANCE_CHOICES = [
    ("any", _("any item")),
    ("food", _("food (不愁吃)")),
    ("clothing", _("clothing (不愁穿)")),
    ("education", _("compulsory education")),
    ("medical", _("basic medical care")),
    ("housing", _("safe housing")),
    ("water", _("safe drinking water")),
]


def _may_search_identifiers(filterset: django_filters.FilterSet) -> bool:
    """Search by ID number is a right of the permission to see identifiers; a filter set
    made without a request (no user) searches names only."""
    request = getattr(filterset, "request", None)
    return can_view_identifiers(getattr(request, "user", None))


class HouseholdFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="village")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    cause = django_filters.ChoiceFilter(field_name="main_cause", choices=Cause.choices, label=_("main cause"))
    secondary_cause = django_filters.ChoiceFilter(
        field_name="secondary_causes__cause", choices=Cause.choices, label=_("secondary cause"), distinct=True
    )
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices[1:])
    stage = django_filters.ChoiceFilter(choices=Stage.choices[1:])
    returned = django_filters.BooleanFilter()
    type = django_filters.ChoiceFilter(choices=HOUSEHOLD_TYPES, method="filter_type", label=_("household type"))
    key_village = django_filters.BooleanFilter(field_name="village__key_village", label=_("in a key village"))
    assured_food = django_filters.BooleanFilter()
    assured_clothing = django_filters.BooleanFilter()
    assured_education = django_filters.BooleanFilter()
    assured_medical = django_filters.BooleanFilter()
    assured_housing = django_filters.BooleanFilter()
    assured_water = django_filters.BooleanFilter()
    deprived = django_filters.ChoiceFilter(
        choices=ASSURANCE_CHOICES, method="filter_deprived", label=_("not assured in (两不愁三保障)")
    )
    unassessed = django_filters.BooleanFilter(method="filter_unassessed", label=_("some item not yet assessed"))
    q = django_filters.CharFilter(method="filter_q", label=_("household code, member name or ID number"))

    class Meta:
        model = Household
        fields = [
            "area",
            "status",
            "cause",
            "secondary_cause",
            "procedure",
            "stage",
            "returned",
            "type",
            "key_village",
            *ASSURANCE_FIELDS,
            "deprived",
            "unassessed",
            "q",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not _may_search_identifiers(self):
            self.filters["q"].label = _("household code or member name")

    def filter_deprived(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """Households not assured in the item (``food``, ``water``, ...), or in any item (``any``)."""
        if not value:
            return qs
        if value == "any":
            condition = Q()
            for field in ASSURANCE_FIELDS:
                condition |= Q(**{field: False})
            return qs.filter(condition)
        return qs.filter(**{f"assured_{value}": False})

    def filter_unassessed(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        """True: households with at least one item not yet assessed; False: fully assessed."""
        if value is None:
            return qs
        condition = Q()
        for field in ASSURANCE_FIELDS:
            condition |= Q(**{f"{field}__isnull": True})
        return qs.filter(condition) if value else qs.exclude(condition)

    def filter_type(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(**{f"type_{value}": True}) if value else qs

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return qs
        match = _person_match(value, identifiers=_may_search_identifiers(self))
        members = Person.objects.filter(match).values("household_id")
        return qs.filter(Q(code=value.strip()) | Q(pk__in=members))


class PersonFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="household__village")
    status = django_filters.MultipleChoiceFilter(
        field_name="household__status", choices=Status.choices, label=_("household status"), distinct=False
    )
    household = django_filters.CharFilter(field_name="household__code", label=_("household code"))
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    relation = django_filters.ChoiceFilter(choices=Relation.choices)
    labour = django_filters.ChoiceFilter(choices=Labour.choices)
    cause = django_filters.ChoiceFilter(
        field_name="household__main_cause", choices=Cause.choices, label=_("household's main cause")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("name or ID number"))

    class Meta:
        model = Person
        fields = ["area", "status", "household", "sex", "relation", "labour", "cause", "q"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not _may_search_identifiers(self):
            self.filters["q"].label = _("name")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(_person_match(value, identifiers=_may_search_identifiers(self))) if value else qs


class IncomeRecordFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="household__village")
    year = YearFilter()
    household = django_filters.CharFilter(field_name="household__code", label=_("household code"))
    status = django_filters.MultipleChoiceFilter(
        field_name="household__status", choices=Status.choices, label=_("household status"), distinct=False
    )

    class Meta:
        model = IncomeRecord
        fields = ["area", "year", "household", "status"]


class StatusEventFilterSet(FilterSet):
    area = AreaCodeFilter(lookup="household__village")
    household = django_filters.CharFilter(field_name="household__code")
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices[1:])
    year = YearFilter(field_name="date__year", label=_("year"))

    class Meta:
        model = StatusEvent
        fields = ["area", "household", "procedure", "action", "year"]
