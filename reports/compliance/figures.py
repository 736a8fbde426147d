"""Reads of the monthly compliance report: the month's numbers per primary center and per
State or Territory, and their totals.

Every rule is read from where it lives, never computed a second time:

- a summary's due date and its late flag are the model's (`DeliverySummary.due_date`,
  `DeliverySummary.is_late`, A10: `core.businessdays.summary_due_date`, U.S. federal holidays
  excluded), stored when the summary is saved;
- a missing summary is the monthly review's (`oversight.selectors.missing_summary_rows`,
  the review's `missing_summary` flag, R1): an approved activity with a current final plan
  and a TA response note dated in the month, but no summary of TA delivered dated in it;
- a late entry is the activity's A2 flag (`TAActivity.is_late_entry`, set by the activities
  service from `core.businessdays.is_late_entry`: entered more than 72 business hours after
  the date opened).

Every number is read from the precomputed monthly counts per State or Territory and primary
center (`reports.models.DashboardCount`, kinds "summary", "missing" and "entered"; kept by
`reports.dashboard.rollup`, whose recompute applies the definitions above and which every
write to an activity, a summary, a response note or a plan marks stale), refreshed first
when a write marked a State stale. Queries: the stale check, one grouped read of the month's
counts (grouped by State or Territory and primary center, so it feeds both tables) and two
name lists (centers, States and Territories), whatever the amount of data (pinned in tests;
ADR 0010).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, Sum

from oversight.selectors import month_bounds
from reference.models import Center, Jurisdiction, Region
from reports.dashboard import rollup
from reports.models import DashboardCount


@dataclass(frozen=True)
class ComplianceFilters:
    """What the report counts: one month, and optionally one region, one State or Territory
    and one primary center (the search page's parameter names and values)."""

    month: dt.date
    region: Region | None = None
    jurisdiction: Jurisdiction | None = None
    primary_center: Center | None = None

    def query_params(self) -> list[tuple[str, str]]:
        """The month and filters as URL parameters (downloads, other months)."""
        params = [("month", f"{self.month:%Y-%m}")]
        for name in ("region", "jurisdiction", "primary_center"):
            value = getattr(self, name)
            if value is not None:
                params.append((name, str(value.pk)))
        return params

    def query_string(self) -> str:
        return urlencode(self.query_params())

    def describe(self) -> list[tuple[str, str]]:
        """The filters in use as (label, value), for the page and the downloads."""
        described = []
        if self.region is not None:
            described.append(("Region", str(self.region)))
        if self.jurisdiction is not None:
            described.append(("State or Territory", self.jurisdiction.name))
        if self.primary_center is not None:
            described.append(("Primary center", f"{self.primary_center.name}"))
        return described


@dataclass
class Counts:
    """One row's numbers (see `COLUMNS` for what each means)."""

    deliveries: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    entered: int = 0
    entered_late: int = 0

    def add(self, other: Counts) -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def cells(self) -> list[tuple[str, int | float | None]]:
        """(column key, value) in the order of `COLUMNS` (the page's and the files' cells)."""
        return [(column.key, getattr(self, column.key)) for column in COLUMNS]

    @property
    def on_time_percent(self) -> float | None:
        """Summaries on time as a percentage of the month's summaries (None: none)."""
        if not self.deliveries:
            return None
        return round(100 * self.on_time / self.deliveries, 1)


COUNT_FIELDS = ("deliveries", "on_time", "late", "missing", "entered", "entered_late")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    definition: str


# The columns, in the order shown, each with its definition (the guide's words quoted).
COLUMNS: tuple[Column, ...] = (
    Column(
        "deliveries",
        "TA deliveries",
        "Summaries of TA delivered whose delivery date is in the month. The guide: “A summary "
        "of TA delivered is required within 10 business days of TA delivery or by the last "
        "day of the calendar month, whichever comes first.”",
    ),
    Column(
        "on_time",
        "Summaries on time",
        "Of those, summaries entered on or before their due date: 10 business days after "
        "delivery (weekdays that are not U.S. federal holidays) or the last day of the "
        "delivery month, whichever comes first.",
    ),
    Column(
        "late",
        "Summaries late",
        "Of those, summaries entered after their due date (flagged “late” on the record).",
    ),
    Column(
        "on_time_percent",
        "On time (%)",
        "Summaries on time as a percentage of TA deliveries; blank when there were none.",
    ),
    Column(
        "missing",
        "Summaries missing",
        "Approved TA activities with a current final plan and a TA response note dated in the "
        "month, but no summary of TA delivered dated in it (the monthly review's “missing "
        "summary” flag; overdue once the month is over). The guide: “If no active TA was "
        "delivered during the month, no TA summary is required.”",
    ),
    Column(
        "entered",
        "TA activities entered",
        "TA activities entered in TAT during the month (the day the record was created).",
    ),
    Column(
        "entered_late",
        "Entered late",
        "Of those, records entered more than 72 business hours (3 business days, U.S. "
        "federal holidays excluded) after the date opened. The guide: “Date TA was "
        "requested. Staff should make a concerted effort to enter all requests within 72 "
        "business hours of receipt.”",
    ),
)


@dataclass(frozen=True)
class ReportRow:
    """One line of a table: a center or a State or Territory, and its numbers."""

    label: str
    counts: Counts
    code: str = ""
    detail: str = ""  # the center's code, the jurisdiction's region


@dataclass
class ComplianceReport:
    filters: ComplianceFilters
    first_day: dt.date
    last_day: dt.date
    month_is_over: bool
    by_center: list[ReportRow] = field(default_factory=list)
    by_jurisdiction: list[ReportRow] = field(default_factory=list)
    total: Counts = field(default_factory=Counts)


Key = tuple[int, int]  # (jurisdiction id, primary center id)
Kind = DashboardCount.Kind


def _cells(filters: ComplianceFilters) -> dict[Key, Counts]:
    """The month's numbers per (State or Territory, primary center), summed from the
    precomputed monthly counts: one grouped query when no State is stale (the stale check
    is another; the rollup's refresh adds its own when some are)."""
    first, _last = month_bounds(filters.month)
    cells: dict[Key, Counts] = defaultdict(Counts)
    rollup.refresh_stale()  # the precomputed counts, current before reading
    counts = DashboardCount.objects.filter(
        kind__in=[Kind.SUMMARY, Kind.MISSING, Kind.ENTERED], month=first
    )
    if filters.region is not None:
        counts = counts.filter(jurisdiction__region=filters.region)
    if filters.jurisdiction is not None:
        counts = counts.filter(jurisdiction=filters.jurisdiction)
    if filters.primary_center is not None:
        counts = counts.filter(center_id=filters.primary_center.pk)
    for jurisdiction_id, center_id, kind, is_late, count in (
        counts.order_by()
        .values_list("jurisdiction_id", "center_id", "kind", "is_late")
        .annotate(count=Sum("count"))
    ):
        cell = cells[(jurisdiction_id, center_id)]
        if kind == Kind.SUMMARY:
            cell.deliveries += count
            if is_late:
                cell.late += count
            else:
                cell.on_time += count
        elif kind == Kind.MISSING:
            cell.missing += count
        else:
            cell.entered += count
            if is_late:
                cell.entered_late += count
    return cells


def compliance_report(filters: ComplianceFilters, *, today: dt.date) -> ComplianceReport:
    """The report of `filters.month`: one row per primary center (every active center, and
    an inactive one with numbers) and per State or Territory the filters keep (all of them,
    with zeros where nothing happened), and the totals. Four queries when nothing is stale."""
    first, last = month_bounds(filters.month)
    cells = _cells(filters)
    per_center: dict[int, Counts] = defaultdict(Counts)
    per_jurisdiction: dict[int, Counts] = defaultdict(Counts)
    total = Counts()
    for (jurisdiction_id, center_id), counts in cells.items():
        per_center[center_id].add(counts)
        per_jurisdiction[jurisdiction_id].add(counts)
        total.add(counts)

    centers = Center.objects.only("pk", "name", "code").order_by("name")
    if filters.primary_center is not None:
        centers = centers.filter(pk=filters.primary_center.pk)
    else:
        centers = centers.filter(Q(active=True) | Q(pk__in=list(per_center)))
    jurisdictions = Jurisdiction.objects.select_related("region").order_by("name")
    if filters.jurisdiction is not None:
        jurisdictions = jurisdictions.filter(pk=filters.jurisdiction.pk)
    if filters.region is not None:
        jurisdictions = jurisdictions.filter(region=filters.region)
    return ComplianceReport(
        filters=filters,
        first_day=first,
        last_day=last,
        month_is_over=last < today,
        by_center=[
            ReportRow(center.name, per_center.get(center.pk, Counts()), center.code, center.code)
            for center in centers
        ],
        by_jurisdiction=[
            ReportRow(j.name, per_jurisdiction.get(j.pk, Counts()), j.code, j.region.short_name)
            for j in jurisdictions
        ],
        total=total,
    )
