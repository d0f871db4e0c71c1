"""The indicators of entire village advancement (the section ``village_advancement`` and
the overview's ``evap.*`` figures) and of contiguous development, from the programs'
snapshot tables (``village_plans``, ``projects``, ``project_outputs``, ``beneficiaries``,
``labour_inputs``, ``zone_counties``). The funds put into them are the funds app's."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ibis.expr.types as ir
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import total
from fupin.analytics.registry import computes, sentences
from fupin.programs.catalogue import CATALOGUE

# --- what the computations share (the funds app's too) ---------------------------------------


def village_plans(scope: Scope) -> ir.Table:
    """Village plans of entire village advancement of villages under the area."""
    return scope.under(scope.tables["village_plans"], "village_code")


def projects(scope: Scope) -> ir.Table:
    """Projects located under the area (with their plan's batch, if any)."""
    return scope.under(scope.tables["projects"], "area_code")


def batch_projects(scope: Scope) -> ir.Table:
    """Projects of the village plans of the year's batch: the batch whose years include
    the scope's year."""
    located = projects(scope)
    return located.filter((located.batch_start <= scope.year) & (located.batch_end >= scope.year))


def batch_plans(scope: Scope) -> ir.Table:
    plans = village_plans(scope)
    return plans.filter((plans.batch_start <= scope.year) & (plans.batch_end >= scope.year))


def zone_projects(scope: Scope) -> ir.Table:
    located = projects(scope)
    return located.filter(located.zone_code.notnull())


# --- entire village advancement ----------------------------------------------------------


@computes("evap.villages_completed_cumulative")
def villages_completed_cumulative(scope: Scope) -> ir.Scalar:
    plans = village_plans(scope)
    return plans.filter(plans.accepted_on <= scope.year_end).count()


def _completed_villages(scope: Scope) -> ir.Table:
    plans = village_plans(scope)
    return plans.filter(plans.accepted_on <= scope.year_end).select("village_code")


@computes("evap.per_capita_income")
def advanced_per_capita_income(scope: Scope) -> ir.Scalar:
    """Person-weighted mean of per capita net income: the households' net income over
    their people (each household's per capita income weighted by its size)."""
    incomes = scope.incomes()
    villages = _completed_villages(scope)
    incomes = incomes.semi_join(villages, incomes.village_code == villages.village_code)
    return incomes.net_income.sum() / incomes.household_size.sum()


@computes("evap.batch_villages_completed")
def batch_villages_completed(scope: Scope) -> ir.Scalar:
    plans = batch_plans(scope)
    return plans.filter((plans.accepted_on.year() == scope.year) & (plans.accepted_on <= scope.year_end)).count()


@computes("evap.labor_participants")
def batch_labour(scope: Scope) -> ir.Scalar:
    labour = scope.tables["labour_inputs"]
    batch = batch_projects(scope)
    labour = labour.filter(labour.year == scope.year).semi_join(batch, labour.project_id == batch.id)
    return total(labour.persons)


@computes("evap.industrial.poor_households")
def batch_industry_poor_households(scope: Scope) -> ir.Scalar:
    """Distinct households identified as poor by the year's end (poor or since exited)
    among the beneficiaries of the batch's industrial projects."""
    batch = batch_projects(scope)
    batch = batch.filter(batch.category == "industry")
    reached = scope.tables["beneficiaries"]
    reached = reached.filter(reached.year <= scope.year).semi_join(batch, reached.project_id == batch.id)
    households = scope.households()
    poor = households.filter(households.identified_on <= scope.year_end)
    return reached.semi_join(poor, reached.household_id == poor.id).household_id.nunique()


def _output(scope: Scope, code: str) -> ir.Scalar:
    outputs = scope.tables["project_outputs"]
    batch = batch_projects(scope)
    outputs = outputs.filter((outputs.kind == code) & (outputs.year == scope.year))
    return total(outputs.semi_join(batch, outputs.project_id == batch.id).quantity)


for _code, *_rest in CATALOGUE:
    computes(f"output.{_code}")(functools.partial(_output, code=_code))


# --- contiguous development --------------------------------------------------------------------


@computes("contiguous.counties")
def contiguous_counties(scope: Scope) -> ir.Scalar:
    zones = scope.under(scope.tables["zone_counties"], "county_code")
    active = zones.filter((zones.start_year <= scope.year) & (zones.end_year.isnull() | (zones.end_year >= scope.year)))
    return active.county_code.nunique()


# --- the report's sentences ---------------------------------------------------------------------


def join_list(items: list[str]) -> str:
    """Phrases as one list in the active language: "a, b and c" (English), "a、b和c" (Chinese)."""
    if len(items) <= 1:
        return "".join(items)
    separator = pgettext("list separator", ", ")
    return _("%(items)s and %(last)s") % {"items": separator.join(items[:-1]), "last": items[-1]}


def _count(report: Any, indicator_id: str) -> int:
    """A count's value as an int, for choosing a plural form (0 when not available)."""
    return int(report.value(indicator_id) or 0)


def available(report: Any, *ids: str) -> bool:
    return all(report.value(i) is not None for i in ids)


def nothing_recorded(report: Any, section: str) -> bool:
    """Whether the section's figures are all zero (at least one being available): its
    sentences then say that in one sentence instead of listing zeros."""
    figures = [v.value for v in report.values if v.indicator.section == section and v.value is not None]
    return bool(figures) and all(f == 0 for f in figures)


# What the projects of the batch bought for poor households, and what else they did: the
# seed's list, in its order, each phrase carrying one output's figure (``%(n)s``).
_Phrase = Callable[[int], str]
PURCHASES: list[tuple[str, _Phrase]] = [
    ("output.dairy_cows", lambda n: ngettext("%(n)s dairy cow", "%(n)s dairy cows", n)),
    ("output.beef_cattle", lambda n: _("%(n)s head of beef cattle")),
    ("output.pigs", lambda n: ngettext("%(n)s live pig", "%(n)s live pigs", n)),
    ("output.sheep", lambda n: _("%(n)s sheep")),
    ("output.poultry", lambda n: _("%(n)s poultry")),
    ("output.deer", lambda n: _("%(n)s deer")),
    ("output.fur_animals", lambda n: _("%(n)s foxes, raccoon dogs and rabbits")),
]
WORKS: list[tuple[str, _Phrase]] = [
    ("output.crop_seed", lambda n: _("introduced %(n)s tonnes of new crop varieties")),
    ("output.livestock_shed", lambda n: _("built %(n)s square metres of livestock housing")),
    ("output.road", lambda n: _("built %(n)s kilometres of roads")),
    ("output.bridges", lambda n: ngettext("built %(n)s bridge or culvert", "built %(n)s bridges and culverts", n)),
    ("output.drought_wells", lambda n: _("dug %(n)s linear metres of drought-resisting wells")),
    (
        "output.vet_stations",
        lambda n: ngettext(
            "set up %(n)s animal husbandry technical service station",
            "set up %(n)s animal husbandry technical service stations",
            n,
        ),
    ),
    (
        "output.milk_stations",
        lambda n: ngettext("set up %(n)s mechanized milking station", "set up %(n)s mechanized milking stations", n),
    ),
    ("output.greenhouses", lambda n: _("built %(n)s square metres of greenhouses")),
    (
        "output.farm_machinery",
        lambda n: ngettext(
            "purchased %(n)s set of large agricultural machinery",
            "purchased %(n)s sets of large agricultural machinery",
            n,
        ),
    ),
    ("output.machinery_sheds", lambda n: _("built %(n)s square metres of agricultural machinery warehouses")),
    (
        "output.drinking_wells",
        lambda n: ngettext(
            "dug %(n)s drinking water well for people and livestock",
            "dug %(n)s drinking water wells for people and livestock",
            n,
        ),
    ),
    (
        "output.tap_water",
        lambda n: ngettext("connected %(n)s household to tap water", "connected %(n)s households to tap water", n),
    ),
    (
        "output.catv",
        lambda n: ngettext("connected %(n)s household to cable TV", "connected %(n)s households to cable TV", n),
    ),
    ("output.street_lamps", lambda n: ngettext("installed %(n)s street lamp", "installed %(n)s street lamps", n)),
    ("output.clinics", lambda n: ngettext("set up %(n)s clinic", "set up %(n)s clinics", n)),
    (
        "output.activity_rooms",
        lambda n: ngettext("built %(n)s villagers' activity room", "built %(n)s villagers' activity rooms", n),
    ),
    ("output.leisure_squares", lambda n: ngettext("built %(n)s leisure square", "built %(n)s leisure squares", n)),
    ("output.roadside_ditches", lambda n: _("dug %(n)s linear metres of village roadside ditches")),
]


def _phrases(report: Any, phrases: list[tuple[str, _Phrase]]) -> list[str]:
    """The phrases of the outputs the batch has (a zero or unavailable one is left out)."""
    return [
        phrase(_count(report, key)) % {"n": report.figure(key)}
        for key, phrase in phrases
        if (report.value(key) or 0) > 0
    ]


@sentences("village_advancement")
def village_advancement_sentences(report: Any) -> list[str]:
    """The seed's paragraphs of entire village advancement: the funds put in and the batch
    completed; the funds integrated and the labour put in; then the batch's outputs."""
    if nothing_recorded(report, "village_advancement"):
        return [
            _("No entire village advancement is recorded in %(area)s for %(year)s.")
            % {"area": report.area_name(), "year": report.year}
        ]
    out = []
    if available(report, "evap.funds.fiscal", "evap.funds.social"):
        out.append(
            _(
                "A total of %(fiscal)s yuan of central and provincial anti-poverty funds and %(social)s yuan of "
                "social poverty relief funds were put into the villages of the year's batch."
            )
            % {"fiscal": report.figure("evap.funds.fiscal"), "social": report.figure("evap.funds.social")}
        )
    if available(report, "evap.batch_villages_completed"):
        out.append(
            ngettext(
                "%(area)s completed the entire village advancement of %(villages)s poor village of the year's "
                "batch in %(year)s.",
                "%(area)s completed the entire village advancement of %(villages)s poor villages of the year's "
                "batch in %(year)s.",
                _count(report, "evap.batch_villages_completed"),
            )
            % {
                "area": report.area_name(),
                "villages": report.figure("evap.batch_villages_completed"),
                "year": report.year,
            }
        )
    if available(report, "evap.funds.integrated_total", "evap.funds.avg_per_village"):
        out.append(
            _(
                "In all, %(total)s yuan of funds were integrated for entire village advancement, "
                "%(average)s yuan per village."
            )
            % {
                "total": report.figure("evap.funds.integrated_total"),
                "average": report.figure("evap.funds.avg_per_village"),
            }
        )
    elif available(report, "evap.funds.integrated_total"):
        out.append(
            _("In all, %(total)s yuan of funds were integrated for entire village advancement.")
            % {"total": report.figure("evap.funds.integrated_total")}
        )
    if (report.value("evap.labor_participants") or 0) > 0:
        out.append(
            ngettext(
                "In the villages of the batch, %(people)s person took part by contributing labour.",
                "In the villages of the batch, %(people)s people took part by contributing labour.",
                _count(report, "evap.labor_participants"),
            )
            % {"people": report.figure("evap.labor_participants")}
        )
    if (report.value("evap.industrial.poor_households") or 0) > 0:
        out.append(
            ngettext(
                "The industrial projects covered %(households)s poor household.",
                "The industrial projects covered %(households)s poor households.",
                _count(report, "evap.industrial.poor_households"),
            )
            % {"households": report.figure("evap.industrial.poor_households")}
        )
    clauses = []
    purchases = _phrases(report, PURCHASES)
    if purchases:
        clauses.append(_("helped poor households buy %(animals)s") % {"animals": join_list(purchases)})
    clauses += _phrases(report, WORKS)
    if clauses:
        out.append(
            _("The projects of the batch %(outputs)s.") % {"outputs": pgettext("clause separator", "; ").join(clauses)}
        )
    return out


@sentences("contiguous")
def contiguous_sentences(report: Any) -> list[str]:
    """The seed's paragraph of contiguous development: the fiscal funds invested and the
    sector funds integrated, and the pilot counties."""
    if nothing_recorded(report, "contiguous"):
        return [
            _("No contiguous development is recorded in %(area)s for %(year)s.")
            % {"area": report.area_name(), "year": report.year}
        ]
    out = []
    if available(report, "contiguous.funds_fiscal", "contiguous.funds_integrated"):
        out.append(
            _(
                "For contiguous development, %(area)s invested %(fiscal)s yuan of fiscal anti-poverty funds "
                "and integrated %(integrated)s yuan of funds from other sectors."
            )
            % {
                "area": report.area_name(),
                "fiscal": report.figure("contiguous.funds_fiscal"),
                "integrated": report.figure("contiguous.funds_integrated"),
            }
        )
    if available(report, "contiguous.counties"):
        out.append(
            ngettext(
                "In %(year)s, %(counties)s county was a contiguous development pilot.",
                "In %(year)s, %(counties)s counties were contiguous development pilots.",
                _count(report, "contiguous.counties"),
            )
            % {"year": report.year, "counties": report.figure("contiguous.counties")}
        )
    return out
