"""A write marks stale only the parts of its State's precomputed counts it can change (a
kind, and for summaries, methods and missing summaries a month), the next read recomputes
only those, and after any sequence of writes the counts equal a full recompute from the
records (ADR 0007, ADR 0010)."""

from __future__ import annotations

import datetime as dt

import pytest

from activities import services
from activities.models import ActivityStatus, DeliverySummary, ResponseNote, TAActivity
from reports.dashboard.rollup import mark_parts_stale, refresh_all, refresh_stale
from reports.models import DashboardCount, DashboardStale, DashboardStalePart
from tests.reports import compliance_data as data

pytestmark = pytest.mark.django_db

Kind = DashboardCount.Kind
NOV, OCT = dt.date(2025, 11, 1), dt.date(2025, 10, 1)


def _marks() -> dict[int, bool]:
    return dict(DashboardStale.objects.values_list("jurisdiction_id", "whole"))


def _parts() -> set[tuple[int, str, dt.date | None]]:
    return set(DashboardStalePart.objects.values_list("jurisdiction_id", "kind", "month"))


def _counts() -> list[tuple]:
    return sorted(
        DashboardCount.objects.values_list(
            "jurisdiction_id",
            "kind",
            "month",
            "category_id",
            "center_id",
            "method_id",
            "status",
            "completion",
            "is_late",
            "count",
        ),
        key=repr,
    )


def _assert_equal_to_a_full_recompute() -> None:
    refresh_stale()
    assert not DashboardStale.objects.exists()
    assert not DashboardStalePart.objects.exists()
    kept = _counts()
    refresh_all()
    assert kept == _counts()


@pytest.fixture
def records(world):
    built = data.build(world)
    refresh_stale()
    assert not _marks()
    return built


def test_a14_response_note_marks_only_its_months_missing_summaries(world, records):
    a2 = records["a2"]
    data.response_note(world, a2, dated=data.d(10, 29), entered=data.d(11, 2))
    assert _marks() == {a2.jurisdiction_id: False}
    assert _parts() == {(a2.jurisdiction_id, Kind.MISSING, OCT)}
    _assert_equal_to_a_full_recompute()


def test_a10_summary_marks_its_months_summaries_methods_and_missing(world, records):
    a2 = records["a2"]
    data.summary(world, a2, delivered=data.d(11, 20), entered=data.d(11, 21))
    assert _marks() == {a2.jurisdiction_id: False}
    assert _parts() == {
        (a2.jurisdiction_id, kind, NOV) for kind in (Kind.SUMMARY, Kind.METHOD, Kind.MISSING)
    }
    _assert_equal_to_a_full_recompute()


def test_a10_summary_moved_to_another_month_marks_both_months(world, records):
    summary = DeliverySummary.objects.filter(activity=records["a4"]).order_by("-note_date").first()
    assert summary.note_date.month == 11
    place = records["a4"].jurisdiction_id
    with data.clock(data.d(12, 1)):
        services.note_update(
            actor=world.admin,
            note=summary,
            text=summary.text,
            note_date=data.d(10, 15),
            expected_version=summary.version,
            delivery_methods=[world.method],
            ta_types=[world.ta_type],
        )
    assert _parts() >= {
        (place, kind, month)
        for kind in (Kind.SUMMARY, Kind.METHOD, Kind.MISSING)
        for month in (OCT, NOV)
    }
    assert {part[1] for part in _parts()} <= {Kind.SUMMARY, Kind.METHOD, Kind.MISSING}
    _assert_equal_to_a_full_recompute()


def test_a7_status_change_marks_activities_and_the_activitys_missing_months(world, records):
    a2 = TAActivity.objects.get(pk=records["a2"].pk)
    with data.clock(data.d(11, 20)):
        services.activity_set_status(actor=world.admin, activity=a2, status=ActivityStatus.ON_HOLD)
    assert _marks() == {a2.jurisdiction_id: False}
    assert _parts() == {
        (a2.jurisdiction_id, Kind.ACTIVITY, None),
        (a2.jurisdiction_id, Kind.MISSING, NOV),
    }
    _assert_equal_to_a_full_recompute()


def test_moving_an_activity_to_another_state_marks_both_states_whole(world, records):
    a2 = TAActivity.objects.get(pk=records["a2"].pk)
    old = a2.jurisdiction_id
    a2.jurisdiction = world.faraway  # as an administrator's correction would
    a2.save()
    assert _marks() == {old: True, world.faraway.pk: True}
    _assert_equal_to_a_full_recompute()


def test_a_whole_mark_wins_over_parts_and_a_part_never_narrows_a_whole_mark(world, records):
    place = records["a2"].jurisdiction_id
    mark_parts_stale([(place, Kind.MISSING, NOV)])
    assert _marks() == {place: False}
    TAActivity.objects.get(pk=records["a2"].pk).delete()
    assert _marks()[place] is True
    mark_parts_stale([(place, Kind.OPENED, None)])
    assert _marks()[place] is True
    _assert_equal_to_a_full_recompute()


def test_counts_equal_a_full_recompute_after_mixed_writes(world, records):
    a1, a2, a4, a5 = (TAActivity.objects.get(pk=records[k].pk) for k in ("a1", "a2", "a4", "a5"))
    data.response_note(world, a1, dated=data.d(10, 2), entered=data.d(11, 2))
    data.summary(world, a2, delivered=data.d(11, 10), entered=data.d(11, 12))
    refresh_stale()  # a read between the writes
    with data.clock(data.d(11, 20)):
        a4 = services.activity_set_status(
            actor=world.admin, activity=a4, status=ActivityStatus.ON_HOLD
        )
    note = ResponseNote.objects.filter(activity=records["a4"]).first()  # of November
    with data.clock(data.d(12, 1)):
        services.note_update(
            actor=world.admin,
            note=note,
            text=note.text,
            note_date=data.d(10, 15),
            expected_version=note.version,
        )
    a5.refresh_from_db()
    services.activity_update(
        actor=world.admin,
        activity=a5,
        expected_version=a5.version,
        primary_center=world.other_center,
        primary_staff=world.collaborator,
        collaborating_centers=[world.center],
        collaborating_staff=[world.primary],
    )
    refresh_stale()
    a1.refresh_from_db()
    a1.jurisdiction = world.faraway
    a1.save()
    with data.clock(data.d(12, 1)):
        services.activity_close(
            actor=world.admin,
            activity=TAActivity.objects.get(pk=a2.pk),
            completion_date=data.d(11, 30),
            outcome_report="The State adopted the standards.",
            expected_version=TAActivity.objects.get(pk=a2.pk).version,
        )
    DeliverySummary.objects.filter(activity=records["a4"]).first().delete()
    ResponseNote.objects.filter(activity=records["a6"]).delete()
    _assert_equal_to_a_full_recompute()


def test_a2_new_activity_marks_its_states_activity_opened_closed_and_entered(world, records):
    data.new_activity(world, opened=data.d(11, 24), entered=data.d(11, 25))
    place = world.jurisdiction.pk
    assert _marks() == {place: False}
    assert {kind for _place, kind, _month in _parts()} >= {
        Kind.ACTIVITY,
        Kind.OPENED,
        Kind.CLOSED,
        Kind.ENTERED,
    }
    assert {month for _place, _kind, month in _parts()} == {None}
    _assert_equal_to_a_full_recompute()


def test_parts_left_without_their_states_mark_are_still_recomputed(world, records):
    """A writer that marks parts while a reader holds the State's mark adds no mark of its
    own (the State's row is there); the reader then deletes that mark. The parts alone must
    still be found by the next read and recomputed."""
    a2 = records["a2"]
    data.response_note(world, a2, dated=data.d(10, 29), entered=data.d(11, 2))
    assert _parts() == {(a2.jurisdiction_id, Kind.MISSING, OCT)}
    DashboardStale.objects.all().delete()  # the concurrent reader cleared the State's mark
    assert refresh_stale() == 1
    _assert_equal_to_a_full_recompute()
