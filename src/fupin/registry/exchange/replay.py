"""Every household's status events replayed through the workflow
(``fupin.registry.workflow``) with column expressions, a whole package at once."""

from __future__ import annotations

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

from fupin.registry.choices import Action, Status
from fupin.registry.workflow import OUTCOME, STARTS_FROM, STEPS

# the stage after each action; an objection's depends on the stage it interrupts
# plain str, not the TextChoices members: Polars would make an Enum type of those
_STAGE_AFTER = {
    str(a): str(next(iter(set(step.moves.values())))) for a, step in STEPS.items() if a != str(Action.OBJECT)
}
_OBJECTION_BACK = {str(k): str(v) for k, v in STEPS[str(Action.OBJECT)].moves.items()}
_OUTCOME = {str(k): str(v) for k, v in OUTCOME.items()}
_STARTS_FROM = {str(k): str(v) for k, v in STARTS_FROM.items()}
_ALLOWED = pl.DataFrame(
    [(str(a), str(before)) for a, step in STEPS.items() for before in step.moves],
    schema={"action": pl.String, "stage_before": pl.String},
    orient="row",
).with_columns(pl.lit(True).alias("_legal"))


def replay(events: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Replay every household's steps through the workflow (``registry.workflow``) with
    column expressions: the stages and statuses before and after each step, and the
    problems found as (line, column, reason). Only the first illegal step of a household
    is reported, since everything after it follows from it."""
    hh = "household"
    ev = events.sort(hh, "seq").with_columns(
        (pl.int_range(pl.len()).over(hh) + 1).alias("_rn"),
        pl.col("seq").cast(pl.String),
        pl.col("action").replace_strict(_STAGE_AFTER, default=None).alias("stage_after"),
    )
    first = pl.col("_rn") == 1
    for _round in range(32):  # an objection's stage comes from the step before it; chains of them are short
        before = pl.when(first).then(pl.lit("")).otherwise(pl.col("stage_after").shift(1).over(hh))
        ev = ev.with_columns(before.alias("stage_before")).with_columns(
            pl.when(pl.col("action") == str(Action.OBJECT))
            .then(pl.col("stage_before").replace_strict(_OBJECTION_BACK, default="?"))
            .otherwise(pl.col("stage_after"))
            .alias("stage_after")
        )
        if ev.filter(pl.col("stage_after").is_null() | pl.col("stage_before").is_null()).height == 0:
            break
    last_apply = pl.when(pl.col("action") == str(Action.APPLY)).then(pl.col("procedure")).forward_fill().over(hh)
    outcome = pl.when(pl.col("action") == str(Action.APPROVE)).then(
        pl.col("procedure").replace_strict(OUTCOME, default=None)
    )
    ev = ev.with_columns(
        last_apply.alias("_open"),
        outcome.forward_fill().over(hh).fill_null(str(Status.NON_POOR)).alias("status_after"),
        ((pl.col("action") == str(Action.APPROVE)) & (pl.col("procedure") == "return"))
        .cast(pl.Int8)
        .cum_max()
        .over(hh)
        .cast(pl.String)
        .alias("returned"),
        pl.col("date").shift(1).over(hh).alias("_prev_date"),
        pl.col("action").shift(1).over(hh).alias("_prev_action"),
    ).with_columns(
        pl.when(first)
        .then(pl.lit(str(Status.NON_POOR)))
        .otherwise(pl.col("status_after").shift(1).over(hh))
        .alias("status_before"),
        pl.when(pl.col("stage_after") != "").then(pl.col("_open")).otherwise(pl.lit("")).alias("open_procedure"),
    )
    ev = ev.join(_ALLOWED, on=["action", "stage_before"], how="left")
    starts = pl.col("procedure").replace_strict(_STARTS_FROM, default=None)
    illegal = (
        pl.col("_legal").is_null()
        | ((pl.col("action") == str(Action.APPLY)) & starts.ne_missing(pl.col("status_before")))
        | ((pl.col("action") != str(Action.APPLY)) & pl.col("procedure").ne_missing(pl.col("_open")))
    )
    ev = ev.with_columns(illegal.alias("_illegal"))
    ev = ev.with_columns(
        (pl.col("_illegal") & (pl.col("_illegal").cast(pl.Int32).cum_sum().over(hh) == 1)).alias("_first_illegal")
    )
    days = (pl.col("date").str.to_date() - pl.col("_prev_date").str.to_date()).dt.total_days()
    notice = pl.col("_prev_action").is_in([str(Action.FIRST_NOTICE), str(Action.SECOND_NOTICE)]) & pl.col(
        "action"
    ).is_in([str(Action.REVIEW), str(Action.APPROVE)])
    checks = [
        (
            pl.col("seq") != pl.col("_rn").cast(pl.String),
            "seq",
            pl.lit(_("steps must be numbered 1, 2, 3… without gaps")),
        ),
        (
            pl.col("_first_illegal"),
            "action",
            pl.format(
                _("“{}” of {} is not possible here (stage “{}”, status “{}”)"),
                pl.col("action"),
                pl.col("procedure"),
                pl.when(pl.col("stage_before") == "").then(pl.lit("-")).otherwise(pl.col("stage_before")),
                pl.col("status_before"),
            ),
        ),
        (pl.col("date") < pl.col("_prev_date"), "date", pl.lit(_("a step cannot be dated before the previous step"))),
        (
            notice & (days < settings.FUPIN_NOTICE_DAYS),
            "date",
            pl.lit(
                _("the public notice must stand %(days)s days before this step") % {"days": settings.FUPIN_NOTICE_DAYS}
            ),
        ),
    ]
    problems = pl.concat(
        [
            ev.filter(mask.fill_null(False)).select(
                pl.col("_line"), pl.lit(col).alias("column"), reason.alias("reason")
            )
            for mask, col, reason in checks
        ]
    ).sort("_line")
    return ev, problems
