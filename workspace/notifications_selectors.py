"""Reads of the notifications page and the header's unread count (R3).

Every read is a fixed number of queries whatever the number of notifications.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from core.models import Notification


def notifications_for(*, user: AbstractBaseUser) -> models.QuerySet[Notification]:
    """All of `user`'s notifications, unread first, newest first (the page paginates)."""
    return Notification.objects.filter(recipient=user).order_by(
        models.F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_count(*, user: AbstractBaseUser) -> int:
    """How many of `user`'s notifications are unread: one COUNT on an index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
