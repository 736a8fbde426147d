"""Reads of the reports app that other floors reuse (the workspace homes).

`dashboard_figures(filters, *, today, map_by="open")` returns every dashboard figure for
some `DashboardFilters`; see `reports.dashboard` for what a figure holds. The homes' small
figures (open activities, late summaries, open activities by status) come from the same
precomputed counts (`DashboardCount`, refreshed first), so they match the dashboard's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, Sum

from activities.models import CompletionStatus
from reference.models import Region
from reports.dashboard import CHART_KEYS, Dashboard, DashboardFilters, Figure, dashboard_figures
from reports.dashboard.figures import month_window
from reports.dashboard.rollup import refresh_stale
from reports.models import DashboardCount

__all__ = [
    "CHART_KEYS",
    "Dashboard",
    "DashboardFilters",
    "Figure",
    "OpenAndLate",
    "dashboard_figures",
    "late_window_start",
    "open_and_late_per_jurisdiction",
    "open_by_status_and_late",
]

_OPEN_ACTIVITIES = Q(kind=DashboardCount.Kind.ACTIVITY, completion=CompletionStatus.OPEN)


def late_window_start(today: dt.date) -> dt.date:
    """The first day of the dashboard's 12 months ending with `today`'s."""
    return month_window(DashboardFilters(), today)[0]


def _late_summaries(today: dt.date) -> Q:
    return Q(kind=DashboardCount.Kind.SUMMARY, is_late=True, month__gte=late_window_start(today))


def _counts(*, region: Region | None = None) -> models.QuerySet[DashboardCount]:
    refresh_stale()  # one query when nothing changed since the last read
    counts = DashboardCount.objects.order_by()
    if region is not None:
        counts = counts.filter(jurisdiction__region=region)
    return counts


def open_and_late_per_jurisdiction(
    jurisdiction_ids: list[int], *, today: dt.date
) -> tuple[dict[int, int], dict[int, int]]:
    """Open activities and late summaries (the 12 months) per State or Territory id: one
    query (two when some counts are stale)."""
    activities: dict[int, int] = {}
    late: dict[int, int] = {}
    rows = (
        _counts()
        .filter(_OPEN_ACTIVITIES | _late_summaries(today))
        .filter(jurisdiction_id__in=jurisdiction_ids)
        .values_list("jurisdiction_id", "kind")
        .annotate(n=Sum("count"))
    )
    for jurisdiction_id, kind, n in rows:
        target = activities if kind == DashboardCount.Kind.ACTIVITY else late
        target[jurisdiction_id] = n
    return activities, late


@dataclass(frozen=True)
class OpenAndLate:
    """Open activities per status and late summaries (the 12 months), in all and per State
    or Territory (ids): the figures of the dashboard's first chart and of its map."""

    by_status: dict[str, int]
    late: int
    open_by_place: dict[int, int]
    late_by_place: dict[int, int]


def open_by_status_and_late(*, region: Region | None, today: dt.date) -> OpenAndLate:
    """Open activities per status and the late summaries (the 12 months), for every region
    or one, in all and per State or Territory: one grouped query (two when some counts are
    stale, and the stale check)."""
    by_status: dict[str, int] = defaultdict(int)
    open_by_place: dict[int, int] = defaultdict(int)
    late_by_place: dict[int, int] = defaultdict(int)
    rows = (
        _counts(region=region)
        .filter(_OPEN_ACTIVITIES | _late_summaries(today))
        .values_list("jurisdiction_id", "kind", "status")
        .annotate(n=Sum("count"))
    )
    for jurisdiction_id, kind, status, n in rows:
        if kind == DashboardCount.Kind.ACTIVITY:
            by_status[status] += n
            open_by_place[jurisdiction_id] += n
        else:
            late_by_place[jurisdiction_id] += n
    return OpenAndLate(
        by_status=dict(by_status),
        late=sum(late_by_place.values()),
        open_by_place=dict(open_by_place),
        late_by_place=dict(late_by_place),
    )
