"""Logins in the audit log: failed logins, lockouts and logouts, with the
username that was tried and the client's address, never the password."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from fupin.accounts.middleware import mark_seen
from fupin.core.audit import audit_log


def _ip(request: Any) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or ""


def _record(*, action: str, username: str, request: Any, actor: Any = None) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action=action,
            object_type="accounts.user",
            object_id=str(actor.pk) if getattr(actor, "pk", None) else "",
            object_repr=username[:200],
            after={"username": username[:150], "ip": _ip(request)},
        )


@receiver(user_login_failed, dispatch_uid="fupin.audit.login_failed")
def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    _record(action="login.failed", username=str(credentials.get("username", "")), request=request)


@receiver(user_locked_out, dispatch_uid="fupin.audit.locked_out")
def locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    _record(action="login.locked_out", username=str(username or ""), request=request)


@receiver(user_logged_out, dispatch_uid="fupin.audit.logged_out")
def logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        _record(action="logout", username=user.get_username(), request=request, actor=user)


@receiver(user_logged_in, dispatch_uid="fupin.session.logged_in")
def logged_in(sender: Any, request: Any = None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        mark_seen(session)  # the idle timeout counts from here (IdleTimeoutMiddleware)
