"""Goals and their strategic areas (rules G1–G4)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import VersionedModel, dated_label
from reference.models import GoalCategory, Jurisdiction, StrategicAreaItem


def _today() -> dt.date:
    return timezone.localdate()


class Readiness(models.TextChoices):
    LEAST = "least", "Least ready"
    SOMEWHAT = "somewhat", "Somewhat ready"
    MOST = "most", "Most ready"


class GoalQuerySet(models.QuerySet):
    def open(self) -> GoalQuerySet:
        return self.filter(status=Goal.Status.OPEN)

    def closed(self) -> GoalQuerySet:
        return self.filter(status=Goal.Status.CLOSED)

    def for_jurisdiction(self, jurisdiction: Jurisdiction) -> GoalQuerySet:
        return self.filter(jurisdiction=jurisdiction)


class Goal(VersionedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="goals")
    start_date = models.DateField(default=_today)
    start_date_is_approximate = models.BooleanField(default=False)
    readiness = models.CharField("readiness to implement", max_length=10, choices=Readiness.choices)
    category = models.ForeignKey(
        GoalCategory, on_delete=models.PROTECT, related_name="goals", verbose_name="goal category"
    )
    related_category = models.ForeignKey(
        GoalCategory,
        on_delete=models.PROTECT,
        related_name="related_goals",
        null=True,
        blank=True,
        verbose_name="related goal category",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goals_created"
    )

    history = HistoricalRecords()
    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__name", "category__number", "start_date"]
        indexes = [models.Index(fields=["jurisdiction", "category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(related_category=models.F("category")),
                name="goal_related_category_differs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} · {self.category.name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])


class StrategicArea(VersionedModel):
    """A strategic area chosen for a goal (goal × list item), with optional notes."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategic_areas")
    item = models.ForeignKey(
        StrategicAreaItem, on_delete=models.PROTECT, related_name="+", verbose_name="strategic area"
    )
    notes = models.TextField("strategic area notes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item__sort_order", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "item"], name="uniq_goal_strategic_area"),
        ]

    def __str__(self) -> str:
        return self.item.name


class GoalNote(VersionedModel):
    """A dated goal update or completion note (G1, G4)."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        COMPLETION = "completion", "Completion"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    note_date = models.DateField(default=_today)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-note_date", "-created_at"]

    def __str__(self) -> str:
        return dated_label(self.note_date, self.text, separator=" – ")


class GoalClosureRequest(models.Model):
    """A request to close a goal, waiting in the administrators' queue (G4)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Goal closed"
        DECLINED = "declined", "Declined"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal"],
                condition=models.Q(status="pending"),
                name="one_pending_closure_request_per_goal",
            ),
        ]

    def __str__(self) -> str:
        return f"Close {self.goal} ({self.get_status_display()})"
