"""The forms of the industry pages: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.industry.choices import Level, Sector


class EnterpriseForm(forms.Form):
    code = forms.CharField(label=_("unified social credit code"), max_length=40)
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=200)
    county = forms.CharField(label=_("county (code)"), max_length=12)
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    sector = forms.ChoiceField(label=_("sector"), choices=Sector.choices)
    identified_year = forms.IntegerField(label=_("year identified"), min_value=1980, max_value=2100)


class BaseForm(forms.Form):
    code = forms.CharField(label=_("base code"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("thing", "name"), max_length=200)
    product = forms.CharField(label=_("product"), max_length=100)
    area_mu = forms.DecimalField(label=_("area (mu)"), max_digits=12, decimal_places=2)
    established_year = forms.IntegerField(label=_("year established"), min_value=1980, max_value=2100)
    villages = forms.CharField(label=_("villages (codes, separated by ;)"), max_length=2000)


class LinkForm(forms.Form):
    base = forms.CharField(label=_("base code"), max_length=32)
    household = forms.CharField(label=_("household code"), max_length=20)
    joined_on = forms.DateField(label=_("linked on"))


class EmploymentForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    start_date = forms.DateField(label=_("start date"))
    end_date = forms.DateField(label=_("end date"), required=False)
    monthly_wage = forms.DecimalField(label=_("monthly wage (yuan)"), max_digits=10, decimal_places=2)


class ContractForm(forms.Form):
    number = forms.CharField(label=_("contract number"), max_length=32)
    household = forms.CharField(label=_("household code"), max_length=20)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    product = forms.CharField(label=_("product"), max_length=100)
    unit = forms.CharField(label=_("unit"), max_length=16, initial="kg")
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=2)
    agreed_price = forms.DecimalField(label=_("agreed price (yuan per unit)"), max_digits=12, decimal_places=2)
    inputs_on_credit = forms.DecimalField(
        label=_("inputs supplied on credit (yuan)"), max_digits=14, decimal_places=2, required=False
    )
