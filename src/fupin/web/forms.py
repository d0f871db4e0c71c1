"""What the forms of the apps' pages share: the empty choice, a date input, the year,
money and note fields, and a record's name in the page's language. Forms only shape and
type the input: every rule is checked by the services, whose errors
``fupin.web.views.common.show_error`` attaches to the field they name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

BLANK: list[tuple[str, Any]] = [("", "---------")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def year_field(label: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("year"), min_value=1980, max_value=2100, widget=forms.NumberInput(attrs={"class": "narrow"})
    )


def localized_name(obj: Any) -> str:
    """A record's English name (``name_en``) in English when it has one, else its name."""
    english = (translation.get_language() or "").startswith("en")
    return (getattr(obj, "name_en", "") or obj.name) if english else obj.name


def today() -> dt.date:
    return timezone.localdate()


def money_field(label: Any, *, minimum: str = "0") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(minimum),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": minimum, "class": "money"}),
    )


def note_field() -> forms.CharField:
    return forms.CharField(label=_("note"), max_length=200, required=False)
