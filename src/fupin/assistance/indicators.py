"""The indicators of the section ``social`` (indicators.csv) and its generated sentences.

- Funds: the contributions dated in the year, under the area by their recipient (a
  project's area for a project), in total, as grants (无偿) and as introduced investment.
- Cadres: those dispatched to a place under the area whose stay overlaps the year.
- Units by level: the distinct units with a pairing under the area running in the year
  (central; provincial; city and county organs together, as the seed counts them).
- Projects: the distinct programs projects supported by a unit in the year, by their area.
- Villages assisted: the distinct villages under the area paired with a unit in the year.
- Farmers trained: the distinct persons enrolled (not dropped out) in training classes
  organised by units that ended in the year, where the class is held.
- Students aided: the distinct registry persons aided in the year, where they live.
- Households driven: the distinct households poor at the year's end that are linked to a
  leading enterprise's production base established by the year (industry's links,
  ``fupin.industry.indicators.linked_households``: the households the bases drive; those
  linked but not poor, which industry's demo adds to fix the income increase, are not the
  seed's "poor" figure). This equals ``industry.base_poor_households`` by construction.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
from django.utils import translation
from django.utils.translation import gettext as _

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import count
from fupin.analytics.registry import computes, sentences
from fupin.analytics.report import fmt
from fupin.assistance.choices import ContributionKind, UnitLevel
from fupin.industry.indicators import linked_households
from fupin.registry.indicators import poor_at_year_end


def _contributions(scope: Scope, kind: str | None = None) -> ir.Table:
    c = scope.under(scope.tables["assistance_contributions"], "area_code")
    c = c.filter((c.date.year() == scope.year) & (c.date <= scope.year_end))
    return c.filter(c.kind == kind) if kind is not None else c


def _yuan(table: ir.Table) -> ir.Scalar:
    return ibis.coalesce(table.value_fen.sum(), 0) / 100


@computes("social.funds_total")
def funds_total(scope: Scope) -> ir.Scalar:
    return _yuan(_contributions(scope))


@computes("social.funds_free")
def funds_free(scope: Scope) -> ir.Scalar:
    return _yuan(_contributions(scope, ContributionKind.GRANT))


@computes("social.funds_introduced")
def funds_introduced(scope: Scope) -> ir.Scalar:
    return _yuan(_contributions(scope, ContributionKind.INVESTMENT))


@computes("social.cadres")
def cadres(scope: Scope) -> ir.Scalar:
    c = scope.under(scope.tables["assistance_cadres"], "place_code")
    start = ibis.date(scope.year, 1, 1)
    return count(c.filter((c.start_date <= scope.year_end) & (c.end_date.isnull() | (c.end_date >= start))))


def active_pairings(scope: Scope) -> ir.Table:
    """The pairings under the scope's area running in the year."""
    p = scope.under(scope.tables["assistance_pairings"], "area_code")
    return p.filter((p.start_year <= scope.year) & (p.end_year >= scope.year))


def _units(scope: Scope, *levels: str) -> ir.Scalar:
    p = active_pairings(scope)
    return p.filter(p.unit_level.isin(list(levels))).unit_id.nunique()


@computes("social.units_central")
def units_central(scope: Scope) -> ir.Scalar:
    return _units(scope, UnitLevel.CENTRAL)


@computes("social.units_provincial")
def units_provincial(scope: Scope) -> ir.Scalar:
    return _units(scope, UnitLevel.PROVINCIAL)


@computes("social.units_city_county")
def units_city_county(scope: Scope) -> ir.Scalar:
    return _units(scope, UnitLevel.CITY, UnitLevel.COUNTY)


@computes("social.projects")
def projects(scope: Scope) -> ir.Scalar:
    s = scope.under(scope.tables["assistance_projects"], "area_code")
    return s.filter(s.year == scope.year).project_id.nunique()


@computes("social.villages_assisted")
def villages_assisted(scope: Scope) -> ir.Scalar:
    p = active_pairings(scope)
    return p.filter(p.area_level == "village").area_code.nunique()


@computes("social.farmers_trained")
def farmers_trained(scope: Scope) -> ir.Scalar:
    e = scope.under(scope.tables["training_enrolments"], "class_area_code")
    e = e.filter((e.class_end.year() == scope.year) & (e.class_end <= scope.year_end) & (e.status != "dropped"))
    organised = scope.tables["assistance_classes"]
    return e.semi_join(organised, e.class_id == organised.class_id).person_id.nunique()


@computes("social.students_aided")
def students_aided(scope: Scope) -> ir.Scalar:
    s = scope.under(scope.tables["assistance_students"], "village_code")
    return s.filter(s.year == scope.year).person_id.nunique()


@computes("social.households_driven")
def households_driven(scope: Scope) -> ir.Scalar:
    linked = linked_households(scope)
    poor = poor_at_year_end(scope)
    return count(linked.semi_join(poor, linked.household_id == poor.id))


# --- the report's paragraph ---------------------------------------------------------------------


def _number(value: float) -> str:
    text = fmt(round(value, 2))
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: float) -> str:
    """An amount of yuan as the seed writes it: in 亿元 / 万元 in Chinese, in million yuan in English."""
    if (translation.get_language() or "").startswith("zh"):
        if value >= 100_000_000:
            return _("%(amount)s hundred million yuan") % {"amount": _number(value / 100_000_000)}
        return _("%(amount)s ten thousand yuan") % {"amount": _number(value / 10_000)}
    return _("%(amount)s million yuan") % {"amount": _number(value / 1_000_000)}


def _pair(both: str, first: str, second: str, a: int | float | None, b: int | float | None) -> list[str]:
    """One sentence of two figures when both are there, else the one that is (none: none)."""
    if a and b:
        return [both]
    if a:
        return [first]
    if b:
        return [second]
    return []


# the section's own figures, which say whether anything is recorded for the area and year
SOCIAL_FIGURES = (
    "social.funds_total",
    "social.cadres",
    "social.units_central",
    "social.units_provincial",
    "social.units_city_county",
    "social.projects",
    "social.villages_assisted",
    "social.farmers_trained",
    "social.students_aided",
    "social.households_driven",
)


@sentences("social")
def social_sentences(report: Any) -> list[str]:
    """The seed's paragraph on social poverty alleviation, with the year's figures; a
    sentence is left out when its figures are not there (no records, or zero)."""
    recorded = [report.value(key) for key in SOCIAL_FIGURES]
    recorded = [value for value in recorded if value is not None]
    if recorded and all(value == 0 for value in recorded):  # nothing recorded: said once
        return [
            _("No social or pairing assistance is recorded in %(area)s for %(year)s.")
            % {"area": report.area_name(), "year": report.year}
        ]
    v, f = report.value, report.figure
    out: list[str] = []
    total, free, introduced = v("social.funds_total"), v("social.funds_free"), v("social.funds_introduced")
    if total:
        out.append(
            _(
                "Social poverty alleviation funds amounted to %(total)s, of which %(free)s was put in for free "
                "and %(introduced)s was introduced."
            )
            % {"total": money(total), "free": money(free or 0), "introduced": money(introduced or 0)}
        )
    if v("social.cadres"):
        out.append(
            _(
                "%(cadres)s cadres from %(central)s central organs, %(provincial)s provincial organs and "
                "%(local)s city and county organs went to the target counties, towns and villages."
            )
            % {
                "cadres": f("social.cadres"),
                "central": f("social.units_central"),
                "provincial": f("social.units_provincial"),
                "local": f("social.units_city_county"),
            }
        )
    projects, villages = f("social.projects"), f("social.villages_assisted")
    out += _pair(
        _("%(projects)s projects were built and %(villages)s poor villages received assistance.")
        % {"projects": projects, "villages": villages},
        _("%(projects)s projects were built.") % {"projects": projects},
        _("%(villages)s poor villages received assistance.") % {"villages": villages},
        v("social.projects"),
        v("social.villages_assisted"),
    )
    farmers, students = f("social.farmers_trained"), f("social.students_aided")
    out += _pair(
        _("%(farmers)s farmers received training and %(students)s poor students received financial aid.")
        % {"farmers": farmers, "students": students},
        _("%(farmers)s farmers received training.") % {"farmers": farmers},
        _("%(students)s poor students received financial aid.") % {"students": students},
        v("social.farmers_trained"),
        v("social.students_aided"),
    )
    if v("social.households_driven"):
        households = f("social.households_driven")
        if v("industry.enterprises_supported"):
            out.append(
                _(
                    "%(enterprises)s leading enterprises developed industrial bases in poor villages, which drove "
                    "%(households)s households to take part in industrial development."
                )
                % {"enterprises": f("industry.enterprises_supported"), "households": households}
            )
        else:
            out.append(
                _("Industrial bases of leading enterprises drove %(households)s households to take part.")
                % {"households": households}
            )
        if v("industry.income_increase_per_household") is not None:
            out.append(
                _("Their income grew by %(increase)s yuan per household.")
                % {"increase": f("industry.income_increase_per_household")}
            )
    return out
