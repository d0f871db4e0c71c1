"""Forms of the web UI. They only shape and type the input: every rule of the registry
(ID numbers, causes, one head, scope, role, workflow) is checked by the services, whose
errors ``fupin.web.views.show_error`` attaches to the field they name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.funds.choices import Source
from fupin.programs.choices import CHECKLIST, CHECKLIST_FIELDS, Category, ProjectStatus
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

BLANK: list[tuple[str, Any]] = [("", "---------")]


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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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


# --- programs and funds ---------------------------------------------------------------------
# Field names are those the programs' and funds' services name in their errors.


def _year_field(label: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("year"), min_value=1980, max_value=2100, widget=forms.NumberInput(attrs={"class": "narrow"})
    )


def localized_name(obj: Any) -> str:
    """A record's English name (``name_en``) in English when it has one, else its name."""
    english = (translation.get_language() or "").startswith("en")
    return (getattr(obj, "name_en", "") or obj.name) if english else obj.name


def _today() -> dt.date:
    return timezone.localdate()


class PlanStartForm(forms.Form):
    date = forms.DateField(label=_("work began on"), widget=DateInput(), initial=_today)


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
    accepted_on = forms.DateField(label=_("date of acceptance"), widget=DateInput(), initial=_today)
    accepted_by = forms.CharField(
        label=_("officials who accepted the village"),
        max_length=200,
        help_text=_("Names and posts of the county's acceptance group."),
    )


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("output"))
    year = _year_field()
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
    year = _year_field()
    persons = forms.IntegerField(label=_("persons"), min_value=0)
    person_days = forms.IntegerField(label=_("person-days"), min_value=0)


class BeneficiariesForm(forms.Form):
    households = forms.CharField(
        label=_("household codes"),
        help_text=_("One or more codes, separated by spaces, commas or new lines."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    year = _year_field()

    def codes(self) -> list[str]:
        text = self.cleaned_data["households"].replace(",", " ").replace("，", " ")
        return list(dict.fromkeys(text.split()))


def _money_field(label: Any, *, minimum: str = "0") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(minimum),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": minimum, "class": "money"}),
    )


def _note_field() -> forms.CharField:
    return forms.CharField(label=_("note"), max_length=200, required=False)


class BatchForm(forms.Form):
    """A new batch of entire village advancement (the province's office)."""

    number = forms.IntegerField(
        label=_("batch number"), min_value=1, max_value=32767, widget=forms.NumberInput(attrs={"class": "narrow"})
    )
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=100)
    start_year = _year_field(_("first year"))
    end_year = _year_field(_("year of completion"))
    note = _note_field()


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
    start_year = _year_field(_("first year"))
    end_year = forms.IntegerField(
        label=_("last year"),
        min_value=1980,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )
    note = _note_field()

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
    planned_investment = _money_field(_("planned investment (yuan)"))
    note = _note_field()


class ProjectForm(forms.Form):
    """A new project of a village plan; its program and area are the plan's."""

    code = forms.CharField(label=_("project code"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=200)
    category = forms.ChoiceField(label=_("category"), choices=BLANK + Category.choices)
    start_year = _year_field(_("first year"))
    end_year = _year_field(_("last year"))
    budget = _money_field(_("budget (yuan)"))
    note = _note_field()


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
    start_year = _year_field(_("first year"))
    end_year = _year_field(_("last year"))
    budget = _money_field(_("budget (yuan)"))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class DisburseForm(forms.Form):
    source = forms.ChoiceField(label=_("fund source"), choices=BLANK + Source.choices)
    year = _year_field(_("fund year"))
    amount = _money_field(_("amount (yuan)"), minimum="0.01")
    date = forms.DateField(label=_("date"), widget=DateInput(), initial=_today)
    document = forms.CharField(label=_("document number"), max_length=100, required=False)
    note = _note_field()


class AppropriateForm(DisburseForm):
    """Funds of a source and year reaching the area (same fields as a disbursement). The
    page offers only the sources the user may appropriate there (``offer``, from
    ``funds.authority``); a posted form accepts any source, so that the service applies
    the rule and says why one is refused."""

    def offer(self, sources: Any) -> AppropriateForm:
        source = cast(forms.ChoiceField, self.fields["source"])
        source.choices = BLANK + [(value, label) for value, label in Source.choices if value in sources]
        return self


class AllocateForm(DisburseForm):
    """Funds passed from the area to an area below it or to a project in it: exactly one
    of ``to_area`` (a child area) and ``project`` (a code), which the service checks."""

    to_area = forms.ChoiceField(label=_("to an area below"), required=False)
    project = forms.CharField(
        label=_("or to a project (code)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"list": "allocate-project-options", "autocomplete": "off"}),
    )
    field_order = ["to_area", "project", "source", "year", "amount", "date", "document", "note"]

    def __init__(self, *args: Any, children: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_area = cast(forms.ChoiceField, self.fields["to_area"])
        to_area.choices = BLANK + [(a.code, f"{a.code} {a.display_name}") for a in children]


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("reason for the correction"), max_length=200)
