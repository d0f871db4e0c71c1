"""The forms of the accountability pages: input shapes only; the services check the rules.
The indicator of a target or a weight is chosen from the specification's list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fupin.accountability import rules, selectors
from fupin.accountability.choices import ModelKind

WEIGHT_ROWS = 6


def _indicators(blank: bool = False) -> list[tuple[str, str]]:
    choices = selectors.indicator_choices(translation.get_language() or "zh-hans")
    return [("", "—"), *choices] if blank else choices


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100, required=False)


class AssignmentForm(forms.Form):
    area = forms.CharField(label=_("area (code)"), max_length=12)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    leader_name = forms.CharField(label=_("responsible leader"), max_length=rules.NAME_MAX_LENGTH)
    leader_post = forms.CharField(label=_("post"), max_length=rules.NAME_MAX_LENGTH)
    units = forms.CharField(label=_("implementing units (one a line)"), widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(label=_("tasks"), widget=forms.Textarea(attrs={"rows": 3}))


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    area = forms.CharField(label=_("county, or the department's city (code)"), max_length=12)
    department = forms.CharField(label=_("department (for a city's department)"), max_length=200, required=False)
    indicator = forms.ChoiceField(label=_("indicator"), choices=())
    value = forms.DecimalField(label=_("target"), max_digits=18, decimal_places=3)
    actual = forms.DecimalField(label=_("actual figure (departments)"), max_digits=18, decimal_places=3, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = _indicators()  # type: ignore[attr-defined]


class WeightsForm(forms.Form):
    """Up to ``WEIGHT_ROWS`` pairs of an indicator and its weight."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _indicators(blank=True)
        for i in range(1, WEIGHT_ROWS + 1):
            self.fields[f"indicator_{i}"] = forms.ChoiceField(
                label=_("indicator %(n)s") % {"n": i}, choices=choices, required=False
            )
            self.fields[f"weight_{i}"] = forms.DecimalField(
                label=_("weight %(n)s") % {"n": i}, max_digits=7, decimal_places=2, required=False
            )

    def weights(self) -> dict[str, Any]:
        out = {}
        for i in range(1, WEIGHT_ROWS + 1):
            indicator = self.cleaned_data.get(f"indicator_{i}")
            if indicator:
                weight = self.cleaned_data.get(f"weight_{i}")
                out[indicator] = "" if weight is None else weight
        return out


class AssessmentForm(WeightsForm):
    area = forms.CharField(label=_("assessing area: the province or a city (code)"), max_length=12)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=rules.NAME_MAX_LENGTH)
    field_order = ["area", "year", "title"]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("evidence file (PDF, PNG, JPEG, DOCX, XLSX)"), allow_empty_file=True)
    description = forms.CharField(label=_("description"), max_length=rules.NAME_MAX_LENGTH, required=False)


class ModelForm(forms.Form):
    code = forms.CharField(label=_("model code"), max_length=rules.CODE_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("kind of model"), choices=ModelKind.choices)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    area = forms.CharField(label=_("village or county (code)"), max_length=12, required=False)
    household = forms.CharField(label=_("household code"), max_length=20, required=False)
    enterprise = forms.CharField(label=_("enterprise code"), max_length=40, required=False)
    title = forms.CharField(label=_("title"), max_length=rules.NAME_MAX_LENGTH)
    case_zh = forms.CharField(label=_("case (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}))
    case_en = forms.CharField(label=_("case (English)"), widget=forms.Textarea(attrs={"rows": 4}))
    figures = forms.CharField(label=_("figures (name=number, joined by ;)"), max_length=2000, required=False)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("date"))
    area = forms.CharField(label=_("held in (code)"), max_length=12)
    title = forms.CharField(label=_("title"), max_length=rules.NAME_MAX_LENGTH)
    participants = forms.IntegerField(label=_("participants"), min_value=-(2**31), max_value=2**31 - 1)
