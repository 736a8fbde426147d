"""Goals (G1–G4): list, add, read, edit, strategic areas, update notes, closure requests,
an administrator's close and reopen, and the history (AU1). Every write is the goal
service the pages call; every refusal is theirs (`require()`, field errors, C1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from api import selectors
from api.common import etag, expected_version, history_out, paged, versioned_call
from api.schemas import (
    LIST_ERRORS,
    READ_ERRORS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    Date,
    HistoryEntryOut,
    Id,
    Input,
    PageMeta,
    PageParams,
    ShortText,
    Text,
    VersionedInput,
    responses,
)
from goals import selectors as goal_selectors
from goals import services
from goals.models import Goal, GoalNote, StrategicArea
from reference.models import GoalCategory, StrategicAreaItem

router = Router(tags=["goals"])

Readiness = Literal["least", "somewhat", "most"]


class StrategicAreaOut(Schema):
    id: int
    version: int
    item: int
    name: str
    notes: str


class GoalNoteOut(Schema):
    id: int
    version: int
    kind: str
    note_date: dt.date
    text: str
    author: str


class GoalOut(Schema):
    id: int
    version: int
    jurisdiction: str
    category: int
    category_name: str
    related_category: int | None
    readiness: str
    start_date: dt.date
    start_date_is_approximate: bool
    status: str
    closed_at: dt.datetime | None
    strategic_areas: list[StrategicAreaOut]
    notes: list[GoalNoteOut]


class GoalPage(PageMeta):
    results: list[GoalOut]


class GoalParams(PageParams):
    jurisdiction: ShortText | None = None
    status: Literal["open", "closed"] | None = None


class StrategicAreaIn(Input):
    item: Id
    notes: Text = ""


class GoalIn(Input):
    jurisdiction: ShortText
    category: Id
    related_category: Id | None = None
    readiness: Readiness
    start_date: Date | None = None
    start_date_is_approximate: bool = False
    strategic_areas: list[StrategicAreaIn]
    confirm_duplicate_category: bool = False
    update_note: Text = ""


class GoalUpdateIn(VersionedInput):
    readiness: Readiness | None = None
    start_date: Date | None = None
    start_date_is_approximate: bool | None = None
    related_category: Id | None = None
    clear_related_category: bool = False
    category: Id | None = None
    strategic_areas: list[StrategicAreaIn] | None = None
    confirm_duplicate_category: bool = False


class StrategicAreasAddIn(Input):
    strategic_areas: list[StrategicAreaIn]
    update_note: Text = ""


class StrategicAreaNotesIn(VersionedInput):
    notes: Text


class GoalNoteIn(Input):
    text: Text
    note_date: Date | None = None
    kind: Literal["update", "completion"] = "update"


class GoalNoteUpdateIn(VersionedInput):
    text: Text
    note_date: Date


class ReasonIn(Input):
    reason: Text


class GoalCloseIn(VersionedInput):
    note: Text


class GoalReopenIn(VersionedInput):
    reason: Text


class DeclineIn(Input):
    note: Text


class ClosureRequestOut(Schema):
    id: int
    goal: int
    reason: str
    status: str
    requested_by: str
    requested_at: dt.datetime
    decision_note: str


def goal_out(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "version": goal.version,
        "jurisdiction": goal.jurisdiction.code,
        "category": goal.category_id,
        "category_name": goal.category.name,
        "related_category": goal.related_category_id,
        "readiness": goal.readiness,
        "start_date": goal.start_date,
        "start_date_is_approximate": goal.start_date_is_approximate,
        "status": goal.status,
        "closed_at": goal.closed_at,
        "strategic_areas": [area_out(sa) for sa in goal.strategic_areas.all()],
        "notes": [note_out(n) for n in goal.notes.all()],
    }


def area_out(sa: StrategicArea) -> dict[str, Any]:
    return {
        "id": sa.pk,
        "version": sa.version,
        "item": sa.item_id,
        "name": sa.item.name,
        "notes": sa.notes,
    }


def note_out(n: GoalNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "version": n.version,
        "kind": n.kind,
        "note_date": n.note_date,
        "text": n.text,
        "author": str(n.author),
    }


def _choices(items: list[StrategicAreaIn]) -> list[tuple[StrategicAreaItem, str]]:
    found = selectors.items_by_id(StrategicAreaItem, [i.item for i in items], "strategic_areas")
    by_pk = {item.pk: item for item in found}
    return [(by_pk[i.item], i.notes) for i in items]


def _fresh(request: HttpRequest, response: HttpResponse, pk: int) -> dict[str, Any]:
    goal = selectors.goal_or_404(pk)
    etag(response, goal)
    return goal_out(goal)


def _transition(
    request: HttpRequest, response: HttpResponse, pk: int, payload: Any, service: Any, **fields: Any
) -> dict[str, Any]:
    """G4: one versioned service call on the goal (C1); the goal as now stored, with its ETag."""
    goal = selectors.goal_or_404(pk)
    versioned_call(request, payload.version, service, goal=goal, **fields)
    return _fresh(request, response, pk)


@router.get("", response=responses(200, GoalPage, LIST_ERRORS))
def goal_list(request: HttpRequest, params: Query[GoalParams]) -> dict:
    """Goals, of one State or Territory (`jurisdiction` code) and status if given."""
    jurisdiction = selectors.jurisdiction_or_none(params.jurisdiction)
    qs = selectors.goals_list(jurisdiction=jurisdiction, status=params.status)
    return paged(qs, params, goal_out)


@router.post("", response=responses(201, GoalOut, WRITE_ERRORS))
def goal_create(request: HttpRequest, response: HttpResponse, payload: GoalIn) -> Status:
    """G1–G3: add a goal with its strategic areas. G2: a second open goal in the category
    is refused (`category`) unless `confirm_duplicate_category`."""
    jurisdiction = selectors.jurisdiction_or_404(payload.jurisdiction)
    category = selectors.one_by_id(GoalCategory, payload.category, "category")
    related = selectors.one_by_id(GoalCategory, payload.related_category, "related_category")
    goal = services.goal_create(
        actor=request.auth,
        jurisdiction=jurisdiction,
        category=category,
        related_category=related,
        readiness=payload.readiness,
        start_date=payload.start_date,
        start_date_is_approximate=payload.start_date_is_approximate,
        strategic_areas=_choices(payload.strategic_areas),
        confirm_duplicate_category=payload.confirm_duplicate_category,
        update_note=payload.update_note,
    )
    return Status(201, _fresh(request, response, goal.pk))


@router.get("/{pk}", response=responses(200, GoalOut, READ_ERRORS))
def goal_detail(request: HttpRequest, response: HttpResponse, pk: Id) -> dict:
    """One goal with its strategic areas and notes; `ETag` is its version (C1)."""
    return _fresh(request, response, pk)


@router.patch("/{pk}", response=responses(200, GoalOut, UPDATE_ERRORS))
def goal_update(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: GoalUpdateIn
) -> dict:
    """G1: change readiness, start date, related category or (without activities) the
    category with new strategic areas. C1: send `If-Match` or `version`."""
    goal = selectors.goal_or_404(pk)
    version = expected_version(request, payload.version)
    fields: dict[str, Any] = {}
    for name in ("readiness", "start_date", "start_date_is_approximate"):
        value = getattr(payload, name)
        if value is not None:
            fields[name] = value
    if payload.clear_related_category:
        fields["related_category"] = None
    elif payload.related_category is not None:
        fields["related_category"] = selectors.one_by_id(
            GoalCategory, payload.related_category, "related_category"
        )
    if payload.category is not None:
        fields["category"] = selectors.one_by_id(GoalCategory, payload.category, "category")
    areas = _choices(payload.strategic_areas) if payload.strategic_areas is not None else None
    if areas is not None and "category" not in fields:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {
                "strategic_areas": "Send strategic areas here only with a new category; use "
                "POST /goals/{id}/strategic-areas to add them."
            }
        )
    services.goal_update(
        actor=request.auth,
        goal=goal,
        expected_version=version,
        strategic_areas=areas if fields.get("category") not in (None, goal.category) else None,
        confirm_duplicate_category=payload.confirm_duplicate_category,
        **fields,
    )
    return _fresh(request, response, pk)


@router.get("/{pk}/history", response=responses(200, list[HistoryEntryOut], READ_ERRORS))
def goal_history(request: HttpRequest, pk: Id) -> list:
    """AU1: every change to the goal, its strategic areas, notes and closure requests."""
    return history_out(goal_selectors.goal_history(selectors.goal_or_404(pk)))


@router.post("/{pk}/strategic-areas", response=responses(201, list[StrategicAreaOut], WRITE_ERRORS))
def goal_strategic_areas_add(request: HttpRequest, pk: Id, payload: StrategicAreasAddIn) -> Status:
    """G1/G2: add strategic areas of the goal's category (and an optional update note)."""
    goal = selectors.goal_or_404(pk)
    result = services.strategic_areas_add(
        actor=request.auth,
        goal=goal,
        items=_choices(payload.strategic_areas),
        update_note=payload.update_note,
    )
    return Status(201, [area_out(sa) for sa in result.added])


@router.patch("/strategic-areas/{pk}", response=responses(200, StrategicAreaOut, UPDATE_ERRORS))
def strategic_area_update(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: StrategicAreaNotesIn
) -> dict:
    """G1: change a strategic area's notes (C1)."""
    area = selectors.get_or_404(StrategicArea, pk, select=("item", "goal"))
    area = versioned_call(
        request,
        payload.version,
        services.strategic_area_update_notes,
        strategic_area=area,
        notes=payload.notes,
    )
    etag(response, area)
    return area_out(area)


@router.delete("/strategic-areas/{pk}", response=responses(204, None, UPDATE_ERRORS))
def strategic_area_remove(request: HttpRequest, pk: Id, version: int | None = None) -> Status:
    """G1: remove a strategic area no activity uses, not the goal's last (C1)."""
    area = selectors.get_or_404(StrategicArea, pk, select=("item", "goal"))
    versioned_call(request, version, services.strategic_area_remove, strategic_area=area)
    return Status(204, None)


@router.post("/{pk}/notes", response=responses(201, GoalNoteOut, WRITE_ERRORS))
def goal_note_add(request: HttpRequest, pk: Id, payload: GoalNoteIn) -> Status:
    """G1: add a dated goal update note (completion notes: administrators)."""
    goal = selectors.goal_or_404(pk)
    note = services.goal_note_add(
        actor=request.auth,
        goal=goal,
        text=payload.text,
        note_date=payload.note_date,
        kind=payload.kind,
    )
    return Status(201, note_out(note))


@router.patch("/notes/{pk}", response=responses(200, GoalNoteOut, UPDATE_ERRORS))
def goal_note_update(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: GoalNoteUpdateIn
) -> dict:
    """Correct a goal note: its author or an administrator (C1)."""
    note = selectors.get_or_404(GoalNote, pk, select=("goal", "author"))
    note = versioned_call(
        request,
        payload.version,
        services.goal_note_update,
        note=note,
        text=payload.text,
        note_date=payload.note_date,
    )
    etag(response, note)
    return note_out(note)


def closure_out(cr: Any) -> dict[str, Any]:
    return {
        "id": cr.pk,
        "goal": cr.goal_id,
        "reason": cr.reason,
        "status": cr.status,
        "requested_by": str(cr.requested_by),
        "requested_at": cr.requested_at,
        "decision_note": cr.decision_note,
    }


@router.post("/{pk}/closure-requests", response=responses(201, ClosureRequestOut, WRITE_ERRORS))
def goal_closure_request(request: HttpRequest, pk: Id, payload: ReasonIn) -> Status:
    """G4: ask the administrators to close the goal, with a reason."""
    goal = selectors.goal_or_404(pk)
    closure = services.goal_request_closure(actor=request.auth, goal=goal, reason=payload.reason)
    return Status(201, closure_out(closure))


@router.post(
    "/closure-requests/{pk}/decline",
    response=responses(200, ClosureRequestOut, WRITE_ERRORS),
)
def goal_closure_decline(request: HttpRequest, pk: Id, payload: DeclineIn) -> dict:
    """G4: an administrator declines a pending closure request, saying why."""
    closure = selectors.closure_request_or_404(pk)
    closure = services.goal_closure_decline(actor=request.auth, request=closure, note=payload.note)
    return closure_out(closure)


@router.post("/{pk}/close", response=responses(200, GoalOut, UPDATE_ERRORS))
def goal_close(request: HttpRequest, response: HttpResponse, pk: Id, payload: GoalCloseIn) -> dict:
    """G4: an administrator closes a goal whose activities are all closed or cancelled."""
    return _transition(request, response, pk, payload, services.goal_close, note=payload.note)


@router.post("/{pk}/reopen", response=responses(200, GoalOut, UPDATE_ERRORS))
def goal_reopen(
    request: HttpRequest, response: HttpResponse, pk: Id, payload: GoalReopenIn
) -> dict:
    """G4: an administrator reopens a closed goal, with the reason."""
    return _transition(request, response, pk, payload, services.goal_reopen, reason=payload.reason)
