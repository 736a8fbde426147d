"""Goal create and update (rules G1 fields, G2 one open goal per category, G3 SSS notice,
C1 versions, AU1 history).

Every function is keyword-only, runs in one transaction, checks permission with
`accounts.permissions.require` (PermissionDenied with a readable sentence) and refuses
bad input with `ValidationError` naming the field. A refused call saves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_sss_for, require
from core.concurrency import check_version, lock_for_update
from core.history import attribute_change
from core.notifications import notification_send
from core.services import FieldErrors, save_tracked
from goals.models import Goal, GoalNote, Readiness
from goals.services.common import (
    DuplicateGoalCategory,
    StrategicAreaChoice,
    create_strategic_area,
    goal_name,
    normalize_strategic_areas,
    open_goals_in_category,
    refuse_if_closed,
    send_mail_after_commit,
    validate_categories,
    validate_start_date,
    validate_strategic_areas,
)
from goals.services.messages import (
    CATEGORY_LOCKED,
    READINESS_INVALID,
    STRATEGIC_AREAS_FOR_NEW_CATEGORY,
)
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem

GOAL_UPDATE_FIELDS = frozenset(
    {"readiness", "start_date", "start_date_is_approximate", "related_category", "category"}
)


def _notify_sss_of_new_goal(goal: Goal, actor: User) -> None:
    """G3: a goal added by someone other than the jurisdiction's SSS is announced to them."""
    specialists = (
        User.objects.filter(is_sss=True, is_active=True, sss_jurisdictions=goal.jurisdiction)
        .exclude(pk=actor.pk)
        .distinct()
    )
    name = goal_name(goal)
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
        notification_send(recipient=specialist, message=message, link=goal.get_absolute_url())
        send_mail_after_commit(f"New goal for {name}", body, [specialist.email])


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
    chosen = normalize_strategic_areas(strategic_areas)

    errors = FieldErrors()
    if readiness not in Readiness.values:
        errors.add("readiness", READINESS_INVALID)
    validate_categories(errors, category, related_category)
    validate_start_date(errors, start_date)
    validate_strategic_areas(errors, category, chosen)
    errors.raise_if_any()

    if not confirm_duplicate_category:
        existing = open_goals_in_category(jurisdiction, category)
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
    save_tracked(goal, actor=actor)
    for item, notes in chosen:
        create_strategic_area(goal, item, notes, actor)
    if update_note.strip():
        note = GoalNote(
            goal=goal, kind=GoalNote.Kind.UPDATE, text=update_note.strip(), author=actor
        )
        save_tracked(note, actor=actor)

    if not is_sss_for(actor, jurisdiction):
        _notify_sss_of_new_goal(goal, actor)
    return goal


def _goal_update_errors(
    goal: Goal,
    fields: dict[str, Any],
    strategic_areas: Iterable[StrategicAreaChoice] | None,
) -> tuple[FieldErrors, bool, list[tuple[StrategicAreaItem, str]]]:
    """G1 checks of a goal change: the errors, whether the category changes, and the new
    category's strategic areas."""
    unknown = set(fields) - GOAL_UPDATE_FIELDS
    if unknown:
        raise TypeError(f"goal_update() got unexpected fields: {', '.join(sorted(unknown))}")
    errors = FieldErrors()
    new_category = fields.get("category", goal.category)
    category_changes = new_category is not None and new_category.pk != goal.category_id
    related_category = fields.get("related_category", goal.related_category)
    related_changes = "related_category" in fields and (
        (related_category.pk if related_category else None) != goal.related_category_id
    )
    validate_categories(
        errors,
        new_category,
        related_category,
        check_category_active=category_changes,
        check_related_active=related_changes,
    )
    if "readiness" in fields and fields["readiness"] not in Readiness.values:
        errors.add("readiness", READINESS_INVALID)
    if "start_date" in fields:
        validate_start_date(errors, fields["start_date"])

    if strategic_areas is not None and not category_changes:
        raise TypeError(
            "goal_update() takes strategic_areas only with a new category; use "
            "strategic_area_add() and strategic_area_remove() otherwise."
        )
    chosen: list[tuple[StrategicAreaItem, str]] = []
    if category_changes:
        activity_count = goal.activities.count()
        if activity_count:
            errors.add("category", CATEGORY_LOCKED.format(count=activity_count))
        elif strategic_areas is None:
            errors.add(
                "strategic_areas",
                STRATEGIC_AREAS_FOR_NEW_CATEGORY.format(category=goal.category),
            )
        else:
            chosen = normalize_strategic_areas(strategic_areas)
            validate_strategic_areas(errors, new_category, chosen)
    return errors, category_changes, chosen


def goal_update_check(*, goal: Goal, **fields: Any) -> None:
    """G1: refuse (ValidationError naming the fields) a change `goal_update` would refuse.

    For forms that validate before they save, e.g. the admin's change form."""
    errors, _category_changes, _chosen = _goal_update_errors(goal, fields, None)
    errors.raise_if_any()


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
    refuse_if_closed(goal, actor)

    errors, category_changes, chosen = _goal_update_errors(goal, fields, strategic_areas)
    errors.raise_if_any()

    if category_changes and not confirm_duplicate_category:
        existing = [
            g
            for g in open_goals_in_category(goal.jurisdiction, fields["category"])
            if g.pk != goal.pk
        ]
        if existing:
            raise DuplicateGoalCategory(existing)

    for name, value in fields.items():
        setattr(goal, name, value)
    save_tracked(goal, actor=actor, bump_version=True)

    if category_changes:
        for strategic_area in goal.strategic_areas.all():
            attribute_change(strategic_area, actor, "Goal category changed")
            strategic_area.delete()
        for item, notes in chosen:
            create_strategic_area(goal, item, notes, actor)
    return goal
