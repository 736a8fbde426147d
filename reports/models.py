"""Models of the reports app: the dashboard's precomputed counts (reports.dashboard.rollup)."""

from __future__ import annotations

from django.db import models

from reference.models import Jurisdiction


class DashboardCount(models.Model):
    """One count of one kind for one State or Territory, by the kind's dimensions.

    - `activity`: activities by goal category, primary center, status and completion;
    - `opened` / `closed`: activities opened / closed in `month`;
    - `summary`: summaries of TA delivered in `month` by primary center and lateness (A10);
    - `method`: delivery methods named by the summaries of `month`;
    - `missing`: activities of a primary center flagged "missing summary" for `month` by the
      monthly review's definition (R1; the compliance report, ADR 0010);
    - `entered`: activities of a primary center entered (created, in the site's time zone)
      in `month`, by the A2 late-entry flag (`is_late`).

    Ids of reference rows are plain numbers (no foreign keys): these rows are derived data,
    rebuilt from the records, and must never block a change to a reference list.
    """

    class Kind(models.TextChoices):
        ACTIVITY = "activity", "Activities"
        OPENED = "opened", "Opened in the month"
        CLOSED = "closed", "Closed in the month"
        SUMMARY = "summary", "Summaries of TA delivered"
        METHOD = "method", "Delivery methods named"
        MISSING = "missing", "Summaries missing (monthly review)"
        ENTERED = "entered", "Activities entered in the month"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    month = models.DateField(null=True)
    category_id = models.IntegerField(null=True)
    center_id = models.IntegerField(null=True)
    method_id = models.IntegerField(null=True)
    status = models.CharField(max_length=12, blank=True)
    completion = models.CharField(max_length=10, blank=True)
    is_late = models.BooleanField(null=True)
    count = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "month"]),
            models.Index(fields=["jurisdiction", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.jurisdiction_id} {self.month or ''}: {self.count}"


class DashboardStale(models.Model):
    """A State or Territory whose counts must be recomputed before they are read.

    `whole`: every count of it. Otherwise only the parts its `DashboardStalePart` rows name
    (a write that can change only some kinds or months; a State without parts is recomputed
    whole)."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    whole = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"stale: {self.jurisdiction_id}{'' if self.whole else ' (parts)'}"


class DashboardStalePart(models.Model):
    """One kind of counts of a State or Territory to recompute: every month of it (`month`
    null) or one month (kinds counted per month)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=DashboardCount.Kind.choices)
    month = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "month"], name="reports_stale_part_unique"
            )
        ]

    def __str__(self) -> str:
        return f"stale: {self.jurisdiction_id} {self.kind} {self.month or 'every month'}"
