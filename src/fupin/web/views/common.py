"""What the web views share: the one rendering of service errors, household lookups, and
the readable, masked form of audit events."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.middleware import HtmxDetails

from fupin.core.areacodes import ancestor_codes
from fupin.core.errors import ApplicationError
from fupin.core.masking import BIRTH_DATE_KEYS, IDENTIFIER_KEYS, PHONE_KEYS, mask_value
from fupin.core.models import AuditEvent
from fupin.core.policy import can_view_identifiers, role_rank
from fupin.geo.models import AdminArea
from fupin.registry.choices import Action, Cause
from fupin.registry.models import Household, IncomeRecord, Person
from fupin.registry.selectors import household_get

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


# --- lookups --------------------------------------------------------------------------------


def visible_household_or_404(request: HttpRequest, code: str) -> Household:
    household = household_get(user=request.user, code=code)
    if household is None:
        raise Http404(_("No household with this code in your areas."))
    return household


def visible_ancestors(user: Any, area: AdminArea) -> list[AdminArea]:
    """The area's ancestors that the user may see, from the province down (the breadcrumb)."""
    return list(AdminArea.objects.visible_to(user).filter(code__in=ancestor_codes(area.code)).order_by("code"))


def household_for_write(code: str) -> Household:
    """Unscoped fetch by code, only to hand to a service: the service checks the scope
    itself and raises OutOfScope, which the view renders."""
    household = Household.objects.select_related("village").filter(code=code).first()
    if household is None:
        raise Http404(_("No household with this code."))
    return household


def can_write(user: Any) -> bool:
    return role_rank(user) > 0


# --- history --------------------------------------------------------------------------------

_MODELS: dict[str, type[models.Model]] = {
    "registry.household": Household,
    "registry.person": Person,
    "registry.incomerecord": IncomeRecord,
}
_EXTRA_LABELS = {
    "secondary_causes": gettext_lazy("secondary causes"),
    "helpers": gettext_lazy("helpers"),
    "members": gettext_lazy("members"),
    "per_capita_net_income": gettext_lazy("per capita net income"),
    "village": gettext_lazy("village"),
}
_ACTIONS = {
    "household.register": gettext_lazy("registered the household"),
    "household.update": gettext_lazy("edited the household"),
    "household.delete": gettext_lazy("deleted the household"),
    "member.add": gettext_lazy("added a member"),
    "member.update": gettext_lazy("edited a member"),
    "member.remove": gettext_lazy("removed a member"),
    "member.move": gettext_lazy("moved a member"),
    "income.save": gettext_lazy("entered income"),
    "beneficiary.add": gettext_lazy("recorded as a beneficiary of a project"),
    "beneficiary.remove": gettext_lazy("removed from a project's beneficiaries"),
}
_SECRET = {*IDENTIFIER_KEYS, *PHONE_KEYS, *BIRTH_DATE_KEYS}
_MEMBER_SUMMARY = ("name", "id_number", "relation")
_HIDDEN = {"id", "household_id"}


def action_label(action: str) -> str:
    if action in _ACTIONS:
        return str(_ACTIONS[action])
    step = action.removeprefix("household.")
    if step in Action.values:
        return str(Action(step).label)
    return action


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
        name = key.removesuffix("_id")
        if name in _EXTRA_LABELS:
            return str(_EXTRA_LABELS[name])
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
        if key == "secondary_causes" and isinstance(value, list):
            return ", ".join(str(Cause(c).label) if c in Cause.values else str(c) for c in value) or "—"
        if key == "members" and isinstance(value, list):
            return "; ".join(self.member(m) for m in value if isinstance(m, dict))
        if key == "helpers" and isinstance(value, list):
            return (
                "; ".join(
                    " ".join(self.value(None, k, v) for k, v in h.items() if v) for h in value if isinstance(h, dict)
                )
                or "—"
            )
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        f = self.field(model, key)
        if f is not None and f.choices:
            return str(dict(f.flatchoices).get(value, value))
        return str(value)

    def member(self, data: dict[str, Any]) -> str:
        parts = [self.value(Person, k, data.get(k)) for k in _MEMBER_SUMMARY if data.get(k)]
        return " ".join(parts)


def _empty(value: Any) -> bool:
    """A value not worth listing when a record is created: nothing, zero or no."""
    if value in (None, "", False, [], {}):
        return True
    try:
        return float(value) == 0
    except (TypeError, ValueError):
        return False


def _subject(event: AuditEvent) -> str:
    """What the event is about, when it is not the household itself."""
    if event.object_type == "registry.incomerecord":
        return str((event.after or event.before or {}).get("year", ""))
    if event.object_type == "registry.household":
        return ""
    return event.object_repr


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
        model = _MODELS.get(event.object_type)
        created = event.before is None
        rows.append(
            {
                "event": event,
                "action": action_label(event.action),
                "subject": _subject(event),
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
