"""Precomputed dashboard counts per State or Territory, kept current on every write.

Why: at 200,000 activities and two million notes, counting the dashboard's figures from the
records takes seconds on SQLite (bench/RESULTS.md, "Dashboard"). The counts are kept per
State or Territory and month (`DashboardCount`); the dashboard sums those rows when its
filters are ones the counts can answer (none, region, State or Territory) and counts the
records directly otherwise (category, center, dates — smaller sets).

How they stay correct. A write never updates a count; it marks the State or Territory
stale (`DashboardStale`, one small insert), in the same transaction as the write:
- signals on `TAActivity` (save, delete; both the old and the new State when an
  activity moves), `DeliverySummary` (save, delete) and its delivery methods
  (`m2m_changed`), `ResponseNote` and `DescriptionNote` (save, delete: the compliance
  report's missing summaries depend on the month's response notes and the final plan).
  Every write path — the services, the importer (it calls the services),
  the admin (it saves through the services), the API — goes through them;
- bulk loads that bypass signals (`generate_data`, a restored backup) run
  `manage.py refresh_dashboard_figures --all` (the data migration marks every State
  stale, so a new install starts right).
Before reading, the dashboard recomputes the stale States from the records
(`refresh_stale`, a few grouped queries per batch) and clears their marks; the stale rows
are locked while that happens, so two readers never write the same State twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from activities.models import (
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    ResponseNote,
    TAActivity,
)
from reference.models import Jurisdiction
from reports.models import DashboardCount, DashboardStale

Kind = DashboardCount.Kind
_SummaryMethod = DeliverySummary.delivery_methods.through
BATCH = 2000


# --- marking ------------------------------------------------------------------------------


_DEFERRED: ContextVar[dict[str, set[int]] | None] = ContextVar("tat_stale_deferred", default=None)


@contextmanager
def stale_marks_deferred() -> Iterator[None]:
    """Within the block, marking a State or Territory stale only notes it; each one is
    marked once when the block ends without an error (ADR 0014).

    For bulk writes through the services (the importer: thousands of records in a few
    States mark each State once instead of once per record). Use it inside the writer's
    transaction; a nested block joins the outer one; on an error nothing is marked (the
    transaction is being abandoned)."""
    if _DEFERRED.get() is not None:
        yield
        return
    pending: dict[str, set[int]] = defaultdict(set)
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    for using, ids in pending.items():
        mark_stale(ids, using=using)


def mark_stale(jurisdiction_ids: Iterable[int | None], *, using: str = "default") -> None:
    ids = {pk for pk in jurisdiction_ids if pk}
    pending = _DEFERRED.get()
    if pending is not None:
        pending[using].update(ids)
        return
    if ids:
        DashboardStale.objects.using(using).bulk_create(
            [DashboardStale(jurisdiction_id=pk) for pk in ids], ignore_conflicts=True
        )


def mark_all_stale(*, using: str = "default") -> None:
    mark_stale(Jurisdiction.objects.using(using).values_list("id", flat=True), using=using)


def _activity_pre_save(sender: type, instance: TAActivity, using: str, **kwargs: Any) -> None:
    if instance.pk and not kwargs.get("raw"):
        instance._dashboard_old_jurisdiction = (  # type: ignore[attr-defined]
            TAActivity.objects.using(using)
            .filter(pk=instance.pk)
            .values_list("jurisdiction_id", flat=True)
            .first()
        )


def _activity_changed(sender: type, instance: TAActivity, using: str, **kwargs: Any) -> None:
    old = getattr(instance, "_dashboard_old_jurisdiction", None)
    mark_stale([instance.jurisdiction_id, old], using=using)


def _summary_jurisdiction(note: Any, using: str) -> int | None:
    """The State or Territory of a note's activity (a summary, a response note, a plan)."""
    activity = note._state.fields_cache.get("activity")
    if activity is not None:
        return activity.jurisdiction_id
    return (
        TAActivity.objects.using(using)
        .filter(pk=note.activity_id)
        .values_list("jurisdiction_id", flat=True)
        .first()
    )


def _summary_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    mark_stale([_summary_jurisdiction(instance, using)], using=using)


def _methods_changed(
    sender: type, instance: Any, action: str, reverse: bool, using: str, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # a delivery method's summaries changed: rare (reference admin)
        mark_all_stale(using=using)
    else:
        mark_stale([_summary_jurisdiction(instance, using)], using=using)


def connect() -> None:
    pre_save.connect(_activity_pre_save, sender=TAActivity, dispatch_uid="dashboard-act-pre")
    post_save.connect(_activity_changed, sender=TAActivity, dispatch_uid="dashboard-act-save")
    post_delete.connect(_activity_changed, sender=TAActivity, dispatch_uid="dashboard-act-del")
    post_save.connect(_summary_changed, sender=DeliverySummary, dispatch_uid="dashboard-sum-save")
    post_delete.connect(_summary_changed, sender=DeliverySummary, dispatch_uid="dashboard-sum-del")
    m2m_changed.connect(_methods_changed, sender=_SummaryMethod, dispatch_uid="dashboard-methods")
    for model, name in ((ResponseNote, "response"), (DescriptionNote, "plan")):
        post_save.connect(_summary_changed, sender=model, dispatch_uid=f"dashboard-{name}-save")
        post_delete.connect(_summary_changed, sender=model, dispatch_uid=f"dashboard-{name}-del")


# --- recomputing --------------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def recompute(jurisdiction_ids: list[int] | None) -> int:
    """Replace the counts of these States and Territories (None: all) from the records."""
    counts = DashboardCount.objects.all()
    activities = TAActivity.objects.order_by()
    summaries = DeliverySummary.objects.order_by()
    methods = _SummaryMethod.objects.order_by()
    if jurisdiction_ids is not None:
        counts = counts.filter(jurisdiction_id__in=jurisdiction_ids)
        activities = activities.filter(jurisdiction_id__in=jurisdiction_ids)
        summaries = summaries.filter(activity__jurisdiction_id__in=jurisdiction_ids)
        methods = methods.filter(deliverysummary__activity__jurisdiction_id__in=jurisdiction_ids)
    rows: list[DashboardCount] = []
    for place, category, center, status, completion, n in activities.values_list(
        "jurisdiction_id", "goal_category_id", "primary_center_id", "status", "completion_status"
    ).annotate(n=Count("id")):
        rows.append(
            DashboardCount(
                jurisdiction_id=place,
                kind=Kind.ACTIVITY,
                category_id=category,
                center_id=center,
                status=status,
                completion=completion,
                count=n,
            )
        )
    by_month: dict[tuple[Any, ...], int] = defaultdict(int)
    for place, day, n in activities.values_list("jurisdiction_id", "date_opened").annotate(
        n=Count("id")
    ):
        by_month[(Kind.OPENED, place, _month(day))] += n
    for place, day, n in (
        activities.filter(completion_status=CompletionStatus.CLOSED, completion_date__isnull=False)
        .values_list("jurisdiction_id", "completion_date")
        .annotate(n=Count("id"))
    ):
        by_month[(Kind.CLOSED, place, _month(day))] += n
    for (kind, place, month), n in by_month.items():
        rows.append(DashboardCount(jurisdiction_id=place, kind=kind, month=month, count=n))
    by_center: dict[tuple[Any, ...], int] = defaultdict(int)
    for place, center, day, late, n in summaries.values_list(
        "activity__jurisdiction_id", "activity__primary_center_id", "note_date", "is_late"
    ).annotate(n=Count("id")):
        by_center[(place, center, _month(day), late)] += n
    for (place, center, month, late), n in by_center.items():
        rows.append(
            DashboardCount(
                jurisdiction_id=place,
                kind=Kind.SUMMARY,
                center_id=center,
                month=month,
                is_late=late,
                count=n,
            )
        )
    by_method: dict[tuple[Any, ...], int] = defaultdict(int)
    for place, day, method, n in methods.values_list(
        "deliverysummary__activity__jurisdiction_id",
        "deliverysummary__note_date",
        "deliverymethod_id",
    ).annotate(n=Count("id")):
        by_method[(place, _month(day), method)] += n
    for (place, month, method), n in by_method.items():
        rows.append(
            DashboardCount(
                jurisdiction_id=place, kind=Kind.METHOD, month=month, method_id=method, count=n
            )
        )
    rows += _compliance_rows(jurisdiction_ids)
    counts.delete()
    DashboardCount.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _compliance_rows(jurisdiction_ids: list[int] | None) -> list[DashboardCount]:
    """The compliance report's monthly counts per (State or Territory, primary center):
    missing summaries and entries (ADR 0010), in four queries.

    "Missing summary" is the monthly review's flag (R1, `oversight.selectors`, whose
    `missing_summary_rows` tests it month by month): an activity whose tracking is
    available (A9: approved with a current final plan, the stored
    `TAActivity.is_tracking_available`) with a TA response note dated in the month but no
    summary dated in it. Here it is counted for every month at once: the (activity, month)
    pairs of those activities' response notes minus those of their summaries (tests check
    that both agree). The flag changes only with a status change or a plan, whose saves
    mark the State stale."""
    activities = TAActivity.objects.order_by()
    if jurisdiction_ids is not None:
        activities = activities.filter(jurisdiction_id__in=jurisdiction_ids)
    tracked = activities.filter(is_tracking_available=True)
    candidates = {
        pk: (place, center)
        for pk, place, center in tracked.values_list("pk", "jurisdiction_id", "primary_center_id")
    }

    def months_of(notes: Any) -> Any:
        # Every note of the States (tested against `candidates` below), not a join with
        # the tracked activities: PostgreSQL answered that join's DISTINCT over the whole
        # data set with a parallel hash aggregate that ran for minutes.
        if jurisdiction_ids is not None:
            notes = notes.filter(activity__jurisdiction_id__in=jurisdiction_ids)
        return (
            notes.order_by()
            .annotate(month=TruncMonth("note_date"))
            .values_list("activity_id", "month")
            .distinct()
        )

    delivered = {pair for pair in months_of(DeliverySummary.objects) if pair[0] in candidates}
    missing: dict[tuple[Any, ...], int] = defaultdict(int)
    for activity_id, month in months_of(ResponseNote.objects):
        if activity_id in candidates and (activity_id, month) not in delivered:
            place, center = candidates[activity_id]
            missing[(place, center, month)] += 1
    rows = [
        DashboardCount(
            jurisdiction_id=place, kind=Kind.MISSING, center_id=center, month=month, count=n
        )
        for (place, center, month), n in missing.items()
    ]
    for place, center, moment, late, n in (
        activities.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("jurisdiction_id", "primary_center_id", "month", "is_late_entry")
        .annotate(n=Count("id"))
    ):
        rows.append(
            DashboardCount(
                jurisdiction_id=place,
                kind=Kind.ENTERED,
                center_id=center,
                month=moment.date(),
                is_late=late,
                count=n,
            )
        )
    return rows


def refresh_stale() -> int:
    """Recompute the stale States and Territories, if any (one query when none is)."""
    if not DashboardStale.objects.exists():
        return 0
    with transaction.atomic():
        ids = list(
            DashboardStale.objects.select_for_update().values_list("jurisdiction_id", flat=True)
        )
        if not ids:
            return 0
        recompute(ids)
        DashboardStale.objects.filter(jurisdiction_id__in=ids).delete()
    return len(ids)


def refresh_all() -> int:
    """Recompute every count (after a bulk load that bypassed the signals)."""
    with transaction.atomic():
        written = recompute(None)
        DashboardStale.objects.all().delete()
    return written
