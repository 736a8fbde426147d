"""Building blocks shared by every domain app: versioning (C1) and status changes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords


def dated_label(day: dt.date, text: str, *, separator: str = ": ", length: int = 60) -> str:
    """A dated note as people name it: "11/25/26: Met the QRIS team…".

    The guide asks writers to begin each note with its date, so a text that already opens
    with the note's date ("11/25/26 – …", "(11/25/26): …") is not prefixed a second time
    (history titles read "11/25/26: 11/25/26: …" otherwise).
    """
    opening = text.lstrip()[:14]
    if any(
        rendering in opening
        for rendering in (f"{day:%m/%d/%y}", f"{day:%m/%d/%Y}", day.isoformat())
    ):
        return text.strip()[:length]
    return f"{day:%m/%d/%y}{separator}{text[:length]}"


class VersionedModel(models.Model):
    """A record edited by people: carries a version number for optimistic locking (C1).

    Services bump `version` on every update and refuse an update whose expected version
    is not the stored one (see core.concurrency).
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One transition of a status field: who, when, from, to, why (STYLE §2)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=40)
    from_value = models.CharField(max_length=40, blank=True)
    to_value = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "changed_at"])]
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.from_value or '—'} → {self.to_value}"


class Notification(models.Model):
    """An in-app message to one person (e.g. G3: a goal was added to your State)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message[:80]


class ReminderKind(models.TextChoices):
    """What a reminder of `send_reminders` is about (R3); one preference per person and kind."""

    SUMMARY_DUE = "summary_due", "Summaries of TA delivered coming due or overdue"
    MONTHLY_REVIEW = "monthly_review", "Last month's activities not reviewed yet (SSS)"
    SEND_BACK = "send_back", "Activities sent back to you"
    CLOSURE_REQUEST = "closure_request", "Goal closure requests waiting (administrators)"


class ReminderFrequency(models.TextChoices):
    """How a person wants one kind of reminder (R3).

    The command runs once a day, so "immediately" means at the next daily run, one e-mail
    per reminder; "daily digest" gathers that day's reminders of every kind into one e-mail;
    "weekly digest" does the same on Mondays only; "off" sends neither e-mail nor in-app
    notification.
    """

    IMMEDIATELY = "immediately", "Immediately (one e-mail per reminder)"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest (Mondays)"
    OFF = "off", "Off"


DEFAULT_REMINDER_FREQUENCY = ReminderFrequency.DAILY


class NotificationPreference(VersionedModel):
    """R3: how one person wants one kind of reminder. No row means the default (daily)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    frequency = models.CharField(
        max_length=12, choices=ReminderFrequency.choices, default=DEFAULT_REMINDER_FREQUENCY
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_frequency_display()}"


class SentReminder(models.Model):
    """R3: one reminder sent (by e-mail and in-app) to one person, so that running the
    command twice never sends it twice.

    `key` names what the reminder is about and the period it belongs to (for example
    `activity:12:2026-11:overdue:2026-W48`), so an outstanding item is reminded at most once
    per period. An append-only log written in bulk: its rows are their own record (AU1), like
    `Notification`, so it carries no separate history table.
    """

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    key = models.CharField(max_length=120)
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "key"], name="one_reminder_per_kind_person_key"
            ),
        ]
        indexes = [models.Index(fields=["kind", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.key} ({self.sent_on})"
