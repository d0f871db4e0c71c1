"""The little the exchange pages need of a web shell, kept here so that the exchange
framework does not import the web shell above it: the htmx request type, who may import,
and the one rendering of a service's error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from fupin.core.errors import ApplicationError
from fupin.core.policy import role_rank


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware."""

    htmx: HtmxDetails


def can_write(user: Any) -> bool:
    return role_rank(user) > 0


def show_error(request: HttpRequest, exc: ApplicationError, *, form: forms.Form | None = None) -> None:
    """Show a service's error: a message at the top of the page, and on the form the error
    is attached to the field it names (or to the form as a whole)."""
    message = str(exc.message)
    messages.error(request, f"{exc.record}: {message}" if exc.record else message)
    if form is None:
        return
    if not hasattr(form, "cleaned_data"):
        form.is_valid()
    form.add_error(exc.field if exc.field in form.fields else None, message)
