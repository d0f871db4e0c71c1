"""The API schema: drf-spectacular's, with the error responses every operation can answer
(``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from fupin.core.api import ErrorSerializer

ERROR_STATUSES = {
    "400": "the request is invalid (a field, a parameter, the body)",
    "401": "not authenticated",
    "403": "the role or the user's areas do not allow it",
    "404": "no such record (or page)",
    "409": "the record's state does not allow it",
}


# Answered by the HTTP server (gunicorn) before the request reaches Fupin, as its own page:
# documented without a body.
SERVER_STATUSES = {
    "414": "the request line (path and query) is longer than the HTTP server takes (4094 bytes)",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error responses every operation can answer."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status_code, description in ERROR_STATUSES.items():
            if status_code not in responses:
                response = self._get_response_for_code(ErrorSerializer, status_code, direction=direction)
                response["description"] = description
                responses[status_code] = response
        for status_code, description in SERVER_STATUSES.items():
            responses.setdefault(status_code, {"description": description})
        return responses
