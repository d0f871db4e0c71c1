"""The indicators of the section ``training`` (indicators.csv), from the training snapshot
tables. A class counts where it is held (``class_area_code``), as the county targets do;
a year's trainees are those who completed in it, its participants those of the classes
that ended in it."""

from __future__ import annotations

import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes
from fupin.training.choices import ClassType, EnrolmentStatus


def _enrolments(scope: Scope, class_type: str) -> ir.Table:
    enrolments = scope.under(scope.tables["training_enrolments"], "class_area_code")
    return enrolments.filter(enrolments.class_type == class_type)


def transfer_trainees(scope: Scope) -> ir.Table:
    """Enrolments completing a labour-transfer class in the year."""
    e = _enrolments(scope, ClassType.LABOUR_TRANSFER)
    return e.filter(
        (e.status == EnrolmentStatus.COMPLETED)
        & (e.completed_on.year() == scope.year)
        & (e.completed_on <= scope.year_end)
    )


def transferred_trainees(scope: Scope) -> ir.Table:
    """Those of them with a transfer to employment starting in the year."""
    trainees = transfer_trainees(scope)
    transfers = scope.tables["training_transfers"]
    transfers = transfers.filter((transfers.start_date.year() == scope.year) & (transfers.start_date <= scope.year_end))
    return trainees.semi_join(transfers, trainees.id == transfers.enrolment_id)


def _participants(scope: Scope, class_type: str) -> ir.Table:
    e = _enrolments(scope, class_type)
    return e.filter(e.class_end.year() == scope.year)


@computes("training.transfer.trained")
def trained(scope: Scope) -> ir.Scalar:
    return transfer_trainees(scope).person_id.nunique()


@computes("training.transfer.transferred")
def transferred(scope: Scope) -> ir.Scalar:
    return transferred_trainees(scope).person_id.nunique()


@computes("training.transfer.plan_completion")
def plan_completion(scope: Scope) -> float | None:
    """Transferred over the year's transfer target of the scope's area (the province's
    plan for the province) times 100; not available without a target."""
    targets = scope.tables["training_targets"]
    mine = targets.filter((targets.area_code == scope.area_code) & (targets.year == scope.year))
    target = scope.con.execute(mine.transferred.sum())
    if target is None or target != target or not target:  # none, NaN or 0
        return None
    done = scope.con.execute(transferred_trainees(scope).person_id.nunique())
    return float(done) * 100.0 / float(target)


@computes("training.whole_village.trained")
def whole_village(scope: Scope) -> ir.Scalar:
    return _participants(scope, ClassType.WHOLE_VILLAGE).person_id.nunique()


@computes("training.leaders.trained")
def leaders(scope: Scope) -> ir.Scalar:
    """Participants of leaders classes who live in a village of the year's batch of entire
    village advancement."""
    e = _participants(scope, ClassType.LEADERS)
    plans = scope.tables["village_plans"]
    batch = plans.filter((plans.batch_start <= scope.year) & (plans.batch_end >= scope.year))
    return e.semi_join(batch, e.village_code == batch.village_code).person_id.nunique()
