"""A varied set of activities and summaries for the dashboard tests, saved directly (the
dashboard only reads), and the dashboard's numbers recomputed in plain Python over it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone

from activities.models import ActivityStatus, CompletionStatus, DeliverySummary, TAActivity
from reference.models import DeliveryMethod
from tests.factories import DeliveryMethodFactory, TAActivityFactory
from tests.factories_activities import World

URL = "/reports/dashboard/"


def today() -> dt.date:
    return timezone.localdate()


def build(world: World, *, size: int = 1) -> None:
    """12 × `size` activities in Georgia (goal-driven), Florida and Guam (on-demand), in
    both centers, every status, some closed or cancelled, opened over 14 months; each with
    0–2 summaries, some entered on time and some late, naming one or two methods."""
    in_person = DeliveryMethod.objects.filter(name="In person").first() or DeliveryMethodFactory(
        name="In person"
    )
    statuses = list(ActivityStatus.values)
    centers = [world.center, world.other_center]
    for i in range(12 * size):
        opened = today() - dt.timedelta(days=29 * (i % 14) + 1)
        kwargs = {
            "primary_center": centers[i % 2],
            "primary_staff": world.primary if i % 2 == 0 else world.collaborator,
            "created_by": world.primary,
            "status": statuses[i % 4],
            "date_opened": opened,
        }
        if i % 3 == 0:
            kwargs.update(
                strategic_area=world.strategic_area,
                goal=world.goal,
                jurisdiction=world.jurisdiction,
                goal_category=world.category,
                focus=world.focus,
            )
        else:
            kwargs.update(
                strategic_area=None,
                goal=None,
                jurisdiction=world.neighbour if i % 3 == 1 else world.faraway,
                goal_category=None if i % 11 == 5 else world.other_category,
                focus=world.focus_elsewhere,
            )
        if i % 5 == 0:
            kwargs.update(
                completion_status=CompletionStatus.CLOSED,
                completion_date=min(today(), opened + dt.timedelta(days=10)),
            )
        elif i % 7 == 0:
            kwargs.update(completion_status=CompletionStatus.CANCELLED)
        activity = TAActivityFactory(**kwargs)
        for m in range(i % 3):
            delivered = today() - dt.timedelta(days=17 * (i % 9) + 250 * m)
            summary = DeliverySummary.objects.create(
                activity=activity, note_date=delivered, text="Delivered.", author=world.primary
            )
            summary.delivery_methods.set([world.method] if m == 0 else [world.method, in_person])
            if (i + m) % 2:  # entered on the delivery day: on time
                moment = timezone.make_aware(dt.datetime.combine(delivered, dt.time(10)))
                DeliverySummary.objects.filter(pk=summary.pk).update(created_at=moment)
                summary.refresh_from_db()
                summary.save()


# --- the same numbers, computed without the dashboard's code --------------------------------


def months() -> list[dt.date]:
    first = today().replace(day=1)
    result = [first]
    for _ in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        result.append(first)
    return result[::-1]


def label(month: dt.date) -> str:
    return f"{month:%b %Y}"


def activities(**filters) -> list[TAActivity]:
    return list(TAActivity.objects.filter(**filters).select_related("jurisdiction"))


def open_by_status(acts: list[TAActivity]) -> dict[str, int]:
    labels = dict(ActivityStatus.choices)
    counts = Counter(labels[a.status] for a in acts if a.completion_status == "open")
    return {name: counts.get(name, 0) for name in labels.values()}


def summaries_in_window(acts: list[TAActivity]) -> list[DeliverySummary]:
    ids = {a.pk for a in acts}
    start = months()[0]
    return [
        s
        for s in DeliverySummary.objects.prefetch_related("delivery_methods").select_related(
            "activity"
        )
        if s.activity_id in ids and start <= s.note_date <= today()
    ]


def per_month(dates: list[dt.date]) -> dict[str, int]:
    counts = Counter(label(d.replace(day=1)) for d in dates)
    return {label(m): counts.get(label(m), 0) for m in months()}


def on_time_cells(acts: list[TAActivity]) -> dict[tuple[str, str], tuple[int, int]]:
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for s in summaries_in_window(acts):
        cell = cells[(s.activity.primary_center.code, f"{s.note_date:%Y-%m}")]
        cell[1] += 1
        cell[0] += 0 if s.is_late else 1
    return {key: (on, all_) for key, (on, all_) in cells.items()}
