"""Forms of the funds' pages (and the disbursement form of a project's page). Field names
are those the funds' services name in their errors."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.funds.choices import Source
from fupin.web.forms import BLANK, DateInput, money_field, note_field, today, year_field


class DisburseForm(forms.Form):
    source = forms.ChoiceField(label=_("fund source"), choices=BLANK + Source.choices)
    year = year_field(_("fund year"))
    amount = money_field(_("amount (yuan)"), minimum="0.01")
    date = forms.DateField(label=_("date"), widget=DateInput(), initial=today)
    document = forms.CharField(label=_("document number"), max_length=100, required=False)
    note = note_field()


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
