"""The funds put into entire village advancement and contiguous development, from the
``fund_entries`` snapshot table and the programs' projects."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes
from fupin.funds.choices import FISCAL, INTEGRATED, SOCIAL, Source
from fupin.programs.indicators import batch_plans, batch_projects, zone_projects


def disbursed(scope: Scope, projects: ir.Table, sources: tuple[str, ...] | None = None) -> ir.Scalar:
    """Net disbursements (reversals included) to these projects dated in the year."""
    entries = scope.tables["fund_entries"]
    entries = entries.filter(
        (entries.kind == "disbursement") & (entries.date.year() == scope.year) & (entries.date <= scope.year_end)
    )
    if sources is not None:
        entries = entries.filter(entries.source.isin(list(sources)))
    paid = entries.semi_join(projects, entries.project_id == projects.id)
    return ibis.coalesce(paid.amount.sum(), 0)


# --- entire village advancement ----------------------------------------------------------


@computes("evap.funds.fiscal")
def batch_funds_fiscal(scope: Scope) -> ir.Scalar:
    return disbursed(scope, batch_projects(scope), FISCAL)


@computes("evap.funds.social")
def batch_funds_social(scope: Scope) -> ir.Scalar:
    return disbursed(scope, batch_projects(scope), SOCIAL)


@computes("evap.funds.integrated_total")
def batch_funds_integrated(scope: Scope) -> ir.Scalar:
    return disbursed(scope, batch_projects(scope), INTEGRATED)


@computes("evap.funds.avg_per_village")
def batch_funds_per_village(scope: Scope) -> float | None:
    villages = scope.con.execute(batch_plans(scope).count())
    if not villages:
        return None
    return float(scope.con.execute(batch_funds_integrated(scope))) / villages


# --- contiguous development --------------------------------------------------------------------


@computes("contiguous.funds_fiscal")
def contiguous_fiscal(scope: Scope) -> ir.Scalar:
    return disbursed(scope, zone_projects(scope), FISCAL)


@computes("contiguous.funds_integrated")
def contiguous_integrated(scope: Scope) -> ir.Scalar:
    return disbursed(scope, zone_projects(scope), (Source.SECTOR,))
