"""Requests to join a TA activity (A16, issue #12 door 1): the pages' services and rules.

Anyone signed in reads an activity's requests (as on its "Requests to join" page); staff
whose center takes no part ask (`activities.request_join`; the service refuses on-demand and
closed activities, those who take part already or may join directly, and a second pending
request); the primary staff person or an administrator accepts or declines, saying why
(`activities.decide_join_request`). A request carries no version: the service locks it and
refuses an answer to a request already answered (400), so two answers cannot both land.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status

from activities import selectors as activity_selectors
from activities.models import JoinRequest
from activities.services import join_requests as services
from api import selectors
from api.common import paged
from api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    Input,
    PageMeta,
    PageParams,
    Text,
    responses,
)

router = Router(tags=["requests to join"])


class JoinRequestIn(Input):
    note: Text = ""


class JoinAcceptIn(Input):
    decision_note: Text = ""


class JoinDeclineIn(Input):
    decision_note: Text


class JoinPersonOut(Schema):
    id: int
    full_name: str
    center: int | None


class JoinRequestOut(Schema):
    id: int
    activity: int
    status: str
    requested_by: JoinPersonOut
    requested_at: dt.datetime
    note: str
    decided_by: JoinPersonOut | None
    decided_at: dt.datetime | None
    decision_note: str


class JoinRequestPage(PageMeta):
    results: list[JoinRequestOut]


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "full_name": str(user), "center": user.center_id}


def join_request_out(jr: JoinRequest) -> dict[str, Any]:
    return {
        "id": jr.pk,
        "activity": jr.activity_id,
        "status": jr.status,
        "requested_by": _person(jr.requested_by),
        "requested_at": jr.requested_at,
        "note": jr.note,
        "decided_by": _person(jr.decided_by),
        "decided_at": jr.decided_at,
        "decision_note": jr.decision_note,
    }


def _join_request_or_404(pk: int) -> JoinRequest:
    found = activity_selectors.join_request_by_id(pk)
    if found is None:
        raise Http404(f"No request to join has the id {pk}.")
    return found


@router.get("/activities/{pk}/join-requests", response=responses(200, JoinRequestPage, READ_ERRORS))
def join_request_list(request: HttpRequest, pk: Id, params: Query[PageParams]) -> dict:
    """A16: the activity's requests to join, newest first (anyone signed in, as the page)."""
    activity = selectors.activity_or_404(pk)
    requests = activity_selectors.join_requests_for_activity(activity)
    return paged(requests, params, join_request_out)


@router.post(
    "/activities/{pk}/join-requests", response=responses(201, JoinRequestOut, WRITE_ERRORS)
)
def join_request_create(request: HttpRequest, pk: Id, payload: JoinRequestIn) -> Status:
    """A16, door 1: ask to join an open goal-driven activity your center takes no part in;
    its primary staff person is told. Refused (400) on demand or closed, when you take part
    already or may join directly (`POST /activities/{id}/join`), or a request is waiting."""
    activity = selectors.activity_or_404(pk)
    asked = services.join_request_create(actor=request.auth, activity=activity, note=payload.note)
    return Status(201, join_request_out(asked))


@router.post(
    "/activities/join-requests/{pk}/accept",
    response=responses(200, JoinRequestOut, WRITE_ERRORS),
)
def join_request_accept(request: HttpRequest, pk: Id, payload: JoinAcceptIn) -> dict:
    """A16, door 1: the primary staff person or an administrator accepts a waiting request:
    the asker becomes collaborating staff, their center a collaborating center (the
    activity's version goes up); the asker and the State's SSS are told."""
    asked = _join_request_or_404(pk)
    done = services.join_request_accept(
        actor=request.auth, join_request=asked, note=payload.decision_note
    )
    return join_request_out(done)


@router.post(
    "/activities/join-requests/{pk}/decline",
    response=responses(200, JoinRequestOut, WRITE_ERRORS),
)
def join_request_decline(request: HttpRequest, pk: Id, payload: JoinDeclineIn) -> dict:
    """A16, door 1: the primary staff person or an administrator declines a waiting
    request, saying why (`decision_note`); the asker is told."""
    asked = _join_request_or_404(pk)
    done = services.join_request_decline(
        actor=request.auth, join_request=asked, note=payload.decision_note
    )
    return join_request_out(done)
