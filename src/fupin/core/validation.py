"""Checks that services of every app apply to the values they are given, raising the
errors of ``fupin.core.errors`` that name the record and the field."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

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
