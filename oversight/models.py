"""The monthly review (R1): a review mark per activity and month, and send-backs.

Both point at "activities.TAActivity" by string with the related names `review_marks` and
`send_backs`, so the activities floor (below this one) reads them through the reverse
relations without importing oversight. Both keep their history (AU1); the activity's
History tab shows it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import VersionedModel


class ReviewMark(models.Model):
    """R1: the SSS (or an admin, or the center lead) reviewed this activity for this month."""

    activity = models.ForeignKey(
        "activities.TAActivity", on_delete=models.CASCADE, related_name="review_marks"
    )
    month = models.DateField(help_text="The first day of the month reviewed.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "month"], name="one_review_mark_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="review_mark_month_first_day"
            ),
        ]
        indexes = [models.Index(fields=["month", "activity"])]

    def __str__(self) -> str:
        return f"Reviewed for {self.month:%m/%Y}"


class SendBackQuerySet(models.QuerySet):
    def open(self) -> SendBackQuerySet:
        return self.filter(status=SendBack.Status.OPEN)

    def addressed(self) -> SendBackQuerySet:
        return self.filter(status=SendBack.Status.ADDRESSED)


class SendBack(VersionedModel):
    """R1: the reviewer sends an activity back to its primary staff with a comment; the
    staff member marks it addressed (with an optional reply)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ADDRESSED = "addressed", "Addressed"

    class About(models.TextChoices):
        DETAILS = "details", "Activity details"
        PLAN = "plan", "TA activity description (plan)"
        SUMMARY = "summary", "Summary of TA delivered"
        FEEDBACK = "feedback", "Requester feedback"
        OUTCOME = "outcome", "Outcome report"
        RESPONSE_NOTE = "response_note", "TA response notes"

    activity = models.ForeignKey(
        "activities.TAActivity", on_delete=models.CASCADE, related_name="send_backs"
    )
    month = models.DateField(help_text="The first day of the month reviewed.")
    about = models.CharField("what it concerns", max_length=20, choices=About.choices)
    comment = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    addressed_at = models.DateTimeField(null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = SendBackQuerySet.as_manager()

    class Meta:
        verbose_name = "send-back"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="send_back_month_first_day"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "activity"]),
            models.Index(fields=["activity", "status"]),
        ]

    def __str__(self) -> str:
        return f"Sent back ({self.get_about_display()}): {self.comment[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def tab(self) -> str:
        """The record tab the send-back concerns (its banner shows there)."""
        return ABOUT_TABS[self.about]


ABOUT_TABS = {
    SendBack.About.DETAILS: "details",
    SendBack.About.PLAN: "details",
    SendBack.About.SUMMARY: "tracking",
    SendBack.About.FEEDBACK: "tracking",
    SendBack.About.OUTCOME: "tracking",
    SendBack.About.RESPONSE_NOTE: "response_notes",
}
