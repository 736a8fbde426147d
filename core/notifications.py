"""In-app notifications: the one place that sends them and marks them read.

Services that tell someone about a change (G3: a goal was added to your State; goal
closure requests and decisions) call `notification_send`; the workspace marks a person's
own notifications read with `notifications_mark_read`, which never touches anyone else's.
Reads (the unread list on the home page) are selectors of the workspace.

Notifications carry no history (they are not tracked records), so marking them read is a
single UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core.models import (
    DEFAULT_REMINDER_FREQUENCY,
    Notification,
    NotificationPreference,
    ReminderFrequency,
    ReminderKind,
)
from core.services import FieldErrors, save_tracked

FREQUENCY_INVALID = "Choose immediately, daily digest, weekly digest or off."
KIND_UNKNOWN = "There is no reminder of this kind."


def notification_send(*, recipient: AbstractBaseUser, message: str, link: str = "") -> Notification:
    """Create an unread notification for `recipient`, with an optional link to follow."""
    notification = Notification(recipient=recipient, message=message, link=link)
    # The recipient is a loaded user: checking that it exists would only cost a query.
    notification.full_clean(exclude=["recipient"])
    notification.save()
    return notification


def notifications_mark_read(
    *, actor: AbstractBaseUser, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark `actor`'s unread notifications read: those with `notification_ids`, or all.

    Only the actor's own notifications are touched; ids of other people's notifications
    (or of ones already read) are ignored. Returns how many were marked.
    """
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def notifications_send_many(*, messages: Iterable[tuple[int, str, str]]) -> int:
    """Create unread notifications in bulk from (recipient id, message, link) triples.

    For senders that notify many people at once (R3: `send_reminders`): a fixed number of
    INSERTs whatever the number of people, where `notification_send` costs one each. Empty
    messages are skipped. Returns how many were created.
    """
    rows = [
        Notification(recipient_id=recipient_id, message=message[:2000], link=link[:300])
        for recipient_id, message, link in messages
        if message
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def notification_preferences_of(*, person: AbstractBaseUser) -> dict[str, str]:
    """R3: `person`'s frequency for every reminder kind (the default where none is stored).
    One query."""
    stored = dict(
        NotificationPreference.objects.filter(person=person).values_list("kind", "frequency")
    )
    return {kind: stored.get(kind, DEFAULT_REMINDER_FREQUENCY) for kind in ReminderKind.values}


@transaction.atomic
def notification_preferences_set(
    *, actor: AbstractBaseUser, frequencies: Mapping[str, str]
) -> list[NotificationPreference]:
    """R3: set the actor's own frequency for each reminder kind given.

    A person sets only their own preferences (the actor is the person), so there is no one
    else's row to touch. Unknown kinds or frequencies are refused naming the kind's field;
    unchanged rows are not saved again. Each change is kept in history (AU1).
    """
    errors = FieldErrors()
    for kind, frequency in frequencies.items():
        if kind not in ReminderKind.values:
            errors.add(kind, KIND_UNKNOWN)
        elif frequency not in ReminderFrequency.values:
            errors.add(kind, FREQUENCY_INVALID)
    errors.raise_if_any()
    existing = {
        row.kind: row
        for row in NotificationPreference.objects.select_for_update().filter(person=actor)
    }
    saved = []
    for kind, frequency in frequencies.items():
        row = existing.get(kind)
        if row is None:
            row = NotificationPreference(person=actor, kind=kind, frequency=frequency)
        elif row.frequency == frequency:
            continue
        else:
            row.frequency = frequency
        save_tracked(
            row,
            actor=actor,
            reason="Reminder preference changed",
            bump_version=row.pk is not None,
            full_clean=False,
        )
        saved.append(row)
    return saved
