"""Plan notes (rule A6) and note editing: TA activity description notes at a plan stage
(initial, intermediate, final; stages may be skipped; a new final plan archives the current
one), and correcting any activity note — only by its author or an administrator, within
A9, A10, A11 and A13, refused as a conflict when stale (C1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction

from accounts.models import User
from accounts.permissions import require
from activities.models import (
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
    DELIVERY_METHOD_INACTIVE,
    GIVER_NAME_REQUIRED,
    GIVER_TITLE_REQUIRED,
    NOTE_DATE_FUTURE,
    NOTE_DATE_REQUIRED,
    NOTE_TEXT_REQUIRED,
    STAGE_ARCHIVED_NOT_CHOSEN,
    STAGE_INVALID,
    TA_TYPE_INACTIVE,
)
from activities.services.tracking import (
    check_delivery_date,
    refresh_tracking_flag,
    refresh_work_months,
    require_tracking,
)
from core.concurrency import check_version, lock_for_update
from core.services import FieldErrors, save_tracked, validate_record

_ADDABLE_STAGES = (PlanStage.INITIAL, PlanStage.INTERMEDIATE, PlanStage.FINAL)


@transaction.atomic
def description_note_add(
    *,
    actor: User,
    activity: TAActivity,
    stage: str,
    text: str,
    note_date: dt.date | None = None,
) -> tuple[DescriptionNote, DescriptionNote | None]:
    """A6: add a TA activity description note at a plan stage.

    Stages initial, intermediate and final may come in any order and may be skipped.
    Adding a final plan while a current final plan exists archives that one (stage →
    archived final) in the same transaction; "archived final" cannot be chosen directly.
    Returns `(note, archived_note_or_None)`. Open activities only (A13).
    """
    activity = lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    require_open(activity)
    errors = FieldErrors()
    if stage == PlanStage.ARCHIVED_FINAL:
        errors.add("stage", STAGE_ARCHIVED_NOT_CHOSEN)
    elif stage not in _ADDABLE_STAGES:
        errors.add("stage", STAGE_INVALID)
    text = clean_text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    note_date = note_date or today()
    check_note_date(
        errors, "note_date", note_date, required=NOTE_DATE_REQUIRED, future=NOTE_DATE_FUTURE
    )
    errors.raise_if_any()

    archived = None
    if stage == PlanStage.FINAL:
        archived = (
            DescriptionNote.objects.select_for_update()
            .filter(activity=activity, stage=PlanStage.FINAL)
            .first()
        )
        if archived is not None:
            archived.stage = PlanStage.ARCHIVED_FINAL
            save_tracked(archived, actor=actor, bump_version=True)
    note = DescriptionNote(
        activity=activity, stage=stage, text=text, note_date=note_date, author=actor
    )
    save_tracked(note, actor=actor)
    if stage == PlanStage.FINAL:
        refresh_tracking_flag(activity)
    return note, archived


NOTE_EXTRA_FIELDS: dict[type[models.Model], frozenset[str]] = {
    DescriptionNote: frozenset(),
    DeliverySummary: frozenset({"delivery_methods", "ta_types"}),
    RequesterFeedback: frozenset({"giver_name", "giver_title"}),
    ResponseNote: frozenset(),
}
AnyNote = DescriptionNote | DeliverySummary | RequesterFeedback | ResponseNote


@transaction.atomic
def note_update(
    *,
    actor: User,
    note: AnyNote,
    text: str,
    note_date: dt.date | None,
    expected_version: int,
    **extra: Any,
) -> AnyNote:
    """Edit any activity note: only its author or an administrator (append-only for others).

    `extra` takes `delivery_methods` and `ta_types` for a summary (A10), `giver_name` and
    `giver_title` for requester feedback (A11); other names raise TypeError. A summary's
    delivery date must stay within A10's bounds and summaries and feedback stay tracking
    data (A9). Notes of a closed or cancelled activity are read-only except feedback
    (A13). A stale `expected_version` raises `ConflictError` (C1).
    """
    model = type(note)
    if model not in NOTE_EXTRA_FIELDS:
        raise TypeError(f"note_update() cannot edit {model.__name__} rows.")
    unknown = set(extra) - NOTE_EXTRA_FIELDS[model]
    if unknown:
        raise TypeError(f"note_update() got unexpected fields: {', '.join(sorted(unknown))}")
    note = lock_for_update(model, note.pk)
    require(actor, "activities.change_note", note)
    check_version(note, expected_version)
    activity = note.activity
    if model is not RequesterFeedback:
        require_open(activity)
    if model is DeliverySummary or (model is RequesterFeedback and activity.is_open):
        require_tracking(activity)

    errors = FieldErrors()
    text = clean_text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    m2m: dict[str, list[Any]] = {}
    if model is DeliverySummary:
        check_delivery_date(errors, "note_date", note_date, activity)
        previous_methods = set(note.delivery_methods.values_list("pk", flat=True))
        previous_types = set(note.ta_types.values_list("pk", flat=True))
        if "delivery_methods" in extra:
            m2m["delivery_methods"] = list(extra["delivery_methods"])
            check_newly_active(
                errors,
                "delivery_methods",
                m2m["delivery_methods"],
                previous_methods,
                DELIVERY_METHOD_INACTIVE,
            )
        if "ta_types" in extra:
            m2m["ta_types"] = list(extra["ta_types"])
            check_newly_active(
                errors, "ta_types", m2m["ta_types"], previous_types, TA_TYPE_INACTIVE
            )
    else:
        check_note_date(
            errors, "note_date", note_date, required=NOTE_DATE_REQUIRED, future=NOTE_DATE_FUTURE
        )
    if model is RequesterFeedback:
        for name, message in (
            ("giver_name", GIVER_NAME_REQUIRED),
            ("giver_title", GIVER_TITLE_REQUIRED),
        ):
            if name in extra:
                value = clean_text(extra[name])
                if not value:
                    errors.add(name, message)
                setattr(note, name, value)
    errors.raise_if_any()

    note.text = text
    note.note_date = note_date
    is_summary = model is DeliverySummary
    if is_summary:
        validate_record(note, exclude=["due_date"])  # the model computes `due_date` when it saves
    save_tracked(note, actor=actor, bump_version=True, full_clean=not is_summary, m2m=m2m or None)
    if model is ResponseNote:
        refresh_work_months(activity)
    return note
