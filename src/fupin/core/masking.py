"""Masking of personal identifiers for users without ``registry.view_identifiers``."""

from __future__ import annotations

from typing import Any

IDENTIFIER_KEYS = {"id_number"}
PHONE_KEYS = {"phone"}


def mask_id(number: str) -> str:
    return number[:4] + "*" * 10 + number[-4:] if len(number) == 18 else "*" * len(number)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "*" * len(phone)


def mask_identifiers(data: Any) -> Any:
    """A copy of JSON-like data (an audit event's before/after) with every ID number and
    phone number masked, however deeply nested."""
    if isinstance(data, dict):
        return {
            k: mask_id(v)
            if k in IDENTIFIER_KEYS and isinstance(v, str)
            else mask_phone(v)
            if k in PHONE_KEYS and isinstance(v, str) and v
            else mask_identifiers(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [mask_identifiers(v) for v in data]
    return data
