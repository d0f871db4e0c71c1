"""The status lifecycle of a household, as data.

Identification, exit and return to poverty run through the same chain of steps:

    apply -> village appraisal -> first public notice -> township review
          -> second public notice -> county approval

County approval completes the procedure: identification makes the household poor
(registered, 建档立卡), exit makes it exited, return makes it poor again (flagged as
returned). An objection during a notice sends the case back to the review before that
notice (first notice: back to the village appraisal; second notice: back to the township
review). A reviewer may reject the case at their step, which closes it and leaves the
status as it was. A review after a notice may only happen once the notice has stood for
``settings.FUPIN_NOTICE_DAYS`` days.
"""

from __future__ import annotations

from dataclasses import dataclass

from fupin.core.choices import Role
from fupin.registry.choices import Action, Procedure, Stage, Status


@dataclass(frozen=True)
class Step:
    action: Action
    # stage before -> stage after ("" after means the procedure ends)
    moves: dict[str, str]
    # the office role needed, per stage before
    roles: dict[str, str]
    after_notice: bool = False
    completes: bool = False


STEPS: dict[str, Step] = {
    s.action: s
    for s in [
        Step(Action.APPLY, {Stage.NONE: Stage.APPLIED}, {Stage.NONE: Role.VILLAGE}),
        Step(Action.APPRAISE, {Stage.APPLIED: Stage.APPRAISED}, {Stage.APPLIED: Role.VILLAGE}),
        Step(Action.FIRST_NOTICE, {Stage.APPRAISED: Stage.NOTICE_1}, {Stage.APPRAISED: Role.VILLAGE}),
        Step(
            Action.REVIEW,
            {Stage.NOTICE_1: Stage.REVIEWED},
            {Stage.NOTICE_1: Role.TOWNSHIP},
            after_notice=True,
        ),
        Step(Action.SECOND_NOTICE, {Stage.REVIEWED: Stage.NOTICE_2}, {Stage.REVIEWED: Role.TOWNSHIP}),
        Step(
            Action.APPROVE,
            {Stage.NOTICE_2: Stage.NONE},
            {Stage.NOTICE_2: Role.COUNTY},
            after_notice=True,
            completes=True,
        ),
        Step(
            Action.OBJECT,
            {Stage.NOTICE_1: Stage.APPLIED, Stage.NOTICE_2: Stage.NOTICE_1},
            {Stage.NOTICE_1: Role.VILLAGE, Stage.NOTICE_2: Role.VILLAGE},
        ),
        Step(
            Action.REJECT,
            {Stage.APPLIED: Stage.NONE, Stage.NOTICE_1: Stage.NONE, Stage.NOTICE_2: Stage.NONE},
            {Stage.APPLIED: Role.VILLAGE, Stage.NOTICE_1: Role.TOWNSHIP, Stage.NOTICE_2: Role.COUNTY},
        ),
    ]
}

# The status a procedure starts from, and the one county approval gives.
STARTS_FROM: dict[str, str] = {
    Procedure.IDENTIFICATION: Status.NON_POOR,
    Procedure.EXIT: Status.POOR,
    Procedure.RETURN: Status.EXITED,
}
OUTCOME: dict[str, str] = {
    Procedure.IDENTIFICATION: Status.POOR,
    Procedure.EXIT: Status.EXITED,
    Procedure.RETURN: Status.POOR,
}


def available_actions(status: str, procedure: str, stage: str) -> list[str]:
    """The actions that are legal now (before role and scope checks)."""
    if not procedure:
        return [Action.APPLY] if any(s == status for s in STARTS_FROM.values()) else []
    return [a for a, step in STEPS.items() if a != Action.APPLY and stage in step.moves]


def procedures_open_to(status: str) -> list[str]:
    return [p for p, s in STARTS_FROM.items() if s == status]
