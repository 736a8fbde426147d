"""Fixtures of the monthly review tests (R1): activities of the activities `world` (Georgia)
with summaries on real 2026 dates, made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import DeliverySummary, TAActivity
from tests.factories_activities import World, add_summary, create_activity, make_trackable

NOVEMBER = dt.date(2026, 11, 1)


def trackable_activity(world: World, *, opened: dt.date = dt.date(2026, 10, 1)) -> TAActivity:
    """An approved activity with a final plan, opened on `opened` (so it is a late entry)."""
    activity = create_activity(world, date_opened=opened)
    return make_trackable(world, activity)


def summary_entered_on(
    world: World, activity: TAActivity, delivered: dt.date, entered: dt.date
) -> DeliverySummary:
    """A summary delivered on `delivered` and (as if) entered on `entered` (A10's late flag
    is computed from the entry date when the summary is saved)."""
    summary = add_summary(world, activity, delivery_date=delivered)
    moment = timezone.make_aware(dt.datetime.combine(entered, dt.time(10)))
    DeliverySummary.objects.filter(pk=summary.pk).update(created_at=moment)
    summary.refresh_from_db()
    summary.save()
    return summary


@pytest.fixture
def reviewed_state(world: World) -> dict[str, TAActivity]:
    """Three Georgia activities for November 2026: one summary on time, one late, one with
    a TA response note but no summary."""
    on_time = trackable_activity(world)
    summary_entered_on(world, on_time, dt.date(2026, 11, 20), dt.date(2026, 11, 24))
    late = trackable_activity(world)
    summary_entered_on(world, late, dt.date(2026, 11, 20), dt.date(2026, 12, 1))
    quiet = trackable_activity(world)
    from activities import services

    services.response_note_add(
        actor=world.primary, activity=quiet, text="Called the State.", note_date=NOVEMBER
    )
    return {"on_time": on_time, "late": late, "quiet": quiet}
