"""TA activity pages, the tracking tab: tracking only with a current final plan and approval
(A9), summaries of TA delivered with their due dates and late flags (A10), requester
feedback (A11), the printable record, and page query counts that do not grow with the
notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from activities import services
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    RequesterFeedback,
    ResponseNote,
)
from core.businessdays import summary_due_date
from tests.activities import helpers
from tests.activities.helpers import form_errors, sign_in, summary, url
from tests.factories_activities import (
    add_summary,
    create_activity,
    make_trackable,
    row_counts,
    today,
)

activity = helpers.past_activity


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
# checks, field help, R1's open send-backs; on the history, R1's review marks and
# send-backs; the header's unread-notification count, R3); they must not grow with the
# number of notes.
PINNED_QUERIES = {"detail": 18, "tracking": 20, "response_notes": 18, "history": 40, "print": 40}


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
