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
A write that can change only some kinds or months of its State's counts marks only those
parts (`mark_parts_stale`, ADR 0007); a move, a delete or a fixture marks the whole State.
Before reading, the dashboard recomputes the stale States (or parts) from the records
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
from django.db.models import Count, Exists
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
from reports.models import DashboardCount, DashboardStale, DashboardStalePart

Kind = DashboardCount.Kind
_SummaryMethod = DeliverySummary.delivery_methods.through
BATCH = 2000


# --- marking ------------------------------------------------------------------------------

# A part of a State's counts: (State or Territory, kind, month or None for every month).
Part = tuple[int, str, dt.date | None]
# Kinds counted per month whose recompute can be limited to one month.
MONTHLY_KINDS = (Kind.SUMMARY, Kind.METHOD, Kind.MISSING)
# What a new activity can change: nothing of its notes yet (it has none).
_NEW_ACTIVITY_KINDS = (Kind.ACTIVITY, Kind.OPENED, Kind.CLOSED, Kind.ENTERED)
# The activity's fields the counts read, beside its State and primary center (whose change
# marks both States whole), and the kinds each one feeds.
_ACTIVITY_FIELDS: dict[str, tuple[str, ...]] = {
    "goal_category_id": (Kind.ACTIVITY,),
    "status": (Kind.ACTIVITY,),
    "completion_status": (Kind.ACTIVITY, Kind.CLOSED),
    "date_opened": (Kind.OPENED,),
    "completion_date": (Kind.CLOSED,),
    "created_at": (Kind.ENTERED,),
    "is_late_entry": (Kind.ENTERED,),
}
# Fields after whose change the activity's missing summaries (its response notes' months)
# are recomputed: A9's flag follows the status (and plans), written by `update()` after
# the save, so the status change itself marks them.
_TRACKING_FIELDS = ("status", "is_tracking_available")


class _Pending:
    def __init__(self) -> None:
        self.whole: set[int] = set()
        self.parts: set[Part] = set()


_DEFERRED: ContextVar[dict[str, _Pending] | None] = ContextVar("tat_stale_deferred", default=None)


@contextmanager
def stale_marks_deferred() -> Iterator[None]:
    """Within the block, marking a State or Territory (or a part of it) stale only notes
    it; each one is marked once when the block ends without an error (ADR 0014).

    For bulk writes through the services (the importer: thousands of records in a few
    States mark each State once instead of once per record). Use it inside the writer's
    transaction; a nested block joins the outer one; on an error nothing is marked (the
    transaction is being abandoned)."""
    if _DEFERRED.get() is not None:
        yield
        return
    pending: dict[str, _Pending] = defaultdict(_Pending)
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    for using, marks in pending.items():
        mark_stale(marks.whole, using=using)
        mark_parts_stale(marks.parts, using=using)


def mark_stale(jurisdiction_ids: Iterable[int | None], *, using: str = "default") -> None:
    """Every count of these States and Territories is to be recomputed."""
    ids = {pk for pk in jurisdiction_ids if pk}
    pending = _DEFERRED.get()
    if pending is not None:
        pending[using].whole.update(ids)
        return
    if ids:
        # Whole wins over an earlier mark of some parts.
        DashboardStale.objects.using(using).bulk_create(
            [DashboardStale(jurisdiction_id=pk, whole=True) for pk in ids],
            update_conflicts=True,
            unique_fields=["jurisdiction"],
            update_fields=["whole"],
        )


def mark_parts_stale(parts: Iterable[Part], *, using: str = "default") -> None:
    """Only these parts of their States' counts are to be recomputed (a write that can
    change nothing else). A State already marked whole stays whole."""
    wanted = {(place, kind, month) for place, kind, month in parts if place}
    pending = _DEFERRED.get()
    if pending is not None:
        pending[using].parts.update(wanted)
        return
    if not wanted:
        return
    DashboardStale.objects.using(using).bulk_create(
        [DashboardStale(jurisdiction_id=pk, whole=False) for pk in {p[0] for p in wanted}],
        ignore_conflicts=True,
    )
    DashboardStalePart.objects.using(using).bulk_create(
        [DashboardStalePart(jurisdiction_id=p, kind=k, month=m) for p, k, m in wanted],
        ignore_conflicts=True,
    )


def mark_all_stale(*, using: str = "default") -> None:
    mark_stale(Jurisdiction.objects.using(using).values_list("id", flat=True), using=using)


def _activity_pre_save(sender: type, instance: TAActivity, using: str, **kwargs: Any) -> None:
    if instance.pk and not kwargs.get("raw"):
        instance._dashboard_old = (  # type: ignore[attr-defined]
            TAActivity.objects.using(using)
            .filter(pk=instance.pk)
            .values("jurisdiction_id", "primary_center_id", *_ACTIVITY_FIELDS, *_TRACKING_FIELDS)
            .first()
        )


def activity_response_months(activity_id: int, using: str) -> set[dt.date]:
    days = ResponseNote.objects.using(using).filter(activity_id=activity_id).order_by()
    return {_month(day) for day in days.values_list("note_date", flat=True).distinct()}


def _activity_saved(
    sender: type, instance: TAActivity, using: str, created: bool, **kwargs: Any
) -> None:
    old = getattr(instance, "_dashboard_old", None)
    instance._dashboard_old = None  # type: ignore[attr-defined]
    place = instance.jurisdiction_id
    if created and not kwargs.get("raw"):
        mark_parts_stale([(place, kind, None) for kind in _NEW_ACTIVITY_KINDS], using=using)
        return
    if old is None or any(
        old[name] != getattr(instance, name) for name in ("jurisdiction_id", "primary_center_id")
    ):  # a fixture, or a move: everything of both States
        mark_stale([place, old and old["jurisdiction_id"]], using=using)
        return
    parts: set[Part] = {
        (place, kind, None)
        for name, kinds in _ACTIVITY_FIELDS.items()
        if old[name] != getattr(instance, name)
        for kind in kinds
    }
    if any(old[name] != getattr(instance, name) for name in _TRACKING_FIELDS):
        parts |= {(place, Kind.MISSING, m) for m in activity_response_months(instance.pk, using)}
    mark_parts_stale(parts, using=using)


def _activity_deleted(sender: type, instance: TAActivity, using: str, **kwargs: Any) -> None:
    mark_stale([instance.jurisdiction_id], using=using)


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


def _note_pre_save(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """Remember a corrected note's former date: the month it leaves changes too."""
    instance._dashboard_old_day = None
    if instance.pk and not instance._state.adding and not kwargs.get("raw"):
        instance._dashboard_old_day = (
            sender.objects.using(using)
            .filter(pk=instance.pk)
            .values_list("note_date", flat=True)
            .first()
        )


def _note_months(instance: Any) -> set[dt.date]:
    days = {instance.note_date, getattr(instance, "_dashboard_old_day", None)}
    return {_month(day) for day in days if day}


def _summary_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """A summary: its month's (and former month's) summaries, methods, missing summaries."""
    place = _summary_jurisdiction(instance, using)
    if place is None or kwargs.get("raw"):
        mark_stale([place], using=using)
        return
    mark_parts_stale(
        [(place, kind, m) for m in _note_months(instance) for kind in MONTHLY_KINDS], using=using
    )


def _response_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """A TA response note: its month's (and former month's) missing summaries only."""
    place = _summary_jurisdiction(instance, using)
    if place is None or kwargs.get("raw"):
        mark_stale([place], using=using)
        return
    mark_parts_stale([(place, Kind.MISSING, m) for m in _note_months(instance)], using=using)


def _plan_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    """A plan can change A9's flag: the activity's missing summaries, in every month of
    its response notes."""
    place = _summary_jurisdiction(instance, using)
    if place is None or kwargs.get("raw"):
        mark_stale([place], using=using)
        return
    months = activity_response_months(instance.activity_id, using)
    mark_parts_stale([(place, Kind.MISSING, m) for m in months], using=using)


def _methods_changed(
    sender: type, instance: Any, action: str, reverse: bool, using: str, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # a delivery method's summaries changed: rare (reference admin)
        mark_all_stale(using=using)
    else:
        place = _summary_jurisdiction(instance, using)
        mark_parts_stale([(place, Kind.METHOD, _month(instance.note_date))], using=using)


def connect() -> None:
    pre_save.connect(_activity_pre_save, sender=TAActivity, dispatch_uid="dashboard-act-pre")
    post_save.connect(_activity_saved, sender=TAActivity, dispatch_uid="dashboard-act-save")
    post_delete.connect(_activity_deleted, sender=TAActivity, dispatch_uid="dashboard-act-del")
    m2m_changed.connect(_methods_changed, sender=_SummaryMethod, dispatch_uid="dashboard-methods")
    for model, name, changed in (
        (DeliverySummary, "sum", _summary_changed),
        (ResponseNote, "response", _response_changed),
        (DescriptionNote, "plan", _plan_changed),
    ):
        if model is not DescriptionNote:
            pre_save.connect(_note_pre_save, sender=model, dispatch_uid=f"dashboard-{name}-pre")
        post_save.connect(changed, sender=model, dispatch_uid=f"dashboard-{name}-save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"dashboard-{name}-del")


# --- recomputing --------------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def recompute(jurisdiction_ids: list[int] | None) -> int:
    """Replace the counts of these States and Territories (None: all) from the records."""
    counts = DashboardCount.objects.all()
    if jurisdiction_ids is not None:
        counts = counts.filter(jurisdiction_id__in=jurisdiction_ids)
    rows: list[DashboardCount] = []
    for kind in Kind:
        rows += _kind_rows(kind, jurisdiction_ids, None)
    counts.delete()
    DashboardCount.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def recompute_parts(parts: Iterable[Part]) -> int:
    """Replace only these parts of the counts: a kind of a State for every month, or for
    one month (the kinds counted per month). Equal to `recompute` of those States for
    those rows: the same queries, limited to the State and the month."""
    parts = list(parts)
    whole_kinds: dict[str, set[int]] = defaultdict(set)
    for place, kind, month in parts:
        if month is None or kind not in MONTHLY_KINDS:
            whole_kinds[kind].add(place)
    by_month: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
    for place, kind, month in parts:
        if month is not None and kind in MONTHLY_KINDS and place not in whole_kinds.get(kind, ()):
            by_month[(kind, month)].add(place)
    rows: list[DashboardCount] = []
    for kind, places in whole_kinds.items():
        rows += _kind_rows(kind, sorted(places), None)
        DashboardCount.objects.filter(jurisdiction_id__in=places, kind=kind).delete()
    for (kind, month), places in by_month.items():
        rows += _kind_rows(kind, sorted(places), month)
        DashboardCount.objects.filter(jurisdiction_id__in=places, kind=kind, month=month).delete()
    DashboardCount.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _kind_rows(
    kind: str, jurisdiction_ids: list[int] | None, month: dt.date | None
) -> list[DashboardCount]:
    """The rows of one kind for these States (None: all), for every month or one month
    (only the kinds counted per month take one)."""
    activities = TAActivity.objects.order_by()
    summaries = DeliverySummary.objects.order_by()
    methods = _SummaryMethod.objects.order_by()
    if jurisdiction_ids is not None:
        activities = activities.filter(jurisdiction_id__in=jurisdiction_ids)
        summaries = summaries.filter(activity__jurisdiction_id__in=jurisdiction_ids)
        methods = methods.filter(deliverysummary__activity__jurisdiction_id__in=jurisdiction_ids)
    if month is not None:
        assert kind in MONTHLY_KINDS, kind
        span = (month, _month_end(month) - dt.timedelta(days=1))
        summaries = summaries.filter(note_date__range=span)
        methods = methods.filter(deliverysummary__note_date__range=span)
    if kind == Kind.ACTIVITY:
        return [
            DashboardCount(
                jurisdiction_id=place,
                kind=Kind.ACTIVITY,
                category_id=category,
                center_id=center,
                status=status,
                completion=completion,
                count=n,
            )
            for place, category, center, status, completion, n in activities.values_list(
                "jurisdiction_id",
                "goal_category_id",
                "primary_center_id",
                "status",
                "completion_status",
            ).annotate(n=Count("id"))
        ]
    by_month: dict[tuple[Any, ...], int] = defaultdict(int)
    if kind == Kind.OPENED:
        for place, day, n in activities.values_list("jurisdiction_id", "date_opened").annotate(
            n=Count("id")
        ):
            by_month[(place, _month(day))] += n
    if kind == Kind.CLOSED:
        for place, day, n in (
            activities.filter(
                completion_status=CompletionStatus.CLOSED, completion_date__isnull=False
            )
            .values_list("jurisdiction_id", "completion_date")
            .annotate(n=Count("id"))
        ):
            by_month[(place, _month(day))] += n
    if kind in (Kind.OPENED, Kind.CLOSED):
        return [
            DashboardCount(jurisdiction_id=place, kind=kind, month=m, count=n)
            for (place, m), n in by_month.items()
        ]
    if kind == Kind.SUMMARY:
        for place, center, day, late, n in summaries.values_list(
            "activity__jurisdiction_id", "activity__primary_center_id", "note_date", "is_late"
        ).annotate(n=Count("id")):
            by_month[(place, center, _month(day), late)] += n
        return [
            DashboardCount(
                jurisdiction_id=place,
                kind=Kind.SUMMARY,
                center_id=center,
                month=m,
                is_late=late,
                count=n,
            )
            for (place, center, m, late), n in by_month.items()
        ]
    if kind == Kind.METHOD:
        for place, day, method, n in methods.values_list(
            "deliverysummary__activity__jurisdiction_id",
            "deliverysummary__note_date",
            "deliverymethod_id",
        ).annotate(n=Count("id")):
            by_month[(place, _month(day), method)] += n
        return [
            DashboardCount(
                jurisdiction_id=place, kind=Kind.METHOD, month=m, method_id=method, count=n
            )
            for (place, m, method), n in by_month.items()
        ]
    if kind == Kind.MISSING:
        if month is None:
            return _missing_rows(jurisdiction_ids)
        return _missing_rows_of_month(jurisdiction_ids, month)
    if kind == Kind.ENTERED:
        return _entered_rows(jurisdiction_ids)
    raise ValueError(kind)


def _missing_rows(jurisdiction_ids: list[int] | None) -> list[DashboardCount]:
    """The compliance report's missing summaries per (State or Territory, primary center)
    and month (ADR 0010), in three queries.

    "Missing summary" is the monthly review's flag (R1, `oversight.selectors`, whose
    `missing_summary_rows` tests it month by month): an activity whose tracking is
    available (A9: approved with a current final plan, the stored
    `TAActivity.is_tracking_available`) with a TA response note dated in the month but no
    summary dated in it. Here it is counted for every month at once: the (activity, month)
    pairs of those activities' response notes minus those of their summaries (tests check
    that both agree). The flag changes only with a status change or a plan, whose saves
    mark the activity's months stale."""
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
    return [
        DashboardCount(
            jurisdiction_id=place, kind=Kind.MISSING, center_id=center, month=month, count=n
        )
        for (place, center, month), n in missing.items()
    ]


def _missing_rows_of_month(
    jurisdiction_ids: list[int] | None, month: dt.date
) -> list[DashboardCount]:
    """`_missing_rows` for one month (what one note or status change can alter): the
    tracked activities of the States with a response note dated in the month, minus those
    with a summary dated in it, in two queries over the month's notes only."""
    span = (month, _month_end(month) - dt.timedelta(days=1))
    responses = ResponseNote.objects.order_by().filter(
        note_date__range=span, activity__is_tracking_available=True
    )
    summaries = DeliverySummary.objects.order_by().filter(note_date__range=span)
    if jurisdiction_ids is not None:
        responses = responses.filter(activity__jurisdiction_id__in=jurisdiction_ids)
        summaries = summaries.filter(activity__jurisdiction_id__in=jurisdiction_ids)
    delivered = set(summaries.values_list("activity_id", flat=True).distinct())
    missing: dict[tuple[Any, ...], int] = defaultdict(int)
    for activity_id, place, center in responses.values_list(
        "activity_id", "activity__jurisdiction_id", "activity__primary_center_id"
    ).distinct():
        if activity_id not in delivered:
            missing[(place, center)] += 1
    return [
        DashboardCount(
            jurisdiction_id=place, kind=Kind.MISSING, center_id=center, month=month, count=n
        )
        for (place, center), n in missing.items()
    ]


def _entered_rows(jurisdiction_ids: list[int] | None) -> list[DashboardCount]:
    """Activities entered (created, in the site's time zone) per (State or Territory,
    primary center) and month, by the A2 late-entry flag (ADR 0010)."""
    activities = TAActivity.objects.order_by()
    if jurisdiction_ids is not None:
        activities = activities.filter(jurisdiction_id__in=jurisdiction_ids)
    return [
        DashboardCount(
            jurisdiction_id=place,
            kind=Kind.ENTERED,
            center_id=center,
            month=moment.date(),
            is_late=late,
            count=n,
        )
        for place, center, moment, late, n in (
            activities.annotate(
                month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
            )
            .values_list("jurisdiction_id", "primary_center_id", "month", "is_late_entry")
            .annotate(n=Count("id"))
        )
    ]


def refresh_stale() -> int:
    """Recompute the stale States and Territories, if any (one query when none is): whole,
    or only their stale parts."""
    if not _anything_stale():
        return 0
    with transaction.atomic():
        marks = dict(
            DashboardStale.objects.select_for_update().values_list("jurisdiction_id", "whole")
        )
        # Every part, also one whose State's mark a concurrent reader cleared: a writer that
        # marks parts while a reader holds its State's mark finds the mark there (and adds
        # none), then the reader deletes it; the writer's parts are still recomputed here.
        parts = list(
            DashboardStalePart.objects.values_list("pk", "jurisdiction_id", "kind", "month")
        )
        if not marks and not parts:
            return 0
        with_parts = {place for _pk, place, _kind, _month in parts}
        # A State marked for some parts but without any (never left by the marks) is
        # recomputed whole: the safe reading of an incomplete mark.
        whole = sorted(pk for pk, is_whole in marks.items() if is_whole or pk not in with_parts)
        if whole:
            recompute(whole)
        recompute_parts(
            (place, kind, month) for _pk, place, kind, month in parts if place not in whole
        )
        DashboardStale.objects.filter(jurisdiction_id__in=list(marks)).delete()
        DashboardStalePart.objects.filter(pk__in=[row[0] for row in parts]).delete()
    return len(set(marks) | with_parts)


def _anything_stale() -> bool:
    """Whether any State is marked, or any part is left without its State's mark: one
    query (`EXISTS … OR EXISTS …`, read through the 56-row jurisdiction table)."""
    stale = Exists(DashboardStale.objects.all()) | Exists(DashboardStalePart.objects.all())
    return Jurisdiction.objects.filter(stale).exists()


def refresh_all() -> int:
    """Recompute every count (after a bulk load that bypassed the signals)."""
    with transaction.atomic():
        written = recompute(None)
        DashboardStale.objects.all().delete()
        DashboardStalePart.objects.all().delete()
    return written
