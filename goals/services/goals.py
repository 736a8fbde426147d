"""Writes for goals, their strategic areas, notes and closure (rules G1–G4, C1, AU1).

Every function is keyword-only, runs in one transaction, checks permission with
`accounts.permissions.require` (PermissionDenied with a readable sentence) and refuses
bad input with `ValidationError` naming the field. A refused call saves nothing.

Each instance gets `_history_user = actor` before it is saved (core.history), so the
history names who made the change even outside a web request. Goal and closure-request
status changes happen only here and each writes a StatusChange row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_admin, is_sss_for, require
from core.concurrency import bump_version, check_version, lock_for_update
from core.history import attribute_change
from core.models import Notification
from core.status import record_status_change
from goals.models import Goal, GoalClosureRequest, GoalNote, Readiness, StrategicArea
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem

logger = logging.getLogger(__name__)

# The Child Care and Development Block Grant Act dates from 1990: no goal or note is older.
EARLIEST_DATE = dt.date(1990, 1, 1)
MAX_DAYS_AHEAD = 365

READINESS_INVALID = "Choose least ready, somewhat ready or most ready."
CATEGORY_REQUIRED = "Choose a goal category."
CATEGORY_INACTIVE = "The goal category “{category}” is no longer offered; choose another one."
CATEGORY_LOCKED = (
    "The goal category cannot change once TA activities are recorded under the goal "
    "({count} so far)."
)
RELATED_SAME = "The related goal category must differ from the goal category."
RELATED_INACTIVE = (
    "The goal category “{category}” is no longer offered; choose another related category."
)
DATE_INVALID = "Enter a valid date."
START_DATE_TOO_FAR = (
    "The start date cannot be more than a year in the future ({limit:%m/%d/%Y}); use the date "
    "the decision was made with the State or Territory, or an approximate date."
)
START_DATE_TOO_EARLY = "The start date cannot be before {earliest:%m/%d/%Y}."
STRATEGIC_AREAS_REQUIRED = "Choose at least one strategic area."
STRATEGIC_AREAS_FOR_NEW_CATEGORY = (
    "Choose the strategic areas of the new goal category; the current ones belong to “{category}”."
)
STRATEGIC_AREA_WRONG_CATEGORY = (
    "“{item}” is not a strategic area of the goal category “{category}”."
)
STRATEGIC_AREA_INACTIVE = "The strategic area “{item}” is no longer offered."
STRATEGIC_AREA_DUPLICATE = "The strategic area “{item}” is listed more than once."
STRATEGIC_AREA_ALREADY_ON_GOAL = "The goal already has the strategic area “{item}”."
STRATEGIC_AREA_HAS_ACTIVITIES = (
    "“{item}” cannot be removed: {count} TA activities are recorded under it."
)
STRATEGIC_AREA_LAST = (
    "A goal needs at least one strategic area: add another one before removing “{item}”."
)
DUPLICATE_CATEGORY = (
    "{jurisdiction} already has an open goal in “{category}” (started {start:%m/%d/%Y}). "
    "Add strategic areas to that goal instead, or confirm that a second goal is needed."
)
GOAL_CLOSED_READ_ONLY = (
    "This goal is closed and can no longer be changed. Ask a TAT administrator to reopen it."
)
GOAL_NOT_OPEN = "This goal is already closed."
GOAL_NOT_CLOSED = "This goal is open; only a closed goal can be reopened."
NOTE_TEXT_REQUIRED = "Enter the note."
NOTE_DATE_IN_FUTURE = "The note date cannot be in the future."
NOTE_DATE_TOO_EARLY = "The note date cannot be before {earliest:%m/%d/%Y}."
NOTE_KIND_INVALID = "Choose update or completion."
NOTE_COMPLETION_ADMIN_ONLY = (
    "Completion notes are added by a TAT administrator when the goal is closed."
)
CLOSURE_REASON_REQUIRED = "Explain why the goal should be closed."
CLOSURE_ALREADY_PENDING = (
    "Closure of this goal was already requested by {who} on {when:%m/%d/%Y}; that request is "
    "waiting for a TAT administrator."
)
CLOSE_NOTE_REQUIRED = (
    "Enter the explanatory note; it is added to the goal update and completion notes."
)
CLOSE_OPEN_ACTIVITIES = (
    "The goal cannot be closed while TA activities under it are open. Close or cancel these "
    "first: {activities}."
)
CLOSURE_REQUEST_OTHER_GOAL = "This closure request is for another goal."
CLOSURE_REQUEST_NOT_PENDING = "This closure request was already decided ({status})."
DECLINE_NOTE_REQUIRED = "Explain why the request is declined."
REOPEN_REASON_REQUIRED = "Explain why the goal is reopened."

GOAL_UPDATE_FIELDS = frozenset(
    {"readiness", "start_date", "start_date_is_approximate", "related_category", "category"}
)

StrategicAreaChoice = StrategicAreaItem | tuple[StrategicAreaItem, str]


class DuplicateGoalCategory(ValidationError):
    """G2: the jurisdiction already has an open goal in this category.

    `existing_goals` lists them so a page can show them and offer to add strategic areas
    to one instead; call again with `confirm_duplicate_category=True` to create anyway.
    """

    def __init__(self, existing_goals: Sequence[Goal]) -> None:
        first = existing_goals[0]
        message = DUPLICATE_CATEGORY.format(
            jurisdiction=first.jurisdiction, category=first.category, start=first.start_date
        )
        super().__init__({"category": ValidationError(message, code="duplicate_category")})
        self.existing_goals = list(existing_goals)


class OpenActivitiesRemain(ValidationError):
    """G4: the goal still has open TA activities; `open_activities` lists them."""

    def __init__(self, open_activities: Sequence[Any]) -> None:
        listing = "; ".join(f"{a.record_number} {a.title}" for a in open_activities)
        message = CLOSE_OPEN_ACTIVITIES.format(activities=listing)
        super().__init__({NON_FIELD_ERRORS: ValidationError(message, code="open_activities")})
        self.open_activities = list(open_activities)


# ---------------------------------------------------------------------------- helpers


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _validate_start_date(errors: dict[str, list[str]], start_date: Any) -> None:
    if not isinstance(start_date, dt.date) or isinstance(start_date, dt.datetime):
        _add(errors, "start_date", DATE_INVALID)
        return
    limit = timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD)
    if start_date > limit:
        _add(errors, "start_date", START_DATE_TOO_FAR.format(limit=limit))
    elif start_date < EARLIEST_DATE:
        _add(errors, "start_date", START_DATE_TOO_EARLY.format(earliest=EARLIEST_DATE))


def _validate_categories(
    errors: dict[str, list[str]],
    category: GoalCategory | None,
    related_category: GoalCategory | None,
    *,
    check_category_active: bool = True,
    check_related_active: bool = True,
) -> None:
    if category is None:
        _add(errors, "category", CATEGORY_REQUIRED)
    elif check_category_active and not category.active:
        _add(errors, "category", CATEGORY_INACTIVE.format(category=category))
    if related_category is not None:
        if category is not None and related_category.pk == category.pk:
            _add(errors, "related_category", RELATED_SAME)
        elif check_related_active and not related_category.active:
            _add(errors, "related_category", RELATED_INACTIVE.format(category=related_category))


def _normalize_strategic_areas(
    strategic_areas: Iterable[StrategicAreaChoice] | None,
) -> list[tuple[StrategicAreaItem, str]]:
    result = []
    for choice in strategic_areas or ():
        if isinstance(choice, tuple | list):
            item, notes = choice
        else:
            item, notes = choice, ""
        result.append((item, (notes or "").strip()))
    return result


def _validate_strategic_areas(
    errors: dict[str, list[str]],
    category: GoalCategory | None,
    chosen: list[tuple[StrategicAreaItem, str]],
) -> None:
    if not chosen:
        _add(errors, "strategic_areas", STRATEGIC_AREAS_REQUIRED)
        return
    seen: set[int] = set()
    for item, _notes in chosen:
        if category is not None and item.category_id != category.pk:
            _add(
                errors,
                "strategic_areas",
                STRATEGIC_AREA_WRONG_CATEGORY.format(item=item, category=category),
            )
        elif not item.active:
            _add(errors, "strategic_areas", STRATEGIC_AREA_INACTIVE.format(item=item))
        if item.pk in seen:
            _add(errors, "strategic_areas", STRATEGIC_AREA_DUPLICATE.format(item=item))
        seen.add(item.pk)


def _validate_note(
    errors: dict[str, list[str]], text: str, note_date: Any, *, text_field: str = "text"
) -> None:
    if not (text or "").strip():
        _add(errors, text_field, NOTE_TEXT_REQUIRED)
    if not isinstance(note_date, dt.date) or isinstance(note_date, dt.datetime):
        _add(errors, "note_date", DATE_INVALID)
    elif note_date > timezone.localdate():
        _add(errors, "note_date", NOTE_DATE_IN_FUTURE)
    elif note_date < EARLIEST_DATE:
        _add(errors, "note_date", NOTE_DATE_TOO_EARLY.format(earliest=EARLIEST_DATE))


def _refuse_if_closed(goal: Goal, actor: User) -> None:
    """A closed goal is read-only except for administrators."""
    if not goal.is_open and not is_admin(actor):
        raise ValidationError({NON_FIELD_ERRORS: GOAL_CLOSED_READ_ONLY})


def _save(instance: models.Model, actor: User, reason: str = "") -> None:
    attribute_change(instance, actor, reason)
    instance.full_clean()
    instance.save()


def _create_strategic_area(
    goal: Goal, item: StrategicAreaItem, notes: str, actor: User
) -> StrategicArea:
    strategic_area = StrategicArea(goal=goal, item=item, notes=notes)
    _save(strategic_area, actor)
    return strategic_area


def _open_goals_in_category(jurisdiction: Jurisdiction, category: GoalCategory) -> list[Goal]:
    return list(
        Goal.objects.open()
        .filter(jurisdiction=jurisdiction, category=category)
        .select_related("jurisdiction", "category")
        .order_by("start_date", "pk")
    )


def _active_admins() -> models.QuerySet:
    return User.objects.filter(
        models.Q(is_tat_admin=True) | models.Q(is_superuser=True), is_active=True
    )


def _send_mail_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    """Send once the transaction commits; a mail failure never undoes the saved data."""

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the notification row is kept; the failure is logged
            logger.exception("Could not send e-mail %r to %s", subject, recipients)

    if recipients:
        transaction.on_commit(send)


def _goal_name(goal: Goal) -> str:
    return f"{goal.jurisdiction.name} – {goal.category}"


def _notify_sss_of_new_goal(goal: Goal, actor: User) -> None:
    """G3: a goal added by someone other than the jurisdiction's SSS is announced to them."""
    specialists = (
        User.objects.filter(is_sss=True, is_active=True, sss_jurisdictions=goal.jurisdiction)
        .exclude(pk=actor.pk)
        .distinct()
    )
    name = _goal_name(goal)
    message = (
        f"{actor} added a goal for {goal.jurisdiction.name}: {goal.category} "
        f"(goal #{goal.pk}, start date {goal.start_date:%m/%d/%Y})."
    )
    areas = ", ".join(sa.item.name for sa in goal.strategic_areas.select_related("item"))
    body = (
        f"{message}\nStrategic areas: {areas}.\nReadiness to implement: "
        f"{goal.get_readiness_display()}.\n\nAs the State Systems Specialist for "
        f"{goal.jurisdiction.name}, please review the goal in the {settings.TAT_SITE_NAME}."
    )
    for specialist in specialists:
        Notification.objects.create(
            recipient=specialist, message=message, link=goal.get_absolute_url()
        )
        _send_mail_after_commit(f"New goal for {name}", body, [specialist.email])


# ------------------------------------------------------------------------------ goals


@transaction.atomic
def goal_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    category: GoalCategory,
    readiness: str,
    start_date: dt.date | None = None,
    start_date_is_approximate: bool = False,
    related_category: GoalCategory | None = None,
    strategic_areas: Iterable[StrategicAreaChoice] = (),
    confirm_duplicate_category: bool = False,
    update_note: str = "",
) -> Goal:
    """Create a goal with its strategic areas (G1), guarding duplicates (G2), notifying (G3).

    `strategic_areas` holds StrategicAreaItems or (item, notes) pairs. Raises
    DuplicateGoalCategory when the jurisdiction already has an open goal in `category`
    unless `confirm_duplicate_category` is true. `update_note`, when given, becomes the
    goal's first update note.
    """
    require(actor, "goals.add_goal", jurisdiction)
    if start_date is None:
        start_date = timezone.localdate()
    chosen = _normalize_strategic_areas(strategic_areas)

    errors: dict[str, list[str]] = {}
    if readiness not in Readiness.values:
        _add(errors, "readiness", READINESS_INVALID)
    _validate_categories(errors, category, related_category)
    _validate_start_date(errors, start_date)
    _validate_strategic_areas(errors, category, chosen)
    _refuse(errors)

    if not confirm_duplicate_category:
        existing = _open_goals_in_category(jurisdiction, category)
        if existing:
            raise DuplicateGoalCategory(existing)

    goal = Goal(
        jurisdiction=jurisdiction,
        category=category,
        related_category=related_category,
        readiness=readiness,
        start_date=start_date,
        start_date_is_approximate=bool(start_date_is_approximate),
        created_by=actor,
    )
    _save(goal, actor)
    for item, notes in chosen:
        _create_strategic_area(goal, item, notes, actor)
    if update_note.strip():
        note = GoalNote(
            goal=goal, kind=GoalNote.Kind.UPDATE, text=update_note.strip(), author=actor
        )
        _save(note, actor)

    if not is_sss_for(actor, jurisdiction):
        _notify_sss_of_new_goal(goal, actor)
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    expected_version: int | None,
    strategic_areas: Iterable[StrategicAreaChoice] | None = None,
    confirm_duplicate_category: bool = False,
    **fields: Any,
) -> Goal:
    """Change a goal's readiness, start date (+ approximate), related category or category.

    `fields` may hold readiness, start_date, start_date_is_approximate, related_category
    and category. The category may change only while the goal has no TA activities; then
    `strategic_areas` (items of the new category) replace the current ones, and G2 applies
    as in goal_create. C1: refused with ConflictError when `expected_version` is stale.
    A closed goal changes only by an administrator. Returns the saved goal.
    """
    unknown = set(fields) - GOAL_UPDATE_FIELDS
    if unknown:
        raise TypeError(f"goal_update() got unexpected fields: {', '.join(sorted(unknown))}")

    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.change_goal", goal)
    check_version(goal, expected_version)
    _refuse_if_closed(goal, actor)

    errors: dict[str, list[str]] = {}
    new_category = fields.get("category", goal.category)
    category_changes = new_category is not None and new_category.pk != goal.category_id
    related_category = fields.get("related_category", goal.related_category)
    related_changes = "related_category" in fields and (
        (related_category.pk if related_category else None) != goal.related_category_id
    )
    _validate_categories(
        errors,
        new_category,
        related_category,
        check_category_active=category_changes,
        check_related_active=related_changes,
    )
    if "readiness" in fields and fields["readiness"] not in Readiness.values:
        _add(errors, "readiness", READINESS_INVALID)
    if "start_date" in fields:
        _validate_start_date(errors, fields["start_date"])

    if strategic_areas is not None and not category_changes:
        raise TypeError(
            "goal_update() takes strategic_areas only with a new category; use "
            "strategic_area_add() and strategic_area_remove() otherwise."
        )
    chosen: list[tuple[StrategicAreaItem, str]] = []
    if category_changes:
        activity_count = goal.activities.count()
        if activity_count:
            _add(errors, "category", CATEGORY_LOCKED.format(count=activity_count))
        elif strategic_areas is None:
            _add(
                errors,
                "strategic_areas",
                STRATEGIC_AREAS_FOR_NEW_CATEGORY.format(category=goal.category),
            )
        else:
            chosen = _normalize_strategic_areas(strategic_areas)
            _validate_strategic_areas(errors, new_category, chosen)
    _refuse(errors)

    if category_changes and not confirm_duplicate_category:
        existing = [
            g for g in _open_goals_in_category(goal.jurisdiction, new_category) if g.pk != goal.pk
        ]
        if existing:
            raise DuplicateGoalCategory(existing)

    for name, value in fields.items():
        setattr(goal, name, value)
    bump_version(goal)
    _save(goal, actor)

    if category_changes:
        for strategic_area in goal.strategic_areas.all():
            attribute_change(strategic_area, actor, "Goal category changed")
            strategic_area.delete()
        for item, notes in chosen:
            _create_strategic_area(goal, item, notes, actor)
    return goal


# -------------------------------------------------------------------- strategic areas


@transaction.atomic
def strategic_area_add(
    *, actor: User, goal: Goal, item: StrategicAreaItem, notes: str = ""
) -> StrategicArea:
    """Add a strategic area from the goal category's list (G1), e.g. instead of a
    second goal in the same category (G2)."""
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.change_goal", goal)
    _refuse_if_closed(goal, actor)
    errors: dict[str, list[str]] = {}
    if item.category_id != goal.category_id:
        _add(
            errors, "item", STRATEGIC_AREA_WRONG_CATEGORY.format(item=item, category=goal.category)
        )
    elif not item.active:
        _add(errors, "item", STRATEGIC_AREA_INACTIVE.format(item=item))
    elif goal.strategic_areas.filter(item=item).exists():
        _add(errors, "item", STRATEGIC_AREA_ALREADY_ON_GOAL.format(item=item))
    _refuse(errors)
    return _create_strategic_area(goal, item, (notes or "").strip(), actor)


@transaction.atomic
def strategic_area_update_notes(
    *, actor: User, strategic_area: StrategicArea, notes: str, expected_version: int | None
) -> StrategicArea:
    """Change a strategic area's notes (C1 versioned)."""
    strategic_area = lock_for_update(StrategicArea, strategic_area.pk)
    goal = strategic_area.goal
    require(actor, "goals.change_goal", goal)
    check_version(strategic_area, expected_version)
    _refuse_if_closed(goal, actor)
    strategic_area.notes = (notes or "").strip()
    bump_version(strategic_area)
    _save(strategic_area, actor)
    return strategic_area


@transaction.atomic
def strategic_area_remove(
    *, actor: User, strategic_area: StrategicArea, expected_version: int | None = None
) -> None:
    """Remove a strategic area that has no TA activities; the goal keeps at least one (G1)."""
    # Lock the goal before its strategic area, in the same order as goal_update.
    goal = lock_for_update(Goal, strategic_area.goal_id)
    strategic_area = lock_for_update(StrategicArea, strategic_area.pk)
    require(actor, "goals.change_goal", goal)
    check_version(strategic_area, expected_version)
    _refuse_if_closed(goal, actor)
    activity_count = strategic_area.activities.count()
    if activity_count:
        raise ValidationError(
            {
                "strategic_area": STRATEGIC_AREA_HAS_ACTIVITIES.format(
                    item=strategic_area.item, count=activity_count
                )
            }
        )
    if not goal.strategic_areas.exclude(pk=strategic_area.pk).exists():
        raise ValidationError(
            {"strategic_area": STRATEGIC_AREA_LAST.format(item=strategic_area.item)}
        )
    attribute_change(strategic_area, actor)
    strategic_area.delete()


# ------------------------------------------------------------------------------ notes


@transaction.atomic
def goal_note_add(
    *,
    actor: User,
    goal: Goal,
    text: str,
    note_date: dt.date | None = None,
    kind: str = GoalNote.Kind.UPDATE,
) -> GoalNote:
    """Add a dated goal update note (G1). Completion notes are an administrator's."""
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.change_goal", goal)
    _refuse_if_closed(goal, actor)
    if note_date is None:
        note_date = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in GoalNote.Kind.values:
        _add(errors, "kind", NOTE_KIND_INVALID)
    elif kind == GoalNote.Kind.COMPLETION and not is_admin(actor):
        _add(errors, "kind", NOTE_COMPLETION_ADMIN_ONLY)
    _validate_note(errors, text, note_date)
    _refuse(errors)
    note = GoalNote(goal=goal, kind=kind, note_date=note_date, text=text.strip(), author=actor)
    _save(note, actor)
    return note


@transaction.atomic
def goal_note_update(
    *, actor: User, note: GoalNote, text: str, note_date: dt.date, expected_version: int | None
) -> GoalNote:
    """Correct a goal note: only its author or an administrator (notes are append-only for
    everyone else); the earlier wording stays in the history (AU1)."""
    note = lock_for_update(GoalNote, note.pk)
    require(actor, "goals.change_goalnote", note)
    check_version(note, expected_version)
    _refuse_if_closed(note.goal, actor)
    errors: dict[str, list[str]] = {}
    _validate_note(errors, text, note_date)
    _refuse(errors)
    note.text = text.strip()
    note.note_date = note_date
    bump_version(note)
    _save(note, actor)
    return note


# ---------------------------------------------------------------------------- closure


@transaction.atomic
def goal_request_closure(*, actor: User, goal: Goal, reason: str) -> GoalClosureRequest:
    """G4: anyone who may edit the goal asks the administrators to close it, with a reason.

    One pending request per goal; the administrators are notified.
    """
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.request_goal_closure", goal)
    if not goal.is_open:
        raise ValidationError({NON_FIELD_ERRORS: GOAL_NOT_OPEN})
    if not (reason or "").strip():
        raise ValidationError({"reason": CLOSURE_REASON_REQUIRED})
    pending = (
        goal.closure_requests.filter(status=GoalClosureRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    if pending is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: CLOSURE_ALREADY_PENDING.format(
                    who=pending.requested_by, when=timezone.localtime(pending.requested_at)
                )
            }
        )
    request = GoalClosureRequest(goal=goal, reason=reason.strip(), requested_by=actor)
    _save(request, actor)

    message = f"{actor} asks to close the goal {_goal_name(goal)} (goal #{goal.pk})."
    for admin in _active_admins().exclude(pk=actor.pk):
        Notification.objects.create(
            recipient=admin, message=message, link=reverse("goals:closure_queue")
        )
    return request


def _decide_request(
    request: GoalClosureRequest, actor: User, status: str, note: str
) -> GoalClosureRequest:
    previous = request.status
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    _save(request, actor, f"Request {request.get_status_display().lower()}")
    record_status_change(
        subject=request,
        field="status",
        from_value=previous,
        to_value=status,
        actor=actor,
        reason=note,
    )
    if request.requested_by_id != actor.pk:
        Notification.objects.create(
            recipient=request.requested_by,
            message=(
                f"Your request to close the goal {_goal_name(request.goal)} "
                f"(goal #{request.goal_id}): {request.get_status_display()}. {note}"
            ),
            link=request.goal.get_absolute_url(),
        )
    return request


@transaction.atomic
def goal_close(
    *,
    actor: User,
    goal: Goal,
    note: str,
    closure_request: GoalClosureRequest | None = None,
    expected_version: int | None = None,
) -> Goal:
    """G4: an administrator closes a goal whose activities are all closed or cancelled.

    The explanatory `note` becomes a completion note; the status change is recorded; the
    pending closure request (the one given, or the goal's pending one) is approved.
    Raises OpenActivitiesRemain (with `open_activities`) while any activity is open.
    """
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.close_goal", goal)
    check_version(goal, expected_version)
    if not goal.is_open:
        raise ValidationError({NON_FIELD_ERRORS: GOAL_NOT_OPEN})
    if not (note or "").strip():
        raise ValidationError({"note": CLOSE_NOTE_REQUIRED})
    note = note.strip()

    if closure_request is not None:
        closure_request = lock_for_update(GoalClosureRequest, closure_request.pk)
        if closure_request.goal_id != goal.pk:
            raise ValidationError({"closure_request": CLOSURE_REQUEST_OTHER_GOAL})
        if closure_request.status != GoalClosureRequest.Status.PENDING:
            raise ValidationError(
                {
                    "closure_request": CLOSURE_REQUEST_NOT_PENDING.format(
                        status=closure_request.get_status_display()
                    )
                }
            )
    else:
        closure_request = (
            GoalClosureRequest.objects.select_for_update()
            .filter(goal=goal, status=GoalClosureRequest.Status.PENDING)
            .first()
        )

    open_activities = list(goal.activities.open().select_related("focus").order_by("pk"))
    if open_activities:
        raise OpenActivitiesRemain(open_activities)

    completion = GoalNote(goal=goal, kind=GoalNote.Kind.COMPLETION, text=note, author=actor)
    _save(completion, actor)

    previous = goal.status
    goal.status = Goal.Status.CLOSED
    goal.closed_at = timezone.now()
    goal.closed_by = actor
    bump_version(goal)
    _save(goal, actor, "Goal closed")
    record_status_change(
        subject=goal,
        field="status",
        from_value=previous,
        to_value=goal.status,
        actor=actor,
        reason=note,
    )
    if closure_request is not None:
        _decide_request(closure_request, actor, GoalClosureRequest.Status.APPROVED, note)
    return goal


@transaction.atomic
def goal_closure_decline(
    *, actor: User, request: GoalClosureRequest, note: str
) -> GoalClosureRequest:
    """G4: an administrator declines a pending closure request, saying why."""
    request = lock_for_update(GoalClosureRequest, request.pk)
    require(actor, "goals.close_goal", request.goal)
    if request.status != GoalClosureRequest.Status.PENDING:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: CLOSURE_REQUEST_NOT_PENDING.format(
                    status=request.get_status_display()
                )
            }
        )
    if not (note or "").strip():
        raise ValidationError({"note": DECLINE_NOTE_REQUIRED})
    return _decide_request(request, actor, GoalClosureRequest.Status.DECLINED, note.strip())


@transaction.atomic
def goal_reopen(
    *, actor: User, goal: Goal, reason: str, expected_version: int | None = None
) -> Goal:
    """An administrator reopens a closed goal; the reason is kept as an update note and
    on the status-change row."""
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.close_goal", goal)
    check_version(goal, expected_version)
    if goal.is_open:
        raise ValidationError({NON_FIELD_ERRORS: GOAL_NOT_CLOSED})
    if not (reason or "").strip():
        raise ValidationError({"reason": REOPEN_REASON_REQUIRED})
    reason = reason.strip()

    previous = goal.status
    goal.status = Goal.Status.OPEN
    goal.closed_at = None
    goal.closed_by = None
    bump_version(goal)
    _save(goal, actor, "Goal reopened")
    record_status_change(
        subject=goal,
        field="status",
        from_value=previous,
        to_value=goal.status,
        actor=actor,
        reason=reason,
    )
    reopen_note = GoalNote(
        goal=goal, kind=GoalNote.Kind.UPDATE, text=f"Goal reopened: {reason}", author=actor
    )
    _save(reopen_note, actor)
    return goal
