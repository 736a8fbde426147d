"""What the goals services share: the refusals that carry data (G2 duplicates, G4 open
activities), the input checks of G1 (dates, categories, strategic areas, notes), the
closed-goal guard, and the notices to people (G3, G4)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_admin
from core.services import FieldErrors, save_tracked
from goals.models import Goal, StrategicArea
from goals.services.messages import (
    CATEGORY_INACTIVE,
    CATEGORY_REQUIRED,
    CLOSE_OPEN_ACTIVITIES,
    DATE_INVALID,
    DUPLICATE_CATEGORY,
    EARLIEST_DATE,
    GOAL_CLOSED_READ_ONLY,
    MAX_DAYS_AHEAD,
    NOTE_DATE_IN_FUTURE,
    NOTE_DATE_TOO_EARLY,
    NOTE_TEXT_REQUIRED,
    RELATED_INACTIVE,
    RELATED_SAME,
    START_DATE_TOO_EARLY,
    START_DATE_TOO_FAR,
    STRATEGIC_AREA_DUPLICATE,
    STRATEGIC_AREA_INACTIVE,
    STRATEGIC_AREA_WRONG_CATEGORY,
    STRATEGIC_AREAS_REQUIRED,
)
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem

logger = logging.getLogger("goals.services")

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


# ------------------------------------------------------------------------ input checks


def validate_start_date(errors: FieldErrors, start_date: Any) -> None:
    if not isinstance(start_date, dt.date) or isinstance(start_date, dt.datetime):
        errors.add("start_date", DATE_INVALID)
        return
    limit = timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD)
    if start_date > limit:
        errors.add("start_date", START_DATE_TOO_FAR.format(limit=limit))
    elif start_date < EARLIEST_DATE:
        errors.add("start_date", START_DATE_TOO_EARLY.format(earliest=EARLIEST_DATE))


def validate_categories(
    errors: FieldErrors,
    category: GoalCategory | None,
    related_category: GoalCategory | None,
    *,
    check_category_active: bool = True,
    check_related_active: bool = True,
) -> None:
    if category is None:
        errors.add("category", CATEGORY_REQUIRED)
    elif check_category_active and not category.active:
        errors.add("category", CATEGORY_INACTIVE.format(category=category))
    if related_category is not None:
        if category is not None and related_category.pk == category.pk:
            errors.add("related_category", RELATED_SAME)
        elif check_related_active and not related_category.active:
            errors.add("related_category", RELATED_INACTIVE.format(category=related_category))


def normalize_strategic_areas(
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


def validate_strategic_areas(
    errors: FieldErrors,
    category: GoalCategory | None,
    chosen: list[tuple[StrategicAreaItem, str]],
) -> None:
    if not chosen:
        errors.add("strategic_areas", STRATEGIC_AREAS_REQUIRED)
        return
    seen: set[int] = set()
    for item, _notes in chosen:
        if category is not None and item.category_id != category.pk:
            errors.add(
                "strategic_areas",
                STRATEGIC_AREA_WRONG_CATEGORY.format(item=item, category=category),
            )
        elif not item.active:
            errors.add("strategic_areas", STRATEGIC_AREA_INACTIVE.format(item=item))
        if item.pk in seen:
            errors.add("strategic_areas", STRATEGIC_AREA_DUPLICATE.format(item=item))
        seen.add(item.pk)


def validate_note(
    errors: FieldErrors, text: str, note_date: Any, *, text_field: str = "text"
) -> None:
    if not (text or "").strip():
        errors.add(text_field, NOTE_TEXT_REQUIRED)
    if not isinstance(note_date, dt.date) or isinstance(note_date, dt.datetime):
        errors.add("note_date", DATE_INVALID)
    elif note_date > timezone.localdate():
        errors.add("note_date", NOTE_DATE_IN_FUTURE)
    elif note_date < EARLIEST_DATE:
        errors.add("note_date", NOTE_DATE_TOO_EARLY.format(earliest=EARLIEST_DATE))


def refuse_if_closed(goal: Goal, actor: User) -> None:
    """A closed goal is read-only except for administrators."""
    if not goal.is_open and not is_admin(actor):
        raise ValidationError({NON_FIELD_ERRORS: GOAL_CLOSED_READ_ONLY})


# ------------------------------------------------------------------------------- saving


def create_strategic_area(
    goal: Goal, item: StrategicAreaItem, notes: str, actor: User
) -> StrategicArea:
    strategic_area = StrategicArea(goal=goal, item=item, notes=notes)
    save_tracked(strategic_area, actor=actor)
    return strategic_area


def open_goals_in_category(jurisdiction: Jurisdiction, category: GoalCategory) -> list[Goal]:
    return list(
        Goal.objects.open()
        .filter(jurisdiction=jurisdiction, category=category)
        .select_related("jurisdiction", "category")
        .order_by("start_date", "pk")
    )


# ------------------------------------------------------------------------------ notices


def active_admins() -> models.QuerySet:
    return User.objects.filter(
        models.Q(is_tat_admin=True) | models.Q(is_superuser=True), is_active=True
    )


def send_mail_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    """Send once the transaction commits; a mail failure never undoes the saved data."""

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the notification row is kept; the failure is logged
            logger.exception("Could not send e-mail %r to %s", subject, recipients)

    if recipients:
        transaction.on_commit(send)


def goal_name(goal: Goal) -> str:
    return f"{goal.jurisdiction.name} – {goal.category}"
