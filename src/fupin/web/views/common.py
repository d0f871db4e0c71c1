"""What the views of the shell and of the apps share: the one rendering of service errors,
the forms' submit, the breadcrumb, and the readable, masked form of audit events (the apps
register their labels: ``fupin.core.audit.register_actions``, ``fupin.web.history``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from fupin.core import audit
from fupin.core.areacodes import ancestor_codes
from fupin.core.errors import ApplicationError
from fupin.core.masking import BIRTH_DATE_KEYS, IDENTIFIER_KEYS, PHONE_KEYS, mask_value
from fupin.core.models import AuditEvent
from fupin.core.policy import ROLE_RANK, can_view_identifiers, role_rank
from fupin.geo.models import AdminArea
from fupin.web import history

# --- errors ---------------------------------------------------------------------------------

# "members[2].id_number" (the field) or "… members[2]" (the record): the second member given.
_ROW = re.compile(r"members\[(\d+)\](?:\.(\w+))?")


def show_error(
    request: HttpRequest,
    exc: ApplicationError,
    *,
    form: forms.Form | None = None,
    rows: Sequence[forms.Form] = (),
) -> None:
    """Show a service's error: a message at the top of the page, and on the form the
    error is attached to the field it names (or to the form as a whole).

    ``rows`` are the member forms in the order their data was given to the service, so
    that an error about ``members[2]`` lands on the second of them."""
    message = str(exc.message)
    messages.error(request, f"{exc.record}: {message}" if exc.record else message)
    target, field = form, exc.field
    match = _ROW.search(exc.field or "") or _ROW.search(exc.record or "")
    if match and rows:
        index = int(match.group(1)) - 1
        if 0 <= index < len(rows):
            target = rows[index]
            field = match.group(2) or (exc.field if exc.field and not _ROW.search(exc.field) else None)
    if target is None:
        return
    if not hasattr(target, "cleaned_data"):
        target.is_valid()
    target.add_error(field if field in target.fields else None, message)


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """For an error after which there is no page of the record to go back to (it is
    outside the user's areas): the message on a page of its own, with the error's status."""
    show_error(request, exc)
    return render(request, "web/error.html", {"error": exc}, status=exc.status_code)


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware."""

    htmx: HtmxDetails


# --- forms of the apps' pages ---------------------------------------------------------------------------------------


def _field_label(field: str, form: forms.Form | None, models_: tuple[type[models.Model], ...]) -> str:
    if form is not None and field in form.fields:
        return str(form.fields[field].label or field)
    for model in models_:
        try:
            return str(model._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
        except FieldDoesNotExist:
            continue
    return field


def show_service_error(
    request: HttpRequest,
    exc: ApplicationError,
    *,
    form: forms.Form | None = None,
    models_: tuple[type[models.Model], ...] = (),
) -> None:
    """A service's error as a message naming the record and the field ("G-001 · amount:
    …"), and on the form, at the field it names (or the form as a whole)."""
    message = str(exc.message)
    label = _field_label(exc.field, form, models_) if exc.field else ""
    where = " · ".join(part for part in (exc.record or "", label) if part)
    messages.error(request, f"{where}: {message}" if where else message)
    if form is None:
        return
    if not hasattr(form, "cleaned_data"):
        form.is_valid()
    form.add_error(exc.field if exc.field in form.fields else None, message)


def invalid_form(request: HttpRequest) -> None:
    messages.error(request, _("Please correct the errors in the form."))


def has_role(user: Any, minimum: str) -> bool:
    """Whether the user holds ``minimum`` or a higher office role: the forms of a page are
    shown only to the roles their services accept."""
    return role_rank(user) >= ROLE_RANK[minimum]


def submit(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[Any], Any],
    *,
    done: Callable[[Any], str],
    models_: tuple[type[models.Model], ...] = (),
) -> tuple[bool, Any]:
    """Run one service on a posted form: ``(True, result)`` with a success message, or
    ``(False, None)`` with the form's or the service's errors shown (nothing written)."""
    if not form.is_valid():
        invalid_form(request)
        return False, None
    try:
        result = call(form.cleaned_data)
    except ApplicationError as exc:
        show_service_error(request, exc, form=form, models_=models_)
        return False, None
    messages.success(request, done(result))
    return True, result


# --- lookups --------------------------------------------------------------------------------


def visible_ancestors(user: Any, area: AdminArea) -> list[AdminArea]:
    """The area's ancestors that the user may see, from the province down (the breadcrumb)."""
    return list(AdminArea.objects.visible_to(user).filter(code__in=ancestor_codes(area.code)).order_by("code"))


def can_write(user: Any) -> bool:
    return role_rank(user) > 0


# --- history --------------------------------------------------------------------------------

_SECRET = {*IDENTIFIER_KEYS, *PHONE_KEYS, *BIRTH_DATE_KEYS}
_HIDDEN = {"id", "household_id"}


def action_label(action: str) -> str:
    """The readable label of an audit action (the apps register them: ``fupin.core.audit``)."""
    return audit.action_label(action)


class _Describer:
    """Turns stored audit values into what a clerk reads: labels, choice names, village
    codes, and ID and phone numbers masked unless the user may see them."""

    def __init__(self, user: Any, villages: dict[int, AdminArea]) -> None:
        self.show = can_view_identifiers(user)
        self.villages = villages

    def field(self, model: type[models.Model] | None, key: str) -> models.Field | None:
        if model is None:
            return None
        for name in (key, key.removesuffix("_id")):
            try:
                return model._meta.get_field(name)  # type: ignore[return-value]
            except FieldDoesNotExist:
                continue
        return None

    def label(self, model: type[models.Model] | None, key: str) -> str:
        extra = history.label_for(key.removesuffix("_id"))
        if extra is not None:
            return str(extra)
        f = self.field(model, key)
        return str(getattr(f, "verbose_name", key)) if f is not None else key

    def value(self, model: type[models.Model] | None, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if key in _SECRET and isinstance(value, str):
            return value if self.show else mask_value(key, value)
        if key == "village_id" and isinstance(value, int) and value in self.villages:
            area = self.villages[value]
            return f"{area.code} {area.display_name}"
        formatter = history.formatter_for(key)
        if formatter is not None:
            return formatter(self, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        f = self.field(model, key)
        if f is not None and f.choices:
            return str(dict(f.flatchoices).get(value, value))
        return str(value)


def _empty(value: Any) -> bool:
    """A value not worth listing when a record is created: nothing, zero or no."""
    if value in (None, "", False, [], {}):
        return True
    try:
        return float(value) == 0
    except (TypeError, ValueError):
        return False


def describe_history(user: Any, events: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    """Each event with its changes as (label, before, after) rows, ready to show. Internal
    ids are left out; when a record is created, so are its empty and zero values."""
    village_ids = {
        v for e in events for data in (e.before or {}, e.after or {}) if isinstance(v := data.get("village_id"), int)
    }
    villages = AdminArea.objects.in_bulk(village_ids) if village_ids else {}
    describe = _Describer(user, villages)
    rows = []
    for event in events:
        model = history.model_for(event.object_type)
        created = event.before is None
        rows.append(
            {
                "event": event,
                "action": action_label(event.action),
                "subject": history.subject_for(event),
                "changes": [
                    (
                        describe.label(model, key),
                        describe.value(model, key, before),
                        describe.value(model, key, after),
                    )
                    for key, before, after in event.changes()
                    if key not in _HIDDEN and not (created and _empty(after))
                ],
            }
        )
    return rows
