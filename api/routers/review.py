"""The monthly review (R1): the rows of a month in the caller's scope with their flags,
mark reviewed (and take it back), send back with a comment, mark a send-back addressed —
the `oversight` services and selectors the review page uses."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from accounts.permissions import require
from api import selectors as api_selectors
from api.common import page_of
from api.schemas import (
    LIST_ERRORS,
    WRITE_ERRORS,
    Date,
    Id,
    Input,
    PageMeta,
    PageParams,
    ShortText,
    Text,
    responses,
)
from oversight import selectors, services

router = Router(tags=["monthly review"])

About = Literal["details", "plan", "summary", "feedback", "outcome", "response_note"]


class ReviewParams(PageParams):
    month: Date | None = None
    jurisdiction: ShortText | None = None
    status: Literal["reviewed", "not_reviewed", "sent_back", "flagged"] | None = None


class FlagOut(Schema):
    kind: str
    label: str
    detail: str


class ReviewRowOut(Schema):
    id: int
    record_number: str
    jurisdiction: str
    is_reviewed: bool
    has_open_send_back: bool
    flags: list[FlagOut]


class ReviewPage(PageMeta):
    month: dt.date
    results: list[ReviewRowOut]


class MonthIn(Input):
    month: Date


class SendBackIn(Input):
    month: Date
    about: About
    comment: Text


class AddressIn(Input):
    reply: Text = ""


class MarkOut(Schema):
    activity: int
    month: dt.date
    reviewed: bool


class SendBackOut(Schema):
    id: int
    activity: int
    month: dt.date
    about: str
    comment: str
    status: str


def _activity(pk: int) -> Any:
    activity = selectors.activity_for_review(pk)
    if activity is None:
        raise Http404(f"No TA activity has the id {pk}.")
    return activity


def _send_back_out(sb: Any) -> dict[str, Any]:
    return {
        "id": sb.pk,
        "activity": sb.activity_id,
        "month": sb.month,
        "about": sb.about,
        "comment": sb.comment,
        "status": sb.status,
    }


@router.get("", response=responses(200, ReviewPage, LIST_ERRORS))
def review_list(request: HttpRequest, params: Query[ReviewParams]) -> dict[str, Any]:
    """R1: the month's rows (default: last full month) in the caller's scope, flagged."""
    require(request.auth, "oversight.view_review")
    today = timezone.localdate()
    month = (params.month or selectors.last_full_month(today)).replace(day=1)
    jurisdiction = api_selectors.jurisdiction_or_none(params.jurisdiction)
    filters = selectors.ReviewFilters(
        month=month, jurisdiction=jurisdiction, status=params.status or ""
    )
    meta, rows = page_of(selectors.review_queryset(user=request.auth, filters=filters), params)
    return {
        **meta,
        "month": month,
        "results": [
            {
                "id": row.pk,
                "record_number": row.record_number,
                "jurisdiction": row.jurisdiction.code,
                "is_reviewed": bool(row.is_reviewed),
                "has_open_send_back": bool(row.has_open_send_back),
                "flags": [
                    {"kind": f.kind, "label": str(f.label), "detail": str(f.detail)}
                    for f in selectors.row_flags(row, month=month, today=today)
                ],
            }
            for row in rows
        ],
    }


@router.post("/{pk}/mark", response=responses(200, MarkOut, WRITE_ERRORS))
def review_mark(request: HttpRequest, pk: Id, payload: MonthIn) -> dict[str, Any]:
    """R1: mark the activity reviewed for the month (again: no change)."""
    mark = services.review_mark(actor=request.auth, activity=_activity(pk), month=payload.month)
    return {"activity": pk, "month": mark.month, "reviewed": True}


@router.post("/{pk}/unmark", response=responses(200, MarkOut, WRITE_ERRORS))
def review_unmark(request: HttpRequest, pk: Id, payload: MonthIn) -> dict[str, Any]:
    """R1: take back the review mark for the month."""
    services.review_unmark(actor=request.auth, activity=_activity(pk), month=payload.month)
    return {"activity": pk, "month": payload.month.replace(day=1), "reviewed": False}


@router.post("/{pk}/send-backs", response=responses(201, SendBackOut, WRITE_ERRORS))
def review_send_back(request: HttpRequest, pk: Id, payload: SendBackIn) -> Status:
    """R1: send the activity back to its primary staff with a comment."""
    send_back = services.send_back_create(
        actor=request.auth,
        activity=_activity(pk),
        month=payload.month,
        comment=payload.comment,
        about=payload.about,
    )
    return Status(201, _send_back_out(send_back))


@router.post("/send-backs/{pk}/address", response=responses(200, SendBackOut, WRITE_ERRORS))
def review_send_back_address(request: HttpRequest, pk: Id, payload: AddressIn) -> dict:
    """R1: mark a send-back addressed, with an optional reply."""
    send_back = selectors.send_back_by_id(pk)
    if send_back is None:
        raise Http404(f"No send-back has the id {pk}.")
    send_back = services.send_back_address(
        actor=request.auth, send_back=send_back, reply=payload.reply
    )
    return _send_back_out(send_back)
