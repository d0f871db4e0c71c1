"""The indicators of the section ``land_transfer`` (indicators.csv), from the land snapshot
tables: the contracts in force on 31 December of the year in the villages of the year's
batch of entire village advancement, and their transferor households.

A transferor is "registered poor on the day the contract took effect" when its status on
the contract's start date, from the registry's status events (the status after its last
change on or before that day, else its status before its first event), is ``poor``; it
"had exited poverty by 31 December" when its exit was approved on or before that day."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes, sentences
from fupin.programs.indicators import available, nothing_recorded


def contracts_in_force(scope: Scope) -> ir.Table:
    """Contracts in force on the year's end, in the year's batch villages under the area."""
    contracts = scope.under(scope.tables["land_contracts"], "village_code")
    end = scope.year_end
    in_force = contracts.filter(
        (contracts.start_date <= end)
        & (contracts.end_date >= end)
        & (contracts.terminated_on.isnull() | (contracts.terminated_on > end))
    )
    plans = scope.tables["village_plans"]
    batch = plans.filter((plans.batch_start <= scope.year) & (plans.batch_end >= scope.year))
    return in_force.semi_join(batch, in_force.village_code == batch.village_code)


def transferors(scope: Scope) -> ir.Table:
    """The transferor rows of those contracts."""
    rows = scope.tables["land_transferors"]
    return rows.semi_join(contracts_in_force(scope), rows.contract_id == contracts_in_force(scope).id)


def poor_transferors(scope: Scope) -> ir.Table:
    """The transferor rows whose household was registered poor on the contract's start."""
    rows = transferors(scope)
    events = scope.tables["status_events"]
    changes = events.filter(events.status_after != events.status_before).select(
        ev_household="household_id", ev_date="date", ev_id="id", status_after="status_after"
    )
    joined = rows.join(
        changes, [rows.household_id == changes.ev_household, changes.ev_date <= rows.start_date], how="left"
    )
    window = ibis.window(group_by=joined.id, order_by=[ibis.desc(joined.ev_date), ibis.desc(joined.ev_id)])
    last = joined.mutate(n=ibis.row_number().over(window)).filter(lambda t: t.n == 0)
    households = scope.tables["households"].select(hh_id="id", initial_status="initial_status", exited_on="exited_on")
    with_status = last.join(households, last.household_id == households.hh_id)
    with_status = with_status.mutate(status_then=with_status.status_after.fill_null(with_status.initial_status))
    return with_status.filter(with_status.status_then == "poor")


@computes("land.villages")
def villages(scope: Scope) -> ir.Scalar:
    return contracts_in_force(scope).village_code.nunique()


@computes("land.area_mu")
def area_mu(scope: Scope) -> ir.Scalar:
    # summed in hundredths of a mu (the areas' precision), so the sum is exact
    hundredths = (contracts_in_force(scope).area_mu * 100).round().cast("int64").sum()
    return hundredths / 100.0


@computes("land.households")
def households(scope: Scope) -> ir.Scalar:
    return transferors(scope).household_id.nunique()


@computes("land.poor_households")
def poor_households(scope: Scope) -> ir.Scalar:
    return poor_transferors(scope).household_id.nunique()


@computes("land.poor_exited_share")
def poor_exited_share(scope: Scope) -> float | None:
    poor = poor_transferors(scope)
    # both counts in one query: the poor transferors are a join over the status events
    counts = poor.aggregate(
        total=poor.household_id.nunique(),
        done=poor.household_id.nunique(where=poor.exited_on <= scope.year_end),
    )
    row = scope.con.execute(counts).iloc[0]
    if not row["total"]:
        return None
    return float(row["done"]) * 100.0 / float(row["total"])


@sentences("land_transfer")
def land_transfer_sentences(report: Any) -> list[str]:
    """The seed's paragraph of land transfer: the batch villages where it was launched, the
    area transferred and the households (poor among them) involved, and how many of those
    poor households have shaken off poverty."""
    if nothing_recorded(report, "land_transfer"):
        return [
            _("No land transfer for large-scale operation is recorded in %(area)s for %(year)s.")
            % {"area": report.area_name(), "year": report.year}
        ]
    out = []
    if available(report, "land.villages"):
        out.append(
            ngettext(
                "Large-scale operation through land transfer was under way in %(villages)s village of the year's "
                "batch of entire village advancement.",
                "Large-scale operation through land transfer was under way in %(villages)s villages of the year's "
                "batch of entire village advancement.",
                int(report.value("land.villages") or 0),
            )
            % {"villages": report.figure("land.villages")}
        )
    if available(report, "land.area_mu", "land.households", "land.poor_households"):
        out.append(
            _(
                "The area transferred for large-scale operation reached %(mu)s mu, and %(households)s rural "
                "households were involved, %(poor)s of them poor households."
            )
            % {
                "mu": report.figure("land.area_mu"),
                "households": report.figure("land.households"),
                "poor": report.figure("land.poor_households"),
            }
        )
    share = report.value("land.poor_exited_share")
    if share is not None and share >= 100:
        out.append(_("All the poor households involved have shaken off poverty."))
    elif share is not None:
        out.append(
            _("Of the poor households involved, %(share)s%% have shaken off poverty.")
            % {"share": report.figure("land.poor_exited_share")}
        )
    return out
