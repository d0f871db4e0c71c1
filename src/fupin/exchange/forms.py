"""Forms of the data exchange pages. They only shape the input: the package itself is
checked by the engine (``fupin.exchange.importer``), whose errors the run page lists."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core.areacodes import normalize
from fupin.exchange import registry, schema
from fupin.geo.models import AdminArea

ZIP = "zip"
XLSX = "xlsx"


def entity_label(name: str) -> str:
    """What the pages call an entity's file: its registered label (``pgettext`` with the
    context "exchange file": "areas" elsewhere means the areas a user answers for), else
    its name."""
    return registry.label(name)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("package"),
        help_text=_(
            "A .zip of CSV files named after their entity (households.csv, members.csv…), "
            "one CSV file of one entity, or an .xlsx workbook with one sheet per entity."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.csv,.xlsx"}),
    )


class ExportForm(forms.Form):
    area = forms.CharField(
        label=_("area (code)"),
        required=False,
        max_length=12,
        help_text=_("Only this area and below; leave empty for all your areas."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "230129"}),
    )
    entities = forms.MultipleChoiceField(
        label=_("files"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None checked means all."),
    )
    format = forms.ChoiceField(
        label=_("format"),
        choices=[(ZIP, _(".zip of CSV files")), (XLSX, _(".xlsx workbook"))],
        initial=ZIP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = cast(forms.MultipleChoiceField, self.fields["entities"])
        field.choices = [(name, entity_label(name)) for name in schema.ENTITIES]
        field.initial = list(schema.ENTITIES)

    def clean_area(self) -> str:
        value = self.cleaned_data["area"].strip()
        if not value:
            return ""
        try:
            code = normalize(value)
        except ValueError:
            raise forms.ValidationError(_("Not an area code: give 2 to 12 digits.")) from None
        if not AdminArea.objects.visible_to(self.user).filter(code=code).exists():
            raise forms.ValidationError(_("No area with this code in your areas."))
        return code

    def clean_entities(self) -> list[str]:
        return self.cleaned_data["entities"] or list(schema.ENTITIES)
