from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from fupin.core.audit import audit_channel
from fupin.core.choices import Channel
from fupin.core.errors import DatabaseBusy

RETRY_AFTER_SECONDS = 5
# SQLite's "database is locked" / "database table is locked"; PostgreSQL's lock_not_available
_LOCK_MESSAGES = ("database is locked", "database table is locked")
_LOCK_PGCODE = "55P03"


class AuditChannelMiddleware:
    """Marks every change made while serving a request as coming from the web or the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        with audit_channel(channel):
            return self.get_response(request)


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether a database error means "another writer held the lock for too long"."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "pgcode", None) == _LOCK_PGCODE or getattr(cause, "sqlstate", None) == _LOCK_PGCODE:
        return True
    text = str(exc).lower()
    return any(m in text for m in _LOCK_MESSAGES)


class DatabaseBusyMiddleware:
    """A lock that still times out (after SQLite's busy timeout) is a 503 with a message,
    never a 500: the API answers in its error shape, a page in the user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_lock_timeout(exception):
            return None
        error = DatabaseBusy()
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse(error.as_dict(), status=error.status_code)
        else:
            page = render_to_string("core/busy.html", {"error": error}, request=None)
            response = HttpResponse(page, status=error.status_code)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
