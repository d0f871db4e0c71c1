"""The forms of the assistance pages: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.assistance.choices import CadreKind, ContributionForm, ContributionKind, UnitLevel


class UnitForm(forms.Form):
    code = forms.CharField(label=_("unit code"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("level"), choices=UnitLevel.choices)
    area = forms.CharField(label=_("area (code)"), max_length=12)


class PairingForm(forms.Form):
    area = forms.CharField(label=_("area (code)"), max_length=12)
    start_year = forms.IntegerField(label=_("first year"), min_value=1980, max_value=2100)
    end_year = forms.IntegerField(label=_("last year"), min_value=1980, max_value=2100, required=False)


class CadreForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=100)
    post = forms.CharField(label=_("post"), max_length=200, required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("cadre", "kind"), choices=CadreKind.choices)
    place = forms.CharField(label=_("place"), max_length=12)
    start_date = forms.DateField(label=_("start date"))
    end_date = forms.DateField(label=_("end date"), required=False)


class VisitForm(forms.Form):
    area = forms.CharField(label=_("area (code)"), max_length=12)
    date = forms.DateField(label=_("date"))
    people = forms.IntegerField(label=_("people"), min_value=0, max_value=100_000)
    purpose = forms.CharField(label=pgettext_lazy("visit", "purpose"), max_length=200, required=False)


class ContributionInputForm(forms.Form):
    number = forms.CharField(label=_("contribution number"), max_length=32)
    kind = forms.ChoiceField(label=pgettext_lazy("contribution", "kind"), choices=ContributionKind.choices)
    form = forms.ChoiceField(label=_("form"), choices=ContributionForm.choices)
    # no min_value: the service refuses a negative or zero value with the rule's message
    value = forms.DecimalField(label=_("value (yuan)"), max_digits=14, decimal_places=2)
    date = forms.DateField(label=_("date"))
    area = forms.CharField(label=_("recipient area"), max_length=12, required=False)
    project = forms.CharField(label=_("project"), max_length=32, required=False)
    description = forms.CharField(label=_("description"), max_length=200, required=False)


class StudentForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    school = forms.CharField(label=_("school"), max_length=200)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2)
