from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fupin.core.audit import audit_channel
from fupin.core.choices import Channel


class AuditChannelMiddleware:
    """Marks every change made while serving a request as coming from the web or the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        with audit_channel(channel):
            return self.get_response(request)
