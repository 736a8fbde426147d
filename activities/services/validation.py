"""Validation of a TA activity's fields (rules A1–A5, A8) and of the description notes
entered with a new activity (A6), shared by create and update in `records`.

A1: one TA focus from the goal category's list, or "Other" with notes. A2: the date opened
is the request date, never in the future. A3: priority and TA activity type from their
choices. A4: one or more requesters, contacts of the jurisdiction or its region. A5: one
primary center and staff person (a member of it), any collaborators, details when "Other"
collaborators are chosen. A8: an outcome plan from the start. Items chosen anew must be
active; ones already on the record may stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.models import User
from activities.models import (
    ActivityType,
    PlanStage,
    Priority,
    Requester,
    TAActivity,
)
from activities.selectors import requester_is_contact_of
from activities.services._common import check_newly_active, clean_text, today
from activities.services.messages import (
    ACTIVITY_TYPE_INVALID,
    COLLABORATING_CENTER_INACTIVE,
    COLLABORATING_CENTER_IS_PRIMARY,
    COLLABORATING_STAFF_INACTIVE,
    COLLABORATING_STAFF_IS_PRIMARY,
    DATE_OPENED_FUTURE,
    DATE_OPENED_REQUIRED,
    DESCRIPTION_NOTES_ONE_FINAL,
    FOCUS_INACTIVE,
    FOCUS_NOT_IN_CATEGORY,
    FOCUS_REQUIRED,
    NOTE_TEXT_REQUIRED,
    OTHER_COLLABORATOR_INACTIVE,
    OTHER_COLLABORATORS_DETAILS_REQUIRED,
    OTHER_FOCUS_NOTES_LOCKED,
    OTHER_FOCUS_NOTES_REQUIRED,
    OUTCOME_PLAN_REQUIRED,
    PRIMARY_CENTER_INACTIVE,
    PRIMARY_CENTER_REQUIRED,
    PRIMARY_STAFF_INACTIVE,
    PRIMARY_STAFF_NOT_MEMBER,
    PRIMARY_STAFF_REQUIRED,
    PRIORITY_INVALID,
    REQUESTER_INACTIVE,
    REQUESTER_OUTSIDE,
    REQUESTERS_REQUIRED,
    STAGE_ARCHIVED_NOT_CHOSEN,
    STAGE_INVALID,
)
from core.services import FieldErrors
from reference.models import Center, CollaboratorType, FocusArea


def validate_activity(
    activity: TAActivity,
    *,
    m2m: dict[str, list[Any]],
    previous: dict[str, Any] | None,
    errors: FieldErrors,
) -> None:
    """A1–A5 and A8 on an unsaved activity; `previous` is its state before an edit."""
    prev = previous or {}
    is_create = previous is None

    # A1: one TA focus from the goal category's list, or "Other" with notes.
    focus: FocusArea | None = activity.focus if activity.focus_id else None
    if focus is None:
        errors.add("focus", FOCUS_REQUIRED)
    else:
        if not focus.active and (is_create or prev["focus_id"] != focus.pk):
            errors.add("focus", FOCUS_INACTIVE.format(focus=focus))
        if (
            activity.goal_id
            and not focus.is_other
            and focus.category_id != activity.goal.category_id
        ):
            errors.add(
                "focus",
                FOCUS_NOT_IN_CATEGORY.format(focus=focus, category=activity.goal.category.name),
            )
        if focus.is_other and not activity.other_focus_notes:
            errors.add("other_focus_notes", OTHER_FOCUS_NOTES_REQUIRED)
        if not focus.is_other and activity.other_focus_notes:
            errors.add("other_focus_notes", OTHER_FOCUS_NOTES_LOCKED)

    # A2: date opened is the request date, never in the future.
    if activity.date_opened is None:
        errors.add("date_opened", DATE_OPENED_REQUIRED)
    elif activity.date_opened > today():
        errors.add("date_opened", DATE_OPENED_FUTURE)

    # A3: priority and TA activity type from their choices.
    if activity.priority not in Priority.values:
        errors.add("priority", PRIORITY_INVALID)
    if activity.activity_type not in ActivityType.values:
        errors.add("activity_type", ACTIVITY_TYPE_INVALID)

    # A4: one or more requesters from the jurisdiction or its region.
    requesters: list[Requester] = m2m["requesters"]
    if not requesters:
        errors.add("requesters", REQUESTERS_REQUIRED)
    jurisdiction = activity.jurisdiction
    for requester in requesters:
        if not requester_is_contact_of(requester, jurisdiction):
            errors.add(
                "requesters",
                REQUESTER_OUTSIDE.format(requester=requester, jurisdiction=jurisdiction),
            )
    check_newly_active(
        errors,
        "requesters",
        requesters,
        prev.get("requesters", set()),
        REQUESTER_INACTIVE,
        label="requester",
    )

    # A5: one primary center and staff person (a member of it), any collaborators.
    center: Center | None = activity.primary_center if activity.primary_center_id else None
    staff: User | None = activity.primary_staff if activity.primary_staff_id else None
    if center is None:
        errors.add("primary_center", PRIMARY_CENTER_REQUIRED)
    elif not center.active and (is_create or prev["primary_center_id"] != center.pk):
        errors.add("primary_center", PRIMARY_CENTER_INACTIVE.format(center=center))
    if staff is None:
        errors.add("primary_staff", PRIMARY_STAFF_REQUIRED)
    elif (
        is_create
        or prev["primary_staff_id"] != staff.pk
        or (center is not None and prev["primary_center_id"] != center.pk)
    ):
        if not staff.is_active:
            errors.add("primary_staff", PRIMARY_STAFF_INACTIVE.format(person=staff))
        if center is not None and staff.center_id != center.pk:
            errors.add(
                "primary_staff", PRIMARY_STAFF_NOT_MEMBER.format(person=staff, center=center)
            )
    for other in m2m["collaborating_centers"]:
        if center is not None and other.pk == center.pk:
            errors.add(
                "collaborating_centers", COLLABORATING_CENTER_IS_PRIMARY.format(center=other)
            )
    check_newly_active(
        errors,
        "collaborating_centers",
        m2m["collaborating_centers"],
        prev.get("collaborating_centers", set()),
        COLLABORATING_CENTER_INACTIVE,
        label="center",
    )
    for person in m2m["collaborating_staff"]:
        if staff is not None and person.pk == staff.pk:
            errors.add("collaborating_staff", COLLABORATING_STAFF_IS_PRIMARY.format(person=person))
    check_newly_active(
        errors,
        "collaborating_staff",
        m2m["collaborating_staff"],
        prev.get("collaborating_staff", set()),
        COLLABORATING_STAFF_INACTIVE,
        label="person",
    )
    collaborator_types: list[CollaboratorType] = m2m["other_collaborators"]
    check_newly_active(
        errors,
        "other_collaborators",
        collaborator_types,
        prev.get("other_collaborators", set()),
        OTHER_COLLABORATOR_INACTIVE,
    )
    other_types = [item for item in collaborator_types if item.is_other]
    if other_types and not activity.other_collaborators_details:
        errors.add(
            "other_collaborators_details",
            OTHER_COLLABORATORS_DETAILS_REQUIRED.format(item=other_types[0]),
        )

    # A8: an outcome plan from the start.
    if not activity.outcome_plan:
        errors.add("outcome_plan", OUTCOME_PLAN_REQUIRED)


def validate_initial_notes(
    description_notes: Sequence[tuple[str, str]], errors: FieldErrors
) -> list[tuple[str, str]]:
    """A6 for the description notes entered with a new activity."""
    cleaned = []
    for stage, text in description_notes:
        text = clean_text(text)
        if stage == PlanStage.ARCHIVED_FINAL:
            errors.add("description_notes", STAGE_ARCHIVED_NOT_CHOSEN)
        elif stage not in PlanStage.values:
            errors.add("description_notes", STAGE_INVALID)
        if not text:
            errors.add("description_notes", NOTE_TEXT_REQUIRED)
        cleaned.append((stage, text))
    if sum(1 for stage, _ in cleaned if stage == PlanStage.FINAL) > 1:
        errors.add("description_notes", DESCRIPTION_NOTES_ONE_FINAL)
    return cleaned
