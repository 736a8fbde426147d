"""The shapes of a TA activity and its notes in the API (A1–A16)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema

from activities.models import TAActivity
from activities.services import tracking_available
from api.schemas import Date, Id, Input, ShortText, Text, VersionedInput

Priority = Literal["low", "medium", "high"]
ActivityType = Literal["universal", "targeted", "tailored"]
ActivityStatus = Literal["planning", "approved", "on_hold", "denied"]
ApproverRole = Literal["ccdf_administrator", "rpm", ""]
PlanStage = Literal["initial", "intermediate", "final"]
NoteKind = Literal["plan", "summary", "feedback", "response"]


class NoteOut(Schema):
    id: int
    kind: str
    version: int
    note_date: dt.date
    text: str
    author: str
    created_at: dt.datetime | None = None
    stage: str | None = None
    due_date: dt.date | None = None
    is_late: bool | None = None
    delivery_methods: list[int] | None = None
    ta_types: list[int] | None = None
    giver_name: str | None = None
    giver_title: str | None = None


class ActivityOut(Schema):
    id: int
    record_number: str
    version: int
    title: str
    goal_driven: bool
    jurisdiction: str
    goal: int | None
    strategic_area: int | None
    goal_category: int | None
    focus: int | None
    other_focus_notes: str
    date_opened: dt.date
    is_late_entry: bool
    priority: str
    activity_type: str
    status: str
    requested_by_ccdf_administrator: bool | None
    requester_approver_role: str
    requester_approver_name: str
    requester_approval_date: dt.date | None
    cor_name: str
    cor_approval_date: dt.date | None
    requesters: list[int]
    primary_center: int | None
    primary_staff: int | None
    collaborating_centers: list[int]
    collaborating_staff: list[int]
    other_collaborators: list[int]
    other_collaborators_details: str
    outcome_plan: str
    outcome_report: str
    completion_status: str
    completion_date: dt.date | None
    tracking_available: bool
    tracking_missing: list[str]
    description_notes: list[NoteOut]
    summaries: list[NoteOut]
    feedback: list[NoteOut]
    response_notes: list[NoteOut]


class ActivityRowOut(Schema):
    id: int
    record_number: str
    version: int
    title: str
    jurisdiction: str
    status: str
    completion_status: str
    date_opened: dt.date
    completion_date: dt.date | None


class ActivityIn(Input):
    """Goal-driven: `strategic_area` (its goal's State follows). On demand: `jurisdiction`
    (a code) and no strategic area."""

    strategic_area: Id | None = None
    jurisdiction: ShortText | None = None
    focus: Id | None
    other_focus_notes: Text = ""
    date_opened: Date
    priority: Priority
    activity_type: ActivityType
    requesters: list[Id]
    primary_center: Id | None
    primary_staff: Id | None
    collaborating_centers: list[Id] = []
    collaborating_staff: list[Id] = []
    other_collaborators: list[Id] = []
    other_collaborators_details: Text = ""
    outcome_plan: Text
    description_notes: list[tuple[PlanStage, Text]] = []
    join_existing_confirmed: bool = False
    requested_by_ccdf_administrator: bool | None = None
    requester_approver_role: ApproverRole = ""
    requester_approver_name: ShortText = ""
    requester_approval_date: Date | None = None


class ActivityUpdateIn(VersionedInput):
    """Only the fields sent change (A1–A5, A8; the outcome report is tracking data, A9)."""

    focus: Id | None = None
    other_focus_notes: Text | None = None
    date_opened: Date | None = None
    priority: Priority | None = None
    activity_type: ActivityType | None = None
    requesters: list[Id] | None = None
    primary_center: Id | None = None
    primary_staff: Id | None = None
    collaborating_centers: list[Id] | None = None
    collaborating_staff: list[Id] | None = None
    other_collaborators: list[Id] | None = None
    other_collaborators_details: Text | None = None
    outcome_plan: Text | None = None
    outcome_report: Text | None = None
    requested_by_ccdf_administrator: bool | None = None
    requester_approver_role: ApproverRole | None = None
    requester_approver_name: ShortText | None = None
    requester_approval_date: Date | None = None


class StatusIn(VersionedInput):
    status: ActivityStatus
    reason: Text = ""
    cor_name: ShortText = ""
    cor_approval_date: Date | None = None


class ActivityCloseIn(VersionedInput):
    completion_date: Date
    outcome_report: Text


class ActivityCancelIn(VersionedInput):
    reason: Text


class ActivityReopenIn(VersionedInput):
    reason: Text


class JoinIn(Input):
    as_collaborating_staff: bool = True
    note: Text = ""


def _ids(manager: Any) -> list[int]:
    return [obj.pk for obj in manager.all()]


def note_out(note: Any, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": note.pk,
        "kind": kind,
        "version": note.version,
        "note_date": note.note_date,
        "text": note.text,
        "author": str(note.author),
        "created_at": getattr(note, "created_at", None),
    }
    if kind == "plan":
        out["stage"] = note.stage
    elif kind == "summary":
        out.update(
            due_date=note.due_date,
            is_late=note.is_late,
            delivery_methods=_ids(note.delivery_methods),
            ta_types=_ids(note.ta_types),
        )
    elif kind == "feedback":
        out.update(giver_name=note.giver_name, giver_title=note.giver_title)
    return out


def activity_row(a: TAActivity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "record_number": a.record_number,
        "version": a.version,
        "title": a.title,
        "jurisdiction": a.jurisdiction.code,
        "status": a.status,
        "completion_status": a.completion_status,
        "date_opened": a.date_opened,
        "completion_date": a.completion_date,
    }


def activity_out(a: TAActivity) -> dict[str, Any]:
    available, missing = tracking_available(a)
    return {
        **activity_row(a),
        "goal_driven": a.is_goal_driven,
        "goal": a.goal_id,
        "strategic_area": a.strategic_area_id,
        "goal_category": a.goal_category_id,
        "focus": a.focus_id,
        "other_focus_notes": a.other_focus_notes,
        "is_late_entry": a.is_late_entry,
        "priority": a.priority,
        "activity_type": a.activity_type,
        "requested_by_ccdf_administrator": a.requested_by_ccdf_administrator,
        "requester_approver_role": a.requester_approver_role,
        "requester_approver_name": a.requester_approver_name,
        "requester_approval_date": a.requester_approval_date,
        "cor_name": a.cor_name,
        "cor_approval_date": a.cor_approval_date,
        "requesters": _ids(a.requesters),
        "primary_center": a.primary_center_id,
        "primary_staff": a.primary_staff_id,
        "collaborating_centers": _ids(a.collaborating_centers),
        "collaborating_staff": _ids(a.collaborating_staff),
        "other_collaborators": _ids(a.other_collaborators),
        "other_collaborators_details": a.other_collaborators_details,
        "outcome_plan": a.outcome_plan,
        "outcome_report": a.outcome_report,
        "tracking_available": available,
        "tracking_missing": [str(m) for m in missing],
        "description_notes": [note_out(n, "plan") for n in a.description_notes.all()],
        "summaries": [note_out(n, "summary") for n in a.summaries.all()],
        "feedback": [note_out(n, "feedback") for n in a.feedback.all()],
        "response_notes": [note_out(n, "response") for n in a.response_notes.all()],
    }
