"""Rules of the funds ledger that the services apply to one entry and the importer
(``fupin.exchange.load_funds``) to a whole package, from the same definitions."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from fupin.core.errors import InvalidInput

# an entry of fund year Y is dated in Y-1 (funds announced in advance) or later: funds are
# carried over, and a year's entries may be recorded long after (from paper ledgers)
YEAR_DATE_BEFORE = 1


def check_entry_date(year: int, on: dt.date, *, record: str | None) -> dt.date:
    """The entry's date agrees with its fund year."""
    if on.year < year - YEAR_DATE_BEFORE:
        raise InvalidInput(
            _("An entry of fund year %(year)s is dated in %(first)s or later.")
            % {"year": year, "first": year - YEAR_DATE_BEFORE},
            field="date",
            record=record,
        )
    return on
