"""Builders of programs and funds for the API, page and browser tests: every record is
made through the services, as a user would make it."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.programs import services
from fupin.programs.models import Batch, Project, VillagePlan

PROVINCE = "230000000000"
_codes = itertools.count(1)


def batch(actor: Any, number: int = 4, start: int = 2008, end: int = 2009) -> Batch:
    existing = Batch.objects.filter(number=number).first()
    if existing is not None:
        return existing
    return services.batch_create(
        actor=actor, number=number, name=f"第{number}批整村推进", start_year=start, end_year=end
    )


def plan(actor: Any, village: str, number: int = 4, investment: str = "860000") -> VillagePlan:
    return services.plan_create(
        actor=actor, batch=batch(actor, number), village_code=village, planned_investment=investment
    )


def project(
    actor: Any,
    area: str,
    *,
    plan: VillagePlan | None = None,
    name: str = "修建村屯道路",
    program: str | None = None,
    category: str = "infrastructure",
    budget: str = "300000",
    code: str | None = None,
) -> Project:
    return services.project_create(
        actor=actor,
        data=services.ProjectData(
            code=code or f"P{area[:6]}-{next(_codes):04d}",
            name=name,
            program=program or ("village_advancement" if plan is not None else "industry"),
            category=category,
            area_code=area,
            start_year=2008,
            end_year=2009,
            budget=budget,
            plan=plan,
        ),
    )


def fund(actor: Any, target: Project, amount: str, *, source: str = "central", year: int = 2009) -> None:
    """Appropriate ``amount`` to the province and allocate it from there to the project's
    county, and from the county to the project."""
    province = AdminArea.objects.get(code=PROVINCE)
    county = AdminArea.objects.get(code=target.area.code[:6] + "000000")
    on = dt.date(year, 3, 1)
    funds.appropriate(actor=actor, area=province, source=source, year=year, amount=amount, on=on)
    funds.allocate(actor=actor, from_area=province, to_area=county, source=source, year=year, amount=amount, on=on)
    funds.allocate(actor=actor, from_area=county, project=target, source=source, year=year, amount=amount, on=on)


def fund_direct(actor: Any, target: Project, amount: str, *, source: str = "central", year: int = 2009) -> None:
    """Appropriate ``amount`` to the province and allocate it from there straight to the
    project: the only entries in the project's county are then its own disbursements."""
    province = AdminArea.objects.get(code=PROVINCE)
    on = dt.date(year, 3, 1)
    funds.appropriate(actor=actor, area=province, source=source, year=year, amount=amount, on=on)
    funds.allocate(actor=actor, from_area=province, project=target, source=source, year=year, amount=amount, on=on)


def money(value: Any) -> Decimal:
    return Decimal(str(value))
