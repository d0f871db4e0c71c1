"""Forms of the programs' pages. Field names are those the programs' services name in
their errors."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.programs.choices import CHECKLIST, CHECKLIST_FIELDS, Category, ProjectStatus
from fupin.web.forms import BLANK, DateInput, localized_name, money_field, note_field, today, year_field


class PlanStartForm(forms.Form):
    date = forms.DateField(label=_("work began on"), widget=DateInput(), initial=today)


class ChecklistForm(forms.Form):
    """The acceptance standard "四有三通三提高": one checkbox per item, in its groups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _group, label in CHECKLIST:
            self.fields[name] = forms.BooleanField(label=cast(str, label), required=False)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        for name, group, _label in CHECKLIST:
            grouped.setdefault(group, []).append(self[name])
        return list(grouped.items())

    def items(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in CHECKLIST_FIELDS}


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("date of acceptance"), widget=DateInput(), initial=today)
    accepted_by = forms.CharField(
        label=_("officials who accepted the village"),
        max_length=200,
        help_text=_("Names and posts of the county's acceptance group."),
    )


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("output"))
    year = year_field()
    quantity = forms.DecimalField(
        label=_("quantity"),
        min_value=0,
        max_digits=14,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = BLANK + [(k.code, f"{localized_name(k)} ({k.get_unit_display()})") for k in kinds]


class LabourForm(forms.Form):
    year = year_field()
    persons = forms.IntegerField(label=_("persons"), min_value=0)
    person_days = forms.IntegerField(label=_("person-days"), min_value=0)


class BeneficiariesForm(forms.Form):
    households = forms.CharField(
        label=_("household codes"),
        help_text=_("One or more codes, separated by spaces, commas or new lines."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    year = year_field()

    def codes(self) -> list[str]:
        text = self.cleaned_data["households"].replace(",", " ").replace("，", " ")
        return list(dict.fromkeys(text.split()))


class BatchForm(forms.Form):
    """A new batch of entire village advancement (the province's office)."""

    number = forms.IntegerField(
        label=_("batch number"), min_value=1, max_value=32767, widget=forms.NumberInput(attrs={"class": "narrow"})
    )
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=100)
    start_year = year_field(_("first year"))
    end_year = year_field(_("year of completion"))
    note = note_field()


class ZoneForm(forms.Form):
    """A new contiguous development zone (the province's office)."""

    code = forms.CharField(label=_("code"), max_length=20)
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=100)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    counties = forms.CharField(
        label=_("counties"),
        max_length=500,
        help_text=_("County codes, separated by spaces or commas."),
    )
    start_year = year_field(_("first year"))
    end_year = forms.IntegerField(
        label=_("last year"),
        min_value=1980,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )
    note = note_field()

    def clean_counties(self) -> list[str]:
        from fupin.core.areacodes import normalize

        codes = [c for c in self.cleaned_data["counties"].replace(",", " ").replace("，", " ").split() if c]
        if not codes:
            raise forms.ValidationError(_("Give at least one county code."))
        result = []
        for code in codes:
            try:
                result.append(normalize(code))
            except ValueError as exc:
                raise forms.ValidationError(_("“%(code)s” is not an area code.") % {"code": code}) from exc
        return result


class PlanForm(forms.Form):
    """A village put into a batch with its plan (the county's office)."""

    village = forms.CharField(
        label=_("village (code)"),
        max_length=12,
        help_text=_("The 12-digit code of the village; type a name to search."),
        widget=forms.TextInput(
            attrs={
                "list": "plan-village-options",
                "autocomplete": "off",
                "inputmode": "numeric",
                "hx-get": reverse_lazy("web:area_search"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#plan-village-options",
            }
        ),
    )
    planned_investment = money_field(_("planned investment (yuan)"))
    note = note_field()


class ProjectForm(forms.Form):
    """A new project of a village plan; its program and area are the plan's."""

    code = forms.CharField(label=_("project code"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=200)
    category = forms.ChoiceField(label=_("category"), choices=BLANK + Category.choices)
    start_year = year_field(_("first year"))
    end_year = year_field(_("last year"))
    budget = money_field(_("budget (yuan)"))
    note = note_field()


class ZoneProjectForm(ProjectForm):
    """A new project of a contiguous development zone, in one of its counties."""

    area = forms.CharField(
        label=_("area (code)"),
        max_length=12,
        help_text=_("A county of the zone, or a township or village in it."),
        widget=forms.TextInput(attrs={"list": "zone-county-options", "autocomplete": "off", "inputmode": "numeric"}),
    )
    field_order = ["area", "code", "name", "category", "start_year", "end_year", "budget", "note"]


class ProjectEditForm(forms.Form):
    """What the county may change of a project: its status, years and budget."""

    status = forms.ChoiceField(label=_("status"), choices=ProjectStatus.choices)
    start_year = year_field(_("first year"))
    end_year = year_field(_("last year"))
    budget = money_field(_("budget (yuan)"))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
