"""TA activity status (rule A7): planning in progress, approved, on hold, denied — moved
along `STATUS_TRANSITIONS`; marking approved records who and when (COR approval). Open
activities only (A13); a stale version is a conflict (C1).

Approvals on record (the guide, "Requesters" and "TA activity status"): an activity not
requested directly by the CCDF Administrator or his or her staff needs the CCDF
Administrator's or RPM's approval on record before it can be approved, and marking it
approved records the COR's name and approval date ("Once the COR approves the activity, it
is the responsibility of the National Center to document this in TAT").
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities.models import ActivityStatus, TAActivity
from activities.services._common import clean_text, lock_activity, require_open
from activities.services.messages import STATUS_INVALID, STATUS_NOT_ALLOWED, STATUS_UNCHANGED
from activities.services.tracking import refresh_tracking_flag
from activities.services.validation import approval_gaps
from core.concurrency import check_version
from core.services import FieldErrors, StateMachine

STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.PLANNING: frozenset(
        {ActivityStatus.APPROVED, ActivityStatus.ON_HOLD, ActivityStatus.DENIED}
    ),
    ActivityStatus.APPROVED: frozenset({ActivityStatus.PLANNING, ActivityStatus.ON_HOLD}),
    ActivityStatus.ON_HOLD: frozenset(
        {ActivityStatus.PLANNING, ActivityStatus.APPROVED, ActivityStatus.DENIED}
    ),
    ActivityStatus.DENIED: frozenset({ActivityStatus.PLANNING}),
}
ACTIVITY_STATUS = StateMachine(
    field="status",
    allowed=STATUS_TRANSITIONS,
    labels=ActivityStatus,
    verbose_name="TA activity status",
)


@transaction.atomic
def activity_set_status(
    *,
    actor: User,
    activity: TAActivity,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
    cor_name: str = "",
    cor_approval_date: dt.date | None = None,
) -> TAActivity:
    """A7: move the TA activity status along `STATUS_TRANSITIONS`, one StatusChange row each.

    Marking approved needs the approve permission (federal viewers hold it), the
    requester-side approval on record (`requested_by_ccdf_administrator`, or the CCDF
    Administrator's or RPM's role, name and date) and the COR's name and approval date (not
    in the future, not before the date opened); every gap is a field error and nothing is
    saved. It records `cor_name`, `cor_approval_date`, `approved_by` and `approved_at`;
    leaving approved keeps them (history and the StatusChange rows keep the full story).
    A no-op transition is refused. Open activities only (A13).
    """
    activity = lock_activity(activity)
    if status == ActivityStatus.APPROVED:
        require(actor, "activities.approve_taactivity", activity)
    else:
        require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    require_open(activity)
    if status not in ActivityStatus.values:
        raise ValidationError({"status": STATUS_INVALID})
    if status == activity.status:
        raise ValidationError(
            {"status": STATUS_UNCHANGED.format(status=activity.get_status_display())}
        )
    ACTIVITY_STATUS.check(activity, status, message=STATUS_NOT_ALLOWED)
    approval: dict[str, object] = {}
    if status == ActivityStatus.APPROVED:
        cor_name = clean_text(cor_name)
        errors = FieldErrors()
        approval_gaps(
            activity, cor_name=cor_name, cor_approval_date=cor_approval_date, errors=errors
        )
        errors.raise_if_any()
        approval = {
            "approved_by": actor,
            "approved_at": timezone.now(),
            "cor_name": cor_name,
            "cor_approval_date": cor_approval_date,
        }
    ACTIVITY_STATUS.apply(
        activity, status, actor=actor, reason=clean_text(reason), changes=approval
    )
    refresh_tracking_flag(activity)
    return activity
