"""Reads of the reports app that other floors reuse (the workspace homes).

`dashboard_figures(filters, *, today, map_by="open")` returns every dashboard figure for
some `DashboardFilters`; see `reports.dashboard` for what a figure holds. The homes' small
figures (open activities, late summaries, open activities by status) come from the same
precomputed counts (`DashboardCount`, refreshed first), so they match the dashboard's.
"""

from __future__ import annotations

import datetime as dt

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


def open_by_status_and_late(*, region: Region | None, today: dt.date) -> tuple[dict[str, int], int]:
    """Open activities per status and the late summaries (the 12 months), for every region
    or one: two queries (three when some counts are stale)."""
    counts = _counts(region=region)
    by_status = dict(counts.filter(_OPEN_ACTIVITIES).values_list("status").annotate(n=Sum("count")))
    late = counts.filter(_late_summaries(today)).aggregate(n=Sum("count"))
    return by_status, late["n"] or 0
