"""What every app's API shares: pagination with ``count``, one rendering of errors (and
its shape, ``ErrorSerializer``), path parameters typed by the router, integers bounded to
their column. The JSON parser is in ``core.parsers``, the schema's error responses in
``core.schema`` (settings name them: they must not import DRF's views)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.utils.serializer_helpers import ReturnDict
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from fupin.core.errors import ApplicationError, from_django_validation
from fupin.core.validation import YEARS

# The integer columns' ranges on every database Fupin runs on (PostgreSQL's, which are also
# the portable ones: SQLite would store more, PostgreSQL refuses it).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges

# A database id in a URL: digits that fit a bigint (19 digits may not).
ID_PATTERN = "[0-9]{1,18}"


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


# --- errors -----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error the API answers (4xx)."""

    code = serializers.CharField(help_text="stable error code: invalid, not_found, out_of_scope, …")
    message = serializers.CharField(help_text="what is wrong, in the user's language")
    field = serializers.CharField(required=False, allow_null=True, help_text="the field at fault, if any")
    record = serializers.CharField(required=False, help_text="the record at fault (a code or an id), if any")
    extra = serializers.DictField(required=False, help_text="further details of the error")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field named like Serializer.errors
        required=False, help_text="validation errors by field (a 400 of a form)"
    )


def _invalid(message: Any, code: str = "invalid", status_code: int = 400) -> Response:
    return Response({"code": code, "message": str(message)}, status=status_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        err = from_django_validation(exc)
        return Response(err.as_dict(), status=err.status_code)
    if isinstance(exc, OverflowError | DataError):
        # a value the database cannot hold (an integer past its column, a date out of range)
        set_rollback()
        return _invalid(_("A value is out of range."))
    if isinstance(exc, IntegrityError):
        set_rollback()
        return _invalid(_("The change conflicts with the records already there."), "conflict", 409)
    if isinstance(exc, RecursionError):
        set_rollback()
        return _invalid(_("The request is nested too deeply."))
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, drf_exceptions.APIException):
        return response
    if isinstance(exc, drf_exceptions.ValidationError):
        detail = response.data
        field = next(iter(detail), None) if isinstance(detail, dict) else None
        first = detail.get(field) if isinstance(detail, dict) and field else detail
        while isinstance(first, list | dict) and first:
            first = first[0] if isinstance(first, list) else next(iter(first.values()))
        response.data = {"code": "invalid", "message": str(first), "field": field, "errors": detail}
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        data = response.data if isinstance(response.data, dict | ReturnDict) else {}
        response.data = {"code": str(code), "message": str(data.get("detail", exc.detail))}
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """A URL under /api/ that names nothing (a non-numeric id, an unknown path): the API's
    404 in its error shape, not the web's page."""
    return JsonResponse({"code": "not_found", "message": str(drf_exceptions.NotFound.default_detail)}, status=404)


# --- integers -----------------------------------------------------------------------------------


def validated(serializer_class: type[serializers.Serializer], data: Any, **kw: Any) -> dict[str, Any]:
    """``data`` through an input serializer: its validated data, or the 400 naming the fields."""
    s = serializer_class(data=data, **kw)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


def year_field(**kw: Any) -> serializers.IntegerField:
    """A year of Fupin's range (``fupin.core.validation.YEARS``)."""
    return serializers.IntegerField(min_value=YEARS[0], max_value=YEARS[1], **kw)


def column_integer(model: type[Model], field_name: str, **kwargs: Any) -> serializers.IntegerField:
    """An integer input bounded by the range of the model field's column (a tighter
    ``min_value`` or ``max_value`` given here wins), so that a huge number is a 400 naming
    the field and never an overflow in the database."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{field_name} is not a column")
    low, high = INTEGER_RANGES[field.get_internal_type()]
    kwargs["min_value"] = max(low, kwargs.get("min_value", low))
    kwargs["max_value"] = min(high, kwargs.get("max_value", high))
    return serializers.IntegerField(**kwargs)


# --- routes --------------------------------------------------------------------------


class Router(DefaultRouter):
    """DRF's router whose detail routes by the default ``pk`` take only a database id, so
    that ``/persons/null/`` is a 404 and never a query with a non-integer."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_field", "pk") == "pk" and not getattr(viewset, "lookup_value_regex", None):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or "pk"
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{ID_PATTERN})"
        return super().get_lookup_regex(viewset, lookup_prefix)


# The API's routes. Each app registers its viewsets on ``router`` from its ``api.py`` when
# that is imported, and lists its other views, with paths relative to ``/api/``, in the
# module's ``api_urls``:
#
#     from django.urls import path
#     from fupin.core.api import router
#
#     router.register("fund-entries", EntryViewSet, basename="fund-entry")
#     api_urls = [path("funds/balances/", BalancesView.as_view(), name="api-fund-balances")]
#
# The root URLconf calls ``discover_api()``, which imports every installed app's ``api.py``
# and returns their ``api_urls``, then mounts them and ``router.urls`` under ``/api/``.
router = Router()


def discover_api() -> list[Any]:
    """Import the ``api.py`` of every installed app (in ``INSTALLED_APPS`` order), which
    registers its viewsets on ``router``; the ``api_urls`` they list, in that order."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    extra: list[Any] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "api"):
            module = import_module(f"{config.name}.api")
            extra.extend(getattr(module, "api_urls", []))
    return extra
