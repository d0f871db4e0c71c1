"""Masking of personal identifiers for users without ``registry.view_identifiers``: the one
definition that the API, the pages, the exports and the audit log all apply.

The rule, so that nothing such a user sees together narrows a hidden ID number (GB 11643:
6-digit area code, 8-digit birth date, 3-digit sequence whose parity is the sex, check
character) to fewer than 10,000 candidates:

- an **ID number** shows its first six digits (the area code, which the village gives away
  anyway) and nothing after them: ``230129************``;
- a **birth date** shows its year only, and not even that when the person was born in the
  year their record was created (the record's first audit event is dated, and a birth year
  ending at that date could leave only a few days); in the audit log, whose every event is
  dated, a birth date is hidden altogether;
- a **phone number** shows its first three and last four digits.

With the area code, the year and the sex known, a hidden number is still one of 365 (or
366) days × 500 sequence numbers = 182,500 candidates (the check character adds nothing).
Search by a full ID number is likewise a right of the permission
(``fupin.registry.filters``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

ID_SHOWN = 6  # the area code
HIDDEN = "****"  # a value shown to nobody without the permission

IDENTIFIER_KEYS = {"id_number"}
PHONE_KEYS = {"phone"}
BIRTH_DATE_KEYS = {"birth_date"}


def mask_id(number: str) -> str:
    """``230129************``: the area code, then nothing."""
    if len(number) == 18:
        return number[:ID_SHOWN] + "*" * (18 - ID_SHOWN)
    return "*" * len(number)


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "*" * len(phone)


def _year(value: Any) -> int | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.year
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


def mask_birth_date(born: dt.date | str | None, *, recorded: Any = None) -> str:
    """The year of a birth date (``"1970"``), when it is earlier than the year in which the
    record was created (``recorded``, a date or time); otherwise, or with no such date,
    ``"****"``. Empty stays empty."""
    if born is None or born == "":
        return ""
    year, recorded_year = _year(born), _year(recorded)
    if year is None or recorded_year is None or year >= recorded_year:
        return HIDDEN
    return str(year)


def mask_identifiers(data: Any) -> Any:
    """A copy of JSON-like data (an audit event's before/after) with every ID number and
    phone number masked and every birth date hidden, however deeply nested."""
    if isinstance(data, dict):
        return {k: _mask_item(k, v) for k, v in data.items()}
    if isinstance(data, list):
        return [mask_identifiers(v) for v in data]
    return data


def _mask_item(key: str, value: Any) -> Any:
    if key in IDENTIFIER_KEYS and isinstance(value, str):
        return mask_id(value)
    if key in PHONE_KEYS and isinstance(value, str) and value:
        return mask_phone(value)
    if key in BIRTH_DATE_KEYS and isinstance(value, str) and value:
        return mask_birth_date(value)  # no creation date: hidden
    return mask_identifiers(value)


def mask_value(key: str, value: Any) -> Any:
    """One stored value as a user without the permission may see it (the history page)."""
    return _mask_item(key, value)
