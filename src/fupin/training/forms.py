"""The forms of the training pages: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.training.choices import Destination, Sector


class TraineeForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)


class CompleteForm(TraineeForm):
    certificate_number = forms.CharField(label=_("certificate number"), max_length=40, required=False)
    completed_on = forms.DateField(label=_("completed on"), required=False)


class TransferForm(TraineeForm):
    employer = forms.CharField(label=_("employer"), max_length=200)
    place = forms.CharField(label=_("place of work"), max_length=200)
    destination = forms.ChoiceField(label=_("destination"), choices=Destination.choices)
    sector = forms.ChoiceField(label=_("sector"), choices=Sector.choices)
    start_date = forms.DateField(label=_("start date"))
    monthly_wage = forms.DecimalField(label=_("monthly wage (yuan)"), max_digits=10, decimal_places=2)


class TargetForm(forms.Form):
    area = forms.CharField(label=_("area (code)"), max_length=12)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    trained = forms.IntegerField(label=_("people to train"), min_value=0)
    transferred = forms.IntegerField(label=_("people to transfer"), min_value=0)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100, required=False)
    total = forms.DecimalField(
        label=_("funds to allocate (yuan)"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
