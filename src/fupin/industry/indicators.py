"""The indicators of the section ``industrialization`` (indicators.csv) that the records
of leading enterprises give: new enterprises, the poor villages and poor households their
production bases cover, and the income increase of the linked households. (The loans part
of the credit app computes the supported enterprises, their loans, discounts and the
labour they absorbed.)

A base covers in a year when it was established by then; a household is linked in the
year when its link was made by the year's end. A household counts where it lives, a
village where it is; an enterprise in its county."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.indicators import count
from fupin.analytics.registry import computes
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
