"""Where the dashboard's raw numbers come from: the precomputed counts per State and month
(no filter, a region, a State) or the records themselves (other filters), in one shape."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet, Sum

from activities.models import CompletionStatus, DeliverySummary, TAActivity
from reports.dashboard import rollup
from reports.dashboard.filters import DashboardFilters
from reports.models import DashboardCount
from search.selectors import activities_for_search

_SummaryMethod = DeliverySummary.delivery_methods.through
Kind = DashboardCount.Kind


def _activities(filters: DashboardFilters) -> QuerySet[TAActivity]:
    return activities_for_search(filters.criteria()).order_by()


def _summaries(filters: DashboardFilters, first: dt.date, last: dt.date) -> QuerySet:
    """Summaries of TA delivered in [first, last] of the filtered activities."""
    qs = DeliverySummary.objects.filter(note_date__gte=first, note_date__lte=last).order_by()
    if not filters.is_empty:
        qs = qs.filter(activity__in=_activities(filters).values("id"))
    return qs


Raw = tuple[list, list, list, list, list, list, dict]


def can_use_counts(filters: DashboardFilters) -> bool:
    """The precomputed counts are kept per State or Territory: they answer no filter, a
    region or a State; other filters are counted from the records."""
    return not (
        filters.category or filters.primary_center or filters.opened_from or filters.opened_to
    )


def from_counts(filters: DashboardFilters, first: dt.date, last: dt.date) -> Raw:
    """The raw figures summed from `DashboardCount` (months as their first day)."""
    rollup.refresh_stale()
    counts = DashboardCount.objects.order_by()
    if filters.jurisdiction:
        counts = counts.filter(jurisdiction=filters.jurisdiction)
    if filters.region:
        counts = counts.filter(jurisdiction__region=filters.region)
    total = Sum("count")
    activities = counts.filter(kind=Kind.ACTIVITY)
    in_window = counts.filter(month__gte=first, month__lte=last)
    summaries = in_window.filter(kind=Kind.SUMMARY)
    return (
        list(
            activities.filter(completion=CompletionStatus.OPEN)
            .values_list("jurisdiction_id", "status")
            .annotate(n=total)
        ),
        list(activities.values_list("category_id", "center_id", "completion").annotate(n=total)),
        list(in_window.filter(kind=Kind.OPENED).values_list("month").annotate(n=total)),
        list(in_window.filter(kind=Kind.CLOSED).values_list("month").annotate(n=total)),
        list(summaries.values_list("month", "center_id", "is_late").annotate(n=total)),
        list(
            in_window.filter(kind=Kind.METHOD).values_list("month", "method_id").annotate(n=total)
        ),
        dict(summaries.filter(is_late=True).values_list("jurisdiction_id").annotate(n=total)),
    )


def from_records(filters: DashboardFilters, first: dt.date, last: dt.date) -> Raw:
    """The raw figures counted from the activities and summaries (by day)."""
    activities = _activities(filters)
    summaries = _summaries(filters, first, last)
    methods_rows = _SummaryMethod.objects.filter(
        deliverysummary__note_date__gte=first, deliverysummary__note_date__lte=last
    )
    if not filters.is_empty:
        methods_rows = methods_rows.filter(deliverysummary__activity__in=activities.values("id"))
    return (
        list(
            activities.filter(completion_status=CompletionStatus.OPEN)
            .values_list("jurisdiction_id", "status")
            .annotate(n=Count("id"))
        ),
        list(
            activities.values_list(
                "goal_category_id", "primary_center_id", "completion_status"
            ).annotate(n=Count("id"))
        ),
        list(
            activities.filter(date_opened__gte=first, date_opened__lte=last)
            .values_list("date_opened")
            .annotate(n=Count("id"))
        ),
        list(
            activities.filter(
                completion_status=CompletionStatus.CLOSED,
                completion_date__gte=first,
                completion_date__lte=last,
            )
            .values_list("completion_date")
            .annotate(n=Count("id"))
        ),
        list(
            summaries.values_list("note_date", "activity__primary_center_id", "is_late").annotate(
                n=Count("id")
            )
        ),
        list(
            methods_rows.order_by()
            .values_list("deliverysummary__note_date", "deliverymethod_id")
            .annotate(n=Count("id"))
        ),
        dict(
            summaries.filter(is_late=True)
            .values_list("activity__jurisdiction_id")
            .annotate(n=Count("id"))
        ),
    )
