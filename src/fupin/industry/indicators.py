"""The indicators of the section ``industrialization`` (indicators.csv) that the records
of leading enterprises give: new enterprises, the poor villages and poor households their
production bases cover, and the income increase of the linked households. (The loans part
of the credit app computes the supported enterprises, their loans, discounts and the
labour they absorbed.)

A base covers in a year when it was established by then; a household is linked in the
year when its link was made by the year's end. A household counts where it lives, a
village where it is; an enterprise in its county."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import count
from fupin.analytics.registry import computes, sentences
from fupin.analytics.report import fmt
from fupin.programs.indicators import available, nothing_recorded
from fupin.registry.indicators import poor_at_year_end


def linked_households(scope: Scope) -> ir.Table:
    """The distinct households (``household_id``) under the scope's area linked to a base
    by the year's end."""
    links = scope.under(scope.tables["base_links"], "village_code")
    bases = scope.tables["production_bases"]
    links = links.filter(links.joined_on <= scope.year_end)
    links = links.semi_join(bases.filter(bases.established_year <= scope.year), links.base_id == bases.id)
    return links.select("household_id").distinct()


@computes("industry.enterprises_new")
def enterprises_new(scope: Scope) -> ir.Scalar:
    enterprises = scope.under(scope.tables["enterprises"], "county_code")
    return count(enterprises.filter(enterprises.identified_year == scope.year))


@computes("industry.base_villages")
def base_villages(scope: Scope) -> ir.Scalar:
    """Distinct key (poor) villages under the area in which a base established by the year
    is set up."""
    villages = scope.under(scope.tables["base_villages"], "village_code")
    bases = scope.tables["production_bases"]
    villages = villages.semi_join(bases.filter(bases.established_year <= scope.year), villages.base_id == bases.id)
    areas = scope.tables["areas"]
    poor = areas.filter(areas.key_village)
    return villages.semi_join(poor, villages.village_code == poor.code).village_code.nunique()


@computes("industry.base_poor_households")
def base_poor_households(scope: Scope) -> ir.Scalar:
    """Distinct linked households that are poor at the year's end."""
    linked = linked_households(scope)
    poor = poor_at_year_end(scope)
    return count(linked.semi_join(poor, linked.household_id == poor.id))


@computes("industry.income_increase_per_household")
def income_increase(scope: Scope) -> ir.Scalar:
    """The mean, over the linked households with an income record in the year and the year
    before, of the change of their net income (yuan)."""
    linked = linked_households(scope)
    now = scope.incomes().select(household_id="household_id", now="net_income")
    before = scope.incomes(scope.year - 1).select(hid="household_id", before="net_income")
    both = linked.join(now, "household_id").join(before, ibis._.household_id == before.hid)
    return (both.now - both.before).mean()


@sentences("industrialization")
def industrialization_sentences(report: Any) -> list[str]:
    """The seed's paragraph of industrialization (the enterprises identified, those
    supported by loan discounts and the labour they absorbed, the villages and households
    their bases cover), then its measures (the discount subsidy and the loans) and the
    income the linked households gained."""
    if nothing_recorded(report, "industrialization"):
        return [
            _("No poverty alleviation by industrialization is recorded in %(area)s for %(year)s.")
            % {"area": report.area_name(), "year": report.year}
        ]
    out = []
    if available(report, "industry.enterprises_new"):
        out.append(
            ngettext(
                "In %(year)s, %(enterprises)s leading enterprise of poverty alleviation was newly identified.",
                "In %(year)s, %(enterprises)s leading enterprises of poverty alleviation were newly identified.",
                int(report.value("industry.enterprises_new") or 0),
            )
            % {"year": report.year, "enterprises": report.figure("industry.enterprises_new")}
        )
    supported = {
        "enterprises": report.figure("industry.enterprises_supported"),
        "labour": report.figure("industry.labor_absorbed"),
    }
    if available(report, "industry.enterprises_supported", "industry.labor_absorbed"):
        out.append(
            _(
                "With the support of poverty relief loan discounts, %(enterprises)s leading enterprises absorbed "
                "%(labour)s labourers from poor families."
            )
            % supported
        )
    elif available(report, "industry.enterprises_supported"):
        out.append(_("Poverty relief loan discounts supported %(enterprises)s leading enterprises.") % supported)
    if available(report, "industry.base_villages", "industry.base_poor_households"):
        out.append(
            _("The industrialization bases covered %(villages)s poor villages and %(households)s poor households.")
            % {
                "villages": report.figure("industry.base_villages"),
                "households": report.figure("industry.base_poor_households"),
            }
        )
    if available(report, "industry.discount_subsidy", "industry.loans"):
        out.append(
            _(
                "Leading enterprises received %(subsidy)s yuan of loan discount subsidy, and financial institutions "
                "were guided to lend them %(loans)s yuan."
            )
            % {"subsidy": report.figure("industry.discount_subsidy"), "loans": report.figure("industry.loans")}
        )
    increase = report.value("industry.income_increase_per_household")
    if increase is not None and increase >= 0:
        out.append(
            _("The households linked to the bases increased their income by %(yuan)s yuan per household.")
            % {"yuan": report.figure("industry.income_increase_per_household")}
        )
    elif increase is not None:
        out.append(
            _("The income of the households linked to the bases fell by %(yuan)s yuan per household.")
            % {"yuan": fmt(-increase)}
        )
    return out
