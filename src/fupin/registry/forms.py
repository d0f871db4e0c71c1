"""Forms of the registry's pages. They only shape and type the input: every rule of the
registry (ID numbers, causes, one head, scope, role, workflow) is checked by the services,
whose errors ``fupin.web.views.common.show_error`` attaches to the field they name."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.registry.choices import (
    Action,
    Cause,
    Disability,
    Education,
    Health,
    Labour,
    MigrantWork,
    Procedure,
    Relation,
)
from fupin.registry.models import IncomeRecord
from fupin.web.forms import BLANK, DateInput

# short labels of the 两不愁三保障 items (and safe drinking water), in the register's order
ASSURANCE_LABELS: dict[str, Any] = {
    "assured_food": _("food (不愁吃)"),
    "assured_clothing": _("clothing (不愁穿)"),
    "assured_education": _("compulsory education (义务教育)"),
    "assured_medical": _("basic medical care (基本医疗)"),
    "assured_housing": _("safe housing (住房安全)"),
    "assured_water": _("safe drinking water (饮水安全)"),
}


def assurance_field(label: Any) -> forms.NullBooleanField:
    """One 两不愁三保障 item: assured, not assured, or not yet assessed (empty)."""
    widget = forms.NullBooleanSelect()
    widget.choices = [("unknown", _("not yet assessed")), ("true", _("assured")), ("false", _("not assured"))]
    return forms.NullBooleanField(label=label, required=False, widget=widget)


# --- households -----------------------------------------------------------------------------


class HouseholdForm(forms.Form):
    """A household's own fields; field names are those the services name in their errors."""

    village = forms.CharField(
        label=_("village (code)"),
        max_length=12,
        help_text=_("The 12-digit code of the village; type a name to search."),
        widget=forms.TextInput(attrs={"list": "village-options", "autocomplete": "off", "inputmode": "numeric"}),
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    type_ordinary = forms.BooleanField(label=_("ordinary poor household"), required=False)
    type_dibao = forms.BooleanField(label=_("minimum living allowance (低保) household"), required=False)
    type_wubao = forms.BooleanField(label=_("five guarantees (五保) household"), required=False)
    main_cause = forms.ChoiceField(label=_("main cause of poverty"), choices=BLANK + Cause.choices, required=False)
    secondary_causes = forms.MultipleChoiceField(
        label=_("secondary causes"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assured_food = assurance_field(ASSURANCE_LABELS["assured_food"])
    assured_clothing = assurance_field(ASSURANCE_LABELS["assured_clothing"])
    assured_education = assurance_field(ASSURANCE_LABELS["assured_education"])
    assured_medical = assurance_field(ASSURANCE_LABELS["assured_medical"])
    assured_housing = assurance_field(ASSURANCE_LABELS["assured_housing"])
    assured_water = assurance_field(ASSURANCE_LABELS["assured_water"])

    TYPE_FIELDS = ("type_ordinary", "type_dibao", "type_wubao")
    ASSURANCE_FIELDS = tuple(ASSURANCE_LABELS)

    def assurance_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ASSURANCE_FIELDS]


class HouseholdRegisterForm(HouseholdForm):
    """The household form of a registration, where the code may be given (else Fupin
    numbers the household in its village)."""

    code = forms.CharField(
        label=_("household code"),
        max_length=20,
        required=False,
        help_text=_("The village's 12-digit code followed by serial digits; leave empty to number it."),
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=64)
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off", "size": 19})
    )
    relation = forms.ChoiceField(label=_("relation to the head"), choices=BLANK + Relation.choices)
    education = forms.ChoiceField(label=_("education"), choices=BLANK + Education.choices)
    labour = forms.ChoiceField(label=_("labour ability"), choices=BLANK + Labour.choices)
    health = forms.ChoiceField(label=_("health"), choices=Health.choices, initial=Health.HEALTHY)
    disability = forms.ChoiceField(label=_("disability"), choices=Disability.choices, required=False)
    migrant_work = forms.ChoiceField(label=_("migrant work"), choices=MigrantWork.choices, required=False)
    migrant_months = forms.IntegerField(
        label=_("months away"),
        min_value=0,
        max_value=12,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )

    def member_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["migrant_months"] = data.get("migrant_months") or 0
        return data


class HelperForm(forms.Form):
    name = forms.CharField(label=_("helper's name"), max_length=64)
    unit = forms.CharField(label=_("work unit"), max_length=128, required=False)
    post = forms.CharField(label=_("post"), max_length=64, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)


# Register: three member rows to start with (one of them the head), "add another member"
# adds rows. Empty extra rows are ignored.
MemberFormSet = forms.formset_factory(MemberForm, extra=2, min_num=1, validate_min=True)
MEMBER_PREFIX = "members"
HelperFormSet = forms.formset_factory(HelperForm, extra=1, can_delete=True)
HELPER_PREFIX = "helpers"


def filled(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The rows of a valid formset that hold data and are not marked for deletion, in order."""
    return [f for f in formset.forms if f.cleaned_data and not (formset.can_delete and f.cleaned_data.get("DELETE"))]


def helper_data(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in filled(formset)]


# --- workflow -------------------------------------------------------------------------------


class StepForm(forms.Form):
    """One step of a household's procedure; ``procedure`` only for "apply"."""

    action = forms.ChoiceField(label=_("action"), choices=Action.choices)
    date = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    procedure = forms.ChoiceField(label=_("procedure"), choices=Procedure.choices[1:], required=False)

    def __init__(self, *args: Any, procedures: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if procedures is not None:
            procedure = cast(forms.ChoiceField, self.fields["procedure"])
            procedure.choices = [(p, Procedure(p).label) for p in procedures]


# --- incomes --------------------------------------------------------------------------------


class IncomeForm(forms.Form):
    """A year's income: the amount fields of ``IncomeRecord`` with their own labels."""

    year = forms.IntegerField(label=_("year"), min_value=1980)
    household_size = forms.IntegerField(label=_("household size in the year"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        year = cast(forms.IntegerField, self.fields["year"])
        year.max_value = this_year
        year.validators.append(MaxValueValidator(this_year))
        year.widget.attrs["max"] = this_year
        for name in IncomeRecord.AMOUNT_FIELDS:
            field = cast(models.Field, IncomeRecord._meta.get_field(name))
            self.fields[name] = forms.DecimalField(
                label=field.verbose_name,
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=0,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "class": "money"}),
            )

    def amounts(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or 0 for name in IncomeRecord.AMOUNT_FIELDS}

    def amount_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in IncomeRecord.AMOUNT_FIELDS]


def default_income_year() -> int:
    """Income is usually entered for the year just ended."""
    return timezone.localdate().year - 1


def parse_year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1980 <= year <= dt.date.max.year else None
