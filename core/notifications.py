"""In-app notifications: the one place that sends them and marks them read.

Services that tell someone about a change (G3: a goal was added to your State; goal
closure requests and decisions) call `notification_send`; the workspace marks a person's
own notifications read with `notifications_mark_read`, which never touches anyone else's.
Reads (the unread list on the home page) are selectors of the workspace.

Notifications carry no history (they are not tracked records), so marking them read is a
single UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from core.models import Notification


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
