"""The forms of the mutual fund pages: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DateForm(forms.Form):
    on = forms.DateField(label=_("balance sheet at"), required=False)


class LoanForm(forms.Form):
    household = forms.CharField(label=_("member household (code)"), max_length=20)
    applied_on = forms.DateField(label=_("applied on"))
    approved_on = forms.DateField(label=_("approved and lent on"), required=False)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2)
    term_months = forms.IntegerField(label=_("term (months)"), min_value=0, max_value=10_000)
    purpose = forms.CharField(label=_("purpose"), max_length=200)


class RepaymentForm(forms.Form):
    loan = forms.CharField(label=_("loan number"), max_length=32)
    paid_on = forms.DateField(label=_("paid on"))
    principal = forms.DecimalField(label=_("principal (yuan)"), max_digits=14, decimal_places=2, required=False)
    fee = forms.DecimalField(label=_("occupancy fee (yuan)"), max_digits=14, decimal_places=2, required=False)
