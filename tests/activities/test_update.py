"""Editing TA activities: A1–A5, A8 re-checked, A9 outcome report, A13 read-only, C1, AU1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities import services
from activities.models import Priority, TAActivity
from core.businessdays import is_late_entry
from core.concurrency import ConflictError
from tests.factories import CenterFactory, UserFactory
from tests.factories_activities import (
    assert_denied,
    assert_refused,
    create_activity,
    make_trackable,
    row_counts,
    today,
)


def update(world, activity, *, actor=None, **fields):
    fields.setdefault("expected_version", activity.version)
    return services.activity_update(actor=actor or world.primary, activity=activity, **fields)


def test_update_saves_fields_and_bumps_version(world, activity):
    updated = update(
        world,
        activity,
        priority=Priority.LOW,
        activity_type="universal",
        outcome_plan="  A new plan.  ",
        requesters=[world.requester, world.region_requester],
    )
    stored = TAActivity.objects.get(pk=activity.pk)
    assert stored.priority == Priority.LOW and stored.activity_type == "universal"
    assert stored.outcome_plan == "A new plan."
    assert set(stored.requesters.all()) == {world.requester, world.region_requester}
    assert stored.version == updated.version == activity.version + 1


def test_update_unknown_field_is_a_programming_error(world, activity):
    with pytest.raises(TypeError):
        update(world, activity, status="approved")


def test_c1_stale_version_refused(world, activity):
    update(world, activity, priority=Priority.LOW)  # someone else saved first
    before = row_counts()
    with pytest.raises(ConflictError) as info:
        update(
            world,
            activity,
            actor=world.collaborator,
            expected_version=activity.version,
            priority=Priority.HIGH,
        )
    assert "version" in info.value.message_dict
    assert info.value.current.priority == Priority.LOW
    assert row_counts() == before
    assert TAActivity.objects.get(pk=activity.pk).priority == Priority.LOW


def test_c1_sequential_editors_with_fresh_versions_both_succeed(world, activity):
    first = update(world, activity, priority=Priority.LOW)
    second = update(world, first, actor=world.collaborator, activity_type="universal")
    assert second.version == activity.version + 2
    stored = TAActivity.objects.get(pk=activity.pk)
    assert (stored.priority, stored.activity_type) == (Priority.LOW, "universal")


def test_a1_update_rechecks_focus(world, activity):
    assert_refused(lambda: update(world, activity, focus=world.focus_elsewhere), "focus")
    assert_refused(lambda: update(world, activity, focus=world.other_focus), "other_focus_notes")
    updated = update(
        world, activity, focus=world.other_focus, other_focus_notes="Health and safety training."
    )
    assert updated.title.startswith("Other: Health and safety")
    # Leaving "Other" needs the notes cleared: the field is locked again.
    assert_refused(lambda: update(world, updated, focus=world.focus), "other_focus_notes")
    assert update(world, updated, focus=world.focus, other_focus_notes="").other_focus_notes == ""


def test_a1_on_demand_update_moves_goal_category_with_focus(world):
    activity = create_activity(world, strategic_area=None, jurisdiction=world.jurisdiction)
    assert activity.goal_category == world.category
    updated = update(world, activity, focus=world.focus_elsewhere)
    assert updated.goal_category == world.other_category


def test_a1_deactivated_focus_already_on_record_may_stay(world, activity):
    world.focus.active = False
    world.focus.save()
    assert update(world, activity, priority=Priority.LOW).focus == world.focus


def test_a2_update_rechecks_date_and_late_flag(world, activity):
    assert_refused(
        lambda: update(world, activity, date_opened=today() + dt.timedelta(days=2)),
        "date_opened",
    )
    opened = today() - dt.timedelta(days=20)
    updated = update(world, activity, date_opened=opened)
    entered = timezone.localdate(updated.created_at)
    assert updated.is_late_entry == is_late_entry(opened, entered) is True


def test_a3_update_rechecks_choices(world, activity):
    assert_refused(lambda: update(world, activity, priority="critical"), "priority")
    assert_refused(lambda: update(world, activity, activity_type="other"), "activity_type")


def test_a4_update_rechecks_requesters(world, activity):
    assert_refused(lambda: update(world, activity, requesters=[]), "requesters")
    assert_refused(
        lambda: update(world, activity, requesters=[world.faraway_requester]),
        "requesters",
        contains=world.faraway_requester.name,
    )


def test_a4_deactivated_requester_already_on_record_may_stay(world, activity):
    world.requester.active = False
    world.requester.save()
    assert update(world, activity, priority=Priority.LOW).requesters.get() == world.requester
    other = create_activity(world, requesters=[world.region_requester])
    assert_refused(
        lambda: update(world, other, requesters=[world.region_requester, world.requester]),
        "requesters",
    )


def test_a5_update_rechecks_primary_staff_membership(world, activity):
    assert_refused(
        lambda: update(world, activity, primary_staff=world.other_staff), "primary_staff"
    )
    assert_refused(
        lambda: update(world, activity, primary_center=world.other_center),
        "primary_staff",
        contains="not a member",
    )
    updated = update(
        world,
        activity,
        primary_center=world.other_center,
        primary_staff=world.other_staff,
        collaborating_centers=[world.center],
    )
    assert (updated.primary_center, updated.primary_staff) == (
        world.other_center,
        world.other_staff,
    )


def test_a5_primary_staff_who_left_may_stay_until_changed(world, activity):
    world.primary.center = CenterFactory()
    world.primary.save()
    assert update(world, activity, priority=Priority.LOW).primary_staff == world.primary


def test_a5_update_other_collaborators_need_details(world, activity):
    assert_refused(
        lambda: update(world, activity, other_collaborators=[world.other_collaborator_type]),
        "other_collaborators_details",
    )


def test_a8_update_cannot_blank_outcome_plan(world, activity):
    assert_refused(lambda: update(world, activity, outcome_plan=" "), "outcome_plan")


def test_a9_outcome_report_is_tracking_data(world, activity):
    error = assert_refused(
        lambda: update(world, activity, outcome_report="State launched a credential."),
        "tracking",
    )
    assert isinstance(error, services.TrackingUnavailable)
    activity = make_trackable(world, activity)
    updated = update(world, activity, outcome_report="State launched a credential.")
    assert updated.outcome_report == "State launched a credential."


def test_a13_closed_activity_update_refused_until_reopened(world, activity):
    activity = make_trackable(world, activity)
    closed = services.activity_close(
        actor=world.primary,
        activity=activity,
        completion_date=today(),
        outcome_report="Done.",
    )
    error = assert_refused(
        lambda: update(world, closed, priority=Priority.LOW), "completion_status"
    )
    assert "reopen" in error.message_dict["completion_status"][0]
    reopened = services.activity_reopen(actor=world.primary, activity=closed, reason="More TA.")
    assert update(world, reopened, priority=Priority.LOW).priority == Priority.LOW


def test_au1_update_writes_one_history_row_with_actor(world, activity):
    rows = activity.history.count()
    update(
        world,
        activity,
        actor=world.sss,
        priority=Priority.LOW,
        requesters=[world.requester, world.region_requester],
        collaborating_staff=[world.collaborator, world.other_staff],
    )
    assert activity.history.count() == rows + 1
    latest = activity.history.first()
    assert latest.history_user == world.sss
    assert latest.history_type == "~"
    assert latest.priority == Priority.LOW
    assert {row.requester_id for row in latest.requesters.all()} == {
        world.requester.pk,
        world.region_requester.pk,
    }
    previous = latest.prev_record
    delta = latest.diff_against(previous)
    assert {"priority", "requesters", "collaborating_staff"} <= set(delta.changed_fields)


def test_update_by_outsider_denied(world, activity):
    outsider = UserFactory(center=world.other_center)
    assert_denied(lambda: update(world, activity, actor=outsider, priority=Priority.LOW))
    assert TAActivity.objects.get(pk=activity.pk).priority == activity.priority
