"""The forms of the land pages: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.land import rules
from fupin.land.choices import Mode, Payment, TransfereeKind

DATE = forms.DateInput(attrs={"type": "date"})


class ContractForm(forms.Form):
    number = forms.CharField(label=_("contract number"), max_length=rules.NUMBER_MAX_LENGTH)
    village = forms.CharField(label=_("village (12-digit code)"), max_length=12)
    transferee_kind = forms.ChoiceField(label=_("transferee"), choices=TransfereeKind.choices)
    transferee_enterprise = forms.CharField(
        label=_("enterprise's unified social credit code"), max_length=18, required=False
    )
    transferee_household = forms.CharField(label=_("large household's code"), max_length=20, required=False)
    transferee_name = forms.CharField(
        label=_("cooperative's or other party's name"), max_length=rules.NAME_MAX_LENGTH, required=False
    )
    mode = forms.ChoiceField(label=_("mode"), choices=Mode.choices)
    start_date = forms.DateField(label=pgettext_lazy("land contract", "start date"), widget=DATE)
    term_years = forms.IntegerField(label=_("term (years)"), min_value=-32768, max_value=32767)
    payment = forms.ChoiceField(label=_("payment terms"), choices=Payment.choices)
    rent_per_mu = forms.DecimalField(
        label=_("rent (yuan per mu and year)"), max_digits=10, decimal_places=2, required=False
    )
    dividend_terms = forms.CharField(label=_("dividend terms"), max_length=rules.TERMS_MAX_LENGTH, required=False)


class TransferorForm(forms.Form):
    household = forms.CharField(label=_("transferor household (code)"), max_length=20, required=False)
    # no min_value: the rules say what a zero or negative area means
    area_mu = forms.DecimalField(label=_("area (mu)"), max_digits=12, decimal_places=2, required=False)


TransferorFormSet = forms.formset_factory(TransferorForm, extra=4, max_num=50)


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("terminated on"), widget=DATE)
    reason = forms.CharField(label=_("reason for termination"), max_length=rules.REASON_MAX_LENGTH, required=False)


class DateForm(forms.Form):
    date = forms.DateField(label=_("in force on"), required=False, widget=DATE)
