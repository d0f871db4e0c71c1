"""The indicators of entire village advancement (the section ``village_advancement`` and
the overview's ``evap.*`` figures) and of contiguous development, from the programs'
snapshot tables (``village_plans``, ``projects``, ``project_outputs``, ``beneficiaries``,
``labour_inputs``, ``zone_counties``). The funds put into them are the funds app's."""

from __future__ import annotations

import functools

import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import total
from fupin.analytics.registry import computes
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
