"""The indicators of the section ``mutual_funds`` (indicators.csv), from the mutual funds'
snapshot tables. A fund counts in the area of its village; the year's new funds are those
established in it; the total assets are the balance sheet's (``rules.balance``) at the end
of the year: seed capital + member shares + fees − write-offs − public-welfare spending
(= cash + loans outstanding)."""

from __future__ import annotations

import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes
from fupin.credit.mutual.choices import SeedKind


def funds(scope: Scope) -> ir.Table:
    return scope.under(scope.tables["mutual_funds"], "village_code")


def new_funds(scope: Scope) -> ir.Table:
    """The funds established in the year."""
    f = funds(scope)
    return f.filter((f.established_on.year() == scope.year) & (f.established_on <= scope.year_end))


def _of(table: ir.Table, of: ir.Table) -> ir.Table:
    return table.semi_join(of, table.fund_id == of.id)


def _total(scope: Scope, name: str, date: str, value: str, of: ir.Table) -> ir.Scalar:
    t = scope.tables[name]
    t = _of(t.filter(t[date] <= scope.year_end), of)
    return t[value].sum().fill_null(0)


def fiscal_seed(scope: Scope) -> ir.Scalar:
    seeds = scope.tables["mutual_seeds"]
    seeds = seeds.filter((seeds.kind == SeedKind.FISCAL) & (seeds.received_on <= scope.year_end))
    return _of(seeds, new_funds(scope)).amount.sum().fill_null(0)


@computes("mutual.funds_fiscal")
def funds_fiscal(scope: Scope) -> ir.Scalar:
    return fiscal_seed(scope)


@computes("mutual.pilot_villages_new")
def pilot_villages_new(scope: Scope) -> ir.Scalar:
    return new_funds(scope).village_code.nunique()


@computes("mutual.pilot_counties_new")
def pilot_counties_new(scope: Scope) -> ir.Scalar:
    return new_funds(scope).county_code.nunique()


@computes("mutual.avg_subsidy_per_village")
def avg_subsidy_per_village(scope: Scope) -> float | None:
    villages = scope.con.execute(new_funds(scope).village_code.nunique())
    if not villages:
        return None
    return float(scope.con.execute(fiscal_seed(scope))) / float(villages)


@computes("mutual.member_households")
def member_households(scope: Scope) -> ir.Scalar:
    members = scope.tables["mutual_members"]
    members = _of(members.filter(members.joined_on <= scope.year_end), new_funds(scope))
    return members.household_id.nunique()


@computes("mutual.total_assets")
def total_assets(scope: Scope) -> float | None:
    of = new_funds(scope)
    if not scope.con.execute(of.count()):
        return None
    loans = scope.tables["mutual_loans"]
    written = _of(loans.filter(loans.written_off_on <= scope.year_end), of).written_off.sum().fill_null(0)
    parts = [
        _total(scope, "mutual_seeds", "received_on", "amount", of),
        _total(scope, "mutual_members", "joined_on", "paid_in", of),
        _total(scope, "mutual_repayments", "paid_on", "fee", of),
        -written,
        -_total(scope, "mutual_welfare_spending", "spent_on", "amount", of),
    ]
    return round(sum(float(scope.con.execute(p)) for p in parts), 2)


@computes("mutual.pilot_villages_total")
def pilot_villages_total(scope: Scope) -> ir.Scalar:
    f = funds(scope)
    open_ = f.filter((f.established_on <= scope.year_end) & (f.closed_on.isnull() | (f.closed_on > scope.year_end)))
    return open_.village_code.nunique()
