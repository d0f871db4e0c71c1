"""The indicators of the section ``training`` (indicators.csv), from the training snapshot
tables. A class counts where it is held (``class_area_code``), as the county targets do;
a year's trainees are those who completed in it, its participants those of the classes
that ended in it."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.analytics.engine import Scope
from fupin.analytics.registry import computes, sentences
from fupin.programs.indicators import available, nothing_recorded
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


@sentences("training")
def training_sentences(report: Any) -> list[str]:
    """The seed's paragraph of training: the transfer training bases' trainees, those
    transferred to employment and the plan completed; whole-village training; the batch
    villages' leaders trained."""
    if nothing_recorded(report, "training"):
        return [
            _("No training is recorded in %(area)s for %(year)s.") % {"area": report.area_name(), "year": report.year}
        ]
    out = []
    if available(report, "training.transfer.trained", "training.transfer.transferred"):
        figures = {
            "trained": report.figure("training.transfer.trained"),
            "transferred": report.figure("training.transfer.transferred"),
            "completion": report.figure("training.transfer.plan_completion"),
        }
        if available(report, "training.transfer.plan_completion"):
            text = _(
                "The labour transfer training bases trained %(trained)s people in the year, of whom %(transferred)s "
                "were transferred to employment, %(completion)s%% of the annual plan."
            )
        else:
            text = _(
                "The labour transfer training bases trained %(trained)s people in the year, of whom %(transferred)s "
                "were transferred to employment."
            )
        out.append(text % figures)
    if available(report, "training.whole_village.trained"):
        out.append(
            ngettext(
                "Whole-village training reached %(people)s person.",
                "Whole-village training reached %(people)s people.",
                int(report.value("training.whole_village.trained") or 0),
            )
            % {"people": report.figure("training.whole_village.trained")}
        )
    if available(report, "training.leaders.trained"):
        out.append(
            ngettext(
                "Training for the party secretaries, village committee directors and business leaders of the "
                "villages of the year's batch reached %(people)s person.",
                "Training for the party secretaries, village committee directors and business leaders of the "
                "villages of the year's batch reached %(people)s people.",
                int(report.value("training.leaders.trained") or 0),
            )
            % {"people": report.figure("training.leaders.trained")}
        )
    return out
