"""Writes of the monthly review (R1): mark an activity reviewed for a month (and undo it),
send it back to its primary staff with a comment, and mark a send-back addressed.

Every function is keyword-only, runs in one transaction, checks permission with
`require()` (see `oversight/rules.py`), refuses bad input with a `ValidationError` naming
the field and saves through `core.services.save_tracked` (AU1: history names the actor).
The send-back's status moves through the `SEND_BACK_STATUS` state machine.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities.models import TAActivity
from core.concurrency import lock_for_update
from core.history import attribute_change
from core.notifications import notification_send
from core.services import FieldErrors, StateMachine, save_tracked
from oversight.models import ABOUT_TABS, ReviewMark, SendBack

MONTH_REQUIRED = "Choose the month reviewed."
MONTH_IN_FUTURE = "The month reviewed cannot be in the future."
COMMENT_REQUIRED = "Say what the primary staff person should change."
ABOUT_INVALID = "Choose what the send-back concerns."
ALREADY_ADDRESSED = "This send-back was already marked addressed."
COMMENT_MAX_LENGTH = 4000

SEND_BACK_STATUS = StateMachine(
    field="status",
    allowed={SendBack.Status.OPEN: frozenset({SendBack.Status.ADDRESSED})},
    labels=SendBack.Status,
    verbose_name="send-back status",
)

TAB_URL_NAMES = {
    "details": "activities:detail",
    "tracking": "activities:tracking",
    "response_notes": "activities:response_notes",
}


def month_start(day: dt.date) -> dt.date:
    """The first day of `day`'s month (how a review month is stored)."""
    return day.replace(day=1)


def _checked_month(errors: FieldErrors, month: dt.date | None) -> dt.date | None:
    if not isinstance(month, dt.date):
        errors.add("month", MONTH_REQUIRED)
        return None
    first = month_start(month)
    if first > month_start(timezone.localdate()):
        errors.add("month", MONTH_IN_FUTURE)
        return None
    return first


def send_back_url(send_back: SendBack) -> str:
    """The record tab the send-back concerns (its banner is there)."""
    return reverse(TAB_URL_NAMES[send_back.tab], args=[send_back.activity_id])


@transaction.atomic
def review_mark(*, actor: User, activity: TAActivity, month: dt.date) -> ReviewMark:
    """R1: mark `activity` reviewed for `month` (who, when). Marking it again changes
    nothing and returns the existing mark."""
    require(actor, "oversight.review_activity", activity)
    errors = FieldErrors()
    first = _checked_month(errors, month)
    errors.raise_if_any()
    existing = ReviewMark.objects.select_for_update().filter(activity=activity, month=first).first()
    if existing is not None:
        return existing
    mark = ReviewMark(activity=activity, month=first, reviewed_by=actor)
    mark.reviewed_at = timezone.now()
    save_tracked(mark, actor=actor, reason=f"Reviewed for {first:%m/%Y}", full_clean=False)
    return mark


@transaction.atomic
def review_unmark(*, actor: User, activity: TAActivity, month: dt.date) -> bool:
    """R1: take back the review mark of `activity` for `month`. True when one was removed;
    the deletion stays in the history (AU1)."""
    require(actor, "oversight.review_activity", activity)
    errors = FieldErrors()
    first = _checked_month(errors, month)
    errors.raise_if_any()
    mark = ReviewMark.objects.select_for_update().filter(activity=activity, month=first).first()
    if mark is None:
        return False
    attribute_change(mark, actor, f"Review mark for {first:%m/%Y} removed")
    mark.delete()
    return True


@transaction.atomic
def send_back_create(
    *, actor: User, activity: TAActivity, month: dt.date, comment: str, about: str
) -> SendBack:
    """R1: send `activity` back to its primary staff with a comment about one part of the
    record (`about`: a `SendBack.About` value). The primary staff person is notified."""
    require(actor, "oversight.send_back", activity)
    errors = FieldErrors()
    first = _checked_month(errors, month)
    comment = (comment or "").strip()
    if not comment:
        errors.add("comment", COMMENT_REQUIRED)
    elif len(comment) > COMMENT_MAX_LENGTH:
        errors.add("comment", f"Keep the comment under {COMMENT_MAX_LENGTH} characters.")
    if about not in SendBack.About.values:
        errors.add("about", ABOUT_INVALID)
    errors.raise_if_any()
    send_back = SendBack(
        activity=activity, month=first, about=about, comment=comment, sent_by=actor
    )
    send_back.sent_at = timezone.now()
    save_tracked(send_back, actor=actor, reason="Sent back to the primary staff")
    notification_send(
        recipient=activity.primary_staff,
        message=(
            f"{actor} sent {activity.record_number} back for {first:%B %Y} "
            f"({send_back.get_about_display()}): {comment[:120]}"
        ),
        link=reverse(TAB_URL_NAMES[ABOUT_TABS[about]], args=[activity.pk]),
    )
    return send_back


@transaction.atomic
def send_back_address(*, actor: User, send_back: SendBack, reply: str = "") -> SendBack:
    """R1: the primary staff (or anyone who may edit the activity) marks the send-back
    addressed, with an optional reply; the person who sent it is notified."""
    send_back = lock_for_update(SendBack, send_back.pk)
    require(actor, "oversight.address_send_back", send_back)
    reply = (reply or "").strip()
    errors = FieldErrors()
    if len(reply) > COMMENT_MAX_LENGTH:
        errors.add("reply", f"Keep the reply under {COMMENT_MAX_LENGTH} characters.")
    errors.raise_if_any()
    SEND_BACK_STATUS.check(send_back, SendBack.Status.ADDRESSED, message=ALREADY_ADDRESSED)
    SEND_BACK_STATUS.apply(
        send_back,
        SendBack.Status.ADDRESSED,
        actor=actor,
        reason=reply,
        history_reason="Send-back addressed",
        changes={"addressed_at": timezone.now(), "addressed_by": actor, "reply": reply},
    )
    activity = send_back.activity
    notification_send(
        recipient=send_back.sent_by,
        message=(
            f"{actor} addressed your send-back of {activity.record_number}"
            + (f": {reply[:120]}" if reply else ".")
        ),
        link=reverse("oversight:review") + f"?month={send_back.month:%Y-%m}",
    )
    return send_back
