"""Administrators' edits of the reference lists and the field help (DESIGN §2, HL1, AU1, C1).

Items in use by records are never deleted: an item is deactivated and stays on the records
that chose it, but new records cannot choose it (forms offer `Model.objects.active()`).
Every write validates, names the person in the history (AU1) and, for edits, refuses a stale
version (C1) with `ReferenceConflict`. Who may call these is decided on the floor above
(`administration.rules`): this floor knows nothing of people and roles.

Rules kept here:
- a name is required and unique in its list (within its goal category for strategic areas
  and TA focus areas), ignoring case;
- a center's code is letters, digits or hyphens, unique ignoring case;
- a goal category's number is 1–99 and unique (categories are ordered by it);
- a new strategic area or TA focus area goes under an active goal category, and an item's
  category never changes afterwards (goals and activities chose it under that category);
- the “Other” TA focus is never deactivated: A1 offers it under every category;
- moving an item swaps it with its neighbour in the list (in its category) and renumbers
  the list 10, 20, 30…; a move does not bump versions (the edit form has no order field).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.db.models.functions import Lower

from reference.lists import ReferenceList
from reference.models import FieldHelp, FocusArea, GoalCategory, ReferenceItem

CONFLICT_MESSAGE = (
    "Someone else saved this item after you opened it. Your changes were not saved; "
    "review their changes and save again."
)
ERR_NAME_REQUIRED = "Enter a name."
ERR_NAME_TAKEN = "“{name}” is already on this list{scope}. Choose another name."
ERR_TOO_LONG = "Use at most {limit:,} characters (this has {length:,})."
ERR_CODE_REQUIRED = "Enter a short code, such as SCBC."
ERR_CODE_FORMAT = "Use letters, digits and hyphens only (at most 20), such as SCBC."
ERR_CODE_TAKEN = "The code “{code}” is already used by {other}."
ERR_NUMBER_RANGE = "Enter a whole number from 1 to 99."
ERR_NUMBER_TAKEN = "Number {number} is already used by “{other}”."
ERR_CATEGORY_REQUIRED = "Choose the goal category this item belongs to."
ERR_CATEGORY_INACTIVE = "“{category}” is inactive; choose an active goal category."
ERR_OTHER_FOCUS = "The “Other” TA focus cannot be deactivated: every goal category offers it (A1)."
ERR_LABEL_REQUIRED = "Enter the field's label."
ERR_DIRECTION = "Choose up or down."

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
_STEP = 10

Direction = Literal["up", "down"]


class ReferenceConflict(ValidationError):
    """C1: the version the person edited is no longer the stored one; nothing was saved.

    `current` is the item as now stored.
    """

    def __init__(self, current: models.Model) -> None:
        super().__init__({"version": CONFLICT_MESSAGE}, code="conflict")
        self.current = current


def _text_limit() -> int:
    return int(getattr(settings, "TAT_TEXT_MAX_LENGTH", 20_000))


def _clean_text(errors: dict[str, list[str]], data: dict[str, Any], name: str, limit: int) -> str:
    value = str(data.get(name) or "").strip()
    if len(value) > limit:
        errors.setdefault(name, []).append(ERR_TOO_LONG.format(limit=limit, length=len(value)))
    return value


def _raise_if_any(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _siblings(item: ReferenceItem, ref_list: ReferenceList) -> models.QuerySet:
    qs = ref_list.model._default_manager.all()
    if ref_list.by_category:
        qs = qs.filter(category_id=getattr(item, "category_id", None))
    return qs


def _check_item(
    *,
    ref_list: ReferenceList,
    item: ReferenceItem,
    data: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    """Put the submitted values on `item`, collecting every problem by field."""
    name = _clean_text(errors, data, "name", 200)
    if not name:
        errors.setdefault("name", []).append(ERR_NAME_REQUIRED)
    item.name = name
    item.definition = _clean_text(errors, data, "definition", _text_limit())

    if ref_list.by_category and item.pk is None and not getattr(item, "is_other", False):
        category = data.get("category")
        if category is None:
            errors.setdefault("category", []).append(ERR_CATEGORY_REQUIRED)
        elif not category.active:
            errors.setdefault("category", []).append(
                ERR_CATEGORY_INACTIVE.format(category=category)
            )
        else:
            item.category = category
    if name and "category" not in errors:
        twins = _siblings(item, ref_list).annotate(lname=Lower("name"))
        twins = twins.filter(lname=name.lower()).exclude(pk=item.pk)
        if twins.exists():
            scope = " in this goal category" if ref_list.by_category else ""
            errors.setdefault("name", []).append(ERR_NAME_TAKEN.format(name=name, scope=scope))

    if ref_list.has_code:
        code = str(data.get("code") or "").strip()
        if not code:
            errors.setdefault("code", []).append(ERR_CODE_REQUIRED)
        elif not CODE_RE.match(code):
            errors.setdefault("code", []).append(ERR_CODE_FORMAT)
        else:
            other = (
                ref_list.model._default_manager.annotate(lcode=Lower("code"))
                .filter(lcode=code.lower())
                .exclude(pk=item.pk)
                .first()
            )
            if other is not None:
                errors.setdefault("code", []).append(
                    ERR_CODE_TAKEN.format(code=code, other=other.name)
                )
        item.code = code  # type: ignore[attr-defined]

    if ref_list.numbered:
        number = data.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99:
            errors.setdefault("number", []).append(ERR_NUMBER_RANGE)
        else:
            other = GoalCategory.objects.filter(number=number).exclude(pk=item.pk).first()
            if other is not None:
                errors.setdefault("number", []).append(
                    ERR_NUMBER_TAKEN.format(number=number, other=other.name)
                )
            item.number = number  # type: ignore[attr-defined]


def _save(instance: models.Model, *, actor: Any, reason: str) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()


def _locked(model: type[models.Model], pk: Any) -> models.Model:
    return model._default_manager.select_for_update().get(pk=pk)


def _check_version(current: models.Model, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != current.version:
        raise ReferenceConflict(current)


@transaction.atomic
def reference_item_create(
    *, ref_list: ReferenceList, actor: Any, data: dict[str, Any]
) -> ReferenceItem:
    """Add an item at the end of its list (of its category's list). `data` holds name,
    definition and, by list, category, code or number."""
    item = ref_list.model()
    errors: dict[str, list[str]] = {}
    _check_item(ref_list=ref_list, item=item, data=data, errors=errors)
    _raise_if_any(errors)
    last = _siblings(item, ref_list).aggregate(m=Max("sort_order"))["m"] or 0
    item.sort_order = last + _STEP
    _save(item, actor=actor, reason="Added by an administrator")
    return item


@transaction.atomic
def reference_item_update(
    *,
    ref_list: ReferenceList,
    item: ReferenceItem,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None,
) -> ReferenceItem:
    """Edit an item's name, definition and, by list, code or number (C1 version check)."""
    current = _locked(ref_list.model, item.pk)
    _check_version(current, expected_version)
    errors: dict[str, list[str]] = {}
    _check_item(ref_list=ref_list, item=current, data=data, errors=errors)
    _raise_if_any(errors)
    current.version += 1
    _save(current, actor=actor, reason="Edited by an administrator")
    return current


@transaction.atomic
def reference_item_set_active(
    *, ref_list: ReferenceList, item: ReferenceItem, actor: Any, active: bool
) -> ReferenceItem:
    """Deactivate (kept on old records, no longer offered) or reactivate an item."""
    current = _locked(ref_list.model, item.pk)
    if current.active == active:
        return current
    if not active and isinstance(current, FocusArea) and current.is_other:
        raise ValidationError({"active": ERR_OTHER_FOCUS})
    current.active = active
    current.version += 1
    _save(current, actor=actor, reason="Reactivated" if active else "Deactivated")
    return current


@transaction.atomic
def reference_item_move(
    *, ref_list: ReferenceList, item: ReferenceItem, actor: Any, direction: str
) -> ReferenceItem:
    """Swap the item with its neighbour above or below (in its category for strategic areas
    and TA focus areas). At the top or the bottom already, nothing changes."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": ERR_DIRECTION})
    siblings = list(
        _siblings(item, ref_list).select_for_update().order_by("sort_order", "name", "pk")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        wanted = position * _STEP
        if sibling.sort_order != wanted:
            sibling.sort_order = wanted
            _save(sibling, actor=actor, reason="Moved in the list")
    return next(s for s in siblings if s.pk == item.pk)


@transaction.atomic
def field_help_update(
    *, entry: FieldHelp, actor: Any, data: dict[str, Any], expected_version: int | None
) -> FieldHelp:
    """Edit a field's label, definition and best practice (HL1); the key never changes,
    since pages look the text up by it."""
    current = _locked(FieldHelp, entry.pk)
    _check_version(current, expected_version)
    errors: dict[str, list[str]] = {}
    label = _clean_text(errors, data, "label", 120)
    if not label:
        errors.setdefault("label", []).append(ERR_LABEL_REQUIRED)
    current.label = label
    current.definition = _clean_text(errors, data, "definition", _text_limit())
    current.best_practice = _clean_text(errors, data, "best_practice", _text_limit())
    _raise_if_any(errors)
    current.version += 1
    _save(current, actor=actor, reason="Edited by an administrator")
    return current
