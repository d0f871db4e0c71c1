"""The annual report: every indicator for one area and year, as JSON or as the seed's
sections with generated sentences and tables, in Chinese or English."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.analytics.engine import PROVINCE, Engine
from fupin.analytics.indicators import Value, evaluate
from fupin.analytics.registry import SENTENCES, sentences
from fupin.analytics.sections import sections as report_sections
from fupin.analytics.snapshot import Snapshot, snapshot_for
from fupin.core.areacodes import normalize


def unit_label(unit: str) -> str:
    labels = {
        "km2": _("km²"),
        "persons": _("persons"),
        "count": "",
        "households": _("households"),
        "villages": _("villages"),
        "yuan": _("yuan"),
        "head": _("head"),
        "birds": _("birds"),
        "t": _("tonnes"),
        "km": _("km"),
        "m": _("m"),
        "m2": _("m²"),
        "sets": _("sets"),
        "percent": "%",
        "enterprises": _("enterprises"),
        "counties": _("counties"),
        "units": _("units"),
        "projects": _("projects"),
        "mu": _("mu"),
        "cities": _("cities"),
    }
    return labels.get(unit, unit)


def year_end(year: int) -> dt.date:
    """The date a year's report is taken as of: 31 December, or today for the current year."""
    today = dt.date.today()  # noqa: DTZ011 - the calendar date in the server's zone is what is meant
    return min(dt.date(year, 12, 31), today)


@dataclasses.dataclass
class AnnualReport:
    year: int
    area: dict[str, Any]
    snapshot: Snapshot
    values: list[Value]
    # the engine the values were computed on, for a format's further queries (charts)
    engine: Engine | None = dataclasses.field(default=None, repr=False, compare=False)

    def by_id(self) -> dict[str, Value]:
        return {v.indicator.id: v for v in self.values}

    def value(self, indicator_id: str) -> int | float | None:
        """An indicator's value (None when it is not available)."""
        found = self.by_id().get(indicator_id)
        return found.value if found is not None else None

    def figure(self, indicator_id: str) -> str:
        """An indicator's value formatted for the active language ("—" when not available)."""
        found = self.by_id().get(indicator_id)
        return fmt(found.value, found.indicator.unit) if found is not None else fmt(None)

    def as_json(self, language: str = "zh-hans") -> dict[str, Any]:
        with translation.override(language):
            return {
                "report": "annual",
                "year": self.year,
                "language": "en" if language.startswith("en") else "zh",
                "area": {
                    "code": self.area["code"],
                    "name": self.area["name"],
                    "name_en": self.area["name_en"],
                    "level": self.area["level"],
                },
                "snapshot": {
                    "as_of": self.snapshot.as_of.isoformat(),
                    "taken_at": self.snapshot.manifest["taken_at"],
                },
                "indicators": [
                    {
                        "id": v.indicator.id,
                        "section": v.indicator.section,
                        "name": v.indicator.name(language),
                        "unit": v.indicator.unit,
                        "area": self.area["code"],
                        "year": self.year,
                        "available": v.available,
                        "value": v.value,
                        "reason": None if v.available else str(v.reason),
                    }
                    for v in self.values
                ],
            }

    def sections(self) -> list[dict[str, Any]]:
        """The seed's sections in its order, each with its sentences and its table."""
        result = []
        for section, entry in report_sections().items():
            rows = [v for v in self.values if v.indicator.section == section]
            said = SENTENCES.get(section, _no_sentences)(self)
            missing = [v for v in rows if not v.available]
            reasons = sorted({str(v.reason) for v in missing if v.reason})
            if not rows and entry.reason:
                reasons = [str(entry.reason)]
            result.append(
                {
                    "id": section,
                    "title": str(entry.title),
                    "sentences": said,
                    "reasons": reasons,
                    "rows": [
                        {
                            "id": v.indicator.id,
                            "name": v.indicator.name(translation.get_language() or "zh-hans"),
                            "value": fmt(v.value, v.indicator.unit) if v.available else None,
                            "unit": unit_label(v.indicator.unit),
                            "reason": None if v.available else str(v.reason),
                        }
                        for v in rows
                    ],
                }
            )
        return result

    def area_name(self) -> str:
        language = translation.get_language() or "zh-hans"
        if language.startswith("en") and self.area["name_en"]:
            return str(self.area["name_en"])
        return str(self.area["name"])

    def render_html(self, language: str, *, standalone: bool = True) -> str:
        with translation.override(language):
            return render_to_string(
                "analytics/annual_report.html",
                {"report": self, "sections": self.sections(), "area_name": self.area_name(), "standalone": standalone},
            )


# How many decimals a figure is shown with (docs/analytics.md, "Precision"): money and
# rates always with 2 when they are not whole; quantities (t, km, m, m², mu, ...) with as
# many as the value has, at most 3 (the exchange's places); whole values with none.
FIXED_PLACES = {"yuan": 2, "percent": 2}
MAX_PLACES = 3


def fmt(value: int | float | Decimal | None, unit: str | None = None) -> str:
    """A figure for display in the active language: grouped thousands, rounded half up
    to its unit's places (``FIXED_PLACES``, else at most ``MAX_PLACES``)."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if exact == exact.to_integral_value():
        return number_format(int(exact), force_grouping=True)
    places = FIXED_PLACES.get(unit or "", min(MAX_PLACES, -int(exact.as_tuple().exponent)))
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if shown == shown.to_integral_value() and unit not in FIXED_PLACES:
        return number_format(int(shown), force_grouping=True)
    return number_format(shown, decimal_pos=places, force_grouping=True)


def _no_sentences(report: AnnualReport) -> list[str]:
    return []


@sentences("overview")
def _overview(report: AnnualReport) -> list[str]:
    """The seed's overview: the area's size and people, its cities, key counties and key
    villages, the poor at the year's end, the villages advanced and the people lifted out of
    poverty, and the income in advanced villages. A county's report says whether it is a key
    county instead of counting counties."""
    value, figure = report.value, report.figure
    area, year = report.area_name(), report.year
    county_or_below = report.area["level"] in ("county", "township", "village")
    out = []
    km2, people = value("province.area_km2"), value("province.population")
    if km2 is not None and people is not None:
        out.append(
            _("%(area)s covers an area of %(km2)s square kilometres and has a population of %(people)s.")
            % {"area": area, "km2": figure("province.area_km2"), "people": figure("province.population")}
        )
    elif km2 is not None:
        out.append(
            _("%(area)s covers an area of %(km2)s square kilometres.")
            % {"area": area, "km2": figure("province.area_km2")}
        )
    elif people is not None:
        out.append(
            _("%(area)s has a population of %(people)s.") % {"area": area, "people": figure("province.population")}
        )
    cities, offices = value("admin.prefecture_cities"), value("admin.prefecture_offices")
    if report.area["level"] == "province" and cities and offices:
        out.append(
            ngettext(
                "It has %(cities)s prefecture-level cities and %(offices)s sub-provincial administrative office.",
                "It has %(cities)s prefecture-level cities and %(offices)s sub-provincial administrative offices.",
                int(offices),
            )
            % {"cities": figure("admin.prefecture_cities"), "offices": figure("admin.prefecture_offices")}
        )
    elif report.area["level"] == "province" and cities:
        out.append(
            ngettext(
                "It has %(cities)s prefecture-level city.", "It has %(cities)s prefecture-level cities.", int(cities)
            )
            % {"cities": figure("admin.prefecture_cities")}
        )
    key_counties, key_villages = value("key_counties.count"), value("key_villages.count")
    if county_or_below:
        if key_counties:
            out.append(
                _("%(area)s is a national or provincial key county for poverty alleviation and development.")
                % {"area": area}
            )
        if key_villages is not None:
            out.append(
                ngettext(
                    "%(area)s has %(villages)s key poverty-stricken village.",
                    "%(area)s has %(villages)s key poverty-stricken villages.",
                    int(key_villages),
                )
                % {"area": area, "villages": figure("key_villages.count")}
            )
    elif key_counties is not None and key_villages is not None:
        out.append(
            _(
                "It has %(counties)s national and provincial key counties and %(villages)s key poverty-stricken "
                "villages for poverty alleviation and development."
            )
            % {"counties": figure("key_counties.count"), "villages": figure("key_villages.count")}
        )
    task = value("counties_with_task.count")
    if not county_or_below and task is not None:
        out.append(
            ngettext(
                "In all, %(task)s county (city) has a poverty reduction task.",
                "In all, %(task)s counties (cities) have a poverty reduction task.",
                int(task),
            )
            % {"task": figure("counties_with_task.count")}
        )
    if value("poor.households") is not None and value("poor.people") is not None:
        out.append(
            _(
                "At the end of %(year)s, there were %(households)s poor households and %(people)s poor people in "
                "the rural areas of %(area)s."
            )
            % {"year": year, "area": area, "households": figure("poor.households"), "people": figure("poor.people")}
        )
    completed, lifted = value("evap.villages_completed_cumulative"), value("poor.people_lifted_cumulative")
    done = {
        "year": year,
        "area": area,
        "villages": figure("evap.villages_completed_cumulative"),
        "people": figure("poor.people_lifted_cumulative"),
    }
    if completed is not None and lifted is not None:
        out.append(
            ngettext(
                "By the end of %(year)s, %(area)s had completed the entire village advancement of %(villages)s poor "
                "village and lifted %(people)s people out of poverty.",
                "By the end of %(year)s, %(area)s had completed the entire village advancement of %(villages)s poor "
                "villages and lifted %(people)s people out of poverty.",
                int(completed),
            )
            % done
        )
    elif completed is not None:
        out.append(
            ngettext(
                "By the end of %(year)s, %(area)s had completed the entire village advancement of %(villages)s poor "
                "village.",
                "By the end of %(year)s, %(area)s had completed the entire village advancement of %(villages)s poor "
                "villages.",
                int(completed),
            )
            % done
        )
    elif lifted is not None:
        out.append(_("By the end of %(year)s, %(area)s had lifted %(people)s people out of poverty.") % done)
    if value("evap.per_capita_income") is not None:
        out.append(
            _(
                "After entire village advancement, the per capita net income of farmers in the advanced villages "
                "reached %(income)s yuan."
            )
            % {"income": figure("evap.per_capita_income")}
        )
    return out


def annual_report(
    *, year: int, area: str = PROVINCE, snapshot: Snapshot | None = None, engine: Engine | None = None
) -> AnnualReport:
    """Compute the annual report of an area for a year, on a current snapshot as of the
    year's end (taken now if the stored one is out of date)."""
    snapshot = snapshot or snapshot_for(year_end(year))
    engine = engine or Engine(snapshot)
    scope = engine.scope(year=year, area=normalize(area))
    values = evaluate(scope)
    return AnnualReport(year=year, area=scope.area, snapshot=snapshot, values=values, engine=engine)
