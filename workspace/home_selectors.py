"""Reads of the role sections of the home page (issue 10, "Homes that fit each role").

- TA staff: the summaries of TA delivered they owe, overdue or coming due (A10, with the
  reminders' definition: `oversight.reminders.summaries_awaited`).
- Center lead: every activity whose primary center is theirs, with the home's flags.
- State Systems Specialist: their States and Territories with counts.
- Federal viewer: open activities by status, late summaries, recent approvals and
  closures (from the status log), optionally in one region.
- Administrator: requesters added this month; the closure queue and the reference-list
  changes come from `goals.selectors` and `reference.selectors`.

Open activities and late summaries are the dashboard's figures (issue 10), read through
`reports.selectors` from its precomputed counts per State or Territory: counting them from
200,000 activities and 500,000 summaries on every home page would take hundreds of
milliseconds. "Late
summaries" are summaries of TA delivered in the dashboard's 12 months (this month and the
11 before) entered after their due date (A10, `DeliverySummary.is_late`), as on the
dashboard's map.

Every function runs a fixed number of SQL queries whatever the size of the data (the home
page pins its query count per role in tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q

from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DeliverySummary,
    Requester,
    TAActivity,
)
from core.models import StatusChange
from goals.models import Goal
from oversight.reminders import AwaitedSummary, summaries_awaited
from reference.models import Center, Jurisdiction, Region
from reports.selectors import (
    open_and_late_per_jurisdiction,
    open_by_status_and_late,
)

RECENT_DECISIONS_SHOWN = 10
REQUESTERS_SHOWN = 10


# --- TA staff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummariesOwed:
    """A staff member's summaries of TA delivered not entered yet: overdue, due soon."""

    overdue: list[AwaitedSummary]
    due_soon: list[AwaitedSummary]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


def summaries_owed(*, user: AbstractBaseUser, today: dt.date) -> SummariesOwed:
    """A10/R3 for one primary staff person: the same rows the reminders e-mail them about
    (two queries), earliest due date first."""
    items = sorted(
        summaries_awaited(today=today, primary_staff_id=user.pk),
        key=lambda item: (item.due, item.activity_id),
    )
    return SummariesOwed(
        overdue=[item for item in items if item.overdue],
        due_soon=[item for item in items if not item.overdue],
    )


# --- center lead ----------------------------------------------------------------------------


def center_activities(center: Center) -> models.QuerySet[TAActivity]:
    """Every activity whose primary center is `center`, newest first (through the
    `primary_center, date_opened` index); `late_summary_ids` flags one page of them."""
    return (
        TAActivity.objects.filter(primary_center=center)
        .select_related("jurisdiction", "focus", "goal_category", "primary_staff")
        .order_by("-date_opened", "-id")
    )


def late_summary_ids(activity_ids: list[int]) -> set[int]:
    """Which of these activities have a summary of TA delivered entered late (A10), in one
    query. Asked of one page's rows only: as an EXISTS on the center's whole list,
    PostgreSQL hashes every late summary of the data set first (94 ms at 200,000
    activities, against under 1 ms for 25 ids)."""
    if not activity_ids:
        return set()
    return set(
        DeliverySummary.objects.filter(activity_id__in=activity_ids, is_late=True)
        .order_by()
        .values_list("activity_id", flat=True)
        .distinct()
    )


# --- State Systems Specialist ---------------------------------------------------------------


@dataclass(frozen=True)
class StateCounts:
    jurisdiction: Jurisdiction
    open_goals: int
    open_activities: int
    late_summaries: int


def state_counts(jurisdictions: list[Jurisdiction], *, today: dt.date) -> list[StateCounts]:
    """Open goals, open activities and late summaries of each State or Territory (in the
    order given): open goals grouped in one query, the dashboard's counts in two (one when
    they are current)."""
    ids = [item.pk for item in jurisdictions]
    if not ids:
        return []
    goals = dict(
        Goal.objects.open()
        .filter(jurisdiction_id__in=ids)
        .order_by()
        .values_list("jurisdiction_id")
        .annotate(n=Count("pk"))
    )
    activities, late = open_and_late_per_jurisdiction(ids, today=today)
    return [
        StateCounts(
            jurisdiction=item,
            open_goals=goals.get(item.pk, 0),
            open_activities=activities.get(item.pk, 0),
            late_summaries=late.get(item.pk, 0),
        )
        for item in jurisdictions
    ]


# --- federal viewer -------------------------------------------------------------------------


def region_by_param(raw: str | None) -> Region | None:
    """The region named by a `?region=` value (the search page's: the region's id).
    Raises ValueError when the value names no region."""
    value = (raw or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise ValueError(value)
    region = Region.objects.filter(pk=int(value)).first()
    if region is None:
        raise ValueError(value)
    return region


def regions() -> list[Region]:
    return list(Region.objects.order_by("number"))


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Overview:
    """The federal viewer's figures, for every region or one."""

    by_status: list[StatusCount]
    late_summaries: int
    open_by_place: dict[int, int]
    late_by_place: dict[int, int]

    @property
    def open_total(self) -> int:
        return sum(row.count for row in self.by_status)


def overview(*, region: Region | None, today: dt.date) -> Overview:
    """Open activities by status (every status listed, in lifecycle order) and late
    summaries, in all and per State or Territory, from the dashboard's counts: two queries
    (the stale check and one grouped read; more when some are stale)."""
    counts = open_by_status_and_late(region=region, today=today)
    return Overview(
        by_status=[
            StatusCount(value, label, counts.by_status.get(value, 0))
            for value, label in ActivityStatus.choices
        ],
        late_summaries=counts.late,
        open_by_place=counts.open_by_place,
        late_by_place=counts.late_by_place,
    )


@dataclass(frozen=True)
class PlaceFigures:
    jurisdiction: Jurisdiction
    open_activities: int
    late_summaries: int


def region_states(*, region: Region | None, overview: Overview) -> list[PlaceFigures]:
    """The States and Territories of one region with their open activities and late
    summaries (the dashboard's map figures, from `overview`): one query; nothing for every
    region (the dashboard's map shows them all)."""
    if region is None:
        return []
    return [
        PlaceFigures(
            jurisdiction=place,
            open_activities=overview.open_by_place.get(place.pk, 0),
            late_summaries=overview.late_by_place.get(place.pk, 0),
        )
        for place in Jurisdiction.objects.filter(region=region).order_by("name")
    ]


@dataclass(frozen=True)
class Decision:
    """One recent approval or closure, from the status log."""

    kind: str  # "approved", "closed", "cancelled", "goal_closed"
    label: str
    at: dt.datetime
    actor: str
    activity: TAActivity | None = None
    goal: Goal | None = None


_DECISION_LABELS = {
    ("activity", "status", ActivityStatus.APPROVED): ("approved", "Activity approved"),
    ("activity", "completion_status", CompletionStatus.CLOSED): ("closed", "Activity closed"),
    ("activity", "completion_status", CompletionStatus.CANCELLED): (
        "cancelled",
        "Activity cancelled",
    ),
    ("goal", "status", Goal.Status.CLOSED): ("goal_closed", "Goal closed"),
}


def recent_decisions(
    *, region: Region | None, limit: int = RECENT_DECISIONS_SHOWN
) -> list[Decision]:
    """The latest approvals and closures of activities and closures of goals (newest
    first), read from the status log: three queries (the changes, their activities, their
    goals). The log is read backwards by its primary key, which follows time."""
    activity_type = ContentType.objects.get_for_model(TAActivity)
    goal_type = ContentType.objects.get_for_model(Goal)
    activity_changes = Q(content_type=activity_type) & (
        Q(field="status", to_value=ActivityStatus.APPROVED)
        | Q(
            field="completion_status",
            to_value__in=[CompletionStatus.CLOSED, CompletionStatus.CANCELLED],
        )
    )
    goal_changes = Q(content_type=goal_type, field="status", to_value=Goal.Status.CLOSED)
    if region is not None:
        activity_changes &= Q(
            object_id__in=TAActivity.objects.filter(jurisdiction__region=region).values("pk")
        )
        goal_changes &= Q(
            object_id__in=Goal.objects.filter(jurisdiction__region=region).values("pk")
        )
    changes = list(
        StatusChange.objects.filter(activity_changes | goal_changes)
        .select_related("actor")
        .order_by("-id")[:limit]
    )
    activity_ids = [c.object_id for c in changes if c.content_type_id == activity_type.pk]
    goal_ids = [c.object_id for c in changes if c.content_type_id == goal_type.pk]
    activities = (
        TAActivity.objects.select_related("jurisdiction", "focus").in_bulk(activity_ids)
        if activity_ids
        else {}
    )
    goals = (
        Goal.objects.select_related("jurisdiction", "category").in_bulk(goal_ids)
        if goal_ids
        else {}
    )
    decisions = []
    for change in changes:
        is_activity = change.content_type_id == activity_type.pk
        kind, label = _DECISION_LABELS[
            ("activity" if is_activity else "goal", change.field, change.to_value)
        ]
        decisions.append(
            Decision(
                kind=kind,
                label=label,
                at=change.changed_at,
                actor=str(change.actor),
                activity=activities.get(change.object_id) if is_activity else None,
                goal=None if is_activity else goals.get(change.object_id),
            )
        )
    return [d for d in decisions if d.activity is not None or d.goal is not None]


# --- administrator --------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestersAdded:
    total: int
    without_approver_name: int
    newest: list[Requester]


def requesters_added_since(since: dt.datetime, *, limit: int = REQUESTERS_SHOWN) -> RequestersAdded:
    """A4: requesters added since `since` (their count, how many lack the approver's name,
    and the newest `limit`): two queries."""
    added = Requester.objects.filter(created_at__gte=since)
    counts = added.aggregate(
        total=Count("pk"), without_name=Count("pk", filter=Q(approved_by_name=""))
    )
    newest = list(
        added.select_related("jurisdiction", "region", "created_by").order_by("-created_at", "-id")[
            :limit
        ]
    )
    return RequestersAdded(
        total=counts["total"] or 0,
        without_approver_name=counts["without_name"] or 0,
        newest=newest,
    )
