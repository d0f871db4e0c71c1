"""Rules of the funds ledger that the services apply to one entry and the importer
(``fupin.exchange.load_funds``) to a whole package, from the same definitions."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from fupin.core.errors import InvalidInput

# an entry of fund year Y is dated from Y-1 (funds announced in advance) to Y+2 (carried over)
YEAR_DATE_BEFORE = 1
YEAR_DATE_AFTER = 2


def check_entry_date(year: int, on: dt.date, *, record: str | None) -> dt.date:
    """The entry's date agrees with its fund year."""
    if not year - YEAR_DATE_BEFORE <= on.year <= year + YEAR_DATE_AFTER:
        raise InvalidInput(
            _("An entry of fund year %(year)s is dated between %(first)s and %(last)s.")
            % {"year": year, "first": year - YEAR_DATE_BEFORE, "last": year + YEAR_DATE_AFTER},
            field="date",
            record=record,
        )
    return on
