"""Audit: every service records what it changed, who, when and through which channel,
in the same transaction as the change. Nothing here depends on an HTTP request: the
channel comes from a context variable that the web middleware, the API, the CLI and the
importer set (``audit_channel``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from django.db import models, router, transaction
from django.utils import timezone

from fupin.core.auditchain import FIELDS, chain_head, event_hash
from fupin.core.choices import Channel
from fupin.core.models import AuditEvent

_channel: ContextVar[str] = ContextVar("fupin_audit_channel", default=Channel.CLI)


@contextlib.contextmanager
def audit_channel(channel: str) -> Iterator[None]:
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def current_channel() -> str:
    return _channel.get()


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The object's concrete field values as JSON-able data (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "generated", False) or field.name in {"created_at", "updated_at"}:
            continue
        data[field.attname if field.is_relation else field.name] = _plain(getattr(obj, field.attname))
    return data


def label(obj: models.Model) -> str:
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}"


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    root: models.Model | None = None,
    area_code: str = "",
    note: str = "",
) -> AuditEvent:
    """Write one audit event. Must run inside the service's transaction.

    The event is the next link of the hash chain: the chain's head is locked (PostgreSQL)
    and read, and the event's hash taken over its content and the head's hash."""
    connection = transaction.get_connection(router.db_for_write(AuditEvent))
    if not connection.in_atomic_block:
        raise RuntimeError("audit_log() must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or label(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    root = root if root is not None else obj
    user = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_name=getattr(actor, "username", "") or "system",
        channel=current_channel(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        root_type=label(root) if root is not None else object_type,
        root_id=str(root.pk) if root is not None else object_id,
        area_code=area_code,
        before=_plain(dict(before)) if before is not None else None,
        after=_plain(dict(after)) if after is not None else None,
        note=note,
    )
    event.prev_hash = chain_head(connection)
    event.hash = event_hash({f: getattr(event, f) for f in FIELDS}, event.prev_hash)
    event.save(force_insert=True)
    return event


# --- action labels ---------------------------------------------------------------------------
#
# Each app registers the actions its services write, with their labels (lazy, so in the
# language of the page), from its ``actions.py`` (found by ``autodiscover_modules("actions")``
# in ``CoreConfig.ready``):
#
#     from django.utils.translation import gettext_lazy as _
#     from fupin.core.audit import register_actions
#
#     register_actions({"fund.allocation": _("allocated funds"), ...})

_action_labels: dict[str, Any] = {}


def register_actions(labels: Mapping[str, Any]) -> None:
    """Register audit action codes with their readable labels (``gettext_lazy`` strings)."""
    _action_labels.update(labels)


def action_label(action: str) -> str:
    """The readable label of an audit action, or the code itself if no app registered it."""
    label = _action_labels.get(action)
    return str(label) if label is not None else action


def registered_actions() -> dict[str, Any]:
    return dict(_action_labels)
