"""TA activity pages after creation: plan stages (A6), status (A7), the tracking tab
(A9–A11), closing, cancelling and reopening (A12, A13), response notes (A14), note
corrections, the printable record, and query counts that do not grow with the notes."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from activities import services
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    RequesterFeedback,
    ResponseNote,
)
from core.businessdays import summary_due_date
from core.concurrency import CONFLICT_MESSAGE
from tests.factories_activities import (
    add_summary,
    create_activity,
    make_trackable,
    row_counts,
    today,
)


@pytest.fixture
def activity(world):
    """Unlike the shared one (opened today): opened 60 days ago, for past deliveries."""
    return create_activity(world, date_opened=today() - dt.timedelta(days=60))


def sign_in(client, user) -> None:
    client.force_login(user)


def url(name: str, activity, *args) -> str:
    return reverse(f"activities:{name}", args=[activity.pk, *args])


def form_errors(response, form: str, field: str) -> list[str]:
    return list(response.context[form].errors.get(field, []))


# --- A6: plan stages --------------------------------------------------------------------------


def plan(stage: str, text: str, **extra) -> dict:
    return {"plan-stage": stage, "plan-text": text, "plan-note_date": today().isoformat(), **extra}


def test_a6_plan_stages_in_order_and_a_new_final_archives_the_current(client, world, activity):
    sign_in(client, world.primary)
    for stage, text in (
        (PlanStage.INITIAL, "Initial: SSS proposes a review."),
        (PlanStage.INTERMEDIATE, "Intermediate: center refines it."),
        (PlanStage.FINAL, "Final: approved plan."),
    ):
        response = client.post(url("description_note_add", activity), plan(stage, text))
        assert response.status_code == 302
    response = client.post(
        url("description_note_add", activity),
        plan(PlanStage.FINAL, "Revised final plan."),
        follow=True,
    )
    page = response.content.decode()
    assert "Final plan added." in page
    assert "The previous final plan (dated" in page and "archived final plan" in page
    stages = list(activity.description_notes.order_by("created_at").values_list("stage", flat=True))
    assert stages == ["initial", "intermediate", "archived_final", "final"]
    # The plans read in the order they were written.
    positions = [
        page.index(text)
        for text in ("Initial: SSS", "Intermediate:", "Final: approved", "Revised final")
    ]
    assert positions == sorted(positions)
    assert "Current final plan" in page


def test_a6_archived_final_cannot_be_chosen(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(
        url("description_note_add", activity), plan(PlanStage.ARCHIVED_FINAL, "x")
    )
    assert response.status_code == 200
    assert form_errors(response, "plan_form", "stage")
    assert row_counts() == before


def test_a6_plan_text_is_required(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(url("description_note_add", activity), plan(PlanStage.INITIAL, " "))
    assert form_errors(response, "plan_form", "text") == [services.NOTE_TEXT_REQUIRED]
    assert row_counts() == before


def test_a6_other_center_staff_cannot_add_plans(client, world, activity):
    sign_in(client, world.other_staff)
    before = row_counts()
    response = client.post(url("description_note_add", activity), plan(PlanStage.INITIAL, "x"))
    assert response.status_code == 403
    assert row_counts() == before
    page = client.get(url("detail", activity)).content.decode()
    assert "Add a description note" not in page


# --- A7: status -------------------------------------------------------------------------------


def status(value: str, activity, reason: str = "") -> dict:
    return {"status-status": value, "status-reason": reason, "status-version": activity.version}


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


# --- A9: tracking only with a current final plan and approval ----------------------------------


def test_a9_tracking_tab_explains_what_is_missing(client, world, activity):
    sign_in(client, world.primary)
    page = client.get(url("tracking", activity)).content.decode()
    assert "Tracking is not available yet" in page
    assert "There is no current final plan" in page
    assert "“Planning in progress”, not “Approved”" in page
    assert "Add a summary of TA delivered" not in page
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="Final."
    )
    page = client.get(url("tracking", activity)).content.decode()
    assert "There is no current final plan" not in page
    assert "not “Approved”" in page


def test_a9_summary_refused_while_tracking_is_unavailable(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(
        url("summary_add", activity),
        {"summary-delivery_date": today().isoformat(), "summary-text": "Delivered."},
    )
    assert response.status_code == 200
    errors = response.context["summary_form"].non_field_errors()
    assert any("Tracking" in message for message in errors)
    assert row_counts() == before


# --- A10: summaries of TA delivered -------------------------------------------------------------


def summary(delivered: dt.date, text: str = "State received a remote consultation.", **extra):
    return {"summary-delivery_date": delivered.isoformat(), "summary-text": text, **extra}


def test_a10_summary_with_methods_types_due_date_and_late_flag(client, world, trackable):
    sign_in(client, world.primary)
    delivered = today() - dt.timedelta(days=40)
    data = summary(
        delivered,
        **{"summary-delivery_methods": [world.method.pk], "summary-ta_types": [world.ta_type.pk]},
    )
    response = client.post(url("summary_add", trackable), data, follow=True)
    page = response.content.decode()
    added = DeliverySummary.objects.get()
    assert added.is_late and added.due_date == summary_due_date(delivered)
    assert list(added.delivery_methods.all()) == [world.method]
    assert f"It is late: it was due {added.due_date:%m/%d/%Y}" in page
    assert '<span class="usa-tag tat-tag tat-tag--late">Late</span>' in page
    assert f"due {added.due_date:%m/%d/%Y}" in page
    assert "Remote/virtual" in page and "Consultation" in page


def test_a10_on_time_summary_is_not_flagged(client, world, trackable):
    sign_in(client, world.primary)
    response = client.post(url("summary_add", trackable), summary(today()), follow=True)
    page = response.content.decode()
    assert "Summary of TA delivered added; it was due" in page
    assert 'tat-tag--late">Late<' not in page


def test_a10_delivery_date_rules_are_shown_at_the_field(client, world, trackable):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(url("summary_add", trackable), summary(today() + dt.timedelta(days=2)))
    assert form_errors(response, "summary_form", "delivery_date") == [services.DELIVERY_DATE_FUTURE]
    response = client.post(url("summary_add", trackable), summary(today() - dt.timedelta(days=90)))
    assert (
        "cannot be before the date opened"
        in form_errors(response, "summary_form", "delivery_date")[0]
    )
    response = client.post(url("summary_add", trackable), summary(today(), text=""))
    assert form_errors(response, "summary_form", "text") == [services.NOTE_TEXT_REQUIRED]
    assert row_counts() == before


# --- A11: feedback --------------------------------------------------------------------------------


def feedback(**overrides) -> dict:
    data = {
        "feedback-feedback_date": today().isoformat(),
        "feedback-giver_name": "Dana Director",
        "feedback-giver_title": "CCDF Administrator",
        "feedback-text": "This is exactly what we needed.",
    }
    data.update(overrides)
    return data


def test_a11_feedback_needs_who_gave_it(client, world, trackable):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(
        url("feedback_add", trackable),
        feedback(**{"feedback-giver_name": "", "feedback-giver_title": ""}),
    )
    assert form_errors(response, "feedback_form", "giver_name") == [services.GIVER_NAME_REQUIRED]
    assert form_errors(response, "feedback_form", "giver_title") == [services.GIVER_TITLE_REQUIRED]
    assert row_counts() == before
    response = client.post(url("feedback_add", trackable), feedback(), follow=True)
    page = response.content.decode()
    assert "received from Dana Director, CCDF Administrator" in page


def test_a11_feedback_can_be_added_after_closing(client, world, trackable):
    add_summary(world, trackable)
    services.activity_close(
        actor=world.primary, activity=trackable, completion_date=today(), outcome_report="Done."
    )
    sign_in(client, world.collaborator)
    page = client.get(url("tracking", trackable)).content.decode()
    assert "Feedback received after closing can still be added." in page
    response = client.post(url("feedback_add", trackable), feedback())
    assert response.status_code == 302
    assert RequesterFeedback.objects.count() == 1


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


# --- A14: response notes --------------------------------------------------------------------------


def test_a14_quick_add_with_htmx_swaps_the_section_only(client, world, activity):
    sign_in(client, world.collaborator)
    response = client.post(
        url("response_note_add", activity),
        {"response-text": "(01/02/26): Held a planning call."},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="response-notes-section"')
    assert "TA response note added." in page and "Held a planning call." in page
    note = ResponseNote.objects.get()
    assert note.author == world.collaborator and note.created_at is not None
    assert world.collaborator.full_name in page


def test_a14_quick_add_without_javascript_redirects(client, world, activity):
    sign_in(client, world.sss)
    response = client.post(url("response_note_add", activity), {"response-text": "Follow-up sent."})
    assert response.status_code == 302
    assert response["Location"] == url("response_notes", activity)


def test_a14_empty_note_is_refused_in_place(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(
        url("response_note_add", activity), {"response-text": " "}, headers={"HX-Request": "true"}
    )
    assert escape(services.NOTE_TEXT_REQUIRED) in response.content.decode()
    assert row_counts() == before


def test_a14_notes_are_newest_first(client, world, activity):
    for days, text in ((5, "Older note"), (1, "Newer note")):
        services.response_note_add(
            actor=world.primary,
            activity=activity,
            text=text,
            note_date=today() - dt.timedelta(days=days),
        )
    sign_in(client, world.federal)
    page = client.get(url("response_notes", activity)).content.decode()
    assert page.index("Newer note") < page.index("Older note")
    assert "Add a TA response note" not in page  # federal viewers read only


def test_a14_other_center_staff_cannot_add_notes(client, world, activity):
    sign_in(client, world.other_staff)
    before = row_counts()
    response = client.post(url("response_note_add", activity), {"response-text": "x"})
    assert response.status_code == 403
    assert row_counts() == before


# --- Correcting a note (author or admin; C1) ----------------------------------------------------


def test_note_author_corrects_a_note_and_others_cannot(client, world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="Typo hre.")
    edit_url = url("note_edit", activity, "response", note.pk)
    sign_in(client, world.collaborator)
    assert client.get(edit_url).status_code == 403
    sign_in(client, world.primary)
    data = {"note_date": today().isoformat(), "text": "Typo here.", "version": note.version}
    response = client.post(edit_url, data)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Typo here."
    stale = client.post(edit_url, {**data, "text": "Stale."})
    assert CONFLICT_MESSAGE in stale.content.decode() and "Stale." in stale.content.decode()


def test_summary_correction_keeps_methods_and_types(client, world, trackable):
    item = add_summary(world, trackable)
    sign_in(client, world.primary)
    edit_url = url("note_edit", trackable, "summary", item.pk)
    form = client.get(edit_url).context["form"]
    assert form.initial["delivery_methods"] == [world.method.pk]
    data = {
        "summary-note_date": today().isoformat(),
        "summary-text": "Corrected summary.",
        "summary-delivery_methods": [world.method.pk],
        "summary-ta_types": [],
        "summary-version": item.version,
    }
    assert client.post(edit_url, data).status_code == 302
    item.refresh_from_db()
    assert item.text == "Corrected summary." and not item.ta_types.exists()


def test_note_edit_of_unknown_kind_or_other_activity_is_404(client, world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="x")
    sign_in(client, world.primary)
    assert client.get(url("note_edit", activity, "nonsense", note.pk)).status_code == 404
    other = create_activity(world)
    assert client.get(url("note_edit", other, "response", note.pk)).status_code == 404


# --- Printable record -------------------------------------------------------------------------


def test_print_view_shows_every_tab_in_reading_order(client, world, trackable):
    add_summary(world, trackable, text="Summary for the paper.")
    services.feedback_add(
        actor=world.primary,
        activity=trackable,
        feedback_date=today(),
        giver_name="Dana Director",
        giver_title="CCDF Administrator",
        text="Feedback for the paper.",
    )
    services.response_note_add(actor=world.primary, activity=trackable, text="Note for the paper.")
    sign_in(client, world.federal)
    page = client.get(url("print", trackable)).content.decode()
    order = [
        "Details",
        "Center to provide a review of QRIS standards.",
        "Summary for the paper.",
        "Feedback for the paper.",
        "State/Territory outcome report",
        "Note for the paper.",
        "Status changes",
        "Every change, newest first",
    ]
    positions = [page.index(text, page.index('class="tat-print"')) for text in order]
    assert positions == sorted(positions)
    assert "css/activities.css" in page
    assert "Correct<span" not in page  # no editing links on paper


# --- Query counts do not grow with the notes ---------------------------------------------------


def add_notes(world, activity, per_kind: int) -> None:
    when = today()
    bulk_create_with_history(
        [
            ResponseNote(activity=activity, text=f"Note {n}", author=world.primary)
            for n in range(per_kind)
        ],
        ResponseNote,
        default_user=world.primary,
    )
    bulk_create_with_history(
        [
            RequesterFeedback(
                activity=activity,
                text=f"Feedback {n}",
                giver_name="Dana",
                giver_title="Admin",
                author=world.primary,
            )
            for n in range(per_kind)
        ],
        RequesterFeedback,
        default_user=world.primary,
    )
    summaries = bulk_create_with_history(
        [
            DeliverySummary(
                activity=activity,
                text=f"Summary {n}",
                note_date=when,
                due_date=summary_due_date(when),
                author=world.primary,
            )
            for n in range(per_kind)
        ],
        DeliverySummary,
        default_user=world.primary,
    )
    through = DeliverySummary.delivery_methods.through
    through.objects.bulk_create(
        [through(deliverysummary_id=s.pk, deliverymethod_id=world.method.pk) for s in summaries]
    )
    bulk_create_with_history(
        [
            DescriptionNote(
                activity=activity, stage=PlanStage.INITIAL, text=f"Plan {n}", author=world.primary
            )
            for n in range(per_kind)
        ],
        DescriptionNote,
        default_user=world.primary,
    )


# Queries per page of a record (sign-in, the record with every kind of note, permission
# checks, field help); they must not grow with the number of notes.
PINNED_QUERIES = {"detail": 16, "tracking": 18, "response_notes": 16, "history": 36, "print": 36}


@pytest.mark.parametrize("tab", list(PINNED_QUERIES))
def test_record_page_query_count_does_not_grow_with_notes(
    client, world, tab, django_assert_num_queries
):
    small = make_trackable(world, create_activity(world))
    large = make_trackable(world, create_activity(world))
    add_notes(world, small, 1)  # plus the final plan: a handful of notes
    add_notes(world, large, 100)  # 400 notes
    sign_in(client, world.collaborator)
    client.get(url(tab, small))  # warm per-process caches (sessions, content types)
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(url(tab, small)).status_code == 200
    assert len(small_queries) <= PINNED_QUERIES[tab], [q["sql"] for q in small_queries]
    with django_assert_num_queries(len(small_queries)):
        response = client.get(url(tab, large))
    assert response.status_code == 200
    assert "Note 99" in response.content.decode() or tab in ("detail", "tracking")


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
