"""Goal update notes (rule G1 dated notes; completion notes are an administrator's, G4;
notes are append-only except for their author and administrators; C1, AU1)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_admin, require
from core.concurrency import check_version, lock_for_update
from core.services import FieldErrors, save_tracked
from goals.models import Goal, GoalNote
from goals.services.common import refuse_if_closed, validate_note
from goals.services.messages import NOTE_COMPLETION_ADMIN_ONLY, NOTE_KIND_INVALID


def goal_note_check(*, text: str, note_date: dt.date | None) -> None:
    """G1: refuse (ValidationError naming the fields) a note text or date the services
    would refuse; for forms that validate before they save, e.g. the admin's."""
    errors = FieldErrors()
    validate_note(errors, text, note_date)
    errors.raise_if_any()


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
    refuse_if_closed(goal, actor)
    if note_date is None:
        note_date = timezone.localdate()
    errors = FieldErrors()
    if kind not in GoalNote.Kind.values:
        errors.add("kind", NOTE_KIND_INVALID)
    elif kind == GoalNote.Kind.COMPLETION and not is_admin(actor):
        errors.add("kind", NOTE_COMPLETION_ADMIN_ONLY)
    validate_note(errors, text, note_date)
    errors.raise_if_any()
    note = GoalNote(goal=goal, kind=kind, note_date=note_date, text=text.strip(), author=actor)
    save_tracked(note, actor=actor)
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
    refuse_if_closed(note.goal, actor)
    errors = FieldErrors()
    validate_note(errors, text, note_date)
    errors.raise_if_any()
    note.text = text.strip()
    note.note_date = note_date
    save_tracked(note, actor=actor, bump_version=True)
    return note
