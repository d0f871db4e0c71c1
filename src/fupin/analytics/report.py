"""The annual report: every indicator for one area and year, as JSON or as the seed's
sections with generated sentences and tables, in Chinese or English."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

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
        return fmt(self.value(indicator_id))

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
                            "value": fmt(v.value) if v.available else None,
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


def fmt(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, decimal_pos=2, force_grouping=True)
    return number_format(int(value), force_grouping=True)


def _v(values: dict[str, Value], key: str) -> int | float | None:
    value = values.get(key)
    return value.value if value is not None else None


def _no_sentences(report: AnnualReport) -> list[str]:
    return []


@sentences("overview")
def _overview(report: AnnualReport) -> list[str]:
    values = report.by_id()
    v = {key: _v(values, key) for key in values}
    area = report.area_name()
    out = []
    if v["province.area_km2"] is not None and v["province.population"] is not None:
        out.append(
            _("%(area)s covers an area of %(km2)s square kilometres and has a population of %(people)s.")
            % {"area": area, "km2": fmt(v["province.area_km2"]), "people": fmt(v["province.population"])}
        )
    if v["admin.prefecture_cities"] or v["admin.prefecture_offices"]:
        out.append(
            _("It has %(cities)s prefecture-level cities and %(offices)s administrative office(s).")
            % {"cities": fmt(v["admin.prefecture_cities"]), "offices": fmt(v["admin.prefecture_offices"])}
        )
    out.append(
        _(
            "It has %(counties)s national and provincial key counties and %(villages)s key poverty-stricken "
            "villages, and %(task)s counties (cities) have a poverty reduction task."
        )
        % {
            "counties": fmt(v["key_counties.count"]),
            "villages": fmt(v["key_villages.count"]),
            "task": fmt(v["counties_with_task.count"]),
        }
    )
    out.append(
        _("At the end of %(year)s there were %(households)s poor households and %(people)s poor people.")
        % {"year": report.year, "households": fmt(v["poor.households"]), "people": fmt(v["poor.people"])}
    )
    out.append(
        _("By the end of %(year)s, %(people)s people had been lifted out of poverty.")
        % {"year": report.year, "people": fmt(v["poor.people_lifted_cumulative"])}
    )
    if v["evap.villages_completed_cumulative"] is not None:
        out.append(
            _("%(villages)s villages had completed entire village advancement.")
            % {"villages": fmt(v["evap.villages_completed_cumulative"])}
        )
    if v["evap.per_capita_income"] is not None:
        out.append(
            _("The per capita net income of farmers in villages after advancement reached %(income)s yuan.")
            % {"income": fmt(v["evap.per_capita_income"])}
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
