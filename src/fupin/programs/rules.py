"""Rules of the programs that the services apply to one record and the importer
(``fupin.exchange.load_programs``) to a whole package, from the same definitions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fupin.core.errors import InvalidInput

# the longest note of a batch, plan, zone or project (a note is not a document store)
NOTE_MAX_LENGTH = 2000

# labour of a project in a year: at least one person, and each gives at least one day
LABOUR_MIN_PERSONS = 1


def check_in_project_years(year: int, *, start: int, end: int, record: str | None) -> int:
    """A year of the project's (outputs, beneficiaries and labour fall within it)."""
    if not start <= year <= end:
        raise InvalidInput(
            _("The year must be within the project's years %(first)s-%(last)s.") % {"first": start, "last": end},
            field="year",
            record=record,
        )
    return year


def check_labour(persons: int, person_days: int, *, record: str | None) -> None:
    if persons < LABOUR_MIN_PERSONS:
        raise InvalidInput(_("At least one person."), field="persons", record=record)
    if person_days < persons:
        raise InvalidInput(_("Each person gives at least one day."), field="person_days", record=record)


def batches_overlap(first: int, last: int, other_first: int, other_last: int) -> bool:
    """Whether two batches' years share a year (a year's batch must be one batch)."""
    return first <= other_last and other_first <= last
