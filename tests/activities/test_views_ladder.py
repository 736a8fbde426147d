"""TA activity pages, the permission ladder: anonymous visitors are sent to sign in from
every page, everyone signed in reads every tab, only editors edit, approve (A7) or create,
wrong HTTP methods are refused with 405 and unknown records are 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities import services
from activities.models import (
    ActivityStatus,
    PlanStage,
    Priority,
)
from tests.activities.helpers import create_data, create_url, sign_in
from tests.factories_activities import row_counts

PEOPLE = ("primary", "collaborator", "sss", "lead", "other_lead", "other_staff", "federal", "admin")
EDITORS = {"primary", "collaborator", "sss", "lead", "admin"}
READ_TABS = ("detail", "tracking", "response_notes", "history", "print")


# --- Permission ladder ------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page(client, world, activity):
    urls = [reverse(f"activities:{name}", args=[activity.pk]) for name in READ_TABS]
    urls += [
        reverse("activities:edit", args=[activity.pk]),
        reverse("activities:close", args=[activity.pk]),
        create_url(world),
        reverse("activities:create_on_demand") + "?jurisdiction=GA",
        reverse("activities:requester_detail", args=[world.requester.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    before = row_counts()
    response = client.post(
        reverse("activities:response_note_add", args=[activity.pk]), {"response-text": "Hi"}
    )
    assert response.status_code == 302
    assert row_counts() == before


@pytest.mark.parametrize("person", PEOPLE)
def test_every_signed_in_person_reads_every_tab(client, world, activity, person):
    sign_in(client, getattr(world, person))
    for name in READ_TABS:
        response = client.get(reverse(f"activities:{name}", args=[activity.pk]))
        assert response.status_code == 200, name
        assert activity.record_number in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_page_permission_ladder(client, world, activity, person):
    sign_in(client, getattr(world, person))
    for name in ("edit", "close", "cancel"):
        response = client.get(reverse(f"activities:{name}", args=[activity.pk]))
        assert response.status_code == (200 if person in EDITORS else 403), name


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_post_permission_ladder_saves_only_for_editors(client, world, activity, person):
    sign_in(client, getattr(world, person))
    data = create_data(world, priority=Priority.LOW, version=activity.version)
    response = client.post(reverse("activities:edit", args=[activity.pk]), data)
    activity.refresh_from_db()
    if person in EDITORS:
        assert response.status_code == 302
        assert activity.priority == Priority.LOW
    else:
        assert response.status_code == 403
        assert activity.priority == Priority.HIGH


@pytest.mark.parametrize("person", PEOPLE)
def test_a7_approve_permission_ladder(client, world, activity, person):
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="Final plan."
    )
    sign_in(client, getattr(world, person))
    response = client.post(
        reverse("activities:status", args=[activity.pk]),
        {
            "status-status": ActivityStatus.APPROVED,
            "status-version": activity.version,
            "status-cor_name": "Dana Whitfield",  # A7: the COR's approval
            "status-cor_approval_date": activity.date_opened.isoformat(),
        },
    )
    activity.refresh_from_db()
    if person in EDITORS | {"federal"}:
        assert response.status_code == 302
        assert activity.status == ActivityStatus.APPROVED
    else:
        assert response.status_code == 403
        assert activity.status == ActivityStatus.PLANNING


@pytest.mark.parametrize("person", PEOPLE)
def test_create_page_permission_ladder(client, world, person):
    sign_in(client, getattr(world, person))
    response = client.get(create_url(world))
    # Federal viewers read and approve; they do not add activities.
    assert response.status_code == (403 if person == "federal" else 200)


def test_anonymous_cannot_create(client, world):
    before = row_counts()
    response = client.post(create_url(world), create_data(world))
    assert response.status_code == 302
    assert row_counts() == before


def test_federal_viewer_create_post_is_forbidden_and_saves_nothing(client, world):
    sign_in(client, world.federal)
    before = row_counts()
    response = client.post(create_url(world), create_data(world))
    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize(
    "name", ["status", "description_note_add", "summary_add", "feedback_add", "response_note_add"]
)
def test_post_only_actions_refuse_get_with_405(client, world, activity, name):
    sign_in(client, world.primary)
    response = client.get(reverse(f"activities:{name}", args=[activity.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("name", READ_TABS)
def test_read_tabs_refuse_post_with_405(client, world, activity, name):
    sign_in(client, world.primary)
    response = client.post(reverse(f"activities:{name}", args=[activity.pk]))
    assert response.status_code == 405


def test_unknown_record_is_404(client, world):
    sign_in(client, world.primary)
    assert client.get(reverse("activities:detail", args=[999999])).status_code == 404
    assert client.get(reverse("activities:create") + "?strategic_area=abc").status_code == 404
    on_demand = reverse("activities:create_on_demand") + "?jurisdiction=ZZ"
    assert client.get(on_demand).status_code == 404
