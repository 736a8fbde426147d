"""Strategic areas of a goal (rules G1 list of the goal category, G2 add to the existing
goal instead of a second one, C1 versions, AU1 history)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.concurrency import check_version, lock_for_update
from core.history import attribute_change
from core.services import FieldErrors, save_tracked
from goals.models import Goal, GoalNote, StrategicArea
from goals.services.common import (
    StrategicAreaChoice,
    create_strategic_area,
    normalize_strategic_areas,
    refuse_if_closed,
    validate_note,
)
from goals.services.messages import (
    STRATEGIC_AREA_ALREADY_ON_GOAL,
    STRATEGIC_AREA_DUPLICATE,
    STRATEGIC_AREA_HAS_ACTIVITIES,
    STRATEGIC_AREA_INACTIVE,
    STRATEGIC_AREA_LAST,
    STRATEGIC_AREA_WRONG_CATEGORY,
)
from reference.models import StrategicAreaItem


@dataclass
class StrategicAreasAdded:
    """What `strategic_areas_add` did: the new strategic areas, and the items it left out
    because the goal already had them (only with `skip_present=True`)."""

    added: list[StrategicArea] = field(default_factory=list)
    skipped: list[StrategicAreaItem] = field(default_factory=list)


def _item_errors(
    errors: FieldErrors, field_name: str, goal: Goal, item: StrategicAreaItem, present: set[int]
) -> None:
    """G1: the item belongs to the goal's category and is offered; G2: not there yet."""
    if item.category_id != goal.category_id:
        errors.add(
            field_name, STRATEGIC_AREA_WRONG_CATEGORY.format(item=item, category=goal.category)
        )
    elif not item.active:
        errors.add(field_name, STRATEGIC_AREA_INACTIVE.format(item=item))
    elif item.pk in present:
        errors.add(field_name, STRATEGIC_AREA_ALREADY_ON_GOAL.format(item=item))


@transaction.atomic
def strategic_area_add(
    *, actor: User, goal: Goal, item: StrategicAreaItem, notes: str = ""
) -> StrategicArea:
    """Add a strategic area from the goal category's list (G1), e.g. instead of a
    second goal in the same category (G2)."""
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.change_goal", goal)
    refuse_if_closed(goal, actor)
    errors = FieldErrors()
    present = set(goal.strategic_areas.filter(item=item).values_list("item_id", flat=True))
    _item_errors(errors, "item", goal, item, present)
    errors.raise_if_any()
    return create_strategic_area(goal, item, (notes or "").strip(), actor)


@transaction.atomic
def strategic_areas_add(
    *,
    actor: User,
    goal: Goal,
    items: Iterable[StrategicAreaChoice],
    update_note: str = "",
    skip_present: bool = False,
) -> StrategicAreasAdded:
    """Add several strategic areas (items or (item, notes) pairs) to a goal at once (G1),
    and optionally a dated update note — G2's "add them to the existing goal".

    An item the goal already has is refused (at `strategic_areas`), or left out and
    reported in `skipped` with `skip_present=True`. All or nothing.
    """
    goal = lock_for_update(Goal, goal.pk)
    require(actor, "goals.change_goal", goal)
    refuse_if_closed(goal, actor)
    present = set(goal.strategic_areas.values_list("item_id", flat=True))
    result = StrategicAreasAdded()
    chosen: list[tuple[StrategicAreaItem, str]] = []
    seen: set[int] = set()
    errors = FieldErrors()
    for item, notes in normalize_strategic_areas(items):
        if item.pk in seen:
            errors.add("strategic_areas", STRATEGIC_AREA_DUPLICATE.format(item=item))
            continue
        seen.add(item.pk)
        if skip_present and item.pk in present:
            result.skipped.append(item)
            continue
        _item_errors(errors, "strategic_areas", goal, item, present)
        chosen.append((item, notes))
    note_text = (update_note or "").strip()
    if note_text:
        validate_note(errors, note_text, timezone.localdate(), text_field="update_note")
    errors.raise_if_any()

    for item, notes in chosen:
        result.added.append(create_strategic_area(goal, item, notes, actor))
    if note_text:
        note = GoalNote(goal=goal, kind=GoalNote.Kind.UPDATE, text=note_text, author=actor)
        save_tracked(note, actor=actor)
    return result


@transaction.atomic
def strategic_area_update_notes(
    *, actor: User, strategic_area: StrategicArea, notes: str, expected_version: int | None
) -> StrategicArea:
    """Change a strategic area's notes (C1 versioned)."""
    strategic_area = lock_for_update(StrategicArea, strategic_area.pk)
    goal = strategic_area.goal
    require(actor, "goals.change_goal", goal)
    check_version(strategic_area, expected_version)
    refuse_if_closed(goal, actor)
    strategic_area.notes = (notes or "").strip()
    save_tracked(strategic_area, actor=actor, bump_version=True)
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
    refuse_if_closed(goal, actor)
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
