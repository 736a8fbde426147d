"""Closing and reopening goals (rule G4: anyone who may edit a goal asks, a TAT
administrator closes it once every TA activity under it is closed or cancelled, with an
explanatory note; C1 versions; AU1 history and status-change rows).

Goal status and closure-request status change only through the two tables below.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.concurrency import check_version, lock_for_update
from core.notifications import notification_send
from core.services import StateMachine, save_tracked
from goals import selectors
from goals.models import Goal, GoalClosureRequest, GoalNote
from goals.services.common import OpenActivitiesRemain, active_admins, goal_name
from goals.services.messages import (
    CLOSE_NOTE_REQUIRED,
    CLOSURE_ALREADY_PENDING,
    CLOSURE_REASON_REQUIRED,
    CLOSURE_REQUEST_NOT_PENDING,
    CLOSURE_REQUEST_OTHER_GOAL,
    DECLINE_NOTE_REQUIRED,
    GOAL_NOT_CLOSED,
    GOAL_NOT_OPEN,
    REOPEN_REASON_REQUIRED,
)

GOAL_STATUS = StateMachine(
    field="status",
    allowed={
        Goal.Status.OPEN: frozenset({Goal.Status.CLOSED}),
        Goal.Status.CLOSED: frozenset({Goal.Status.OPEN}),
    },
    labels=Goal.Status,
    error_field=NON_FIELD_ERRORS,
)
CLOSURE_REQUEST_STATUS = StateMachine(
    field="status",
    allowed={
        GoalClosureRequest.Status.PENDING: frozenset(
            {GoalClosureRequest.Status.APPROVED, GoalClosureRequest.Status.DECLINED}
        ),
    },
    labels=GoalClosureRequest.Status,
)


def _check_pending(request: GoalClosureRequest, target: str, error_field: str) -> None:
    CLOSURE_REQUEST_STATUS.check(
        request,
        target,
        message=CLOSURE_REQUEST_NOT_PENDING.format(status=request.get_status_display()),
        error_field=error_field,
    )


@transaction.atomic
def goal_request_closure(*, actor: User, goal: Goal, reason: str) -> GoalClosureRequest:
    """G4: anyone who may edit the goal asks the administrators to close it, with a reason.

    One pending request per goal; the administrators are notified.
    """
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.request_goal_closure", goal)
    GOAL_STATUS.check(goal, Goal.Status.CLOSED, message=GOAL_NOT_OPEN)
    if not (reason or "").strip():
        raise ValidationError({"reason": CLOSURE_REASON_REQUIRED})
    pending = (
        goal.closure_requests.filter(status=GoalClosureRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    if pending is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: CLOSURE_ALREADY_PENDING.format(
                    who=pending.requested_by, when=timezone.localtime(pending.requested_at)
                )
            }
        )
    request = GoalClosureRequest(goal=goal, reason=reason.strip(), requested_by=actor)
    save_tracked(request, actor=actor)

    message = f"{actor} asks to close the goal {goal_name(goal)} (goal #{goal.pk})."
    for admin in active_admins().exclude(pk=actor.pk):
        notification_send(recipient=admin, message=message, link=reverse("goals:closure_queue"))
    return request


def _decide_request(
    request: GoalClosureRequest, actor: User, status: str, note: str
) -> GoalClosureRequest:
    label = CLOSURE_REQUEST_STATUS.label(status)
    CLOSURE_REQUEST_STATUS.apply(
        request,
        status,
        actor=actor,
        reason=note,
        history_reason=f"Request {label.lower()}",
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    if request.requested_by_id != actor.pk:
        notification_send(
            recipient=request.requested_by,
            message=(
                f"Your request to close the goal {goal_name(request.goal)} "
                f"(goal #{request.goal_id}): {request.get_status_display()}. {note}"
            ),
            link=request.goal.get_absolute_url(),
        )
    return request


def goal_close_check(*, goal: Goal, note: str) -> None:
    """G4: refuse what `goal_close` would refuse for this goal and note — not open, no
    note, or open TA activities (OpenActivitiesRemain); for forms that validate first."""
    GOAL_STATUS.check(goal, Goal.Status.CLOSED, message=GOAL_NOT_OPEN)
    if not (note or "").strip():
        raise ValidationError({"note": CLOSE_NOTE_REQUIRED})
    open_activities = list(selectors.open_activities_of_goal(goal))
    if open_activities:
        raise OpenActivitiesRemain(open_activities)


@transaction.atomic
def goal_close(
    *,
    actor: User,
    goal: Goal,
    note: str,
    closure_request: GoalClosureRequest | None = None,
    expected_version: int | None = None,
) -> Goal:
    """G4: an administrator closes a goal whose activities are all closed or cancelled.

    The explanatory `note` becomes a completion note; the status change is recorded; the
    pending closure request (the one given, or the goal's pending one) is approved.
    Raises OpenActivitiesRemain (with `open_activities`) while any activity is open.
    """
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.close_goal", goal)
    check_version(goal, expected_version)
    GOAL_STATUS.check(goal, Goal.Status.CLOSED, message=GOAL_NOT_OPEN)
    if not (note or "").strip():
        raise ValidationError({"note": CLOSE_NOTE_REQUIRED})
    note = note.strip()

    if closure_request is not None:
        closure_request = lock_for_update(GoalClosureRequest, closure_request.pk)
        if closure_request.goal_id != goal.pk:
            raise ValidationError({"closure_request": CLOSURE_REQUEST_OTHER_GOAL})
        _check_pending(closure_request, GoalClosureRequest.Status.APPROVED, "closure_request")
    else:
        closure_request = (
            GoalClosureRequest.objects.select_for_update()
            .filter(goal=goal, status=GoalClosureRequest.Status.PENDING)
            .first()
        )

    open_activities = list(selectors.open_activities_of_goal(goal))
    if open_activities:
        raise OpenActivitiesRemain(open_activities)

    completion = GoalNote(goal=goal, kind=GoalNote.Kind.COMPLETION, text=note, author=actor)
    save_tracked(completion, actor=actor)
    GOAL_STATUS.apply(
        goal,
        Goal.Status.CLOSED,
        actor=actor,
        reason=note,
        history_reason="Goal closed",
        changes={"closed_at": timezone.now(), "closed_by": actor},
    )
    if closure_request is not None:
        _decide_request(closure_request, actor, GoalClosureRequest.Status.APPROVED, note)
    return goal


@transaction.atomic
def goal_closure_decline(
    *, actor: User, request: GoalClosureRequest, note: str
) -> GoalClosureRequest:
    """G4: an administrator declines a pending closure request, saying why."""
    request = lock_for_update(GoalClosureRequest, request.pk)
    require(actor, "goals.close_goal", request.goal)
    _check_pending(request, GoalClosureRequest.Status.DECLINED, NON_FIELD_ERRORS)
    if not (note or "").strip():
        raise ValidationError({"note": DECLINE_NOTE_REQUIRED})
    return _decide_request(request, actor, GoalClosureRequest.Status.DECLINED, note.strip())


def goal_reopen_check(*, goal: Goal, reason: str) -> None:
    """Refuse what `goal_reopen` would refuse: the goal is open, or no reason is given."""
    GOAL_STATUS.check(goal, Goal.Status.OPEN, message=GOAL_NOT_CLOSED)
    if not (reason or "").strip():
        raise ValidationError({"reason": REOPEN_REASON_REQUIRED})


@transaction.atomic
def goal_reopen(
    *, actor: User, goal: Goal, reason: str, expected_version: int | None = None
) -> Goal:
    """An administrator reopens a closed goal; the reason is kept as an update note and
    on the status-change row."""
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.close_goal", goal)
    check_version(goal, expected_version)
    goal_reopen_check(goal=goal, reason=reason)
    reason = reason.strip()
    GOAL_STATUS.apply(
        goal,
        Goal.Status.OPEN,
        actor=actor,
        reason=reason,
        history_reason="Goal reopened",
        changes={"closed_at": None, "closed_by": None},
    )
    reopen_note = GoalNote(
        goal=goal, kind=GoalNote.Kind.UPDATE, text=f"Goal reopened: {reason}", author=actor
    )
    save_tracked(reopen_note, actor=actor)
    return goal
