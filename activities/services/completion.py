"""Completion (rules A12, A13): an activity is open, closed or cancelled, moved along
`COMPLETION_TRANSITIONS`. Closing needs a completion date (not before the date opened, not
in the future) and an outcome report; cancelling is refused once TA was delivered; a closed
or cancelled activity is read-only (except feedback) until an administrator or its primary
staff reopens it. Each move writes a StatusChange row; a stale version is a conflict (C1).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.permissions import require
from activities.models import CompletionStatus, TAActivity
from activities.services._common import clean_text, lock_activity, require_open, today
from activities.services.messages import (
    ALREADY_OPEN,
    CANCEL_AFTER_DELIVERY,
    COMPLETION_DATE_BEFORE_OPENED,
    COMPLETION_DATE_FUTURE,
    COMPLETION_DATE_REQUIRED,
    OUTCOME_REPORT_REQUIRED,
    REASON_REQUIRED,
)
from activities.services.tracking import require_tracking
from core.concurrency import check_version
from core.services import FieldErrors, StateMachine

COMPLETION_TRANSITIONS: dict[str, frozenset[str]] = {
    CompletionStatus.OPEN: frozenset({CompletionStatus.CLOSED, CompletionStatus.CANCELLED}),
    CompletionStatus.CLOSED: frozenset({CompletionStatus.OPEN}),
    CompletionStatus.CANCELLED: frozenset({CompletionStatus.OPEN}),
}
COMPLETION_STATUS = StateMachine(
    field="completion_status",
    allowed=COMPLETION_TRANSITIONS,
    labels=CompletionStatus,
    verbose_name="completion status",
)


def outcome_report_missing(outcome_report: str | None) -> bool:
    """A12: closing needs a State/Territory outcome report (blank text is none)."""
    return not clean_text(outcome_report)


@transaction.atomic
def activity_close(
    *,
    actor: User,
    activity: TAActivity,
    completion_date: dt.date | None,
    outcome_report: str,
    expected_version: int | None = None,
) -> TAActivity:
    """A12: close an activity with its completion date and outcome report.

    The completion date is required, not before the date opened and not in the future;
    the outcome report is required; tracking must be available (A9). Writes a
    StatusChange row. Afterwards the activity is read-only until reopened (A13).
    """
    activity = lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    require_open(activity)
    require_tracking(activity)
    errors = FieldErrors()
    if completion_date is None:
        errors.add("completion_date", COMPLETION_DATE_REQUIRED)
    elif completion_date > today():
        errors.add("completion_date", COMPLETION_DATE_FUTURE)
    elif completion_date < activity.date_opened:
        errors.add(
            "completion_date",
            COMPLETION_DATE_BEFORE_OPENED.format(opened=f"{activity.date_opened:%m/%d/%Y}"),
        )
    if outcome_report_missing(outcome_report):
        errors.add("outcome_report", OUTCOME_REPORT_REQUIRED)
    outcome_report = clean_text(outcome_report)
    errors.raise_if_any()
    activity.outcome_report = outcome_report
    COMPLETION_STATUS.apply(
        activity,
        CompletionStatus.CLOSED,
        actor=actor,
        changes={"completion_date": completion_date},
    )
    return activity


@transaction.atomic
def activity_cancel(
    *, actor: User, activity: TAActivity, reason: str, expected_version: int | None = None
) -> TAActivity:
    """A12: cancel an activity the requester no longer needs, with the reason.

    Refused once any TA was delivered (a summary exists): the error, on field
    `completion_status`, says to use Closed instead. The completion date records the day
    it was cancelled. Writes a StatusChange row.
    """
    activity = lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    require_open(activity)
    if activity.summaries.exists():
        raise ValidationError({"completion_status": CANCEL_AFTER_DELIVERY})
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    COMPLETION_STATUS.apply(
        activity,
        CompletionStatus.CANCELLED,
        actor=actor,
        reason=reason,
        changes={"completion_date": today()},
    )
    return activity


@transaction.atomic
def activity_reopen(
    *, actor: User, activity: TAActivity, reason: str, expected_version: int | None = None
) -> TAActivity:
    """A13: reopen a closed or cancelled activity (administrators and its primary staff).

    The reason is required; the completion date is cleared (the outcome report is kept).
    Writes a StatusChange row.
    """
    activity = lock_activity(activity)
    require(actor, "activities.reopen_taactivity", activity)
    check_version(activity, expected_version)
    COMPLETION_STATUS.check(activity, CompletionStatus.OPEN, message=ALREADY_OPEN)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    COMPLETION_STATUS.apply(
        activity,
        CompletionStatus.OPEN,
        actor=actor,
        reason=reason,
        changes={"completion_date": None},
    )
    return activity
