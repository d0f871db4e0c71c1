"""The API's JSON parser (named by ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``; it must not
import DRF's views, which read that setting when they are defined)."""

from __future__ import annotations

import codecs
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import parsers
from rest_framework.utils import json as drf_json

# Deepest JSON a request body may nest (objects and arrays). Fupin's own inputs nest three
# deep (a household, its members, a member's fields); anything far deeper is an attack.
MAX_JSON_DEPTH = 32


def _depth_exceeded(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) a body nested deeper than ``MAX_JSON_DEPTH``
    (DRF's lets the decoder's RecursionError through: a 500)."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            text = codecs.getreader(encoding)(stream).read()
            parse_constant = drf_json.strict_constant if self.strict else None
            data = drf_json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:
            raise drf_exceptions.ParseError(_("The request is nested too deeply.")) from exc
        except (ValueError, LookupError) as exc:  # LookupError: an unknown charset
            raise drf_exceptions.ParseError(_("The request body is not valid JSON.")) from exc
        if _depth_exceeded(data, self.max_depth):
            raise drf_exceptions.ParseError(_("The request is nested too deeply."))
        return data
