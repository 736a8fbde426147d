"""TA activities (A1–A16): add (goal-driven or on demand), read, edit, status (A7), close,
cancel, reopen (A12–A13), join (A16) and the history (AU1) — the pages' services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from accounts.models import User
from activities import selectors as activity_selectors
from activities import services
from activities.models import Requester
from api import selectors
from api.common import etag, expected_version, history_out, paged, versioned_call
from api.routers.activity_schemas import (
    ActivityCancelIn,
    ActivityCloseIn,
    ActivityIn,
    ActivityOut,
    ActivityReopenIn,
    ActivityRowOut,
    ActivityUpdateIn,
    JoinIn,
    StatusIn,
    activity_out,
    activity_row,
)
from api.schemas import (
    LIST_ERRORS,
    READ_ERRORS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    HistoryEntryOut,
    Id,
    PageMeta,
    PageParams,
    responses,
)
from goals.models import StrategicArea
from reference.models import Center, CollaboratorType, FocusArea

router = Router(tags=["activities"])

# Body field → (model, is a list); ids are turned into rows, an unknown id names its field.
RELATED = {
    "focus": (FocusArea, False),
    "requesters": (Requester, True),
    "primary_center": (Center, False),
    "primary_staff": (User, False),
    "collaborating_centers": (Center, True),
    "collaborating_staff": (User, True),
    "other_collaborators": (CollaboratorType, True),
}


class ActivityPage(PageMeta):
    results: list[ActivityRowOut]


def _resolve(name: str, value: Any) -> Any:
    model, many = RELATED[name]
    if many:
        return selectors.items_by_id(model, list(value), name)
    return selectors.one_by_id(model, value, name)


def _fresh(response: HttpResponse, pk: int) -> dict[str, Any]:
    activity = selectors.activity_or_404(pk)
    etag(response, activity)
    return activity_out(activity)


def _transition(
    request: HttpRequest, response: HttpResponse, pk: int, payload: Any, service: Any, **fields: Any
) -> dict[str, Any]:
    """A7, A12, A13: one versioned service call on the activity (C1); the activity as now
    stored, with its ETag."""
    activity = selectors.activity_or_404(pk)
    versioned_call(request, payload.version, service, activity=activity, **fields)
    return _fresh(response, pk)


@router.get("", response=responses(200, ActivityPage, LIST_ERRORS))
def activity_list_mine(request: HttpRequest, params: Query[PageParams]) -> dict:
    """H1: the activities where the caller is primary or collaborating staff, newest
    first. Any other selection: `GET /search`."""
    return paged(activity_selectors.activities_for_staff(request.auth), params, activity_row)


@router.post("", response=responses(201, ActivityOut, WRITE_ERRORS))
def activity_create(request: HttpRequest, response: HttpResponse, payload: ActivityIn) -> Status:
    """A1–A8, A16: add a TA activity. Goal-driven with `strategic_area`; on demand with
    `jurisdiction`. A16: another open activity in the strategic area is refused
    (`strategic_area`) unless `join_existing_confirmed`; or join it instead."""
    data = payload.dict()
    kwargs: dict[str, Any] = {name: _resolve(name, data.pop(name)) for name in RELATED}
    area_pk = data.pop("strategic_area")
    code = data.pop("jurisdiction")
    kwargs["strategic_area"] = selectors.one_by_id(StrategicArea, area_pk, "strategic_area")
    kwargs["jurisdiction"] = selectors.jurisdiction_or_404(code) if code else None
    data["description_notes"] = [tuple(pair) for pair in data["description_notes"]]
    activity = services.activity_create(actor=request.auth, **kwargs, **data)
    return Status(201, _fresh(response, activity.pk))


@router.get("/{pk}", response=responses(200, ActivityOut, READ_ERRORS))
def activity_detail(request: HttpRequest, response: HttpResponse, pk: Id) -> dict:
    """One TA activity with its notes; `ETag` is its version (C1)."""
    return _fresh(response, pk)


@router.patch("/{pk}", response=responses(200, ActivityOut, UPDATE_ERRORS))
def activity_update(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: ActivityUpdateIn
) -> dict:
    """Edit the fields sent (A1–A5, A8; the outcome report, A9). C1: `If-Match` or
    `version`; closed and cancelled activities are read-only (A13)."""
    activity = selectors.activity_or_404(pk)
    version = expected_version(request, payload.version)
    sent = payload.dict(exclude_unset=True, exclude_none=True)  # null: leave as is
    sent.pop("version", None)
    fields = {
        name: _resolve(name, value) if name in RELATED else value for name, value in sent.items()
    }
    services.activity_update(
        actor=request.auth, activity=activity, expected_version=version, **fields
    )
    return _fresh(response, pk)


@router.post("/{pk}/status", response=responses(200, ActivityOut, UPDATE_ERRORS))
def activity_set_status(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: StatusIn
) -> dict:
    """A7: move the TA activity status; approving records the COR's name and date."""
    return _transition(
        request,
        response,
        pk,
        payload,
        services.activity_set_status,
        status=payload.status,
        reason=payload.reason,
        cor_name=payload.cor_name,
        cor_approval_date=payload.cor_approval_date,
    )


@router.post("/{pk}/close", response=responses(200, ActivityOut, UPDATE_ERRORS))
def activity_close(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: ActivityCloseIn
) -> dict:
    """A12: close with the completion date and the outcome report (tracking needed, A9)."""
    return _transition(
        request,
        response,
        pk,
        payload,
        services.activity_close,
        completion_date=payload.completion_date,
        outcome_report=payload.outcome_report,
    )


@router.post("/{pk}/cancel", response=responses(200, ActivityOut, UPDATE_ERRORS))
def activity_cancel(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: ActivityCancelIn
) -> dict:
    """A12: cancel with the reason; refused once TA was delivered (close it instead)."""
    return _transition(
        request, response, pk, payload, services.activity_cancel, reason=payload.reason
    )


@router.post("/{pk}/reopen", response=responses(200, ActivityOut, UPDATE_ERRORS))
def activity_reopen(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: ActivityReopenIn
) -> dict:
    """A13: reopen a closed or cancelled activity (administrator or primary staff)."""
    return _transition(
        request, response, pk, payload, services.activity_reopen, reason=payload.reason
    )


@router.post("/{pk}/join", response=responses(200, ActivityOut, WRITE_ERRORS))
def activity_join(request: HttpRequest, response: HttpResponse, pk: Id, payload: JoinIn) -> dict:
    """A16: join an open goal-driven activity as collaborating staff (with its center)."""
    activity = selectors.activity_or_404(pk)
    services.activity_join(
        actor=request.auth,
        activity=activity,
        as_collaborating_staff=payload.as_collaborating_staff,
        note=payload.note,
    )
    return _fresh(response, pk)


@router.get("/{pk}/history", response=responses(200, list[HistoryEntryOut], READ_ERRORS))
def activity_history(request: HttpRequest, pk: Id) -> list:
    """AU1: every change to the activity and its notes, newest first."""
    activity = selectors.activity_or_404(pk)
    return history_out(activity_selectors.activity_history(activity))
