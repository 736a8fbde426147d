"""The dashboard's precomputed counts (reports.dashboard.rollup) stay equal to counting the
records, after every kind of write: the services (create, edit, approve, summaries and
their methods, close, cancel, reopen), deletes, the admin's path, and bulk loads followed
by `refresh_dashboard_figures`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from activities import services
from activities.models import DeliverySummary, TAActivity
from reports.dashboard import DashboardFilters, figures
from reports.dashboard.rollup import refresh_stale
from reports.models import DashboardCount, DashboardStale
from tests.factories import DeliveryMethodFactory
from tests.factories_activities import World, add_summary, create_activity, make_trackable
from tests.reports import dashboard_data as data

pytestmark = pytest.mark.django_db


def snapshot(filters: DashboardFilters, monkeypatch, *, use_counts: bool) -> dict:
    monkeypatch.setattr(figures, "can_use_counts", lambda _filters: use_counts)
    board = figures.dashboard_figures(filters, today=data.today(), map_by="late")
    return {f.key: [(r.label, r.values) for r in f.rows] for f in board.figures}


def assert_counts_match_records(world: World, monkeypatch) -> None:
    for filters in (
        DashboardFilters(),
        DashboardFilters(region=world.region),
        DashboardFilters(jurisdiction=world.jurisdiction),
    ):
        assert snapshot(filters, monkeypatch, use_counts=True) == snapshot(
            filters, monkeypatch, use_counts=False
        ), filters
    assert not DashboardStale.objects.exists()


def test_counts_equal_the_records_on_a_varied_data_set(world: World, monkeypatch) -> None:
    data.build(world, size=2)
    assert DashboardStale.objects.exists()  # the writes marked their States stale
    assert_counts_match_records(world, monkeypatch)
    assert DashboardCount.objects.exists()


def test_counts_follow_every_service_write(world: World, monkeypatch) -> None:
    activity = create_activity(world, date_opened=data.today() - dt.timedelta(days=40))
    assert_counts_match_records(world, monkeypatch)
    make_trackable(world, activity)
    assert_counts_match_records(world, monkeypatch)
    summary = add_summary(world, activity, delivery_date=data.today() - dt.timedelta(days=30))
    assert_counts_match_records(world, monkeypatch)
    in_person = DeliveryMethodFactory(name="In person")
    summary.refresh_from_db()
    services.note_update(
        actor=world.primary,
        note=summary,
        text="Delivered in person as well.",
        note_date=data.today() - dt.timedelta(days=2),
        expected_version=summary.version,
        delivery_methods=[world.method, in_person],
        ta_types=[world.ta_type],
    )
    assert_counts_match_records(world, monkeypatch)
    activity.refresh_from_db()
    services.activity_update(
        actor=world.primary,
        activity=activity,
        expected_version=activity.version,
        primary_center=world.other_center,
        primary_staff=world.collaborator,
        collaborating_centers=[world.center],
        collaborating_staff=[world.primary],
    )
    assert_counts_match_records(world, monkeypatch)
    activity.refresh_from_db()
    services.activity_close(
        actor=world.primary,
        activity=activity,
        completion_date=data.today(),
        outcome_report="The State adopted the standards.",
        expected_version=activity.version,
    )
    assert_counts_match_records(world, monkeypatch)
    activity.refresh_from_db()
    services.activity_reopen(actor=world.admin, activity=activity, reason="Closed by mistake.")
    assert_counts_match_records(world, monkeypatch)
    other = create_activity(world, date_opened=data.today())
    other.refresh_from_db()
    services.activity_cancel(
        actor=world.primary, activity=other, expected_version=other.version, reason="Duplicate."
    )
    assert_counts_match_records(world, monkeypatch)


def test_counts_follow_deletes_and_a_moved_activity(world: World, monkeypatch) -> None:
    data.build(world)
    assert_counts_match_records(world, monkeypatch)
    DeliverySummary.objects.filter(activity__jurisdiction=world.faraway).first().delete()
    assert_counts_match_records(world, monkeypatch)
    moved = TAActivity.objects.filter(jurisdiction=world.neighbour).first()
    moved.jurisdiction = world.faraway  # as an administrator's correction would
    moved.save()
    assert_counts_match_records(world, monkeypatch)
    TAActivity.objects.filter(jurisdiction=world.jurisdiction).first().delete()
    assert_counts_match_records(world, monkeypatch)


def test_bulk_loads_are_caught_up_by_the_refresh_command(world: World, monkeypatch) -> None:
    data.build(world)
    refresh_stale()
    # a bulk load bypasses the signals: the counts lag until the command runs
    template = TAActivity.objects.filter(jurisdiction=world.neighbour).first()
    template.pk = None
    TAActivity.objects.bulk_create([template])
    assert snapshot(DashboardFilters(), monkeypatch, use_counts=True) != snapshot(
        DashboardFilters(), monkeypatch, use_counts=False
    )
    call_command("refresh_dashboard_figures", "--all", stdout=None)
    assert_counts_match_records(world, monkeypatch)


def test_refresh_command_recomputes_stale_states(world: World) -> None:
    data.build(world)
    assert DashboardStale.objects.count() == 3
    call_command("refresh_dashboard_figures")
    assert not DashboardStale.objects.exists()
