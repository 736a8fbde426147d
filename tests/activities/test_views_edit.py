"""TA activity pages after a record exists: an open activity in the strategic area offered
to join (A16), editing with conflicts that keep what was typed (C1), the history tab (AU1),
closed records redirecting to the record, and the requester pages."""

from __future__ import annotations

from django.urls import reverse

from activities import services
from activities.models import (
    Priority,
    TAActivity,
)
from core.concurrency import CONFLICT_MESSAGE
from tests.activities.helpers import create_data, create_url, errors_of, sign_in
from tests.factories import RequesterFactory, UserFactory
from tests.factories_activities import row_counts

# --- A16: an open activity in the strategic area -------------------------------------------------


def test_a16_existing_open_activity_is_shown_with_an_offer_to_join(client, world, activity):
    other = UserFactory(full_name="Nora Newcomer", center=world.other_center)
    sign_in(client, other)
    response = client.get(create_url(world))
    page = response.content.decode()
    assert activity.record_number in page
    assert reverse("activities:join", args=[activity.pk]) in page
    assert "confirm_separate" in page


def test_a16_second_activity_needs_confirmation(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world))
    assert activity.record_number in " ".join(errors_of(response, "confirm_separate"))
    assert row_counts() == before
    response = client.post(create_url(world), create_data(world, confirm_separate="on"))
    assert response.status_code == 302
    assert TAActivity.objects.count() == 2


def test_a16_join_instead(client, world, activity):
    newcomer = UserFactory(full_name="Nora Newcomer", center=world.other_center)
    sign_in(client, newcomer)
    url = reverse("activities:join", args=[activity.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "SCBC to add peer learning."})
    assert response.status_code == 302
    assert newcomer in activity.collaborating_staff.all()
    assert activity.response_notes.get().text == "SCBC to add peer learning."


def test_a16_join_refused_when_nothing_to_add(client, world, activity):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(reverse("activities:join", args=[activity.pk]), {})
    assert response.status_code == 200
    assert services.JOIN_NOTHING_TO_ADD in response.context["form"].non_field_errors()
    assert row_counts() == before


def test_join_forbidden_for_federal_viewer(client, world, activity):
    sign_in(client, world.federal)
    assert client.post(reverse("activities:join", args=[activity.pk]), {}).status_code == 403


# --- Editing and conflicts (C1), history (AU1) ----------------------------------------------------


def test_edit_page_is_prefilled_and_saves(client, world, activity):
    sign_in(client, world.collaborator)
    url = reverse("activities:edit", args=[activity.pk])
    form = client.get(url).context["form"]
    assert form.initial["version"] == activity.version
    assert form.initial["requesters"] == [world.requester.pk]
    data = create_data(world, outcome_plan="A sharper plan.", version=activity.version)
    response = client.post(url, data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.outcome_plan == "A sharper plan."


def test_c1_stale_save_keeps_the_typing_and_shows_the_other_change(client, world, activity):
    url = reverse("activities:edit", args=[activity.pk])
    started_version = activity.version
    # Someone else saves first.
    services.activity_update(
        actor=world.sss,
        activity=activity,
        expected_version=started_version,
        outcome_plan="The specialist's plan.",
    )
    sign_in(client, world.primary)
    data = create_data(world, outcome_plan="My own typing.", version=started_version)
    before = row_counts()
    response = client.post(url, data)
    assert response.status_code == 200
    assert row_counts() == before
    activity.refresh_from_db()
    assert activity.outcome_plan == "The specialist's plan."
    page = response.content.decode()
    assert CONFLICT_MESSAGE in page
    assert "My own typing." in page  # the typing is kept
    assert "The specialist&#x27;s plan." in page  # the other change is shown
    assert world.sss.full_name in page
    # The form now carries the stored version: saving again (after review) goes through.
    assert response.context["form"]["version"].value() == str(activity.version)
    data["version"] = activity.version
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.outcome_plan == "My own typing."


def test_au1_history_tab_shows_readable_changes(client, world, activity):
    services.activity_update(
        actor=world.sss,
        activity=activity,
        expected_version=activity.version,
        priority=Priority.LOW,
    )
    services.response_note_add(actor=world.primary, activity=activity, text="Called the State.")
    sign_in(client, world.federal)
    response = client.get(reverse("activities:history", args=[activity.pk]))
    page = response.content.decode()
    assert "Priority level" in page and "High" in page and "Low" in page
    assert world.sss.full_name in page
    assert "TA response note" in page


def test_edit_of_a_closed_activity_redirects_to_the_record(client, world, activity):
    services.activity_cancel(actor=world.primary, activity=activity, reason="Not needed.")
    sign_in(client, world.primary)
    response = client.get(reverse("activities:edit", args=[activity.pk]))
    assert response.status_code == 302
    before = row_counts()
    data = create_data(world, version=activity.version + 1)
    response = client.post(reverse("activities:edit", args=[activity.pk]), data)
    assert response.status_code == 302
    assert row_counts() == before


def test_requester_detail_page(client, world, activity):
    sign_in(client, world.federal)
    response = client.get(reverse("activities:requester_detail", args=[world.requester.pk]))
    page = response.content.decode()
    assert world.requester.email in page and activity.record_number in page


def test_many_requesters_render_as_a_filterable_checkbox_list(client, world):
    for _ in range(60):
        RequesterFactory(jurisdiction=world.jurisdiction, created_by=world.admin)
    sign_in(client, world.primary)
    page = client.get(create_url(world)).content.decode()
    assert page.count('type="checkbox" name="requesters"') == 62
    assert "data-tat-filter-input" in page
