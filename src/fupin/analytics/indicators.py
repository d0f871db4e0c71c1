"""The indicator registry: every figure of the annual report, as an expression over a
snapshot.

The list of indicators (id, section, unit, kind, names, definition) is
``data/indicators.csv``, a copy of the project's specification
(``shared/spec/indicators.csv``). Its ``seed_2009`` column is the figure the 2009
report printed; the demo is built to reproduce it, and it is never read here. Each
indicator whose records Fupin keeps has a function below, written once in Ibis against a
``Scope``; the others report "not available" with the reason, never zero.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

import ibis
import ibis.expr.types as ir
from django.utils.translation import gettext_lazy as _

from fupin.analytics.engine import Scope
from fupin.funds.choices import FISCAL, INTEGRATED, SOCIAL, Source
from fupin.programs.catalogue import CATALOGUE

Compute = Callable[[Scope], Any]

# Sections in the order of the annual report, with their titles.
SECTIONS: dict[str, Any] = {
    "overview": _("Overview"),
    "village_advancement": _("Entire Village Advancement"),
    "training": _("Poverty Alleviation Training"),
    "industrialization": _("Poverty Alleviation by Industrialization"),
    "mutual_funds": _("Mutual Funds"),
    "loan_discount": _("Loan Discount Reform"),
    "contiguous": _("Contiguous Development"),
    "land_transfer": _("Land Transfer"),
    "social": _("Social Poverty Alleviation"),
}

# Why an indicator cannot be computed yet: the records it needs are not kept.
NOT_RECORDED: dict[str, Any] = {
    "village_advancement": _(
        "Entire village advancement batches, village plans, projects, outputs and funds are not recorded yet."
    ),
    "training": _("Training classes and trainees are not recorded yet."),
    "industrialization": _("Leading enterprises, their production bases and loans are not recorded yet."),
    "mutual_funds": _("Village mutual funds are not recorded yet."),
    "loan_discount": _("Discounted loans are not recorded yet."),
    "contiguous": _("Contiguous development zones, their projects and funds are not recorded yet."),
    "land_transfer": _("Land transfer contracts are not recorded yet."),
    "social": _("Social and pairing assistance is not recorded yet."),
}


@dataclasses.dataclass(frozen=True)
class Indicator:
    id: str
    section: str
    unit: str
    kind: str
    name_en: str
    name_zh: str
    definition: str
    compute: Compute | None
    reason: Any = None  # lazy text, when compute is None

    @property
    def available(self) -> bool:
        return self.compute is not None

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_zh


_COMPUTE: dict[str, Compute] = {}


def computes(indicator_id: str) -> Callable[[Compute], Compute]:
    def register(fn: Compute) -> Compute:
        _COMPUTE[indicator_id] = fn
        return fn

    return register


def _count(table: ir.Table) -> ir.Scalar:
    return table.count()


def _sum(column: ir.NumericColumn) -> ir.Scalar:
    return ibis.coalesce(column.sum(), 0)


# --- overview ----------------------------------------------------------------------------


@computes("province.area_km2")
def area_km2(scope: Scope) -> Any:
    return scope.area["area_km2"]


@computes("province.population")
def population(scope: Scope) -> Any:
    return scope.area["population"]


@computes("admin.prefecture_cities")
def prefecture_cities(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return _count(areas.filter((areas.level == "city") & (areas.kind == "city")))


@computes("admin.prefecture_offices")
def prefecture_offices(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return _count(areas.filter((areas.level == "city") & (areas.kind == "prefecture")))


@computes("key_counties.count")
def key_counties(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return _count(areas.filter((areas.level == "county") & (areas.key_county != "")))


@computes("key_villages.count")
def key_villages(scope: Scope) -> ir.Scalar:
    areas = scope.areas()
    return _count(areas.filter((areas.level == "village") & areas.key_village))


def poor_at_year_end(scope: Scope) -> ir.Table:
    households = scope.status_at()
    return households.filter(households.status == "poor")


@computes("counties_with_task.count")
def counties_with_task(scope: Scope) -> ir.Scalar:
    # Poverty reduction targets are not recorded yet: a county has a task when it has a
    # poor household at the year's end.
    return poor_at_year_end(scope).county_code.nunique()


@computes("poor.households")
def poor_households(scope: Scope) -> ir.Scalar:
    return _count(poor_at_year_end(scope))


@computes("poor.people")
def poor_people(scope: Scope) -> ir.Scalar:
    return _sum(poor_at_year_end(scope)["size"])


@computes("poor.people_lifted_cumulative")
def people_lifted(scope: Scope) -> ir.Scalar:
    households = scope.households()
    return _sum(households.filter(households.exited_on <= scope.year_end)["size"])


# --- entire village advancement ----------------------------------------------------------


@computes("evap.villages_completed_cumulative")
def villages_completed_cumulative(scope: Scope) -> ir.Scalar:
    plans = scope.village_plans()
    return plans.filter(plans.accepted_on <= scope.year_end).count()


def _completed_villages(scope: Scope) -> ir.Table:
    plans = scope.village_plans()
    return plans.filter(plans.accepted_on <= scope.year_end).select("village_code")


@computes("evap.per_capita_income")
def advanced_per_capita_income(scope: Scope) -> ir.Scalar:
    """Person-weighted mean of per capita net income: the households' net income over
    their people (each household's per capita income weighted by its size)."""
    incomes = scope.incomes()
    villages = _completed_villages(scope)
    incomes = incomes.semi_join(villages, incomes.village_code == villages.village_code)
    return incomes.net_income.sum() / incomes.household_size.sum()


def _batch_plans(scope: Scope) -> ir.Table:
    plans = scope.village_plans()
    return plans.filter((plans.batch_start <= scope.year) & (plans.batch_end >= scope.year))


@computes("evap.batch_villages_completed")
def batch_villages_completed(scope: Scope) -> ir.Scalar:
    plans = _batch_plans(scope)
    return plans.filter((plans.accepted_on.year() == scope.year) & (plans.accepted_on <= scope.year_end)).count()


@computes("evap.funds.fiscal")
def batch_funds_fiscal(scope: Scope) -> ir.Scalar:
    return scope.disbursed(scope.batch_projects(), FISCAL)


@computes("evap.funds.social")
def batch_funds_social(scope: Scope) -> ir.Scalar:
    return scope.disbursed(scope.batch_projects(), SOCIAL)


@computes("evap.funds.integrated_total")
def batch_funds_integrated(scope: Scope) -> ir.Scalar:
    return scope.disbursed(scope.batch_projects(), INTEGRATED)


@computes("evap.funds.avg_per_village")
def batch_funds_per_village(scope: Scope) -> float | None:
    villages = scope.con.execute(_batch_plans(scope).count())
    if not villages:
        return None
    return float(scope.con.execute(batch_funds_integrated(scope))) / villages


@computes("evap.labor_participants")
def batch_labour(scope: Scope) -> ir.Scalar:
    labour = scope.tables["labour_inputs"]
    projects = scope.batch_projects()
    labour = labour.filter(labour.year == scope.year).semi_join(projects, labour.project_id == projects.id)
    return _sum(labour.persons)


@computes("evap.industrial.poor_households")
def batch_industry_poor_households(scope: Scope) -> ir.Scalar:
    """Distinct households identified as poor by the year's end (poor or since exited)
    among the beneficiaries of the batch's industrial projects."""
    projects = scope.batch_projects()
    projects = projects.filter(projects.category == "industry")
    reached = scope.tables["beneficiaries"]
    reached = reached.filter(reached.year <= scope.year).semi_join(projects, reached.project_id == projects.id)
    households = scope.households()
    poor = households.filter(households.identified_on <= scope.year_end)
    return reached.semi_join(poor, reached.household_id == poor.id).household_id.nunique()


def _output(scope: Scope, code: str) -> ir.Scalar:
    outputs = scope.tables["project_outputs"]
    projects = scope.batch_projects()
    outputs = outputs.filter((outputs.kind == code) & (outputs.year == scope.year))
    return _sum(outputs.semi_join(projects, outputs.project_id == projects.id).quantity)


for _code, *_rest in CATALOGUE:
    computes(f"output.{_code}")(functools.partial(_output, code=_code))


# --- contiguous development --------------------------------------------------------------------


def _zone_projects(scope: Scope) -> ir.Table:
    projects = scope.projects()
    return projects.filter(projects.zone_code.notnull())


@computes("contiguous.funds_fiscal")
def contiguous_fiscal(scope: Scope) -> ir.Scalar:
    return scope.disbursed(_zone_projects(scope), FISCAL)


@computes("contiguous.funds_integrated")
def contiguous_integrated(scope: Scope) -> ir.Scalar:
    return scope.disbursed(_zone_projects(scope), (Source.SECTOR,))


@computes("contiguous.counties")
def contiguous_counties(scope: Scope) -> ir.Scalar:
    zones = scope._under(scope.tables["zone_counties"], "county_code")
    active = zones.filter((zones.start_year <= scope.year) & (zones.end_year.isnull() | (zones.end_year >= scope.year)))
    return active.county_code.nunique()


# --- the registry --------------------------------------------------------------------------


@functools.cache
def indicators() -> dict[str, Indicator]:
    """Every indicator of the specification, in its order."""
    text = resources.files("fupin.analytics").joinpath("data/indicators.csv").read_text(encoding="utf-8")
    result = {}
    for row in csv.DictReader(text.splitlines()):
        compute = _COMPUTE.get(row["id"])
        result[row["id"]] = Indicator(
            id=row["id"],
            section=row["section"],
            unit=row["unit"],
            kind=row["kind"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            definition=row["definition"],
            compute=compute,
            reason=None if compute else NOT_RECORDED.get(_records_of(row["id"], row["section"]), ""),
        )
    return result


def _records_of(indicator_id: str, section: str) -> str:
    """Which records an indicator needs: its section's, except the overview's figures of
    entire village advancement."""
    if indicator_id.startswith("evap."):
        return "village_advancement"
    return section


NO_REFERENCE = _("No reference figure is recorded for this area.")
# Over zero records, a count or a sum is 0 (``_count``, ``_sum``); a mean or a ratio has
# nothing to divide by and is not available, for this reason.
NO_RECORDS = _("There are no records to compute this figure from for this area and year.")


@dataclasses.dataclass(frozen=True)
class Value:
    indicator: Indicator
    value: int | float | None
    reason: Any = None  # lazy text: why there is no value

    @property
    def available(self) -> bool:
        return self.value is not None


def _plain(value: Any, unit: str) -> int | float | None:
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN: no records
        return None
    if unit in ("yuan", "km2", "t", "km", "percent") and not float(value).is_integer():
        return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return int(value) if float(value).is_integer() else float(value)


def evaluate(scope: Scope, ids: list[str] | None = None) -> list[Value]:
    """The value of each indicator (all of them by default) for the scope's area and year."""
    registry = indicators()
    chosen = [registry[i] for i in ids] if ids is not None else list(registry.values())
    values = []
    for indicator in chosen:
        if indicator.compute is None:
            values.append(Value(indicator, None, indicator.reason))
            continue
        result = indicator.compute(scope)
        if isinstance(result, ir.Expr):
            result = scope.con.execute(result)
        value = _plain(result, indicator.unit)
        reason = (NO_REFERENCE if indicator.kind == "reference" else NO_RECORDS) if value is None else None
        values.append(Value(indicator, value, reason))
    return values
