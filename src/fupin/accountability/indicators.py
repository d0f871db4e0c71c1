"""The indicators of the section ``measures`` (indicators.csv) and its sentences: the
cities that assess their departments and counties on poverty alleviation (a recorded
assessment of the year by a prefecture-level city, draft or run) and the counties fostered
as typical models (a typical model of kind county of the year). A city counts where it is,
a county where it is: a county's report shows no assessing city."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
from django.utils.translation import gettext as _

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes, sentences


@computes("accountability.cities_assessing")
def cities_assessing(scope: Scope) -> ir.Scalar:
    assessments = scope.under(scope.tables["accountability_assessments"], "area_code")
    cities = assessments.filter((assessments.area_level == "city") & (assessments.year == scope.year))
    return cities.area_code.nunique()


@computes("accountability.model_counties")
def model_counties(scope: Scope) -> ir.Scalar:
    models = scope.under(scope.tables["typical_models"], "area_code")
    counties = models.filter((models.kind == "county") & (models.year == scope.year))
    return counties.area_code.nunique()


@sentences("measures")
def _measures(report: Any) -> list[str]:  # an AnnualReport
    out = []
    v, f = report.value, report.figure
    if v("evap.funds.integrated_total") is not None and v("evap.funds.avg_per_village") is not None:
        out.append(
            _(
                "A fund integration mechanism was established: in the whole year %(funds)s yuan was integrated for "
                "entire village advancement, %(average)s yuan per village on average."
            )
            % {"funds": f("evap.funds.integrated_total"), "average": f("evap.funds.avg_per_village")}
        )
    if v("evap.labor_participants") is not None:
        out.append(
            _(
                "A mechanism for the public to take part was established: in the villages of entire village "
                "advancement, %(people)s people took part by labour inputs."
            )
            % {"people": f("evap.labor_participants")}
        )
    cities = report.value("accountability.cities_assessing")
    if cities is not None:
        out.append(
            _(
                "A working implementation responsibility mechanism was established: the counties (cities) set up "
                "a responsibility system for poverty alleviation and development work, with responsible leaders, "
                "implementing units, responsibilities and tasks; %(cities)s cities included poverty alleviation and "
                "development, as well as fixed-point poverty reduction, in the target assessment of their "
                "departments and counties (cities)."
            )
            % {"cities": report.figure("accountability.cities_assessing")}
        )
    if v("training.leaders.trained") is not None:
        out.append(
            _(
                "Under the Rain Plan, %(people)s village party secretaries, village committee directors and business "
                "leaders were trained."
            )
            % {"people": f("training.leaders.trained")}
        )
    if all(v(i) is not None for i in ("industry.discount_subsidy", "industry.enterprises_supported", "industry.loans")):
        out.append(
            _(
                "Leading enterprises were fostered: %(subsidy)s yuan of loan discount subsidy went to %(enterprises)s "
                "poverty alleviation leading enterprises, and financial institutions lent them %(loans)s yuan."
            )
            % {
                "subsidy": f("industry.discount_subsidy"),
                "enterprises": f("industry.enterprises_supported"),
                "loans": f("industry.loans"),
            }
        )
    counties = report.value("accountability.model_counties")
    if counties is not None:
        out.append(
            _(
                "Poverty alleviation and development was promoted under the leadership of typical models: "
                "%(counties)s county(ies) were fostered as models of high-standard entire village advancement, "
                "and their experience was spread through on-the-spot promotion meetings."
            )
            % {"counties": report.figure("accountability.model_counties")}
        )
    return out
