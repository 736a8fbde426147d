"""Writes for TA activities and everything they own (rules A1–A16, AU1, C1).

Every function here is keyword-only, takes the acting person as `actor`, runs in one
transaction, checks permission with `accounts.permissions.require` (PermissionDenied),
and refuses bad input with a `ValidationError` that names the field; a refused call saves
nothing. Web views, the API, the importer and commands all call these functions.

History (AU1): every save sets `_history_user = actor`, so django-simple-history records
who made the change even outside a web request. A record saved together with its
many-to-many fields gets one history row holding all of them.

Concurrency (C1): edits of an activity or a note take the version the person started
from; a stale version raises `core.concurrency.ConflictError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities.models import (
    ACTIVITY_HISTORY,
    SUMMARY_HISTORY,
    ActivityStatus,
    ActivityType,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Priority,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.businessdays import is_late_entry
from core.concurrency import bump_version, check_version, lock_for_update
from core.status import record_status_change
from goals.models import StrategicArea
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FocusArea,
    Jurisdiction,
    Region,
    TAType,
)

# --- Messages (shown to people as they are) -------------------------------------------

REQUESTER_NAME_REQUIRED = "Enter the requester's name."
REQUESTER_EMAIL_REQUIRED = "Enter the requester's e-mail address."
REQUESTER_PLACE_REQUIRED = "Choose either a State or Territory or a Region for the requester."
REQUESTER_PLACE_BOTH = "Choose a State or Territory or a Region for the requester, not both."
REQUESTER_APPROVAL_REQUIRED = (
    "Record who approved adding this requester: the CCDF Administrator or the Regional "
    "Program Manager (RPM)."
)
DUPLICATE_REQUESTER = (
    "A requester with this e-mail address is already on file ({name}); choose that "
    "requester instead of adding a new one."
)

JURISDICTION_REQUIRED = "Choose the State or Territory this TA activity is for."
JURISDICTION_NOT_GOAL = (
    "The strategic area belongs to a goal of {goal_jurisdiction}, not of {jurisdiction}."
)
GOAL_CLOSED = "This strategic area's goal is closed; TA activities cannot be added to it."

FOCUS_REQUIRED = "Choose a TA focus."
FOCUS_INACTIVE = "“{focus}” is no longer offered; choose another TA focus."
FOCUS_NOT_IN_CATEGORY = (
    "“{focus}” is not a TA focus of the goal category “{category}”; choose one from its "
    "list or “Other”."
)
OTHER_FOCUS_NOTES_REQUIRED = "Describe the TA focus: “Other” requires other TA focus notes."
OTHER_FOCUS_NOTES_LOCKED = "Other TA focus notes can only be entered when the TA focus is “Other”."

DATE_OPENED_REQUIRED = "Enter the date opened (the date TA was requested)."
DATE_OPENED_FUTURE = "The date opened cannot be in the future."

PRIORITY_INVALID = "Choose a priority level: low, medium or high."
ACTIVITY_TYPE_INVALID = "Choose a TA activity type: universal, targeted or tailored/individualized."

REQUESTERS_REQUIRED = "Choose at least one requester."
REQUESTER_OUTSIDE = (
    "{requester} is not a contact of {jurisdiction} or of its region; choose requesters "
    "from that State or Territory or its region."
)
REQUESTER_INACTIVE = "{requester} is no longer an active requester."

PRIMARY_CENTER_REQUIRED = "Choose the primary center."
PRIMARY_CENTER_INACTIVE = "{center} is no longer an active center."
PRIMARY_STAFF_REQUIRED = "Choose the primary staff person."
PRIMARY_STAFF_INACTIVE = "{person} no longer has an active account."
PRIMARY_STAFF_NOT_MEMBER = "{person} is not a member of {center}, the primary center."
COLLABORATING_CENTER_IS_PRIMARY = (
    "{center} is the primary center; it cannot also be a collaborating center."
)
COLLABORATING_CENTER_INACTIVE = "{center} is no longer an active center."
COLLABORATING_STAFF_IS_PRIMARY = (
    "{person} is the primary staff person; list other staff as collaborating."
)
COLLABORATING_STAFF_INACTIVE = "{person} no longer has an active account."
OTHER_COLLABORATOR_INACTIVE = "“{item}” is no longer offered as an other collaborator."
OTHER_COLLABORATORS_DETAILS_REQUIRED = (
    "Give details on the other collaborators: “{item}” was chosen (names, titles and "
    "organizations)."
)

OUTCOME_PLAN_REQUIRED = "Enter the State/Territory outcome plan."

NOTE_TEXT_REQUIRED = "Enter the note's text."
NOTE_DATE_REQUIRED = "Enter the note's date."
NOTE_DATE_FUTURE = "The note's date cannot be in the future."
STAGE_INVALID = "Choose a TA activity description type: initial, intermediate or final plan."
STAGE_ARCHIVED_NOT_CHOSEN = (
    "“Archived final plan” cannot be chosen: a final plan is archived automatically when a "
    "new final plan is added."
)
DESCRIPTION_NOTES_ONE_FINAL = "Only one final plan can be entered at a time."

STATUS_INVALID = "Choose a TA activity status: planning in progress, approved, on hold or denied."
STATUS_UNCHANGED = "The TA activity status is already “{status}”."
STATUS_NOT_ALLOWED = "The TA activity status cannot change from “{source}” to “{target}”."

TRACKING_REASON_NO_FINAL = "no current final plan"
TRACKING_REASON_NOT_APPROVED = "status is not approved"
TRACKING_UNAVAILABLE = (
    "Tracking (summaries, feedback, completion and outcome report) is available only when "
    "the activity has a current final plan and its status is approved: {reasons}."
)

DELIVERY_DATE_REQUIRED = "Enter the date TA was delivered."
DELIVERY_DATE_FUTURE = "The delivery date cannot be in the future."
DELIVERY_DATE_BEFORE_OPENED = "The delivery date cannot be before the date opened ({opened})."
DELIVERY_METHOD_INACTIVE = "“{item}” is no longer offered as a delivery method."
TA_TYPE_INACTIVE = "“{item}” is no longer offered as a TA type."

FEEDBACK_DATE_REQUIRED = "Enter the date the feedback was received."
FEEDBACK_DATE_FUTURE = "The feedback date cannot be in the future."
GIVER_NAME_REQUIRED = "Enter the full name of the person giving the feedback."
GIVER_TITLE_REQUIRED = "Enter the title or role of the person giving the feedback."

COMPLETION_DATE_REQUIRED = "Enter the completion date."
COMPLETION_DATE_FUTURE = "The completion date cannot be in the future."
COMPLETION_DATE_BEFORE_OPENED = "The completion date cannot be before the date opened ({opened})."
OUTCOME_REPORT_REQUIRED = "Enter the State/Territory outcome report before closing."
CANCEL_AFTER_DELIVERY = (
    "TA has been delivered on this activity (a summary of TA delivered exists), so it "
    "cannot be cancelled: use Closed instead."
)
REASON_REQUIRED = "Give the reason."
ALREADY_OPEN = "This TA activity is already open."
READ_ONLY = (
    "This TA activity is {status}; it is read-only (except for requester feedback) until "
    "an administrator or its primary staff person reopens it."
)
EXISTING_OPEN_ACTIVITY = (
    "This strategic area already has an open TA activity ({records}). Join it instead, or "
    "confirm that a separate activity is needed."
)
JOIN_NOTHING_TO_ADD = "You and your center already take part in this TA activity."


# --- Exceptions a page can act on ------------------------------------------------------


class DuplicateRequester(ValidationError):
    """A4: the e-mail address is already on file; `existing` is that requester."""

    def __init__(self, existing: Requester) -> None:
        super().__init__(
            {"email": DUPLICATE_REQUESTER.format(name=existing)}, code="duplicate_requester"
        )
        self.existing = existing


class ExistingOpenActivity(ValidationError):
    """A16: the strategic area has open activities (`activities`) the actor may join."""

    def __init__(self, activities: Sequence[TAActivity]) -> None:
        records = ", ".join(activity.record_number for activity in activities)
        super().__init__(
            {"strategic_area": EXISTING_OPEN_ACTIVITY.format(records=records)},
            code="existing_open_activity",
        )
        self.activities = list(activities)


class TrackingUnavailable(ValidationError):
    """A9: tracking data was refused; `reasons` lists what is missing."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__(
            {"tracking": TRACKING_UNAVAILABLE.format(reasons="; ".join(reasons))},
            code="tracking_unavailable",
        )
        self.reasons = list(reasons)


class ActivityReadOnly(ValidationError):
    """A13: the activity is closed or cancelled and must be reopened first."""

    def __init__(self, activity: TAActivity) -> None:
        status = activity.get_completion_status_display().lower()
        super().__init__({"completion_status": READ_ONLY.format(status=status)}, code="read_only")


# --- Small helpers ----------------------------------------------------------------------


class _Errors:
    """Collects field errors so a person sees every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


_HISTORY = {TAActivity: ACTIVITY_HISTORY, DeliverySummary: SUMMARY_HISTORY}


def _save(
    instance: models.Model,
    *,
    actor: User,
    m2m: dict[str, Sequence[models.Model]] | None = None,
    created: bool = False,
) -> None:
    """Save `instance` (and its many-to-many fields) with one history row by `actor` (AU1)."""
    instance._history_user = actor
    if not m2m:
        instance.save()
        return
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        _HISTORY[type(instance)].create_historical_record(instance, "+" if created else "~")


def _today() -> dt.date:
    return timezone.localdate()


def _text(value: str | None) -> str:
    return (value or "").strip()


def _lock_activity(activity: TAActivity) -> TAActivity:
    return lock_for_update(TAActivity, activity.pk)


def _require_open(activity: TAActivity) -> None:
    """A13: closed and cancelled activities are read-only until reopened."""
    if activity.completion_status != CompletionStatus.OPEN:
        raise ActivityReadOnly(activity)


def _has_current_final_plan(activity: TAActivity) -> bool:
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "description_notes" in cache:
        return any(note.stage == PlanStage.FINAL for note in cache["description_notes"])
    return activity.description_notes.filter(stage=PlanStage.FINAL).exists()


def tracking_available(activity: TAActivity) -> tuple[bool, list[str]]:
    """A9: whether the tracking tab exists, and if not, what is missing.

    Tracking needs a current final plan and status approved. Uses prefetched description
    notes when present (see selectors.activity_with_details), otherwise one query.
    """
    reasons = []
    if not _has_current_final_plan(activity):
        reasons.append(TRACKING_REASON_NO_FINAL)
    if activity.status != ActivityStatus.APPROVED:
        reasons.append(TRACKING_REASON_NOT_APPROVED)
    return (not reasons, reasons)


def _require_tracking(activity: TAActivity) -> None:
    available, reasons = tracking_available(activity)
    if not available:
        raise TrackingUnavailable(reasons)


def _check_note_date(
    errors: _Errors, field: str, value: dt.date | None, *, required: str, future: str
) -> None:
    if value is None:
        errors.add(field, required)
    elif value > _today():
        errors.add(field, future)


def _check_newly_active(
    errors: _Errors,
    field: str,
    chosen: Iterable[Any],
    previous_ids: set[int],
    message: str,
    *,
    label: str = "item",
) -> None:
    """Items chosen anew must be active; ones already on the record may stay (reference lists
    are deactivated, never deleted)."""
    for item in chosen:
        active = item.is_active if isinstance(item, User) else item.active
        if item.pk not in previous_ids and not active:
            errors.add(field, message.format(**{label: item}))


# --- Requesters (A4) ------------------------------------------------------------------------


@transaction.atomic
def requester_create(
    *,
    actor: User,
    name: str,
    title: str,
    email: str,
    jurisdiction: Jurisdiction | None = None,
    region: Region | None = None,
    approved_by: str,
    approved_by_name: str = "",
) -> Requester:
    """A4: add a requester contact of one State/Territory or one Region.

    `approved_by` records who approved adding the requester (a `Requester.ApprovedBy`
    value: CCDF Administrator or RPM). The e-mail address is compared case-insensitively
    with every requester on file; a duplicate raises `DuplicateRequester` (field `email`)
    whose `existing` attribute is the requester already on file.
    """
    require(actor, "activities.add_requester")
    errors = _Errors()
    name, title, email = _text(name), _text(title), _text(email).lower()
    if not name:
        errors.add("name", REQUESTER_NAME_REQUIRED)
    if not email:
        errors.add("email", REQUESTER_EMAIL_REQUIRED)
    if jurisdiction is None and region is None:
        errors.add("jurisdiction", REQUESTER_PLACE_REQUIRED)
    elif jurisdiction is not None and region is not None:
        errors.add("jurisdiction", REQUESTER_PLACE_BOTH)
    if approved_by not in Requester.ApprovedBy.values:
        errors.add("approved_by", REQUESTER_APPROVAL_REQUIRED)
    errors.raise_if_any()

    existing = Requester.objects.filter(email__iexact=email).first()
    if existing is not None:
        raise DuplicateRequester(existing)
    requester = Requester(
        name=name,
        title=title,
        email=email,
        jurisdiction=jurisdiction,
        region=region,
        approved_by=approved_by,
        approved_by_name=_text(approved_by_name),
        created_by=actor,
    )
    requester.full_clean()
    try:
        with transaction.atomic():
            _save(requester, actor=actor)
    except IntegrityError:
        # Someone added the same address between our check and our insert.
        existing = Requester.objects.filter(email__iexact=email).first()
        if existing is None:
            raise
        raise DuplicateRequester(existing) from None
    return requester


# --- Creating and editing activities (A1–A8, A16) --------------------------------------------

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
        *ACTIVITY_M2M_FIELDS,
    }
)
_ACTIVITY_TEXT_FIELDS = (
    "other_focus_notes",
    "other_collaborators_details",
    "outcome_plan",
    "outcome_report",
)


def _previous_state(activity: TAActivity) -> dict[str, Any]:
    state: dict[str, Any] = {
        "focus_id": activity.focus_id,
        "primary_center_id": activity.primary_center_id,
        "primary_staff_id": activity.primary_staff_id,
    }
    for name in ACTIVITY_M2M_FIELDS:
        state[name] = set(getattr(activity, name).values_list("pk", flat=True))
    return state


def _validate_activity(
    activity: TAActivity,
    *,
    m2m: dict[str, list[Any]],
    previous: dict[str, Any] | None,
    errors: _Errors,
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
    elif activity.date_opened > _today():
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
        if requester.jurisdiction_id != jurisdiction.pk and (
            requester.region_id is None or requester.region_id != jurisdiction.region_id
        ):
            errors.add(
                "requesters",
                REQUESTER_OUTSIDE.format(requester=requester, jurisdiction=jurisdiction),
            )
    _check_newly_active(
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
    _check_newly_active(
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
    _check_newly_active(
        errors,
        "collaborating_staff",
        m2m["collaborating_staff"],
        prev.get("collaborating_staff", set()),
        COLLABORATING_STAFF_INACTIVE,
        label="person",
    )
    collaborator_types: list[CollaboratorType] = m2m["other_collaborators"]
    _check_newly_active(
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


def _validate_initial_notes(
    description_notes: Sequence[tuple[str, str]], errors: _Errors
) -> list[tuple[str, str]]:
    """A6 for the description notes entered with a new activity."""
    cleaned = []
    for stage, text in description_notes:
        text = _text(text)
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
) -> TAActivity:
    """Create a TA activity (A1–A8, A16); status starts as planning in progress (A7).

    Another starting `status` (e.g. approved when the COR approved before entry) is set
    through `activity_set_status` in the same transaction, so approval records who and when;
    one the actor may not set is refused on field `status` and nothing is saved.

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
    errors = _Errors()
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
        other_focus_notes=_text(other_focus_notes),
        date_opened=date_opened,
        priority=priority,
        activity_type=activity_type,
        primary_center=primary_center,
        primary_staff=primary_staff,
        other_collaborators_details=_text(other_collaborators_details),
        outcome_plan=_text(outcome_plan),
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
    _validate_activity(activity, m2m=m2m, previous=None, errors=errors)
    notes = _validate_initial_notes(description_notes, errors)
    if status not in ActivityStatus.values:
        errors.add("status", STATUS_INVALID)
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

    activity.is_late_entry = is_late_entry(activity.date_opened, _today())
    activity.full_clean()
    _save(activity, actor=actor, m2m=m2m, created=True)
    for stage, text in notes:
        note = DescriptionNote(activity=activity, stage=stage, text=text, author=actor)
        note.full_clean()
        _save(note, actor=actor)
    if status != ActivityStatus.PLANNING:
        try:
            activity = activity_set_status(actor=actor, activity=activity, status=status)
        except PermissionDenied as exc:
            raise ValidationError({"status": str(exc)}) from None
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: TAActivity, expected_version: int, **fields: Any
) -> TAActivity:
    """Edit an activity's fields, re-checking A1–A5 and A8 (C1, A13).

    Editable `fields`: focus, other_focus_notes, date_opened, priority, activity_type,
    requesters, primary_center, primary_staff, collaborating_centers, collaborating_staff,
    other_collaborators, other_collaborators_details, outcome_plan, outcome_report; any
    other name raises TypeError. Changing the outcome report is tracking data (A9).
    A closed or cancelled activity is refused (`ActivityReadOnly`, A13); a stale
    `expected_version` raises `ConflictError` (C1). Returns the saved activity.
    """
    unknown = set(fields) - ACTIVITY_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields: {', '.join(sorted(unknown))}")
    activity = _lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    _require_open(activity)

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
        setattr(activity, name, _text(value) if name in _ACTIVITY_TEXT_FIELDS else value)
    if activity.outcome_report != previous_report:
        _require_tracking(activity)
    if not activity.goal_id:
        activity.goal_category = (
            activity.focus.category if activity.focus_id and activity.focus.category_id else None
        )

    errors = _Errors()
    _validate_activity(activity, m2m=m2m, previous=previous, errors=errors)
    errors.raise_if_any()

    if activity.date_opened != previous_date_opened:
        entered_on = timezone.localdate(activity.created_at)
        activity.is_late_entry = is_late_entry(activity.date_opened, entered_on)
    bump_version(activity)
    activity.full_clean()
    changed_m2m = {
        name: values
        for name, values in m2m.items()
        if {item.pk for item in values} != previous[name]
    }
    _save(activity, actor=actor, m2m=changed_m2m or None)
    return activity


@transaction.atomic
def activity_join(
    *, actor: User, activity: TAActivity, as_collaborating_staff: bool = True, note: str = ""
) -> TAActivity:
    """A16: join an open activity instead of adding a second one to its strategic area.

    Adds the actor as collaborating staff (unless `as_collaborating_staff` is False) and
    their center as a collaborating center (unless it is the primary center). A non-blank
    `note` is recorded as a TA response note by the actor. Anyone who may add activities
    in the jurisdiction may join.
    """
    activity = _lock_activity(activity)
    require(actor, "activities.add_taactivity", activity.jurisdiction)
    _require_open(activity)

    previous = _previous_state(activity)
    staff = list(activity.collaborating_staff.all())
    centers = list(activity.collaborating_centers.all())
    if (
        as_collaborating_staff
        and actor.pk != activity.primary_staff_id
        and actor.pk not in previous["collaborating_staff"]
    ):
        staff.append(actor)
    center = actor.center
    if (
        center is not None
        and center.active
        and center.pk != activity.primary_center_id
        and center.pk not in previous["collaborating_centers"]
    ):
        centers.append(center)
    m2m = {"collaborating_staff": staff, "collaborating_centers": centers}
    changed = {
        name: values
        for name, values in m2m.items()
        if {item.pk for item in values} != previous[name]
    }
    if not changed:
        raise ValidationError({"collaborating_staff": JOIN_NOTHING_TO_ADD})
    bump_version(activity)
    activity.full_clean()
    _save(activity, actor=actor, m2m=changed)
    note = _text(note)
    if note:
        response = ResponseNote(activity=activity, text=note, author=actor)
        response.full_clean()
        _save(response, actor=actor)
    return activity


# --- Status (A7) ----------------------------------------------------------------------------

STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.PLANNING: frozenset(
        {ActivityStatus.APPROVED, ActivityStatus.ON_HOLD, ActivityStatus.DENIED}
    ),
    ActivityStatus.APPROVED: frozenset({ActivityStatus.PLANNING, ActivityStatus.ON_HOLD}),
    ActivityStatus.ON_HOLD: frozenset(
        {ActivityStatus.PLANNING, ActivityStatus.APPROVED, ActivityStatus.DENIED}
    ),
    ActivityStatus.DENIED: frozenset({ActivityStatus.PLANNING}),
}


@transaction.atomic
def activity_set_status(
    *,
    actor: User,
    activity: TAActivity,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
) -> TAActivity:
    """A7: move the TA activity status along `STATUS_TRANSITIONS`, one StatusChange row each.

    Marking approved needs the approve permission (federal viewers hold it) and records
    `approved_by` and `approved_at`; leaving approved keeps them (the StatusChange rows
    keep the full story). A no-op transition is refused. Open activities only (A13).
    """
    activity = _lock_activity(activity)
    if status == ActivityStatus.APPROVED:
        require(actor, "activities.approve_taactivity", activity)
    else:
        require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    _require_open(activity)
    if status not in ActivityStatus.values:
        raise ValidationError({"status": STATUS_INVALID})
    source = activity.status
    if status == source:
        raise ValidationError(
            {"status": STATUS_UNCHANGED.format(status=activity.get_status_display())}
        )
    if status not in STATUS_TRANSITIONS[source]:
        raise ValidationError(
            {
                "status": STATUS_NOT_ALLOWED.format(
                    source=ActivityStatus(source).label, target=ActivityStatus(status).label
                )
            }
        )
    activity.status = status
    if status == ActivityStatus.APPROVED:
        activity.approved_by = actor
        activity.approved_at = timezone.now()
    bump_version(activity)
    activity.full_clean()
    _save(activity, actor=actor)
    record_status_change(
        subject=activity,
        field="status",
        from_value=source,
        to_value=status,
        actor=actor,
        reason=_text(reason),
    )
    return activity


# --- Description notes (A6) and note editing ----------------------------------------------

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
    activity = _lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    _require_open(activity)
    errors = _Errors()
    if stage == PlanStage.ARCHIVED_FINAL:
        errors.add("stage", STAGE_ARCHIVED_NOT_CHOSEN)
    elif stage not in _ADDABLE_STAGES:
        errors.add("stage", STAGE_INVALID)
    text = _text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    note_date = note_date or _today()
    _check_note_date(
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
            bump_version(archived)
            archived.full_clean()
            _save(archived, actor=actor)
    note = DescriptionNote(
        activity=activity, stage=stage, text=text, note_date=note_date, author=actor
    )
    note.full_clean()
    _save(note, actor=actor)
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
        _require_open(activity)
    if model is DeliverySummary or (model is RequesterFeedback and activity.is_open):
        _require_tracking(activity)

    errors = _Errors()
    text = _text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    m2m: dict[str, list[Any]] = {}
    if model is DeliverySummary:
        _check_delivery_date(errors, "note_date", note_date, activity)
        previous_methods = set(note.delivery_methods.values_list("pk", flat=True))
        previous_types = set(note.ta_types.values_list("pk", flat=True))
        if "delivery_methods" in extra:
            m2m["delivery_methods"] = list(extra["delivery_methods"])
            _check_newly_active(
                errors,
                "delivery_methods",
                m2m["delivery_methods"],
                previous_methods,
                DELIVERY_METHOD_INACTIVE,
            )
        if "ta_types" in extra:
            m2m["ta_types"] = list(extra["ta_types"])
            _check_newly_active(
                errors, "ta_types", m2m["ta_types"], previous_types, TA_TYPE_INACTIVE
            )
    else:
        _check_note_date(
            errors, "note_date", note_date, required=NOTE_DATE_REQUIRED, future=NOTE_DATE_FUTURE
        )
    if model is RequesterFeedback:
        for name, message in (
            ("giver_name", GIVER_NAME_REQUIRED),
            ("giver_title", GIVER_TITLE_REQUIRED),
        ):
            if name in extra:
                value = _text(extra[name])
                if not value:
                    errors.add(name, message)
                setattr(note, name, value)
    errors.raise_if_any()

    note.text = text
    note.note_date = note_date
    bump_version(note)
    note.full_clean(exclude=["due_date"] if model is DeliverySummary else None)
    _save(note, actor=actor, m2m=m2m or None)
    return note


# --- Tracking (A9–A11, A14) ------------------------------------------------------------------


def _check_delivery_date(
    errors: _Errors, field: str, delivery_date: dt.date | None, activity: TAActivity
) -> None:
    if delivery_date is None:
        errors.add(field, DELIVERY_DATE_REQUIRED)
    elif delivery_date > _today():
        errors.add(field, DELIVERY_DATE_FUTURE)
    elif delivery_date < activity.date_opened:
        errors.add(
            field, DELIVERY_DATE_BEFORE_OPENED.format(opened=f"{activity.date_opened:%m/%d/%Y}")
        )


@transaction.atomic
def summary_add(
    *,
    actor: User,
    activity: TAActivity,
    delivery_date: dt.date | None,
    text: str,
    delivery_methods: Iterable[DeliveryMethod] = (),
    ta_types: Iterable[TAType] = (),
) -> DeliverySummary:
    """A10: add a summary of TA delivered (tracking data, A9; open activities only, A13).

    The delivery date is required, not in the future and not before the date opened; the
    text is required. The model computes `due_date` and `is_late`.
    """
    activity = _lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    _require_open(activity)
    _require_tracking(activity)
    errors = _Errors()
    _check_delivery_date(errors, "delivery_date", delivery_date, activity)
    text = _text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    methods, types = list(delivery_methods), list(ta_types)
    _check_newly_active(errors, "delivery_methods", methods, set(), DELIVERY_METHOD_INACTIVE)
    _check_newly_active(errors, "ta_types", types, set(), TA_TYPE_INACTIVE)
    errors.raise_if_any()

    summary = DeliverySummary(activity=activity, note_date=delivery_date, text=text, author=actor)
    summary.full_clean(exclude=["due_date"])
    _save(
        summary,
        actor=actor,
        m2m={"delivery_methods": methods, "ta_types": types},
        created=True,
    )
    return summary


@transaction.atomic
def feedback_add(
    *,
    actor: User,
    activity: TAActivity,
    feedback_date: dt.date | None,
    giver_name: str,
    giver_title: str,
    text: str,
) -> RequesterFeedback:
    """A11: add requester feedback or a closing comment, dated, with who gave it.

    Allowed after the activity is closed or cancelled (A13's one exception). While the
    activity is open it is tracking data and needs tracking to be available (A9).
    """
    activity = _lock_activity(activity)
    require(actor, "activities.add_feedback", activity)
    if activity.is_open:
        _require_tracking(activity)
    errors = _Errors()
    _check_note_date(
        errors,
        "feedback_date",
        feedback_date,
        required=FEEDBACK_DATE_REQUIRED,
        future=FEEDBACK_DATE_FUTURE,
    )
    giver_name, giver_title, text = _text(giver_name), _text(giver_title), _text(text)
    if not giver_name:
        errors.add("giver_name", GIVER_NAME_REQUIRED)
    if not giver_title:
        errors.add("giver_title", GIVER_TITLE_REQUIRED)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    errors.raise_if_any()

    feedback = RequesterFeedback(
        activity=activity,
        note_date=feedback_date,
        giver_name=giver_name,
        giver_title=giver_title,
        text=text,
        author=actor,
    )
    feedback.full_clean()
    _save(feedback, actor=actor)
    return feedback


@transaction.atomic
def response_note_add(
    *, actor: User, activity: TAActivity, text: str, note_date: dt.date | None = None
) -> ResponseNote:
    """A14: add a TA response note; author and creation time are captured automatically.

    Allowed whatever the tracking state; refused while closed or cancelled (A13).
    """
    activity = _lock_activity(activity)
    require(actor, "activities.add_responsenote", activity)
    _require_open(activity)
    errors = _Errors()
    text = _text(text)
    if not text:
        errors.add("text", NOTE_TEXT_REQUIRED)
    note_date = note_date or _today()
    _check_note_date(
        errors, "note_date", note_date, required=NOTE_DATE_REQUIRED, future=NOTE_DATE_FUTURE
    )
    errors.raise_if_any()
    note = ResponseNote(activity=activity, text=text, note_date=note_date, author=actor)
    note.full_clean()
    _save(note, actor=actor)
    return note


# --- Completion (A12, A13) ------------------------------------------------------------------


def _set_completion(
    activity: TAActivity,
    *,
    actor: User,
    to_value: str,
    completion_date: dt.date | None,
    reason: str,
) -> None:
    source = activity.completion_status
    activity.completion_status = to_value
    activity.completion_date = completion_date
    bump_version(activity)
    activity.full_clean()
    _save(activity, actor=actor)
    record_status_change(
        subject=activity,
        field="completion_status",
        from_value=source,
        to_value=to_value,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def activity_close(
    *,
    actor: User,
    activity: TAActivity,
    completion_date: dt.date | None,
    outcome_report: str,
    expected_version: int | None = None,
) -> TAActivity:
    """A12: close an activity with its completion date and outcome report.

    The completion date is required, not before the date opened and not in the future;
    the outcome report is required; tracking must be available (A9). Writes a
    StatusChange row. Afterwards the activity is read-only until reopened (A13).
    """
    activity = _lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    _require_open(activity)
    _require_tracking(activity)
    errors = _Errors()
    if completion_date is None:
        errors.add("completion_date", COMPLETION_DATE_REQUIRED)
    elif completion_date > _today():
        errors.add("completion_date", COMPLETION_DATE_FUTURE)
    elif completion_date < activity.date_opened:
        errors.add(
            "completion_date",
            COMPLETION_DATE_BEFORE_OPENED.format(opened=f"{activity.date_opened:%m/%d/%Y}"),
        )
    outcome_report = _text(outcome_report)
    if not outcome_report:
        errors.add("outcome_report", OUTCOME_REPORT_REQUIRED)
    errors.raise_if_any()
    activity.outcome_report = outcome_report
    _set_completion(
        activity,
        actor=actor,
        to_value=CompletionStatus.CLOSED,
        completion_date=completion_date,
        reason="",
    )
    return activity


@transaction.atomic
def activity_cancel(
    *, actor: User, activity: TAActivity, reason: str, expected_version: int | None = None
) -> TAActivity:
    """A12: cancel an activity the requester no longer needs, with the reason.

    Refused once any TA was delivered (a summary exists): the error, on field
    `completion_status`, says to use Closed instead. The completion date records the day
    it was cancelled. Writes a StatusChange row.
    """
    activity = _lock_activity(activity)
    require(actor, "activities.change_taactivity", activity)
    check_version(activity, expected_version)
    _require_open(activity)
    if activity.summaries.exists():
        raise ValidationError({"completion_status": CANCEL_AFTER_DELIVERY})
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    _set_completion(
        activity,
        actor=actor,
        to_value=CompletionStatus.CANCELLED,
        completion_date=_today(),
        reason=reason,
    )
    return activity


@transaction.atomic
def activity_reopen(
    *, actor: User, activity: TAActivity, reason: str, expected_version: int | None = None
) -> TAActivity:
    """A13: reopen a closed or cancelled activity (administrators and its primary staff).

    The reason is required; the completion date is cleared (the outcome report is kept).
    Writes a StatusChange row.
    """
    activity = _lock_activity(activity)
    require(actor, "activities.reopen_taactivity", activity)
    check_version(activity, expected_version)
    if activity.is_open:
        raise ValidationError({"completion_status": ALREADY_OPEN})
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    _set_completion(
        activity,
        actor=actor,
        to_value=CompletionStatus.OPEN,
        completion_date=None,
        reason=reason,
    )
    return activity
