"""Errors that services raise. One rendering for each channel: the API exception handler
(``fupin.core.api``), the web message helper (``fupin.web.views``) and the CLI.

Every error names what it is about: the record (``record``) and the field (``field``)
when there is one, so that a clerk can find and fix it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"
    default_message: Any = _("The request could not be carried out.")

    def __init__(
        self,
        message: Any = None,
        *,
        field: str | None = None,
        record: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        self.record = record
        self.extra = extra or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field:
            data["field"] = self.field
        if self.record:
            data["record"] = self.record
        if self.extra:
            data["extra"] = self.extra
        return data

    def __str__(self) -> str:
        parts = [str(self.message)]
        where = ", ".join(p for p in (self.record, self.field) if p)
        if where:
            parts.insert(0, f"[{where}]")
        return " ".join(parts)


class InvalidInput(ApplicationError):
    code = "invalid"


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    default_message = _("Not found.")


class OutOfScope(ApplicationError):
    status_code = 403
    code = "out_of_scope"
    default_message = _("This record is outside the areas you are responsible for.")


class NotPermitted(ApplicationError):
    status_code = 403
    code = "not_permitted"
    default_message = _("Your role does not allow this action.")


class InvalidTransition(ApplicationError):
    status_code = 409
    code = "invalid_transition"


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"


def from_django_validation(exc: Any, *, record: str | None = None) -> InvalidInput:
    """Turn a Django ``ValidationError`` (from ``full_clean``) into one ``InvalidInput``
    naming the first failing field; every message is kept in ``extra``."""
    if hasattr(exc, "message_dict"):
        items = exc.message_dict
        field = next(iter(items))
        message = "; ".join(str(m) for m in items[field])
        return InvalidInput(message, field=field, record=record, extra={"errors": items})
    return InvalidInput("; ".join(str(m) for m in exc.messages), record=record)


class DatabaseBusy(ApplicationError):
    """The database stayed locked by another writer for longer than the wait allows
    (SQLite's busy timeout, a PostgreSQL lock timeout): nothing was changed, try again."""

    status_code = 503
    code = "database_busy"
    default_message = _(
        "The database is busy with another change and could not wait longer. "
        "Nothing was changed; try again in a moment."
    )
