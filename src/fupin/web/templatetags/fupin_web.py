"""Template tags of the web UI. ID and phone numbers and birth dates go through
``masked_id``, ``masked_phone`` and ``masked_birth_date``, which show them in full only to
users allowed to see identifiers (the rule is ``fupin.core.masking``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template

from fupin.core.masking import mask_birth_date, mask_id, mask_phone
from fupin.core.policy import can_view_identifiers
from fupin.web import navigation
from fupin.web import panels as web_panels
from fupin.web.forms import localized_name

register = template.Library()


def _show(context: template.Context) -> bool:
    request = context.get("request")
    return bool(request is not None and can_view_identifiers(request.user))


@register.simple_tag(takes_context=True)
def masked_id(context: template.Context, number: str) -> str:
    if not number:
        return ""
    return number if _show(context) else mask_id(number)


@register.simple_tag(takes_context=True)
def masked_phone(context: template.Context, phone: str) -> str:
    if not phone:
        return ""
    return phone if _show(context) else mask_phone(phone)


@register.simple_tag(takes_context=True)
def masked_birth_date(context: template.Context, person: Any) -> str:
    """A member's birth date (YYYY-MM-DD), or only what ``mask_birth_date`` leaves of it."""
    if not person.birth_date:
        return ""
    if _show(context):
        return person.birth_date.isoformat()
    return mask_birth_date(person.birth_date, recorded=person.created_at)


@register.filter
def field_type(bound_field: Any) -> str:
    """The widget's input type, to lay out checkboxes and text inputs differently."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.Select):
        return "select"
    return getattr(widget, "input_type", None) or "text"


@register.filter
def localized(obj: Any) -> str:
    """A record's English name (``name_en``) in English when it has one, else its name."""
    return localized_name(obj) if obj is not None else ""


@register.filter
def quantity(value: Any) -> str:
    """A decimal quantity without trailing zeros (12.500 → 12.5, 100.000 → 100)."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    return f"{number:f}"


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> list[dict[str, Any]]:
    """The main menu's entries that the apps registered (``fupin.web.navigation``)."""
    request = context.get("request")
    return navigation.menu(request) if request is not None else []


@register.simple_tag(takes_context=True)
def panels(context: template.Context, page: str, obj: Any, slot: str = "main") -> str:
    """The panels the apps add to this page (``fupin.web.panels``), rendered in order."""
    request = context.get("request")
    if request is None:
        return ""
    return web_panels.render(request, page, obj, slot=slot)
