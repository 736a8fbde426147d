"""TA activity pages, the record's status and lifecycle: status changes (A7), closing with
the checklist, cancelling and reopening (A12, A13) with conflicts that keep the typing
(C1), the outcome report, and the completion status definitions shown on those pages
(HL1)."""

from __future__ import annotations

import datetime as dt

import pytest

from activities import services
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    PlanStage,
)
from core.concurrency import CONFLICT_MESSAGE
from tests.activities import helpers
from tests.activities.helpers import form_errors, plan, sign_in, summary, url
from tests.factories_activities import (
    add_summary,
    row_counts,
    today,
)

activity = helpers.past_activity


# --- A7: status -------------------------------------------------------------------------------


def status(value: str, activity, reason: str = "") -> dict:
    data = {"status-status": value, "status-reason": reason, "status-version": activity.version}
    if value == ActivityStatus.APPROVED:  # A7: approval records the COR's name and date
        data["status-cor_name"] = "Dana Whitfield"
        data["status-cor_approval_date"] = today().isoformat()
    return data


def test_a7_approval_records_who_and_when_and_on_hold_shows_at_a_glance(client, world, activity):
    sign_in(client, world.federal)
    response = client.post(
        url("status", activity), status(ActivityStatus.APPROVED, activity), follow=True
    )
    activity.refresh_from_db()
    assert activity.approved_by == world.federal and activity.approved_at is not None
    page = response.content.decode()
    assert "Approval recorded: Fay Federal" in page
    sign_in(client, world.primary)
    client.post(url("status", activity), status(ActivityStatus.ON_HOLD, activity, "State paused."))
    page = client.get(url("detail", activity)).content.decode()
    assert 'tat-tag--on_hold"><span class="usa-sr-only">TA activity status: </span>On hold' in page
    assert "State paused." in page  # the status change and its reason


def test_a7_only_allowed_transitions_are_offered_and_others_refused(client, world, activity):
    sign_in(client, world.primary)
    client.post(url("status", activity), status(ActivityStatus.DENIED, activity))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DENIED
    form = client.get(url("detail", activity)).context["status_form"]
    assert [value for value, _ in form.fields["status"].choices] == [ActivityStatus.PLANNING]
    before = row_counts()
    response = client.post(url("status", activity), status(ActivityStatus.APPROVED, activity))
    assert form_errors(response, "status_form", "status")
    assert row_counts() == before


def test_a7_stale_status_change_is_a_conflict(client, world, activity):
    sign_in(client, world.primary)
    stale = status(ActivityStatus.ON_HOLD, activity)
    services.activity_update(
        actor=world.sss, activity=activity, expected_version=activity.version, priority="low"
    )
    before = row_counts()
    response = client.post(url("status", activity), stale)
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode()
    assert row_counts() == before


# --- A12, A13: closing, cancelling, reopening -------------------------------------------------


def close_data(activity, **overrides) -> dict:
    data = {
        "completion_date": today().isoformat(),
        "outcome_report": "State published revised QRIS standards.",
        "version": activity.version,
    }
    data.update(overrides)
    return data


def test_a12_close_walks_through_the_checklist(client, world, trackable):
    sign_in(client, world.primary)
    page = client.get(url("close", trackable)).content.decode()
    for item in (
        "Summary of TA delivered",
        "Requester feedback/closing comments",
        "TA response notes",
        "Completion status, completion date and outcome report",
        "No summary of TA delivered yet.",
    ):
        assert item in page


def test_a12_close_refuses_what_is_missing_at_the_field(client, world, trackable):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(url("close", trackable), close_data(trackable, outcome_report=" "))
    assert form_errors(response, "form", "outcome_report") == [services.OUTCOME_REPORT_REQUIRED]
    future = (today() + dt.timedelta(days=1)).isoformat()
    response = client.post(url("close", trackable), close_data(trackable, completion_date=future))
    assert form_errors(response, "form", "completion_date") == [services.COMPLETION_DATE_FUTURE]
    early = (trackable.date_opened - dt.timedelta(days=1)).isoformat()
    response = client.post(url("close", trackable), close_data(trackable, completion_date=early))
    assert "cannot be before the date opened" in form_errors(response, "form", "completion_date")[0]
    response = client.post(url("close", trackable), close_data(trackable, completion_date=""))
    assert form_errors(response, "form", "completion_date") == [services.COMPLETION_DATE_REQUIRED]
    assert row_counts() == before
    trackable.refresh_from_db()
    assert trackable.completion_status == CompletionStatus.OPEN


def test_a12_close_refused_while_tracking_is_unavailable(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(url("close", activity), close_data(activity))
    assert any("Tracking" in message for message in response.context["form"].non_field_errors())
    assert "This activity cannot be closed yet" in response.content.decode()
    assert row_counts() == before


def test_a12_close_then_the_record_is_read_only(client, world, trackable):
    add_summary(world, trackable)
    sign_in(client, world.primary)
    response = client.post(url("close", trackable), close_data(trackable), follow=True)
    trackable.refresh_from_db()
    assert trackable.completion_status == CompletionStatus.CLOSED
    assert trackable.completion_date == today()
    page = response.content.decode()
    assert "is closed. It is now read-only, except for requester feedback." in page
    assert "Add a summary of TA delivered" not in page
    # A13: every change but feedback is refused while closed.
    before = row_counts()
    response = client.post(url("response_note_add", trackable), {"response-text": "Late note"})
    assert "read-only" in " ".join(response.context["note_form"].non_field_errors())
    response = client.post(url("summary_add", trackable), summary(today()))
    assert "read-only" in " ".join(response.context["summary_form"].non_field_errors())
    response = client.post(url("description_note_add", trackable), plan(PlanStage.INITIAL, "x"))
    assert "read-only" in " ".join(response.context["plan_form"].non_field_errors())
    assert row_counts() == before
    detail = client.get(url("detail", trackable)).content.decode()
    assert "It is read-only except for requester feedback" in detail
    assert url("edit", trackable) not in detail


def test_a12_cancel_refused_after_delivery(client, world, trackable):
    add_summary(world, trackable)
    sign_in(client, world.primary)
    page = client.get(url("cancel", trackable)).content.decode()
    assert "so it cannot be cancelled" in page
    before = row_counts()
    response = client.post(
        url("cancel", trackable),
        {"reason": "State changed its mind.", "version": trackable.version},
    )
    assert response.status_code == 200
    assert services.CANCEL_AFTER_DELIVERY in response.context["form"].non_field_errors()
    assert "use Closed instead" in response.content.decode()
    assert row_counts() == before


def test_a12_cancel_without_delivery_needs_a_reason(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(url("cancel", activity), {"reason": "", "version": activity.version})
    assert form_errors(response, "form", "reason") == [services.REASON_REQUIRED]
    assert row_counts() == before
    response = client.post(
        url("cancel", activity), {"reason": "No longer needed.", "version": activity.version}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.completion_status == CompletionStatus.CANCELLED


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("primary", True),
        ("admin", True),
        ("collaborator", False),
        ("sss", False),
        ("lead", False),
        ("federal", False),
    ],
)
def test_a13_reopen_only_by_admin_or_primary_staff(client, world, activity, person, allowed):
    services.activity_cancel(actor=world.primary, activity=activity, reason="Not needed.")
    activity.refresh_from_db()
    sign_in(client, getattr(world, person))
    response = client.post(
        url("reopen", activity), {"reason": "Requested again.", "version": activity.version}
    )
    activity.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert activity.completion_status == CompletionStatus.OPEN
    else:
        assert response.status_code == 403
        assert activity.completion_status == CompletionStatus.CANCELLED


def test_a13_reopen_needs_a_reason_and_an_open_one_is_refused(client, world, activity):
    services.activity_cancel(actor=world.primary, activity=activity, reason="Not needed.")
    activity.refresh_from_db()
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(url("reopen", activity), {"reason": " ", "version": activity.version})
    assert form_errors(response, "form", "reason") == [services.REASON_REQUIRED]
    assert row_counts() == before
    client.post(url("reopen", activity), {"reason": "Back on.", "version": activity.version})
    activity.refresh_from_db()
    response = client.post(
        url("reopen", activity), {"reason": "Again.", "version": activity.version}
    )
    assert services.ALREADY_OPEN in response.context["form"].non_field_errors()


def test_c1_stale_close_keeps_the_typing_and_shows_the_other_change(client, world, trackable):
    sign_in(client, world.primary)
    data = close_data(trackable, outcome_report="My outcome report.")
    services.activity_update(
        actor=world.sss, activity=trackable, expected_version=trackable.version, priority="low"
    )
    before = row_counts()
    response = client.post(url("close", trackable), data)
    assert row_counts() == before
    page = response.content.decode()
    assert CONFLICT_MESSAGE in page and "My outcome report." in page
    assert "Priority level" in page and world.sss.full_name in page


def test_outcome_report_is_saved_on_the_tracking_tab_with_conflicts_kept(client, world, trackable):
    sign_in(client, world.primary)
    version = trackable.version
    response = client.post(
        url("outcome_report", trackable),
        {"outcome-outcome_report": "First report.", "outcome-version": version},
    )
    assert response.status_code == 302
    response = client.post(
        url("outcome_report", trackable),
        {"outcome-outcome_report": "Stale typing.", "outcome-version": version},
    )
    page = response.content.decode()
    assert CONFLICT_MESSAGE in page and "Stale typing." in page and "First report." in page
    trackable.refresh_from_db()
    assert trackable.outcome_report == "First report."


def test_c1_outcome_report_conflict_shows_the_shared_panel(client, world, trackable):
    version = trackable.version
    services.activity_update(
        actor=world.sss,
        activity=trackable,
        expected_version=version,
        outcome_report="Their report.",
    )
    sign_in(client, world.primary)
    response = client.post(
        url("outcome_report", trackable),
        {"outcome-outcome_report": "My report.", "outcome-version": version},
    )
    page = response.content.decode()
    assert "What changed since you opened this form" in page
    assert world.sss.full_name in page and "Their report." in page and "My report." in page


def test_hl1_completion_status_definitions_are_shown(client, world, trackable):
    from reference.models import FieldHelp

    FieldHelp.objects.create(
        key="activity.completion_status",
        label="Completion status",
        definition="Open: Response to TA request is in process.",
        best_practice="“Closed” should be used instead of “cancelled” if any work was done.",
    )
    sign_in(client, world.primary)
    for name in ("tracking", "close", "cancel"):
        page = client.get(url(name, trackable)).content.decode()
        assert "Response to TA request is in process." in page, name
        assert "should be used instead of" in page, name
