"""TA activity records (rules A1–A8, A16): creating a goal-driven or on-demand activity with
its requesters, staff, collaborators, outcome plan and first description notes; editing its
fields (C1, A13; a changed outcome report is tracking data, A9); and joining an open
activity instead of adding a second one to its strategic area (A16). The field checks
themselves live in `validation`.

Every function is keyword-only, takes the acting person as `actor`, runs in one
transaction, checks permission with `accounts.permissions.require` and refuses bad input
with a `ValidationError` naming the field; a refused call saves nothing. A record saved
together with its many-to-many fields gets one history row holding all of them (AU1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DescriptionNote,
    Requester,
    ResponseNote,
    TAActivity,
)
from activities.services._common import clean_text, lock_activity, require_open, today
from activities.services.messages import (
    GOAL_CLOSED,
    JOIN_NOTHING_TO_ADD,
    JOIN_ON_DEMAND,
    JOINED_NOTICE,
    JURISDICTION_NOT_GOAL,
    JURISDICTION_REQUIRED,
    STATUS_INVALID,
    ExistingOpenActivity,
)
from activities.services.status import activity_set_status
from activities.services.tracking import require_tracking
from activities.services.validation import (
    REQUESTER_APPROVAL_FIELDS,
    approval_gaps,
    validate_activity,
    validate_initial_notes,
    validate_requester_approval,
)
from core.businessdays import is_late_entry
from core.concurrency import check_version
from core.notifications import notification_send
from core.services import FieldErrors, save_tracked
from goals.models import StrategicArea
from reference.models import Center, CollaboratorType, FocusArea, Jurisdiction

ACTIVITY_M2M_FIELDS = (
    "requesters",
    "collaborating_centers",
    "collaborating_staff",
    "other_collaborators",
)
ACTIVITY_EDITABLE_FIELDS = frozenset(
    {
        "focus",
        "other_focus_notes",
        "date_opened",
        "priority",
        "activity_type",
        "primary_center",
        "primary_staff",
        "other_collaborators_details",
        "outcome_plan",
        "outcome_report",
        *REQUESTER_APPROVAL_FIELDS,
        *ACTIVITY_M2M_FIELDS,
    }
)
_ACTIVITY_TEXT_FIELDS = (
    "other_focus_notes",
    "other_collaborators_details",
    "outcome_plan",
    "outcome_report",
    "requester_approver_name",
)


def _previous_state(activity: TAActivity) -> dict[str, Any]:
    state: dict[str, Any] = {
        "focus_id": activity.focus_id,
        "primary_center_id": activity.primary_center_id,
        "primary_staff_id": activity.primary_staff_id,
    }
    for name in REQUESTER_APPROVAL_FIELDS:
        state[name] = getattr(activity, name)
    for name in ACTIVITY_M2M_FIELDS:
        state[name] = set(getattr(activity, name).values_list("pk", flat=True))
    return state


@transaction.atomic
def activity_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction | None = None,
    strategic_area: StrategicArea | None = None,
    focus: FocusArea | None,
    other_focus_notes: str = "",
    date_opened: dt.date | None = None,
    priority: str,
    activity_type: str,
    requesters: Iterable[Requester],
    primary_center: Center | None,
    primary_staff: User | None,
    collaborating_centers: Iterable[Center] = (),
    collaborating_staff: Iterable[User] = (),
    other_collaborators: Iterable[CollaboratorType] = (),
    other_collaborators_details: str = "",
    outcome_plan: str,
    description_notes: Sequence[tuple[str, str]] = (),
    join_existing_confirmed: bool = False,
    status: str = ActivityStatus.PLANNING,
    requested_by_ccdf_administrator: bool | None = None,
    requester_approver_role: str = "",
    requester_approver_name: str = "",
    requester_approval_date: dt.date | None = None,
    cor_name: str = "",
    cor_approval_date: dt.date | None = None,
) -> TAActivity:
    """Create a TA activity (A1–A8, A16); status starts as planning in progress (A7).

    A7: `requested_by_ccdf_administrator` (True or False) is required; when False, the
    CCDF Administrator's or RPM's approval (role, name, date) may follow later but must be
    on record before the activity is approved (`validation.validate_requester_approval`).

    Another starting `status` (e.g. approved when the COR approved before entry) is set
    through `activity_set_status` in the same transaction, so approval records who and when
    and needs `cor_name` and `cor_approval_date`; one the actor may not set is refused on
    field `status` and nothing is saved.

    Goal-driven when `strategic_area` is given: the jurisdiction and goal come from it, the
    goal must be open and the goal category is the goal's. On-demand otherwise: the
    `jurisdiction` is required and the goal category is the focus area's.

    `description_notes` are initial description notes as (stage, text) pairs (A6), dated
    today. `is_late_entry` is set when the record is entered more than 72 business hours
    after `date_opened` (A2).

    A16: when the strategic area already has an open activity and
    `join_existing_confirmed` is False, raises `ExistingOpenActivity` (field
    `strategic_area`) carrying those activities, so a page can offer `activity_join`.
    """
    errors = FieldErrors()
    goal = None
    goal_category = None
    if strategic_area is not None:
        strategic_area = StrategicArea.objects.select_related(
            "goal__jurisdiction__region", "goal__category"
        ).get(pk=strategic_area.pk)
        goal = strategic_area.goal
        if jurisdiction is not None and jurisdiction.pk != goal.jurisdiction_id:
            errors.add(
                "jurisdiction",
                JURISDICTION_NOT_GOAL.format(
                    goal_jurisdiction=goal.jurisdiction, jurisdiction=jurisdiction
                ),
            )
        jurisdiction = goal.jurisdiction
        goal_category = goal.category
    elif jurisdiction is None:
        errors.add("jurisdiction", JURISDICTION_REQUIRED)
        errors.raise_if_any()
    else:
        goal_category = focus.category if focus is not None else None
    require(actor, "activities.add_taactivity", jurisdiction)
    if goal is not None and not goal.is_open:
        errors.add("strategic_area", GOAL_CLOSED)

    activity = TAActivity(
        jurisdiction=jurisdiction,
        goal=goal,
        strategic_area=strategic_area,
        goal_category=goal_category,
        focus=focus,
        other_focus_notes=clean_text(other_focus_notes),
        date_opened=date_opened,
        priority=priority,
        activity_type=activity_type,
        primary_center=primary_center,
        primary_staff=primary_staff,
        other_collaborators_details=clean_text(other_collaborators_details),
        outcome_plan=clean_text(outcome_plan),
        requested_by_ccdf_administrator=requested_by_ccdf_administrator,
        requester_approver_role=clean_text(requester_approver_role),
        requester_approver_name=clean_text(requester_approver_name),
        requester_approval_date=requester_approval_date,
        status=ActivityStatus.PLANNING,
        completion_status=CompletionStatus.OPEN,
        created_by=actor,
    )
    m2m = {
        "requesters": list(requesters),
        "collaborating_centers": list(collaborating_centers),
        "collaborating_staff": list(collaborating_staff),
        "other_collaborators": list(other_collaborators),
    }
    validate_activity(activity, m2m=m2m, previous=None, errors=errors)
    validate_requester_approval(activity, previous=None, errors=errors)
    notes = validate_initial_notes(description_notes, errors)
    if status not in ActivityStatus.values:
        errors.add("status", STATUS_INVALID)
    elif status == ActivityStatus.APPROVED:
        # Every gap at once, with the other fields' (activity_set_status checks again).
        approval_gaps(
            activity,
            cor_name=clean_text(cor_name),
            cor_approval_date=cor_approval_date,
            errors=errors,
        )
    errors.raise_if_any()

    if strategic_area is not None and not join_existing_confirmed:
        existing = list(
            TAActivity.objects.open()
            .filter(strategic_area=strategic_area)
            .select_related("focus", "primary_center", "primary_staff")
            .order_by("pk")
        )
        if existing:
            raise ExistingOpenActivity(existing)

    activity.is_late_entry = is_late_entry(activity.date_opened, today())
    save_tracked(activity, actor=actor, m2m=m2m)
    for stage, text in notes:
        note = DescriptionNote(activity=activity, stage=stage, text=text, author=actor)
        save_tracked(note, actor=actor)
    if status != ActivityStatus.PLANNING:
        try:
            activity = activity_set_status(
                actor=actor,
                activity=activity,
                status=status,
                cor_name=cor_name,
                cor_approval_date=cor_approval_date,
            )
        except PermissionDenied as exc:
            raise ValidationError({"status": str(exc)}) from None
    return activity


def _prepare_update(
    *, actor: User, activity: TAActivity, expected_version: int, fields: dict[str, Any]
) -> tuple[TAActivity, dict[str, list[Any]]]:
    """The locked activity with `fields` applied and checked (A1–A5, A8, A9, A13, C1), and
    its many-to-many sets that changed; raises as `activity_update` does, saving nothing."""
    unknown = set(fields) - ACTIVITY_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields: {', '.join(sorted(unknown))}")
    activity = lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    require_open(activity)

    previous = _previous_state(activity)
    previous_report = activity.outcome_report
    previous_date_opened = activity.date_opened
    m2m = {
        name: list(fields[name]) if name in fields else list(getattr(activity, name).all())
        for name in ACTIVITY_M2M_FIELDS
    }
    for name, value in fields.items():
        if name in ACTIVITY_M2M_FIELDS:
            continue
        setattr(activity, name, clean_text(value) if name in _ACTIVITY_TEXT_FIELDS else value)
    if activity.outcome_report != previous_report:
        require_tracking(activity)
    if not activity.goal_id:
        activity.goal_category = (
            activity.focus.category if activity.focus_id and activity.focus.category_id else None
        )

    errors = FieldErrors()
    validate_activity(activity, m2m=m2m, previous=previous, errors=errors)
    validate_requester_approval(activity, previous=previous, errors=errors)
    errors.raise_if_any()

    if activity.date_opened != previous_date_opened:
        entered_on = timezone.localdate(activity.created_at)
        activity.is_late_entry = is_late_entry(activity.date_opened, entered_on)
    changed_m2m = {
        name: values
        for name, values in m2m.items()
        if {item.pk for item in values} != previous[name]
    }
    return activity, changed_m2m


@transaction.atomic
def activity_update(
    *, actor: User, activity: TAActivity, expected_version: int, **fields: Any
) -> TAActivity:
    """Edit an activity's fields, re-checking A1–A5 and A8 (C1, A13).

    Editable `fields`: focus, other_focus_notes, date_opened, priority, activity_type,
    requesters, primary_center, primary_staff, collaborating_centers, collaborating_staff,
    other_collaborators, other_collaborators_details, outcome_plan, outcome_report and the
    A7 requester approval (requested_by_ccdf_administrator, requester_approver_role,
    requester_approver_name, requester_approval_date); any other name raises TypeError.
    Changing the outcome report is tracking data (A9).
    A closed or cancelled activity is refused (`ActivityReadOnly`, A13); a stale
    `expected_version` raises `ConflictError` (C1). Returns the saved activity.
    """
    activity, changed_m2m = _prepare_update(
        actor=actor, activity=activity, expected_version=expected_version, fields=fields
    )
    save_tracked(activity, actor=actor, bump_version=True, m2m=changed_m2m or None)
    return activity


@transaction.atomic
def activity_update_check(
    *, actor: User, activity: TAActivity, expected_version: int, **fields: Any
) -> None:
    """Refuse exactly as `activity_update` would, saving nothing.

    For forms that validate before they save (the admin's change form): the refusal can
    be shown on the form instead of failing after it was accepted.
    """
    _prepare_update(
        actor=actor, activity=activity, expected_version=expected_version, fields=fields
    )


def _tell_about_join(actor: User, activity: TAActivity) -> None:
    """Door 1: the primary staff person and the State's SSSs hear who joined."""
    recipients = (
        {activity.primary_staff_id: activity.primary_staff} if activity.primary_staff else {}
    )
    for specialist in User.objects.filter(
        is_sss=True, is_active=True, sss_jurisdictions=activity.jurisdiction_id
    ):
        recipients.setdefault(specialist.pk, specialist)
    recipients.pop(actor.pk, None)
    message = JOINED_NOTICE.format(
        person=actor.full_name or actor.email, record=activity.record_number, title=activity.title
    )
    for recipient in recipients.values():
        notification_send(recipient=recipient, message=message, link=activity.get_absolute_url())


def participation_changes(
    activity: TAActivity, person: User, as_collaborating_staff: bool = True
) -> dict[str, list[Any]]:
    """A16: the collaborating staff and centers once `person` takes part (as staff unless
    `as_collaborating_staff` is False; their active center unless it is the primary one),
    only the sets that change; empty when they take part already."""
    previous = _previous_state(activity)
    staff = list(activity.collaborating_staff.all())
    centers = list(activity.collaborating_centers.all())
    if (
        as_collaborating_staff
        and person.pk != activity.primary_staff_id
        and person.pk not in previous["collaborating_staff"]
    ):
        staff.append(person)
    center = person.center
    if (
        center is not None
        and center.active
        and center.pk != activity.primary_center_id
        and center.pk not in previous["collaborating_centers"]
    ):
        centers.append(center)
    m2m = {"collaborating_staff": staff, "collaborating_centers": centers}
    return {
        name: values
        for name, values in m2m.items()
        if {item.pk for item in values} != previous[name]
    }


@transaction.atomic
def activity_join(
    *, actor: User, activity: TAActivity, as_collaborating_staff: bool = True, note: str = ""
) -> TAActivity:
    """A16: join an open activity instead of adding a second one to its strategic area.

    Adds the actor as collaborating staff (unless `as_collaborating_staff` is False) and
    their center as a collaborating center (unless it is the primary center). A non-blank
    `note` is recorded as a TA response note by the actor.

    Issue #12, door 1: joining gives edit rights, so only `activities.join_taactivity`
    holders join (staff of the primary or a collaborating center, the State's SSS, an
    administrator); an on-demand activity cannot be joined (field `strategic_area`); the
    primary staff person and the State's SSSs are notified.
    """
    activity = lock_activity(activity)
    require(actor, "activities.join_taactivity", activity)
    require_open(activity)
    if not activity.is_goal_driven:
        raise ValidationError({"strategic_area": JOIN_ON_DEMAND})

    changed = participation_changes(activity, actor, as_collaborating_staff)
    if not changed:
        raise ValidationError({"collaborating_staff": JOIN_NOTHING_TO_ADD})
    save_tracked(activity, actor=actor, bump_version=True, m2m=changed)
    note = clean_text(note)
    if note:
        response = ResponseNote(activity=activity, text=note, author=actor)
        save_tracked(response, actor=actor)
    _tell_about_join(actor, activity)
    return activity
