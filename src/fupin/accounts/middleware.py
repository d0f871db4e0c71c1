"""The session idle timeout (FUPIN_SESSION_IDLE_MINUTES).

A session lives SESSION_COOKIE_AGE seconds from its last save. This middleware saves it
again when a logged-in user comes back, so that the age counts from the last request,
not from the login. To keep a page at its queries, it renews at most once a minute (a
session ends between one minute before and at the idle limit)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

SEEN = "fupin_seen"


def renew_every() -> int:
    return max(1, min(60, settings.SESSION_COOKIE_AGE // 10))


def mark_seen(session: Any) -> None:
    session[SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and SESSION_KEY in session:
            seen = session.get(SEEN)
            if not isinstance(seen, int) or time.time() - seen >= renew_every():
                mark_seen(session)
        return response
