"""Resident identity numbers (GB 11643-1999): 6-digit area code, 8-digit birth date,
3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.

A number is plausible only if its first two digits are a province code of GB/T 2260
(``PROVINCE_CODES``) and its birth date lies between ``FIRST_DATE`` (1900-01-01) and
today; the importer applies the same constants (``fupin.exchange.columns``)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from fupin.core.masking import mask_id, mask_phone  # noqa: F401 - re-exported
from fupin.core.validation import (
    FIRST_DATE,
    ID_AREA_REASON,
    ID_BIRTH_IMPOSSIBLE_REASON,
    ID_BIRTH_RANGE_REASON,
    ID_CHECK_DIGIT_REASON,
    ID_SHAPE_REASON,
    PROVINCE_CODES,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


class IdNumberError(ValueError):
    pass


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize(value: str) -> str:
    return value.strip().upper()


def validate(value: str) -> str:
    """Return the normalized number, or raise IdNumberError saying what is wrong."""
    number = normalize(value)
    if not _SHAPE.match(number):
        raise IdNumberError(str(ID_SHAPE_REASON))
    if number[:2] not in PROVINCE_CODES:
        raise IdNumberError(str(ID_AREA_REASON) % {"area": number[:6]})
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError(str(ID_BIRTH_IMPOSSIBLE_REASON)) from exc
    if not FIRST_DATE <= born <= timezone.localdate():
        raise IdNumberError(str(ID_BIRTH_RANGE_REASON) % {"born": born, "first": FIRST_DATE})
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(str(ID_CHECK_DIGIT_REASON) % {"given": number[17], "expected": expected})
    return number


def birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """'M' or 'F' from the sequence digit."""
    return "M" if int(number[16]) % 2 else "F"


def make(area6: str, born: dt.date, sequence: int) -> str:
    """Build a valid number (used by the demo generator and tests)."""
    first17 = f"{area6}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


mask = mask_id  # masking lives in core so that the audit log can use it too
