"""The indicators of the section ``mutual_funds`` (indicators.csv), from the mutual funds'
snapshot tables. A fund counts in the area of its village; the year's new funds are those
established in it; the total assets are the balance sheet's (``rules.balance``) at the end
of the year: seed capital + member shares + fees − write-offs − public-welfare spending
(= cash + loans outstanding)."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes, sentences
from fupin.credit.mutual.choices import SeedKind
from fupin.programs.indicators import available, nothing_recorded


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


@sentences("mutual_funds")
def mutual_funds_sentences(report: Any) -> list[str]:
    """The seed's paragraph of the mutual fund pilots: the fiscal funds arranged, the new
    pilot villages and counties with the subsidy per village, the member households and the
    total assets, and the pilot villages there are at the year's end."""
    area, year = report.area_name(), report.year
    if nothing_recorded(report, "mutual_funds"):
        return [_("No mutual fund pilot is recorded in %(area)s for %(year)s.") % {"area": area, "year": year}]
    out = []
    new = int(report.value("mutual.pilot_villages_new") or 0)
    if new and available(report, "mutual.funds_fiscal"):
        out.append(
            _("Fiscal anti-poverty funds of %(funds)s yuan were arranged for the new mutual fund pilots.")
            % {"funds": report.figure("mutual.funds_fiscal")}
        )
    if new and available(report, "mutual.pilot_counties_new"):
        figures = {
            "villages": ngettext("%(n)s poor village", "%(n)s poor villages", new)
            % {"n": report.figure("mutual.pilot_villages_new")},
            "counties": ngettext("%(n)s county", "%(n)s counties", int(report.value("mutual.pilot_counties_new") or 0))
            % {"n": report.figure("mutual.pilot_counties_new")},
            "average": report.figure("mutual.avg_subsidy_per_village"),
        }
        if available(report, "mutual.avg_subsidy_per_village"):
            text = _(
                "Pilots were launched in %(villages)s of %(counties)s, with an average subsidy of %(average)s yuan "
                "per village."
            )
        else:
            text = _("Pilots were launched in %(villages)s of %(counties)s.")
        out.append(text % figures)
    if new and available(report, "mutual.member_households", "mutual.total_assets"):
        out.append(
            _(
                "With %(households)s rural households investing in them as shareholders, their total assets reached "
                "%(assets)s yuan."
            )
            % {"households": report.figure("mutual.member_households"), "assets": report.figure("mutual.total_assets")}
        )
    if available(report, "mutual.pilot_villages_total"):
        out.append(
            ngettext(
                "At the end of %(year)s, %(area)s had %(villages)s mutual fund pilot village.",
                "At the end of %(year)s, %(area)s had %(villages)s mutual fund pilot villages.",
                int(report.value("mutual.pilot_villages_total") or 0),
            )
            % {"year": year, "area": area, "villages": report.figure("mutual.pilot_villages_total")}
        )
    return out
