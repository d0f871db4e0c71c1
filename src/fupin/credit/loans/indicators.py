"""The indicators of the section ``loan_discount`` and four of ``industrialization``
(indicators.csv), from the discounted loans' snapshot tables.

- A loan counts where its borrower lies (``area_code``: the household's village, the
  enterprise's county, the project's area).
- "Paid in the year" is the date the discount's payment left the ledger; "holding a
  discounted loan in the year" is a loan with a discount for the year.
- A poor household is one poor at the year's end (``Scope.status_at``), as the registry's
  ``poor.households`` reads it.
- ``industry.labor_absorbed`` joins industry's ``enterprise_employments``: it is registered
  only when that table is (before the industry app registers it, the report shows it as not
  recorded, with the section's reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.analytics import registry
from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes, sentences
from fupin.credit.loans.choices import BorrowerKind
from fupin.programs.indicators import join_list, nothing_recorded


def _discounts(scope: Scope) -> ir.Table:
    return scope.under(scope.tables["discounts"], "area_code")


def paid_in_year(scope: Scope) -> ir.Table:
    d = _discounts(scope)
    return d.filter((d.paid_on.year() == scope.year) & (d.paid_on <= scope.year_end))


def of_year(scope: Scope) -> ir.Table:
    d = _discounts(scope)
    return d.filter(d.year == scope.year)


def poor_borrowers(scope: Scope) -> ir.Table:
    """The poor households (at the year's end) with a discounted loan in the year."""
    d = of_year(scope)
    d = d.filter(d.kind == BorrowerKind.HOUSEHOLD)
    households = scope.status_at()
    poor = households.filter(households.status == "poor")
    return poor.semi_join(d, poor.id == d.household_id)


@computes("discount.funds")
def funds(scope: Scope) -> ir.Scalar:
    return paid_in_year(scope).amount.sum().fill_null(0)


@computes("discount.poor_households")
def poor_households(scope: Scope) -> ir.Scalar:
    return poor_borrowers(scope).id.nunique()


@computes("discount.villages")
def villages(scope: Scope) -> ir.Scalar:
    return poor_borrowers(scope).village_code.nunique()


@computes("discount.enterprises")
def enterprises(scope: Scope) -> ir.Scalar:
    d = of_year(scope)
    return d.filter(d.kind == BorrowerKind.ENTERPRISE).enterprise_id.nunique()


@computes("discount.projects")
def projects(scope: Scope) -> ir.Scalar:
    d = of_year(scope)
    return d.filter(d.kind == BorrowerKind.PROJECT).project_id.nunique()


def supported_paid(scope: Scope) -> ir.Table:
    d = paid_in_year(scope)
    return d.filter(d.kind == BorrowerKind.ENTERPRISE)


@computes("industry.enterprises_supported")
def enterprises_supported(scope: Scope) -> ir.Scalar:
    return supported_paid(scope).enterprise_id.nunique()


@computes("industry.discount_subsidy")
def discount_subsidy(scope: Scope) -> ir.Scalar:
    return supported_paid(scope).amount.sum().fill_null(0)


@computes("industry.loans")
def enterprise_loans(scope: Scope) -> ir.Scalar:
    loans = scope.under(scope.tables["discount_loans"], "area_code")
    drawn = loans.filter(
        (loans.kind == BorrowerKind.ENTERPRISE)
        & (loans.drawn_on.year() == scope.year)
        & (loans.drawn_on <= scope.year_end)
    )
    return drawn.principal.sum().fill_null(0)


def labor_absorbed(scope: Scope) -> ir.Scalar | None:
    """Distinct persons employed in the year by an enterprise with a discount paid in the
    year, whose household was poor at the year's end."""
    employments = scope.tables.get("enterprise_employments")
    if employments is None:
        return None
    first = ibis.literal(dt.date(scope.year, 1, 1))
    running = employments.filter(
        (employments.start_date <= scope.year_end) & (employments.end_date.isnull() | (employments.end_date >= first))
    )
    supported = supported_paid(scope).select("enterprise_id").distinct()
    running = running.semi_join(supported, running.enterprise_id == supported.enterprise_id)
    households = scope.status_at()
    poor = households.filter(households.status == "poor").select(poor_id="id")
    running = running.semi_join(poor, running.household_id == poor.poor_id)
    return running.person_id.nunique()


# computed once industry registers its employments (its snapshot module runs before this one)
if "enterprise_employments" in registry.TABLES:
    computes("industry.labor_absorbed")(labor_absorbed)


@sentences("loan_discount")
def loan_discount_sentences(report: Any) -> list[str]:
    """The seed's paragraph of the loan discount reform: the discount funds allocated and
    whom they covered (poor households and their villages, leading enterprises, projects)."""
    if nothing_recorded(report, "loan_discount"):
        return [
            _("No discounted loan is recorded in %(area)s for %(year)s.")
            % {"area": report.area_name(), "year": report.year}
        ]
    covered = []
    households = int(report.value("discount.poor_households") or 0)
    if households and report.value("discount.villages") is not None:
        covered.append(
            _("%(households)s in %(villages)s")
            % {
                "households": ngettext("%(n)s poor household", "%(n)s poor households", households)
                % {"n": report.figure("discount.poor_households")},
                "villages": ngettext("%(n)s village", "%(n)s villages", int(report.value("discount.villages") or 0))
                % {"n": report.figure("discount.villages")},
            }
        )
    if report.value("discount.enterprises"):
        covered.append(
            ngettext(
                "%(n)s poverty alleviation leading enterprise",
                "%(n)s poverty alleviation leading enterprises",
                int(report.value("discount.enterprises") or 0),
            )
            % {"n": report.figure("discount.enterprises")}
        )
    if report.value("discount.projects"):
        covered.append(
            ngettext("%(n)s pro-poor project", "%(n)s pro-poor projects", int(report.value("discount.projects") or 0))
            % {"n": report.figure("discount.projects")}
        )
    if report.value("discount.funds") is None:
        return []
    funds = {"funds": report.figure("discount.funds"), "covered": join_list(covered)}
    if covered:
        return [_("A total of %(funds)s yuan of loan discount funds was allocated, covering %(covered)s.") % funds]
    return [_("A total of %(funds)s yuan of loan discount funds was allocated.") % funds]
