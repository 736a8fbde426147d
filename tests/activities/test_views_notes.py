"""TA activity pages, the record's notes: plan stages in order with a new final plan
archiving the current one (A6), response notes added in place with htmx or without
JavaScript (A14), and corrections of a note by its author or an admin."""

from __future__ import annotations

import datetime as dt
from html import escape

from activities import services
from activities.models import (
    PlanStage,
    ResponseNote,
)
from core.concurrency import CONFLICT_MESSAGE
from tests.activities import helpers
from tests.activities.helpers import form_errors, plan, sign_in, url
from tests.factories_activities import (
    add_summary,
    create_activity,
    row_counts,
    today,
)

activity = helpers.past_activity


# --- A6: plan stages --------------------------------------------------------------------------


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
