"""Small pieces every activities service module shares: today's date, trimmed text, the
activity row lock (C1), the A13 read-only check and the date and "newly chosen must be
active" checks that feed a `FieldErrors` collector.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from accounts.models import User
from activities.models import CompletionStatus, TAActivity
from activities.services.messages import ActivityReadOnly
from core.concurrency import lock_for_update
from core.services import FieldErrors


def today() -> dt.date:
    return timezone.localdate()


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def lock_activity(activity: TAActivity) -> TAActivity:
    return lock_for_update(TAActivity, activity.pk)


def require_open(activity: TAActivity) -> None:
    """A13: closed and cancelled activities are read-only until reopened."""
    if activity.completion_status != CompletionStatus.OPEN:
        raise ActivityReadOnly(activity)


def check_note_date(
    errors: FieldErrors, field: str, value: dt.date | None, *, required: str, future: str
) -> None:
    if value is None:
        errors.add(field, required)
    elif value > today():
        errors.add(field, future)


def check_newly_active(
    errors: FieldErrors,
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
