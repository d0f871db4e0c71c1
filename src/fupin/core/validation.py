"""Checks that services of every app apply to the values they are given, raising the
errors of ``fupin.core.errors`` that name the record and the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.errors import InvalidInput

YEARS = (1980, 2100)


def check_choice(value: str, choices: Any, *, field_name: str, record: str | None) -> str:
    """``value`` if it is one of the code list's values."""
    if value not in choices.values:
        raise InvalidInput(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(v for v in choices.values if v)},
            field=field_name,
            record=record,
        )
    return value


def check_year(value: Any, *, field_name: str, record: str | None) -> int:
    """A year of Fupin's range, from an int or its text."""
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Not a year."), field=field_name, record=record) from exc
    if not YEARS[0] <= year <= YEARS[1]:
        raise InvalidInput(
            _("A year between %(first)s and %(last)s.") % {"first": YEARS[0], "last": YEARS[1]},
            field=field_name,
            record=record,
        )
    return year


# --- field rules shared by every channel --------------------------------------------------
#
# Each rule below is defined once, as constants and a scalar check. The services apply the
# scalar check to one value; the importer (``fupin.exchange.columns``) applies the same
# constants to a whole column with Polars; serializers and forms get them through the
# services or the model fields' validators.

# characters that no text field holds: C0 controls other than tab, line feed and carriage
# return, and DEL (XLSX cannot store them; they break exports and screens)
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_RE = re.compile(CONTROL_CHARACTERS)

# a phone number: digits, optionally a leading +, with spaces or hyphens between groups
PHONE_PATTERN = r"^\+?[0-9][0-9 \-]{2,19}$"
PHONE_MAX_LENGTH = 20
_PHONE_RE = re.compile(PHONE_PATTERN)

# the messages of these rules, one each: the services raise them for one value, the
# importer's column checks (``fupin.exchange.columns``) give them as the reason of each row
CONTROL_CHARACTERS_MESSAGE = gettext_lazy("Must not contain control characters.")
TOO_LONG_MESSAGE = gettext_lazy("At most %(n)s characters.")
PHONE_MESSAGE = gettext_lazy("Not a phone number: digits, with spaces or hyphens, and an optional leading +.")
DATE_WINDOW_MESSAGE = gettext_lazy("A date between %(first)s and %(last)s.")
INT_RANGE_MESSAGE = gettext_lazy("A whole number between %(first)s and %(last)s.")
# an ID number (GB 11643): the reason it is refused, within ID_NUMBER_MESSAGE
ID_NUMBER_MESSAGE = gettext_lazy("Invalid ID number: %(reason)s.")
ID_SHAPE_REASON = gettext_lazy("it must be 17 digits followed by a digit or X")
ID_AREA_REASON = gettext_lazy("its area digits %(area)s are not an area code")
ID_BIRTH_IMPOSSIBLE_REASON = gettext_lazy("it contains an impossible birth date")
ID_BIRTH_RANGE_REASON = gettext_lazy("its birth date %(born)s is not between %(first)s and today")
ID_CHECK_DIGIT_REASON = gettext_lazy("its check digit is %(given)s, expected %(expected)s")

# dates Fupin accepts: from 1900-01-01 to a year after today
FIRST_DATE = dt.date(1900, 1, 1)
DATE_AHEAD = dt.timedelta(days=366)


def last_date() -> dt.date:
    """The latest date a record may carry: one year after today."""
    return timezone.localdate() + DATE_AHEAD


def check_text(value: Any, *, field_name: str, record: str | None, max_length: int, required: bool = False) -> str:
    """Text without control characters and at most ``max_length`` characters, stripped."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("Must be text."), field=field_name, record=record)
    text = value.strip()
    if required and not text:
        raise InvalidInput(_("A value is required."), field=field_name, record=record)
    if _CONTROL_RE.search(text):
        raise InvalidInput(str(CONTROL_CHARACTERS_MESSAGE), field=field_name, record=record)
    if len(text) > max_length:
        raise InvalidInput(str(TOO_LONG_MESSAGE) % {"n": max_length}, field=field_name, record=record)
    return text


def check_phone(value: Any, *, field_name: str = "phone", record: str | None) -> str:
    """Empty, or a phone number of ``PHONE_PATTERN``."""
    text = check_text(value, field_name=field_name, record=record, max_length=PHONE_MAX_LENGTH)
    if text and not _PHONE_RE.match(text):
        raise InvalidInput(
            str(PHONE_MESSAGE),
            field=field_name,
            record=record,
        )
    return text


def check_date(value: Any, *, field_name: str, record: str | None) -> dt.date:
    """A date (or its ISO text) between ``FIRST_DATE`` and ``last_date()``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidInput(_("Not a date (YYYY-MM-DD)."), field=field_name, record=record) from exc
    if not isinstance(value, dt.date):
        raise InvalidInput(_("Not a date (YYYY-MM-DD)."), field=field_name, record=record)
    last = last_date()
    if not FIRST_DATE <= value <= last:
        raise InvalidInput(
            str(DATE_WINDOW_MESSAGE) % {"first": FIRST_DATE, "last": last},
            field=field_name,
            record=record,
        )
    return value


def check_int(value: Any, *, field_name: str, record: str | None, minimum: int, maximum: int) -> int:
    """A whole number between ``minimum`` and ``maximum``."""
    if isinstance(value, bool):
        raise InvalidInput(_("Not a whole number."), field=field_name, record=record)
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Not a whole number."), field=field_name, record=record) from exc
    if isinstance(value, float) and value != number:
        raise InvalidInput(_("Not a whole number."), field=field_name, record=record)
    if not minimum <= number <= maximum:
        raise InvalidInput(
            str(INT_RANGE_MESSAGE) % {"first": minimum, "last": maximum},
            field=field_name,
            record=record,
        )
    return number


# GB/T 2260 province-level codes: the first two digits of every area code (and ID number)
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
