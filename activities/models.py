"""TA activities and everything they own (rules A1–A16)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.businessdays import summary_due_date
from core.models import VersionedModel, dated_label
from goals.models import Goal, StrategicArea
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    TAType,
)


def _today() -> dt.date:
    return timezone.localdate()


class Requester(VersionedModel):
    """A contact at a State/Territory or a Region who may request TA (A4)."""

    class ApprovedBy(models.TextChoices):
        CCDF_ADMINISTRATOR = "ccdf_administrator", "CCDF Administrator"
        RPM = "rpm", "Regional Program Manager (RPM)"

    name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)
    email = models.EmailField("e-mail address")
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, null=True, blank=True, related_name="requesters"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="requesters"
    )
    approved_by = models.CharField(max_length=20, choices=ApprovedBy.choices)
    approved_by_name = models.CharField(
        "approver's name",
        max_length=150,
        blank=True,
        help_text="Name of the CCDF Administrator or RPM who approved adding this requester.",
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="uniq_requester_email_ci"),
            models.CheckConstraint(
                condition=(
                    models.Q(jurisdiction__isnull=False, region__isnull=True)
                    | models.Q(jurisdiction__isnull=True, region__isnull=False)
                ),
                name="requester_jurisdiction_xor_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ActivityType(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    TAILORED = "tailored", "Tailored/individualized"


class ActivityStatus(models.TextChoices):
    PLANNING = "planning", "Planning in progress"
    APPROVED = "approved", "Approved"
    ON_HOLD = "on_hold", "On hold"
    DENIED = "denied", "Denied"


class RequesterApproverRole(models.TextChoices):
    """Who approved an activity not requested directly by the CCDF Administrator (A7)."""

    CCDF_ADMINISTRATOR = "ccdf_administrator", "CCDF Administrator"
    RPM = "rpm", "Regional Program Manager (RPM)"


# The guide's words (Requesters; TA activity status), shown as help text (HL1, A7).
REQUESTER_APPROVAL_HELP = (
    "The guide: “the State or Territory CCDF Administrator or the Regional Program Manager "
    "(RPM) must approve all activities that are not directly requested by the CCDF "
    "Administrator or his or her staff.”"
)
COR_APPROVAL_HELP = (
    "The guide: “Once the COR approves the activity, it is the responsibility of the "
    "National Center to document this in TAT by marking it as approved.”"
)


class CompletionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class PlanStage(models.TextChoices):
    INITIAL = "initial", "Initial plan"
    INTERMEDIATE = "intermediate", "Intermediate plan"
    FINAL = "final", "Final plan"
    ARCHIVED_FINAL = "archived_final", "Archived final plan"


# Kept at module level so services can write one history row after saving a record and
# its many-to-many fields together (AU1), instead of one row per many-to-many change.
# `is_tracking_available` is derived (A9: status and plans, each with their own history), so
# it is kept out of the history: refreshing it is not a change anybody made.
ACTIVITY_HISTORY = HistoricalRecords(
    m2m_fields=[
        "requesters",
        "collaborating_centers",
        "collaborating_staff",
        "other_collaborators",
    ],
    excluded_fields=["is_tracking_available"],
)
SUMMARY_HISTORY = HistoricalRecords(m2m_fields=["delivery_methods", "ta_types"])


class TAActivityQuerySet(models.QuerySet):
    def open(self) -> TAActivityQuerySet:
        return self.filter(completion_status=CompletionStatus.OPEN)

    def goal_driven(self) -> TAActivityQuerySet:
        return self.filter(goal__isnull=False)

    def on_demand(self) -> TAActivityQuerySet:
        return self.filter(goal__isnull=True)

    def in_region(self, region: Region) -> TAActivityQuerySet:
        return self.filter(jurisdiction__region=region)

    def for_staff(self, user) -> TAActivityQuerySet:
        """Activities where `user` is primary or collaborating staff (H1).

        One id list (a UNION ALL of two indexed look-ups) rather than an OR across the two
        roles: PostgreSQL cannot answer the OR from indexes (137 ms vs 9 ms measured on
        200,000 activities).
        """
        through = TAActivity.collaborating_staff.through
        ids = (
            TAActivity.objects.filter(primary_staff_id=user.pk)
            .order_by()
            .values("pk")
            .union(
                through.objects.filter(user_id=user.pk).order_by().values("taactivity_id"),
                all=True,
            )
        )
        return self.filter(pk__in=ids)


class TAActivity(VersionedModel):
    """A TA activity: goal-driven (under a strategic area) or on-demand (no goal).

    Its primary key is the stable TA record number (A15).
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="activities"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    strategic_area = models.ForeignKey(
        StrategicArea, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    # The goal's category (goal-driven) or the focus area's (on-demand); kept here for search.
    goal_category = models.ForeignKey(
        GoalCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    focus = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="activities", verbose_name="TA focus"
    )
    other_focus_notes = models.TextField("other TA focus notes", blank=True)
    date_opened = models.DateField(default=_today)
    is_late_entry = models.BooleanField(default=False, editable=False)
    priority = models.CharField("priority level", max_length=10, choices=Priority.choices)
    activity_type = models.CharField(
        "TA activity type", max_length=12, choices=ActivityType.choices
    )
    status = models.CharField(
        "TA activity status",
        max_length=12,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNING,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # A9, stored: status approved and a current final plan (`tracking_available`'s test),
    # kept by `activities.services.tracking.refresh_tracking_flag` in the transaction of
    # every status or plan change, so the monthly review reads it from an index (ADR 0015).
    is_tracking_available = models.BooleanField(default=False, editable=False)
    # A7: approvals on record. None = not recorded (activities entered before this field).
    requested_by_ccdf_administrator = models.BooleanField(
        "requested directly by the CCDF Administrator or their staff",
        null=True,
        blank=True,
        help_text=REQUESTER_APPROVAL_HELP,
    )
    requester_approver_role = models.CharField(
        "activity approved by",
        max_length=20,
        choices=RequesterApproverRole.choices,
        blank=True,
        help_text=REQUESTER_APPROVAL_HELP,
    )
    requester_approver_name = models.CharField("approver's name", max_length=150, blank=True)
    requester_approval_date = models.DateField("date the approver approved", null=True, blank=True)
    cor_name = models.CharField(
        "COR's name", max_length=150, blank=True, help_text=COR_APPROVAL_HELP
    )
    cor_approval_date = models.DateField("COR approval date", null=True, blank=True)
    requesters = models.ManyToManyField(Requester, related_name="activities")
    primary_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="primary_activities"
    )
    primary_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="primary_activities",
        verbose_name="primary staff person",
    )
    collaborating_centers = models.ManyToManyField(
        Center, blank=True, related_name="collaborating_activities"
    )
    collaborating_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="collaborating_activities"
    )
    other_collaborators = models.ManyToManyField(
        CollaboratorType, blank=True, related_name="activities"
    )
    other_collaborators_details = models.TextField("details on other collaborators", blank=True)
    outcome_plan = models.TextField("State/Territory outcome plan")
    outcome_report = models.TextField("State/Territory outcome report", blank=True)
    completion_status = models.CharField(
        max_length=10, choices=CompletionStatus.choices, default=CompletionStatus.OPEN
    )
    completion_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = ACTIVITY_HISTORY
    objects = TAActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "TA activity"
        verbose_name_plural = "TA activities"
        ordering = ["-date_opened", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "completion_status"]),
            models.Index(fields=["primary_staff", "completion_status"]),
            models.Index(fields=["primary_center", "date_opened"]),
            models.Index(fields=["goal_category", "date_opened"]),
            models.Index(fields=["date_opened"]),
            models.Index(fields=["completion_date"]),
            models.Index(fields=["cor_approval_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completion_date__isnull=True)
                | models.Q(completion_date__gte=models.F("date_opened")),
                name="activity_completion_not_before_opened",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(goal__isnull=True, strategic_area__isnull=True)
                    | models.Q(goal__isnull=False, strategic_area__isnull=False)
                ),
                name="activity_goal_and_strategic_area_together",
            ),
            models.CheckConstraint(
                condition=~models.Q(completion_status="closed")
                | models.Q(completion_date__isnull=False),
                name="activity_closed_has_completion_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_number} · {self.title}"

    @property
    def record_number(self) -> str:
        return f"TA-{self.pk:06d}" if self.pk else "TA-(new)"

    @property
    def title(self) -> str:
        """A1: the TA focus is the activity's title."""
        if self.focus_id and self.focus.is_other and self.other_focus_notes:
            return f"Other: {self.other_focus_notes[:80]}"
        return self.focus.name if self.focus_id else ""

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def is_goal_driven(self) -> bool:
        return self.goal_id is not None

    @property
    def is_open(self) -> bool:
        return self.completion_status == CompletionStatus.OPEN

    def next_summary_due(self, today: dt.date) -> dt.date | None:
        """The home page's "next summary due" date (H1, A10).

        Which TA was delivered but not yet summarised is not recorded, so this is the
        latest date a summary can be due for TA delivered up to `today`: the A10 due date
        of a delivery today (10 business days later or the month's last day, whichever is
        first). Only open, approved activities have summaries due; others have none.
        """
        if (
            self.completion_status != CompletionStatus.OPEN
            or self.status != ActivityStatus.APPROVED
        ):
            return None
        return summary_due_date(today)


# `core.services.save_tracked` writes the one history row of a save with m2m sets (AU1).
TAActivity.history_recorder = ACTIVITY_HISTORY


class Note(VersionedModel):
    """A dated note on an activity: its own row, with author and the date it speaks of."""

    note_date = models.DateField(default=_today)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-note_date", "-created_at"]

    def __str__(self) -> str:
        return dated_label(self.note_date, self.text)


class DescriptionNote(Note):
    """A TA activity description note with its plan stage (A6)."""

    activity = models.ForeignKey(
        TAActivity, on_delete=models.CASCADE, related_name="description_notes"
    )
    stage = models.CharField(
        "TA activity description type", max_length=16, choices=PlanStage.choices
    )
    history = HistoricalRecords()

    class Meta(Note.Meta):
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=models.Q(stage="final"),
                name="one_current_final_plan_per_activity",
            ),
        ]
        indexes = [models.Index(fields=["activity", "stage"])]


class DeliverySummary(Note):
    """A summary of TA delivered (A10): `note_date` is the delivery date."""

    activity = models.ForeignKey(TAActivity, on_delete=models.CASCADE, related_name="summaries")
    delivery_methods = models.ManyToManyField(DeliveryMethod, blank=True, related_name="+")
    ta_types = models.ManyToManyField(TAType, blank=True, related_name="+")
    due_date = models.DateField(editable=False)
    is_late = models.BooleanField(default=False, editable=False)
    history = SUMMARY_HISTORY

    class Meta(Note.Meta):
        verbose_name = "summary of TA delivered"
        verbose_name_plural = "summaries of TA delivered"
        indexes = [
            models.Index(fields=["activity", "note_date"]),
            models.Index(fields=["note_date"]),
        ]

    def save(self, *args, **kwargs) -> None:
        self.due_date = summary_due_date(self.note_date)
        entered = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        self.is_late = entered > self.due_date
        super().save(*args, **kwargs)


DeliverySummary.history_recorder = SUMMARY_HISTORY


class RequesterFeedback(Note):
    """Requester feedback or closing comment (A11); allowed after closing."""

    activity = models.ForeignKey(TAActivity, on_delete=models.CASCADE, related_name="feedback")
    giver_name = models.CharField("name of person giving feedback", max_length=150)
    giver_title = models.CharField("title or role", max_length=150)
    history = HistoricalRecords()

    class Meta(Note.Meta):
        verbose_name = "requester feedback"
        verbose_name_plural = "requester feedback"
        indexes = [models.Index(fields=["activity", "note_date"])]


class ResponseNote(Note):
    """A TA response note (A14): day-to-day work; author and time captured automatically."""

    activity = models.ForeignKey(
        TAActivity, on_delete=models.CASCADE, related_name="response_notes"
    )
    history = HistoricalRecords()

    class Meta(Note.Meta):
        verbose_name = "TA response note"
        indexes = [
            models.Index(fields=["activity", "created_at"]),
            models.Index(fields=["note_date"]),
        ]


class ActivityWorkMonth(models.Model):
    """A month in which an activity has at least one TA response note dated (work on
    record), with the activity's A9 flag (`is_tracking_available`) copied beside it.

    Derived data, kept by `activities.services.tracking.refresh_work_months` in the
    transaction of every response-note write and every change of the flag: the monthly
    review (R1) finds the month's candidates for a missing summary — tracking available and
    work in the month — in one index range instead of joining the month's 94,000 response
    notes with every approved activity (issue 9 "Speed", ADR 0015)."""

    activity = models.ForeignKey(TAActivity, on_delete=models.CASCADE, related_name="work_months")
    month = models.DateField(help_text="The first day of the month.")
    is_tracking_available = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "month"], name="one_work_month_per_month"),
        ]
        indexes = [
            models.Index(
                fields=["month", "is_tracking_available", "activity"],
                name="work_month_tracking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.month:%Y-%m}"


class JoinRequest(models.Model):
    """A16, issue #12 door 1: someone whose center takes no part in an activity asks to join
    it; its primary staff person (or an administrator) accepts — they become collaborating
    staff, their center a collaborating center — or declines, saying why."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    activity = models.ForeignKey(TAActivity, on_delete=models.CASCADE, related_name="join_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField("why you want to join", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("answer", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "requested_by"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_by} asks to join {self.activity_id} ({self.get_status_display()})"
