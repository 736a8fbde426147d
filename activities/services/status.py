"""TA activity status (rule A7): planning in progress, approved, on hold, denied — moved
along `STATUS_TRANSITIONS`; marking approved records who and when (COR approval). Open
activities only (A13); a stale version is a conflict (C1).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities.models import ActivityStatus, TAActivity
from activities.services._common import clean_text, lock_activity, require_open
from activities.services.messages import STATUS_INVALID, STATUS_NOT_ALLOWED, STATUS_UNCHANGED
from core.concurrency import check_version
from core.services import StateMachine

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
) -> TAActivity:
    """A7: move the TA activity status along `STATUS_TRANSITIONS`, one StatusChange row each.

    Marking approved needs the approve permission (federal viewers hold it) and records
    `approved_by` and `approved_at`; leaving approved keeps them (the StatusChange rows
    keep the full story). A no-op transition is refused. Open activities only (A13).
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
    approval = (
        {"approved_by": actor, "approved_at": timezone.now()}
        if status == ActivityStatus.APPROVED
        else {}
    )
    ACTIVITY_STATUS.apply(
        activity, status, actor=actor, reason=clean_text(reason), changes=approval
    )
    return activity
