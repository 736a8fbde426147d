"""Status (A7), tracking (A9–A11) and completion (A12, A13) of TA activities."""

from __future__ import annotations

import datetime as dt

import pytest

from activities import services
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DeliverySummary,
    PlanStage,
    RequesterFeedback,
    TAActivity,
)
from core.businessdays import summary_due_date
from core.concurrency import ConflictError
from core.status import status_changes_for
from tests.factories import DeliveryMethodFactory
from tests.factories_activities import (
    add_summary,
    assert_denied,
    assert_refused,
    cor_approval,
    create_activity,
    make_trackable,
    row_counts,
    today,
)


@pytest.fixture
def activity(world):
    """Unlike the shared one (opened today): opened 10 days ago, for back-dated notes."""
    return create_activity(world, date_opened=today() - dt.timedelta(days=10))


def set_status(world, activity, status, actor=None, **kwargs):
    if status == ActivityStatus.APPROVED:
        kwargs = {**cor_approval(), **kwargs}  # A7: approval records the COR's
    return services.activity_set_status(
        actor=actor or world.primary, activity=activity, status=status, **kwargs
    )


def feedback(world, activity, **overrides):
    kwargs = {
        "actor": world.primary,
        "activity": activity,
        "feedback_date": today(),
        "giver_name": "Dana Director",
        "giver_title": "CCDF Administrator",
        "text": "Thanks! This is exactly what we were looking for.",
    }
    kwargs.update(overrides)
    return services.feedback_add(**kwargs)


def close(world, activity, **overrides):
    kwargs = {
        "actor": world.primary,
        "activity": activity,
        "completion_date": today(),
        "outcome_report": "State has launched a director credential.",
    }
    kwargs.update(overrides)
    return services.activity_close(**kwargs)


# --- A7 status -----------------------------------------------------------------------------------


def test_a7_approval_records_who_and_when(world, activity):
    approved = set_status(world, activity, ActivityStatus.APPROVED, actor=world.federal)
    assert approved.status == ActivityStatus.APPROVED
    assert approved.approved_by == world.federal
    assert approved.approved_at is not None
    assert approved.version == activity.version + 1
    change = status_changes_for(activity).get()
    assert (change.field, change.from_value, change.to_value, change.actor) == (
        "status",
        ActivityStatus.PLANNING,
        ActivityStatus.APPROVED,
        world.federal,
    )


def test_a7_each_transition_writes_one_status_change_row(world, activity):
    set_status(world, activity, ActivityStatus.ON_HOLD, reason="State budget freeze.")
    set_status(world, activity, ActivityStatus.PLANNING)
    set_status(world, activity, ActivityStatus.DENIED, actor=world.sss, reason="Out of scope.")
    changes = list(status_changes_for(activity))
    assert [(c.from_value, c.to_value) for c in changes] == [
        ("planning", "on_hold"),
        ("on_hold", "planning"),
        ("planning", "denied"),
    ]
    assert changes[0].reason == "State budget freeze."
    assert changes[2].actor == world.sss


def test_a7_leaving_approved_keeps_who_approved(world, activity):
    set_status(world, activity, ActivityStatus.APPROVED, actor=world.federal)
    on_hold = set_status(world, activity, ActivityStatus.ON_HOLD)
    assert on_hold.approved_by == world.federal and on_hold.approved_at is not None
    assert status_changes_for(activity).count() == 2


def test_a7_no_op_transition_refused(world, activity):
    assert_refused(
        lambda: set_status(world, activity, ActivityStatus.PLANNING), "status", contains="already"
    )


def test_a7_disallowed_transition_refused(world, activity):
    set_status(world, activity, ActivityStatus.DENIED)
    assert_refused(
        lambda: set_status(world, activity, ActivityStatus.APPROVED, actor=world.federal),
        "status",
        contains="cannot change",
    )


def test_a7_unknown_status_refused(world, activity):
    assert_refused(lambda: set_status(world, activity, "closed"), "status")


def test_a7_federal_viewer_records_approval_only(world, activity):
    assert_denied(lambda: set_status(world, activity, ActivityStatus.ON_HOLD, actor=world.federal))
    assert_denied(lambda: set_status(world, activity, ActivityStatus.DENIED, actor=world.federal))
    set_status(world, activity, ActivityStatus.APPROVED, actor=world.federal)


def test_a7_status_change_checks_version_when_given(world, activity):
    set_status(world, activity, ActivityStatus.ON_HOLD)
    with pytest.raises(ConflictError):
        set_status(world, activity, ActivityStatus.PLANNING, expected_version=activity.version)


# --- A9 tracking availability ------------------------------------------------------------------


def test_a9_tracking_needs_final_plan_and_approval(world, activity):
    assert services.tracking_available(activity) == (
        False,
        ["no current final plan", "status is not approved"],
    )
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="Final plan."
    )
    assert services.tracking_available(activity) == (False, ["status is not approved"])
    set_status(world, activity, ActivityStatus.APPROVED, actor=world.federal)
    activity.refresh_from_db()
    assert services.tracking_available(activity) == (True, [])
    set_status(world, activity, ActivityStatus.ON_HOLD)
    activity.refresh_from_db()
    assert services.tracking_available(activity) == (False, ["status is not approved"])


def test_a9_approval_without_final_plan_is_not_enough(world, activity):
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.INTERMEDIATE, text="Plan."
    )
    approved = set_status(world, activity, ActivityStatus.APPROVED, actor=world.federal)
    assert services.tracking_available(approved) == (False, ["no current final plan"])


def test_a9_new_final_plan_keeps_tracking_available(world, trackable):
    services.description_note_add(
        actor=world.primary, activity=trackable, stage=PlanStage.FINAL, text="Revised plan."
    )
    assert services.tracking_available(trackable) == (True, [])


def test_a9_summary_refused_without_tracking_with_reasons(world, activity):
    error = assert_refused(lambda: add_summary(world, activity), "tracking")
    assert isinstance(error, services.TrackingUnavailable)
    assert error.reasons == ["no current final plan", "status is not approved"]
    message = error.message_dict["tracking"][0]
    assert "no current final plan" in message and "status is not approved" in message


def test_a9_feedback_refused_without_tracking_while_open(world, activity):
    assert_refused(lambda: feedback(world, activity), "tracking")


def test_a9_close_refused_without_tracking(world, activity):
    assert_refused(lambda: close(world, activity), "tracking")


# --- A10 summaries of TA delivered ------------------------------------------------------------


def test_a10_summary_saved_with_methods_types_and_due_date(world, trackable):
    delivered = today() - dt.timedelta(days=2)
    summary = add_summary(world, trackable, delivery_date=delivered)
    assert summary.note_date == delivered
    assert summary.due_date == summary_due_date(delivered)
    assert summary.is_late == (today() > summary.due_date)
    assert list(summary.delivery_methods.all()) == [world.method]
    assert list(summary.ta_types.all()) == [world.ta_type]
    assert summary.author == world.primary
    history = summary.history.get()
    assert history.history_type == "+" and history.history_user == world.primary
    assert [row.deliverymethod_id for row in history.delivery_methods.all()] == [world.method.pk]


def test_a10_late_summary_flagged(world):
    opened = today() - dt.timedelta(days=90)
    activity = make_trackable(world, create_activity(world, date_opened=opened))
    summary = add_summary(world, activity, delivery_date=today() - dt.timedelta(days=60))
    assert summary.is_late


def test_a10_delivery_date_required(world, trackable):
    assert_refused(lambda: add_summary(world, trackable, delivery_date=None), "delivery_date")


def test_a10_delivery_date_not_in_future(world, trackable):
    assert_refused(
        lambda: add_summary(world, trackable, delivery_date=today() + dt.timedelta(days=1)),
        "delivery_date",
        contains="future",
    )


def test_a10_delivery_date_not_before_date_opened(world, trackable):
    assert_refused(
        lambda: add_summary(
            world, trackable, delivery_date=trackable.date_opened - dt.timedelta(days=1)
        ),
        "delivery_date",
        contains="before the date opened",
    )


def test_a10_summary_text_required(world, trackable):
    assert_refused(lambda: add_summary(world, trackable, text=" "), "text")


def test_a10_methods_and_types_optional(world, trackable):
    summary = add_summary(world, trackable, delivery_methods=[], ta_types=[])
    assert not summary.delivery_methods.exists()


def test_a10_inactive_delivery_method_refused(world, trackable):
    retired = DeliveryMethodFactory(name="Fax", active=False)
    assert_refused(
        lambda: add_summary(world, trackable, delivery_methods=[retired]), "delivery_methods"
    )


# --- A11 requester feedback ---------------------------------------------------------------------


def test_a11_feedback_dated_with_giver(world, trackable):
    item = feedback(world, trackable, feedback_date=today() - dt.timedelta(days=1))
    assert (item.giver_name, item.giver_title) == ("Dana Director", "CCDF Administrator")
    assert item.note_date == today() - dt.timedelta(days=1)
    assert item.author == world.primary


@pytest.mark.parametrize(
    ("field", "override"),
    [
        ("feedback_date", {"feedback_date": None}),
        ("feedback_date", {"feedback_date": dt.date(2999, 1, 1)}),
        ("giver_name", {"giver_name": ""}),
        ("giver_title", {"giver_title": " "}),
        ("text", {"text": ""}),
    ],
)
def test_a11_feedback_fields_required(world, trackable, field, override):
    assert_refused(lambda: feedback(world, trackable, **override), field)


def test_a11_feedback_allowed_after_close(world, trackable):
    closed = close(world, trackable)
    item = feedback(world, closed, text="Received after closing: very helpful.")
    assert item.activity_id == closed.pk
    assert RequesterFeedback.objects.filter(activity=closed).count() == 1


def test_a11_closing_comment_allowed_after_cancel(world, activity):
    cancelled = services.activity_cancel(
        actor=world.primary, activity=activity, reason="State withdrew the request."
    )
    feedback(world, cancelled, text="We no longer need this TA.")
    assert RequesterFeedback.objects.filter(activity=cancelled).count() == 1


# --- A12 completion ------------------------------------------------------------------------------


def test_a12_close_records_date_report_and_status_change(world, trackable):
    closed = close(world, trackable, completion_date=today() - dt.timedelta(days=1))
    stored = TAActivity.objects.get(pk=trackable.pk)
    assert stored.completion_status == CompletionStatus.CLOSED
    assert stored.completion_date == today() - dt.timedelta(days=1)
    assert stored.outcome_report == "State has launched a director credential."
    assert closed.version == stored.version
    change = status_changes_for(stored).filter(field="completion_status").get()
    assert (change.from_value, change.to_value, change.actor) == ("open", "closed", world.primary)


def test_a12_completion_date_required(world, trackable):
    assert_refused(lambda: close(world, trackable, completion_date=None), "completion_date")


def test_a12_completion_date_not_in_future(world, trackable):
    assert_refused(
        lambda: close(world, trackable, completion_date=today() + dt.timedelta(days=1)),
        "completion_date",
        contains="future",
    )


def test_a12_completion_date_not_before_date_opened(world, trackable):
    assert_refused(
        lambda: close(
            world, trackable, completion_date=trackable.date_opened - dt.timedelta(days=1)
        ),
        "completion_date",
        contains="before the date opened",
    )


def test_a12_outcome_report_required_to_close(world, trackable):
    assert_refused(lambda: close(world, trackable, outcome_report="  "), "outcome_report")


def test_a12_close_checks_version_when_given(world, trackable):
    before = row_counts()
    with pytest.raises(ConflictError):
        close(world, trackable, expected_version=trackable.version - 1)
    assert row_counts() == before


def test_a12_cancel_without_delivery(world, activity):
    cancelled = services.activity_cancel(
        actor=world.primary, activity=activity, reason="State no longer requires TA."
    )
    assert cancelled.completion_status == CompletionStatus.CANCELLED
    assert cancelled.completion_date == today()
    change = status_changes_for(activity).get()
    assert (change.to_value, change.reason) == ("cancelled", "State no longer requires TA.")


def test_a12_cancel_refused_after_delivery(world, trackable):
    add_summary(world, trackable)
    error = assert_refused(
        lambda: services.activity_cancel(
            actor=world.primary, activity=trackable, reason="State withdrew."
        ),
        "completion_status",
    )
    assert "use Closed" in error.message_dict["completion_status"][0]
    assert TAActivity.objects.get(pk=trackable.pk).completion_status == CompletionStatus.OPEN


def test_a12_cancel_needs_reason(world, activity):
    assert_refused(
        lambda: services.activity_cancel(actor=world.primary, activity=activity, reason=" "),
        "reason",
    )


# --- A13 closed and cancelled records are read-only ----------------------------------------------


def test_a13_closed_activity_refuses_every_write_but_feedback(world, trackable):
    summary = add_summary(world, trackable)
    closed = close(world, trackable)
    refused = [
        lambda: add_summary(world, closed),
        lambda: services.response_note_add(actor=world.primary, activity=closed, text="x"),
        lambda: services.description_note_add(
            actor=world.primary, activity=closed, stage=PlanStage.INITIAL, text="x"
        ),
        lambda: set_status(world, closed, ActivityStatus.ON_HOLD),
        lambda: services.activity_update(
            actor=world.primary,
            activity=closed,
            expected_version=closed.version,
            priority="low",
        ),
        lambda: services.activity_join(actor=world.other_staff, activity=closed),
        lambda: close(world, closed),
        lambda: services.activity_cancel(actor=world.primary, activity=closed, reason="x"),
        lambda: services.note_update(
            actor=world.primary,
            note=summary,
            text="x",
            note_date=summary.note_date,
            expected_version=summary.version,
        ),
    ]
    for call in refused:
        error = assert_refused(call, "completion_status")
        assert "reopen" in " ".join(error.message_dict["completion_status"])
    feedback(world, closed)


def test_a13_cancelled_activity_is_read_only(world, activity):
    cancelled = services.activity_cancel(actor=world.primary, activity=activity, reason="x")
    assert_refused(
        lambda: services.response_note_add(actor=world.primary, activity=cancelled, text="x"),
        "completion_status",
        contains="cancelled",
    )


def test_a13_reopen_by_primary_staff_clears_completion_date(world, trackable):
    closed = close(world, trackable)
    reopened = services.activity_reopen(
        actor=world.primary, activity=closed, reason="State asked for follow-up TA."
    )
    assert reopened.completion_status == CompletionStatus.OPEN
    assert reopened.completion_date is None
    assert reopened.outcome_report  # kept for reference
    change = status_changes_for(trackable).filter(field="completion_status").last()
    assert (change.from_value, change.to_value, change.reason) == (
        "closed",
        "open",
        "State asked for follow-up TA.",
    )
    add_summary(world, reopened)
    assert DeliverySummary.objects.filter(activity=reopened).count() == 1


def test_a13_reopen_by_admin(world, activity):
    cancelled = services.activity_cancel(actor=world.primary, activity=activity, reason="x")
    reopened = services.activity_reopen(actor=world.admin, activity=cancelled, reason="Back on.")
    assert reopened.is_open


def test_a13_only_admin_or_primary_staff_reopen(world, trackable):
    closed = close(world, trackable)
    for person in (world.collaborator, world.sss, world.lead, world.federal, world.other_staff):
        assert_denied(
            lambda person=person: services.activity_reopen(
                actor=person, activity=closed, reason="x"
            )
        )


def test_a13_reopen_needs_reason(world, trackable):
    closed = close(world, trackable)
    assert_refused(
        lambda: services.activity_reopen(actor=world.primary, activity=closed, reason=""),
        "reason",
    )


def test_a13_reopen_of_open_activity_refused(world, activity):
    assert_refused(
        lambda: services.activity_reopen(actor=world.primary, activity=activity, reason="x"),
        "completion_status",
        contains="already open",
    )
