"""Tracking (rules A9–A11, A14): whether the tracking tab exists (a current final plan and
status approved, A9), summaries of TA delivered with their due dates (A10), requester
feedback, allowed after closing (A11), and TA response notes (A14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from accounts.permissions import require
from activities.models import (
    ActivityStatus,
    ActivityWorkMonth,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from activities.services._common import (
    check_newly_active,
    check_note_date,
    clean_text,
    lock_activity,
    require_open,
    today,
)
from activities.services.messages import (
    DELIVERY_DATE_BEFORE_OPENED,
    DELIVERY_DATE_FUTURE,
    DELIVERY_DATE_REQUIRED,
    DELIVERY_METHOD_INACTIVE,
    FEEDBACK_DATE_FUTURE,
    FEEDBACK_DATE_REQUIRED,
    GIVER_NAME_REQUIRED,
    GIVER_TITLE_REQUIRED,
    NOTE_DATE_FUTURE,
    NOTE_DATE_REQUIRED,
    NOTE_TEXT_REQUIRED,
    TA_TYPE_INACTIVE,
    TRACKING_REASON_NO_FINAL,
    TRACKING_REASON_NOT_APPROVED,
    TrackingUnavailable,
)
from core.services import FieldErrors, save_tracked, validate_record
from reference.models import DeliveryMethod, TAType


def _has_current_final_plan(activity: TAActivity) -> bool:
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "description_notes" in cache:
        return any(note.stage == PlanStage.FINAL for note in cache["description_notes"])
    return activity.description_notes.filter(stage=PlanStage.FINAL).exists()


def tracking_available(activity: TAActivity) -> tuple[bool, list[str]]:
    """A9: whether the tracking tab exists, and if not, what is missing.

    Tracking needs a current final plan and status approved. Uses prefetched description
    notes when present (see selectors.activity_with_details), otherwise one query.
    """
    reasons = []
    if not _has_current_final_plan(activity):
        reasons.append(TRACKING_REASON_NO_FINAL)
    if activity.status != ActivityStatus.APPROVED:
        reasons.append(TRACKING_REASON_NOT_APPROVED)
    return (not reasons, reasons)


def refresh_tracking_flag(activity: TAActivity) -> bool:
    """A9, stored: set `activity.is_tracking_available` to what `tracking_available` says
    (status approved and a current final plan, read from the database), in the caller's
    transaction, after any change to the status or the plans. Returns the flag.

    The flag is derived and kept out of the history, so it is written with `update()`: no
    history row and no version bump, since nobody changed the record (ADR 0015)."""
    flag = (
        activity.status == ActivityStatus.APPROVED
        and DescriptionNote.objects.filter(activity_id=activity.pk, stage=PlanStage.FINAL).exists()
    )
    if activity.is_tracking_available != flag:
        TAActivity.objects.filter(pk=activity.pk).update(is_tracking_available=flag)
        ActivityWorkMonth.objects.filter(activity_id=activity.pk).update(is_tracking_available=flag)
        activity.is_tracking_available = flag
    return flag


def refresh_work_months(activity: TAActivity) -> None:
    """The activity's `ActivityWorkMonth` rows: one per month with a TA response note
    dated in it, each with the activity's A9 flag; called in the transaction of every
    response-note write (ADR 0015). Two or three queries, whatever the activity's notes."""
    months = {
        day.replace(day=1)
        for day in ResponseNote.objects.filter(activity_id=activity.pk)
        .order_by()
        .values_list("note_date", flat=True)
        .distinct()
    }
    existing = set(
        ActivityWorkMonth.objects.filter(activity_id=activity.pk).values_list("month", flat=True)
    )
    if existing - months:
        ActivityWorkMonth.objects.filter(
            activity_id=activity.pk, month__in=existing - months
        ).delete()
    ActivityWorkMonth.objects.bulk_create(
        [
            ActivityWorkMonth(
                activity_id=activity.pk,
                month=month,
                is_tracking_available=activity.is_tracking_available,
            )
            for month in sorted(months - existing)
        ]
    )


def require_tracking(activity: TAActivity) -> None:
    available, reasons = tracking_available(activity)
    if not available:
        raise TrackingUnavailable(reasons)


def check_delivery_date(
    errors: FieldErrors, field: str, delivery_date: dt.date | None, activity: TAActivity
) -> None:
    if delivery_date is None:
        errors.add(field, DELIVERY_DATE_REQUIRED)
    elif delivery_date > today():
        errors.add(field, DELIVERY_DATE_FUTURE)
    elif delivery_date < activity.date_opened:
        errors.add(
            field, DELIVERY_DATE_BEFORE_OPENED.format(opened=f"{activity.date_opened:%m/%d/%Y}")
        )


@transaction.atomic
def summary_add(
    *,
    actor: User,
    activity: TAActivity,
    delivery_date: dt.date | None,
    text: str,
    delivery_methods: Iterable[DeliveryMethod] = (),
    ta_types: Iterable[TAType] = (),
) -> DeliverySummary:
    """A10: add a summary of TA delivered (tracking data, A9; open activities only, A13).

    The delivery date is required, not in the future and not before the date opened; the
    text is required. The model computes `due_date` and `is_late`.
    """
    activity = lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    require_open(activity)
    require_tracking(activity)
    errors = FieldErrors()
    check_delivery_date(errors, "delivery_date", delivery_date, activity)
    text = clean_text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    methods, types = list(delivery_methods), list(ta_types)
    check_newly_active(errors, "delivery_methods", methods, set(), DELIVERY_METHOD_INACTIVE)
    check_newly_active(errors, "ta_types", types, set(), TA_TYPE_INACTIVE)
    errors.raise_if_any()

    summary = DeliverySummary(activity=activity, note_date=delivery_date, text=text, author=actor)
    # The model computes `due_date` when it saves, so it is not validated here.
    validate_record(summary, exclude=["due_date"])
    save_tracked(
        summary,
        actor=actor,
        full_clean=False,
        m2m={"delivery_methods": methods, "ta_types": types},
    )
    return summary


@transaction.atomic
def feedback_add(
    *,
    actor: User,
    activity: TAActivity,
    feedback_date: dt.date | None,
    giver_name: str,
    giver_title: str,
    text: str,
) -> RequesterFeedback:
    """A11: add requester feedback or a closing comment, dated, with who gave it.

    Allowed after the activity is closed or cancelled (A13's one exception). While the
    activity is open it is tracking data and needs tracking to be available (A9).
    """
    activity = lock_activity(activity)
    require(actor, "activities.add_feedback", activity)
    if activity.is_open:
        require_tracking(activity)
    errors = FieldErrors()
    check_note_date(
        errors,
        "feedback_date",
        feedback_date,
        required=FEEDBACK_DATE_REQUIRED,
        future=FEEDBACK_DATE_FUTURE,
    )
    giver_name, giver_title = clean_text(giver_name), clean_text(giver_title)
    text = clean_text(text)
    if not giver_name:
        errors.add("giver_name", GIVER_NAME_REQUIRED)
    if not giver_title:
        errors.add("giver_title", GIVER_TITLE_REQUIRED)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    errors.raise_if_any()

    feedback = RequesterFeedback(
        activity=activity,
        note_date=feedback_date,
        giver_name=giver_name,
        giver_title=giver_title,
        text=text,
        author=actor,
    )
    save_tracked(feedback, actor=actor)
    return feedback


@transaction.atomic
def response_note_add(
    *, actor: User, activity: TAActivity, text: str, note_date: dt.date | None = None
) -> ResponseNote:
    """A14: add a TA response note; author and creation time are captured automatically.

    Allowed whatever the tracking state; refused while closed or cancelled (A13).
    """
    activity = lock_activity(activity)
    require(actor, "activities.add_responsenote", activity)
    require_open(activity)
    errors = FieldErrors()
    text = clean_text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    note_date = note_date or today()
    check_note_date(
        errors, "note_date", note_date, required=NOTE_DATE_REQUIRED, future=NOTE_DATE_FUTURE
    )
    errors.raise_if_any()
    note = ResponseNote(activity=activity, text=text, note_date=note_date, author=actor)
    save_tracked(note, actor=actor)
    refresh_work_months(activity)
    return note
