"""Who may appropriate which funds where: the authority to bring money into the ledger.

An appropriation is the only entry that creates money (an allocation and a disbursement
move what was appropriated), so the ledger's balance checks are only as good as this rule.
It is a table, read by every channel: the service (``services.appropriate``, one entry),
the importer (``funds.exchange``, a whole file, vectorised: ``refused_appropriations``)
and the web form (the sources it offers at an area, ``sources_at``).

``AUTHORITY[source][place]`` is the lowest office role that may appropriate funds of the
source at a node of that place (an area's level, or ``PROJECT``); a place missing from a
source's row is refused to everyone. A higher office may do what a lower one may (the
rank of ``core.policy``), always within its own areas (``check_scope``): a city office
appropriates its city's funds at its city, the province any city's.

    central, provincial        at the province, by the province office
    city                       at a city, by a city office or above
    county                     at a county, by a county office or above
    sector (integrated)        where the integrating office sits: at the province, a city
                               or a county, by that office or above
    social grant, investment   where they are received: at the province, a city or a
                               county, by that office or above
    credit, own money, labour  at a project (they are put into the project itself), by a
                               county office or above responsible for the project's area
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, InvalidInput, NotPermitted
from fupin.core.policy import ROLE_RANK, role_rank
from fupin.funds.choices import Source
from fupin.geo.choices import Level

PROJECT = "project"  # the place of an appropriation made at a project rather than an area

# where the office of an area's level sits
_OFFICES: dict[str, str] = {Level.PROVINCE: Role.PROVINCE, Level.CITY: Role.CITY, Level.COUNTY: Role.COUNTY}

AUTHORITY: dict[str, dict[str, str]] = {
    Source.CENTRAL: {Level.PROVINCE: Role.PROVINCE},
    Source.PROVINCIAL: {Level.PROVINCE: Role.PROVINCE},
    Source.CITY: {Level.CITY: Role.CITY},
    Source.COUNTY: {Level.COUNTY: Role.COUNTY},
    Source.SECTOR: dict(_OFFICES),
    Source.SOCIAL_GRANT: dict(_OFFICES),
    Source.SOCIAL_INVESTMENT: dict(_OFFICES),
    Source.CREDIT: {PROJECT: Role.COUNTY},
    Source.OWN: {PROJECT: Role.COUNTY},
    Source.LABOUR: {PROJECT: Role.COUNTY},
}

PLACES = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, PROJECT)


def _place_label(place: str) -> str:
    return _("a project") if place == PROJECT else str(Level(place).label)


def places(source: str) -> list[str]:
    """Where funds of the source are appropriated (levels, or ``PROJECT``)."""
    return list(AUTHORITY.get(source, {}))


def may_appropriate(user: Any, source: str, place: str) -> bool:
    """Whether the user's role may appropriate funds of the source at a node of the place
    (scope is checked apart, on the node's area)."""
    minimum = AUTHORITY.get(source, {}).get(place)
    return minimum is not None and (user is None or role_rank(user) >= ROLE_RANK[minimum])


def sources_at(user: Any, place: str) -> list[str]:
    """The sources the user may appropriate at a node of the place (what a form offers)."""
    return [str(s) for s in Source if may_appropriate(user, s, place)]


def allowed_pairs(user: Any) -> list[tuple[str, str]]:
    """Every (source, place) the user may appropriate at: the table for a whole file.
    ``user`` None (a system load) gets every pair the table allows anyone."""
    return [(str(s), str(p)) for s, row in AUTHORITY.items() for p in row if may_appropriate(user, s, p)]


class NotAuthorised(NotPermitted):
    """An office appropriating funds it has no authority over (a city office creating
    central money at the province)."""

    code = "not_authorised"


class NotAppropriable(InvalidInput):
    """Funds of a source appropriated where they never enter (central money at a county)."""

    code = "not_appropriable"


def refusal(user: Any, source: str, place: str, *, record: str | None = None) -> ApplicationError | None:
    """Why the user may not appropriate the source at the place, naming the field to
    blame (``source``, or ``area`` where nothing is appropriated), or None: the one
    wording of the rule, for the service and the importer."""
    row = AUTHORITY.get(source, {})
    if place not in row:
        where = ", ".join(_place_label(p) for p in row)
        return NotAppropriable(
            _("%(source)s are appropriated at %(where)s, not at %(place)s.")
            % {"source": Source(source).label, "where": where, "place": _place_label(place)},
            # the source when others are appropriated there, the area when none is
            field="source" if any(place in r for r in AUTHORITY.values()) else "area",
            record=record,
        )
    if not may_appropriate(user, source, place):
        return NotAuthorised(
            _("%(source)s at %(place)s are appropriated by the %(role)s or above.")
            % {"source": Source(source).label, "place": _place_label(place), "role": Role(row[place]).label},
            field="source",
            record=record,
        )
    return None


def check_appropriation(user: Any, source: str, place: str, *, record: str) -> None:
    error = refusal(user, source, place, record=record)
    if error is not None:
        raise error


def refused_appropriations(appropriations: Any, user: Any) -> list[tuple[str, Any]]:
    """The table for a whole file of appropriations (a Polars frame with ``_line``,
    ``source``, ``project`` and ``area_level``): the rows whose (source, place) is not
    among the user's allowed pairs, with the table's own reason (``refusal``), by the field
    it blames: a list of (field, frame of ``_line`` and ``_reason``). The place is
    ``project`` for an appropriation at a project, else the area's level."""
    import polars as pl

    place = pl.when(pl.col("project") != "").then(pl.lit(PROJECT)).otherwise(pl.col("area_level"))
    rows = (
        appropriations.with_columns(place.alias("_place"))
        .filter(pl.col("_place").is_not_null() & pl.col("source").is_in(list(AUTHORITY)))
        .select("_line", "source", "_place")
    )
    allowed = pl.DataFrame(allowed_pairs(user), schema={"source": pl.String, "_place": pl.String}, orient="row")
    refused = rows.join(allowed, on=["source", "_place"], how="anti")
    if refused.height == 0:
        return []
    reasons = []
    for source, where in refused.select("source", "_place").unique().iter_rows():
        error = refusal(user, source, where)
        if error is not None:
            reasons.append((source, where, error.field or "source", str(error.message)))
    blamed = refused.join(
        pl.DataFrame(
            reasons,
            schema={"source": pl.String, "_place": pl.String, "_field": pl.String, "_reason": pl.String},
            orient="row",
        ),
        on=["source", "_place"],
    ).sort("_line")
    return [(field, blamed.filter(pl.col("_field") == field)) for field in ("area", "source")]
