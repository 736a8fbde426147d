"""TA activity pages, creating a record (A1–A8, A15): every field with the guide's help,
goal-driven and on-demand activities, focus areas, dates, requesters (including adding a
new one inline), staff that follow the center, plans, approval and outcome plans. A refused
submission shows the service's message at its field and saves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from activities import services
from activities.models import (
    ActivityStatus,
    PlanStage,
    Requester,
    TAActivity,
)
from tests.activities.helpers import create_data, create_url, errors_of, sign_in
from tests.factories_activities import (
    row_counts,
    today,
)

# --- Creating (A1–A8) --------------------------------------------------------------------------


def test_create_page_shows_every_field_with_the_guides_help(client, world, reference_help):
    sign_in(client, world.primary)
    response = client.get(create_url(world))
    page = response.content.decode()
    form = response.context["form"]
    for name in (
        "focus",
        "other_focus_notes",
        "date_opened",
        "priority",
        "requesters",
        "primary_center",
        "primary_staff",
        "collaborating_centers",
        "collaborating_staff",
        "other_collaborators",
        "other_collaborators_details",
        "description_stage",
        "description_notes",
        "activity_type",
        "status",
        "outcome_plan",
    ):
        assert name in form.fields
        assert f'name="{name}"' in page, name
    # HL1: definitions from the guide as hint text, linked to the field.
    assert "Date TA was requested." in page
    assert 'aria-describedby="id_date_opened-hint"' in page
    assert "Add new requester" in page
    # The staff list follows the center (htmx) with a no-JavaScript button.
    assert 'hx-get="/activities/staff-options/"' in page
    assert 'name="refresh_staff"' in page


@pytest.fixture
def reference_help(db):
    from reference.models import FieldHelp

    FieldHelp.objects.create(
        key="activity.date_opened", label="Date opened", definition="Date TA was requested."
    )


def test_a1_a15_create_goal_driven_activity_through_the_page(client, world):
    sign_in(client, world.primary)
    response = client.post(create_url(world), create_data(world))
    activity = TAActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.goal == world.goal
    assert activity.strategic_area == world.strategic_area
    assert list(activity.requesters.all()) == [world.requester]
    assert activity.description_notes.get().stage == PlanStage.INITIAL
    page = client.get(response["Location"]).content.decode()
    assert activity.record_number in page
    assert "QRIS program standards" in page  # A1: the TA focus is the title


def test_create_on_demand_activity_offers_every_categorys_focus(client, world):
    sign_in(client, world.primary)
    url = reverse("activities:create_on_demand") + "?jurisdiction=ga"
    page = client.get(url).content.decode()
    assert world.focus_elsewhere.name in page and world.focus.name in page
    data = create_data(world, focus=world.focus_elsewhere.pk, collaborating_staff=[])
    response = client.post(url, data)
    assert response.status_code == 302
    activity = TAActivity.objects.get()
    assert activity.goal is None
    assert activity.goal_category == world.other_category


def test_a1_other_focus_requires_notes(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world, focus=world.other_focus.pk))
    assert response.status_code == 200
    assert errors_of(response, "other_focus_notes") == [services.OTHER_FOCUS_NOTES_REQUIRED]
    assert row_counts() == before
    # The error summary links to the field.
    assert 'href="#id_other_focus_notes"' in response.content.decode()


def test_a1_other_focus_notes_locked_unless_other(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world, other_focus_notes="Something"))
    assert errors_of(response, "other_focus_notes") == [services.OTHER_FOCUS_NOTES_LOCKED]
    assert row_counts() == before
    page = client.get(create_url(world)).content.decode()
    assert f'data-tat-other-value="{world.other_focus.pk}"' in page


def test_a1_focus_from_another_category_is_refused_at_the_field(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world, focus=world.focus_elsewhere.pk))
    assert "is not a TA focus of the goal category" in " ".join(errors_of(response, "focus"))
    assert row_counts() == before


def test_a1_other_focus_with_notes_is_saved_and_titled(client, world):
    sign_in(client, world.primary)
    data = create_data(world, focus=world.other_focus.pk, other_focus_notes="Fair QRIS pay")
    response = client.post(create_url(world), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Other: Fair QRIS pay" in page


def test_a2_late_entry_is_flagged_on_the_record(client, world):
    sign_in(client, world.primary)
    opened = today() - dt.timedelta(days=21)
    response = client.post(create_url(world), create_data(world, date_opened=opened.isoformat()))
    assert response.status_code == 302
    activity = TAActivity.objects.get()
    assert activity.is_late_entry
    assert "Late entry" in client.get(response["Location"]).content.decode()


def test_a2_date_opened_in_the_future_is_refused(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    future = (today() + dt.timedelta(days=3)).isoformat()
    response = client.post(create_url(world), create_data(world, date_opened=future))
    assert errors_of(response, "date_opened") == [services.DATE_OPENED_FUTURE]
    assert row_counts() == before


def test_a3_priority_and_activity_type_are_required(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world, priority="", activity_type=""))
    assert errors_of(response, "priority") == [services.PRIORITY_INVALID]
    assert errors_of(response, "activity_type") == [services.ACTIVITY_TYPE_INVALID]
    assert row_counts() == before


def test_a4_requesters_are_required(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world, requesters=[]))
    assert errors_of(response, "requesters") == [services.REQUESTERS_REQUIRED]
    assert row_counts() == before


def test_a4_requesters_offered_are_the_states_and_its_regions(client, world):
    sign_in(client, world.primary)
    form = client.get(create_url(world)).context["form"]
    offered = {value for value, _ in form.fields["requesters"].widget.choices}
    assert offered == {str(world.requester.pk), str(world.region_requester.pk)}


def test_a4_requester_from_elsewhere_is_refused(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    data = create_data(world, requesters=[world.faraway_requester.pk])
    response = client.post(create_url(world), data)
    assert "is not a contact of Georgia" in " ".join(errors_of(response, "requesters"))
    assert row_counts() == before


def requester_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "new_requester-name": "Nia New",
        "new_requester-title": "Deputy CCDF Administrator",
        "new_requester-email": "Nia.New@state.example.gov",
        "new_requester-place": "jurisdiction",
        "new_requester-approved_by": Requester.ApprovedBy.CCDF_ADMINISTRATOR,
        "new_requester-approved_by_name": "Dana Director",
        "add_requester": "1",
    }
    data.update(overrides)
    return data


def test_a4_add_new_requester_inline_without_javascript(client, world):
    sign_in(client, world.primary)
    data = {**create_data(world, outcome_plan="Typed before adding"), **requester_data()}
    del data["save"]
    response = client.post(create_url(world), data)
    assert response.status_code == 200
    new = Requester.objects.get(email="nia.new@state.example.gov")
    assert new.jurisdiction == world.jurisdiction and new.created_by == world.primary
    assert not TAActivity.objects.exists()  # an intermediate step, not a save
    form = response.context["form"]
    assert not form.errors
    assert set(form["requesters"].value()) == {str(world.requester.pk), str(new.pk)}
    page = response.content.decode()
    assert "Nia New was added as a requester and selected." in page
    assert "Typed before adding" in page  # the typing is kept


def test_a4_add_new_requester_with_htmx_returns_only_the_picker(client, world):
    sign_in(client, world.primary)
    data = {**create_data(world), **requester_data(**{"new_requester-place": "region"})}
    del data["save"]
    response = client.post(create_url(world), data, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="requester-picker"')
    new = Requester.objects.get(email="nia.new@state.example.gov")
    assert new.region == world.region and new.jurisdiction is None
    assert f'value="{new.pk}"' in page and "checked" in page


def test_a4_duplicate_requester_email_is_refused_with_a_link(client, world):
    sign_in(client, world.primary)
    existing = world.requester
    data = {**create_data(world), **requester_data(**{"new_requester-email": existing.email})}
    del data["save"]
    before = row_counts()
    response = client.post(create_url(world), data)
    assert row_counts() == before
    requester_form = response.context["requester_form"]
    assert "already on file" in requester_form.errors["email"][0]
    page = response.content.decode()
    assert reverse("activities:requester_detail", args=[existing.pk]) in page
    # It is a contact of this State: the page offers to select it.
    assert f'name="select_requester" value="{existing.pk}"' in page


def test_a4_selecting_the_existing_requester_keeps_the_typing(client, world):
    sign_in(client, world.primary)
    data = create_data(world, requesters=[], outcome_plan="Kept")
    del data["save"]
    data["select_requester"] = str(world.region_requester.pk)
    response = client.post(create_url(world), data)
    assert response.context["form"]["requesters"].value() == [str(world.region_requester.pk)]
    assert "Kept" in response.content.decode()


def test_a4_new_requester_needs_name_email_and_approval(client, world):
    sign_in(client, world.primary)
    data = {
        **create_data(world),
        **requester_data(
            **{
                "new_requester-name": "",
                "new_requester-email": "",
                "new_requester-approved_by": "",
            }
        ),
    }
    del data["save"]
    before = row_counts()
    response = client.post(create_url(world), data)
    errors = response.context["requester_form"].errors
    assert errors["name"] == [services.REQUESTER_NAME_REQUIRED]
    assert errors["email"] == [services.REQUESTER_EMAIL_REQUIRED]
    assert errors["approved_by"] == [services.REQUESTER_APPROVAL_REQUIRED]
    assert row_counts() == before


def test_a5_primary_staff_must_belong_to_the_primary_center(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    data = create_data(world, primary_staff=world.other_staff.pk)
    response = client.post(create_url(world), data)
    assert "is not a member of" in " ".join(errors_of(response, "primary_staff"))
    assert row_counts() == before


def test_a5_staff_list_follows_the_center(client, world):
    sign_in(client, world.primary)
    response = client.get(
        reverse("activities:staff_options") + f"?primary_center={world.other_center.pk}",
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert world.other_staff.full_name in page and world.collaborator.full_name in page
    assert world.primary.full_name not in page
    empty = client.get(reverse("activities:staff_options")).content.decode()
    assert "Choose the primary center first" in empty


def test_a5_staff_list_follows_the_center_without_javascript(client, world):
    sign_in(client, world.primary)
    data = create_data(world, primary_center=world.other_center.pk, primary_staff="")
    del data["save"]
    data["refresh_staff"] = "1"
    before = row_counts()
    response = client.post(create_url(world), data)
    assert row_counts() == before
    form = response.context["form"]
    assert not form.errors
    offered = {value for value, _ in form.fields["primary_staff"].widget.choices}
    assert str(world.other_staff.pk) in offered and str(world.primary.pk) not in offered


def test_a5_other_collaborator_needs_details(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    data = create_data(world, other_collaborators=[world.other_collaborator_type.pk])
    response = client.post(create_url(world), data)
    assert "Give details on the other collaborators" in " ".join(
        errors_of(response, "other_collaborators_details")
    )
    assert row_counts() == before


def test_a6_create_with_a_final_plan_and_stage_needs_text(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    data = create_data(world, description_stage=PlanStage.FINAL, description_notes="")
    response = client.post(create_url(world), data)
    assert services.NOTE_TEXT_REQUIRED in errors_of(response, "description_notes")
    assert row_counts() == before


def test_a7_create_approved_records_who_and_when(client, world):
    sign_in(client, world.primary)
    data = create_data(
        world,
        status=ActivityStatus.APPROVED,
        cor_name="Dana Whitfield",
        cor_approval_date=today().isoformat(),
    )
    response = client.post(create_url(world), data)
    assert response.status_code == 302
    activity = TAActivity.objects.get()
    assert activity.status == ActivityStatus.APPROVED
    assert activity.approved_by == world.primary and activity.approved_at is not None
    page = client.get(response["Location"]).content.decode()
    assert f"Approved by <strong>{world.primary.full_name}</strong>" in page


def test_a8_outcome_plan_is_required(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(create_url(world), create_data(world, outcome_plan="  "))
    assert errors_of(response, "outcome_plan") == [services.OUTCOME_PLAN_REQUIRED]
    assert row_counts() == before
    assert "There is a problem" in response.content.decode()


def test_no_activity_under_a_closed_goal(client, world):
    world.goal.status = "closed"
    world.goal.save()
    sign_in(client, world.primary)
    assert "goal is closed" in client.get(create_url(world)).content.decode()
    before = row_counts()
    response = client.post(create_url(world), create_data(world))
    assert services.GOAL_CLOSED in response.context["form"].non_field_errors()
    assert row_counts() == before
