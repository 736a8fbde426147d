"""Validation of a TA activity's fields (rules A1–A5, A8) and of the description notes
entered with a new activity (A6), shared by create and update in `records`.

A1: one TA focus from the goal category's list, or "Other" with notes. A2: the date opened
is the request date, never in the future. A3: priority and TA activity type from their
choices. A4: one or more requesters, contacts of the jurisdiction or its region. A5: one
primary center and staff person (a member of it), any collaborators, details when "Other"
collaborators are chosen. A8: an outcome plan from the start. Items chosen anew must be
active; ones already on the record may stay. A7: whether the CCDF Administrator or staff
requested the activity directly, and if not who approved it and when
(`validate_requester_approval`); what marking it approved needs (`approval_gaps`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from accounts.models import User
from activities.models import (
    ActivityStatus,
    ActivityType,
    PlanStage,
    Priority,
    Requester,
    RequesterApproverRole,
    TAActivity,
)
from activities.selectors import requester_is_contact_of
from activities.services._common import check_newly_active, clean_text, today
from activities.services.messages import (
    ACTIVITY_TYPE_INVALID,
    APPROVAL_NEEDS_APPROVAL_DATE,
    APPROVAL_NEEDS_APPROVER_NAME,
    APPROVAL_NEEDS_APPROVER_ROLE,
    APPROVAL_NEEDS_REQUESTED_DIRECTLY,
    COLLABORATING_CENTER_INACTIVE,
    COLLABORATING_CENTER_IS_PRIMARY,
    COLLABORATING_STAFF_INACTIVE,
    COLLABORATING_STAFF_IS_PRIMARY,
    COR_APPROVAL_DATE_BEFORE_OPENED,
    COR_APPROVAL_DATE_FUTURE,
    COR_APPROVAL_DATE_REQUIRED,
    COR_NAME_REQUIRED,
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
    REQUESTED_DIRECTLY_REQUIRED,
    REQUESTER_APPROVAL_DATE_BEFORE_OPENED,
    REQUESTER_APPROVAL_DATE_FUTURE,
    REQUESTER_APPROVAL_NOT_NEEDED,
    REQUESTER_APPROVER_ROLE_INVALID,
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


# The fields that record the requester-side approval (A7), in the order of the form.
REQUESTER_APPROVAL_FIELDS = (
    "requested_by_ccdf_administrator",
    "requester_approver_role",
    "requester_approver_name",
    "requester_approval_date",
)
_APPROVER_FIELDS = REQUESTER_APPROVAL_FIELDS[1:]


def _opened(activity: TAActivity) -> str:
    return f"{activity.date_opened:%m/%d/%Y}"


def validate_requester_approval(
    activity: TAActivity, *, previous: dict[str, Any] | None, errors: FieldErrors
) -> None:
    """A7 (the guide, "Requesters"): whether the CCDF Administrator or his or her staff
    requested the activity directly; if not, who approved it (CCDF Administrator or RPM),
    their name and the date.

    The answer is required on new records and, once given, cannot be taken back; records
    entered before it existed keep "not recorded" (None) until someone answers. Approver
    details may wait (the approval may still be pending) until the activity is marked
    approved (`approval_gaps`); when given, the approval date is neither in the future nor
    before the date opened (the date TA was requested). An approved activity keeps a
    complete approval on record.
    """
    prev = previous or {}
    answer = activity.requested_by_ccdf_administrator
    filled = [name for name in _APPROVER_FIELDS if getattr(activity, name) not in ("", None)]
    if answer is None and (
        previous is None or prev.get("requested_by_ccdf_administrator") is not None or filled
    ):
        errors.add("requested_by_ccdf_administrator", REQUESTED_DIRECTLY_REQUIRED)
    if answer is True:
        for name in filled:
            errors.add(name, REQUESTER_APPROVAL_NOT_NEEDED)
        return
    role = activity.requester_approver_role
    if role and role not in RequesterApproverRole.values:
        errors.add("requester_approver_role", REQUESTER_APPROVER_ROLE_INVALID)
    check_approval_date(
        errors,
        "requester_approval_date",
        activity.requester_approval_date,
        activity,
        future=REQUESTER_APPROVAL_DATE_FUTURE,
        before_opened=REQUESTER_APPROVAL_DATE_BEFORE_OPENED,
    )
    changed = previous is not None and any(
        prev.get(name) != getattr(activity, name) for name in REQUESTER_APPROVAL_FIELDS
    )
    if changed and activity.status == ActivityStatus.APPROVED:
        for name, message in requester_approval_gaps(activity):
            errors.add(name, message)


def check_approval_date(
    errors: FieldErrors,
    field: str,
    value: dt.date | None,
    activity: TAActivity,
    *,
    future: str,
    before_opened: str,
) -> None:
    if value is None:
        return
    if value > today():
        errors.add(field, future)
    elif activity.date_opened is not None and value < activity.date_opened:
        errors.add(field, before_opened.format(opened=_opened(activity)))


def requester_approval_gaps(activity: TAActivity) -> list[tuple[str, str]]:
    """A7: what the requester-side approval still lacks before the status can be approved
    ("the CCDF Administrator or the RPM must approve all activities that are not directly
    requested by the CCDF Administrator or his or her staff"), as (field, message)."""
    answer = activity.requested_by_ccdf_administrator
    if answer is None:
        return [("requested_by_ccdf_administrator", APPROVAL_NEEDS_REQUESTED_DIRECTLY)]
    if answer:
        return []
    gaps = []
    if not activity.requester_approver_role:
        gaps.append(("requester_approver_role", APPROVAL_NEEDS_APPROVER_ROLE))
    if not activity.requester_approver_name:
        gaps.append(("requester_approver_name", APPROVAL_NEEDS_APPROVER_NAME))
    if activity.requester_approval_date is None:
        gaps.append(("requester_approval_date", APPROVAL_NEEDS_APPROVAL_DATE))
    return gaps


def approval_gaps(
    activity: TAActivity, *, cor_name: str, cor_approval_date: dt.date | None, errors: FieldErrors
) -> None:
    """A7: marking an activity approved needs the requester-side approval on record and the
    COR's name and approval date (the COR approves; the center documents it)."""
    for name, message in requester_approval_gaps(activity):
        errors.add(name, message)
    if not cor_name:
        errors.add("cor_name", COR_NAME_REQUIRED)
    if cor_approval_date is None:
        errors.add("cor_approval_date", COR_APPROVAL_DATE_REQUIRED)
    check_approval_date(
        errors,
        "cor_approval_date",
        cor_approval_date,
        activity,
        future=COR_APPROVAL_DATE_FUTURE,
        before_opened=COR_APPROVAL_DATE_BEFORE_OPENED,
    )


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
