"""A TA activity's notes: plan notes (A6), summaries of TA delivered (A10), requester
feedback (A11), TA response notes (A14), and correcting a note (author or administrator)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from activities import services
from api import selectors
from api.common import etag, versioned_call
from api.routers.activity_schemas import NoteKind, NoteOut, PlanStage, note_out
from api.schemas import (
    UPDATE_ERRORS,
    WRITE_ERRORS,
    Date,
    Id,
    Input,
    ShortText,
    Text,
    VersionedInput,
    responses,
)
from reference.models import DeliveryMethod, TAType

router = Router(tags=["activity notes"])


class PlanNoteIn(Input):
    stage: PlanStage
    text: Text
    note_date: Date | None = None


class SummaryIn(Input):
    delivery_date: Date
    text: Text
    delivery_methods: list[Id] = []
    ta_types: list[Id] = []


class FeedbackIn(Input):
    feedback_date: Date
    giver_name: ShortText
    giver_title: ShortText
    text: Text


class ResponseNoteIn(Input):
    text: Text
    note_date: Date | None = None


class NoteUpdateIn(VersionedInput):
    text: Text
    note_date: Date | None = None
    delivery_methods: list[Id] | None = None
    ta_types: list[Id] | None = None
    giver_name: ShortText | None = None
    giver_title: ShortText | None = None


class PlanNoteOut(NoteOut):
    archived: NoteOut | None = None


@router.post("/activities/{pk}/plan-notes", response=responses(201, PlanNoteOut, WRITE_ERRORS))
def activity_plan_note_add(request: HttpRequest, pk: Id, payload: PlanNoteIn) -> Status:
    """A6: a description note at a plan stage; a new final plan archives the current one."""
    activity = selectors.activity_or_404(pk)
    note, archived = services.description_note_add(
        actor=request.auth,
        activity=activity,
        stage=payload.stage,
        text=payload.text,
        note_date=payload.note_date,
    )
    out = note_out(note, "plan")
    out["archived"] = note_out(archived, "plan") if archived is not None else None
    return Status(201, out)


@router.post("/activities/{pk}/summaries", response=responses(201, NoteOut, WRITE_ERRORS))
def activity_summary_add(request: HttpRequest, pk: Id, payload: SummaryIn) -> Status:
    """A10: a summary of TA delivered (needs tracking, A9); due date and late flag follow."""
    activity = selectors.activity_or_404(pk)
    summary = services.summary_add(
        actor=request.auth,
        activity=activity,
        delivery_date=payload.delivery_date,
        text=payload.text,
        delivery_methods=selectors.items_by_id(
            DeliveryMethod, payload.delivery_methods, "delivery_methods"
        ),
        ta_types=selectors.items_by_id(TAType, payload.ta_types, "ta_types"),
    )
    return Status(201, note_out(summary, "summary"))


@router.post("/activities/{pk}/feedback", response=responses(201, NoteOut, WRITE_ERRORS))
def activity_feedback_add(request: HttpRequest, pk: Id, payload: FeedbackIn) -> Status:
    """A11: requester feedback or a closing comment (also after closing, A13)."""
    activity = selectors.activity_or_404(pk)
    feedback = services.feedback_add(
        actor=request.auth,
        activity=activity,
        feedback_date=payload.feedback_date,
        giver_name=payload.giver_name,
        giver_title=payload.giver_title,
        text=payload.text,
    )
    return Status(201, note_out(feedback, "feedback"))


@router.post("/activities/{pk}/response-notes", response=responses(201, NoteOut, WRITE_ERRORS))
def activity_response_note_add(request: HttpRequest, pk: Id, payload: ResponseNoteIn) -> Status:
    """A14: a TA response note (open activities, A13)."""
    activity = selectors.activity_or_404(pk)
    note = services.response_note_add(
        actor=request.auth, activity=activity, text=payload.text, note_date=payload.note_date
    )
    return Status(201, note_out(note, "response"))


@router.patch("/activity-notes/{kind}/{pk}", response=responses(200, NoteOut, UPDATE_ERRORS))
def activity_note_update(
    request: HttpRequest, response: HttpResponse, kind: NoteKind, pk: Id, payload: NoteUpdateIn
) -> dict:
    """Correct a note: its author or an administrator (C1; A9, A10, A13 still apply)."""
    note = selectors.get_or_404(selectors.NOTE_MODELS[kind], pk, select=("activity", "author"))
    extra: dict[str, Any] = {}
    if kind == "summary":
        if payload.delivery_methods is not None:
            extra["delivery_methods"] = selectors.items_by_id(
                DeliveryMethod, payload.delivery_methods, "delivery_methods"
            )
        if payload.ta_types is not None:
            extra["ta_types"] = selectors.items_by_id(TAType, payload.ta_types, "ta_types")
    elif kind == "feedback":
        for name in ("giver_name", "giver_title"):
            if getattr(payload, name) is not None:
                extra[name] = getattr(payload, name)
    note = versioned_call(
        request,
        payload.version,
        services.note_update,
        note=note,
        text=payload.text,
        note_date=payload.note_date if payload.note_date is not None else note.note_date,
        **extra,
    )
    etag(response, note)
    return note_out(note, kind)
