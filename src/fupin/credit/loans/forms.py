"""The forms of the discounted loans' pages: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.credit.loans import rules
from fupin.credit.loans.choices import BorrowerKind
from fupin.funds.choices import Source


class LoanForm(forms.Form):
    code = forms.CharField(label=_("loan contract number"), max_length=rules.CODE_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("borrower kind"), choices=BorrowerKind.choices)
    household = forms.CharField(label=_("household code"), max_length=20, required=False)
    enterprise = forms.CharField(label=_("enterprise credit code"), max_length=18, required=False)
    project = forms.CharField(label=_("project code"), max_length=32, required=False)
    lender = forms.CharField(label=_("lender"), max_length=rules.NAME_MAX_LENGTH)
    principal = forms.DecimalField(label=_("principal (yuan)"), max_digits=16, decimal_places=2)
    rate = forms.DecimalField(label=_("annual interest rate (%)"), max_digits=5, decimal_places=2)
    drawn_on = forms.DateField(label=_("drawn on"))
    matures_on = forms.DateField(label=_("matures on"))
    purpose = forms.CharField(label=_("purpose"), max_length=rules.NAME_MAX_LENGTH, required=False)


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"))
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=16, decimal_places=2)


class PayForm(forms.Form):
    project = forms.CharField(label=_("discount project (code)"), max_length=32)
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100)
    source = forms.ChoiceField(label=_("fund source"), choices=Source.choices)
    date = forms.DateField(label=_("paid on"), required=False)


class QuoteForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1980, max_value=2100, required=False)
