"""The overview's poverty figures, from the registry's snapshot tables (``households``)."""

from __future__ import annotations

import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import count, total
from fupin.analytics.registry import computes


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
    return count(poor_at_year_end(scope))


@computes("poor.people")
def poor_people(scope: Scope) -> ir.Scalar:
    return total(poor_at_year_end(scope)["size"])


@computes("poor.people_lifted_cumulative")
def people_lifted(scope: Scope) -> ir.Scalar:
    households = scope.households()
    return total(households.filter(households.exited_on <= scope.year_end)["size"])
