"""Goal pages, closing and the record of changes: requesting, refusing, declining and
approving closure and reopening (G4), conflicts that keep what was typed (C1), the history
page (AU1), and a detail page whose query count does not grow with the activities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import CompletionStatus
from core.models import Notification
from goals import services
from goals.models import GoalClosureRequest, GoalNote, Readiness
from tests.factories import TAActivityFactory
from tests.goals import helpers
from tests.goals.helpers import _edit_data, _errors

pytestmark = pytest.mark.django_db

goal = helpers.page_goal


# ----------------------------------------------------------------------------------- G4


def test_g4_request_closure_with_reason(client, goal, sss, admin):
    client.force_login(sss)
    url = reverse("goals:request_closure", args=[goal.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert _errors(response, "reason")
    assert GoalClosureRequest.objects.count() == 0
    response = client.post(url, {"reason": "All TA activities complete."})
    assert response.status_code == 302
    request = GoalClosureRequest.objects.get()
    assert (request.goal, request.requested_by, request.status) == (
        goal,
        sss,
        GoalClosureRequest.Status.PENDING,
    )
    assert Notification.objects.filter(recipient=admin).exists()


def test_g4_admin_close_refused_with_list_of_open_activities(client, goal, admin, closure_request):
    activity = TAActivityFactory(strategic_area=goal.strategic_areas.get())
    client.force_login(admin)
    url = reverse("goals:close", args=[goal.pk])
    html = client.get(url).content.decode()
    assert activity.record_number in html  # warned before trying
    response = client.post(
        url, {"note": "Closing.", "closure_request": closure_request.pk, "version": goal.version}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The goal was not closed" in html
    assert reverse("activities:detail", args=[activity.pk]) in html
    goal.refresh_from_db()
    assert goal.is_open
    closure_request.refresh_from_db()
    assert closure_request.status == GoalClosureRequest.Status.PENDING
    assert goal.notes.count() == 0


def test_g4_admin_close_needs_the_note(client, goal, admin):
    client.force_login(admin)
    response = client.post(reverse("goals:close", args=[goal.pk]), {"note": ""})
    assert response.status_code == 200
    assert _errors(response, "note")
    goal.refresh_from_db()
    assert goal.is_open


def test_g4_admin_closes_goal_after_activities_closed(client, goal, admin, closure_request):
    TAActivityFactory(
        strategic_area=goal.strategic_areas.get(),
        completion_status=CompletionStatus.CLOSED,
        completion_date=timezone.localdate(),
        outcome_report="Done.",
    )
    client.force_login(admin)
    response = client.post(
        reverse("goals:close", args=[goal.pk]),
        {
            "note": "All TA activities complete. No further TA requested.",
            "closure_request": closure_request.pk,
            "version": goal.version,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert not goal.is_open
    assert goal.closed_by == admin
    assert goal.notes.get().kind == GoalNote.Kind.COMPLETION
    closure_request.refresh_from_db()
    assert closure_request.status == GoalClosureRequest.Status.APPROVED
    queue = client.get(reverse("goals:closure_queue")).content.decode()
    assert "No closure requests are waiting." in queue


def test_g4_admin_declines_request_with_reason(client, goal, admin, sss, closure_request):
    client.force_login(admin)
    url = reverse("goals:decline_closure", args=[closure_request.pk])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert _errors(response, "note")
    response = client.post(url, {"note": "Two activities are still being delivered."})
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:closure_queue")
    closure_request.refresh_from_db()
    assert closure_request.status == GoalClosureRequest.Status.DECLINED
    assert Notification.objects.filter(recipient=sss, message__contains="Declined").exists()


def test_g4_admin_reopens_closed_goal(client, closed_goal, admin):
    client.force_login(admin)
    response = client.post(
        reverse("goals:reopen", args=[closed_goal.pk]),
        {"reason": "State resumed the work.", "version": closed_goal.version},
    )
    assert response.status_code == 302
    closed_goal.refresh_from_db()
    assert closed_goal.is_open


# ----------------------------------------------------------------------------------- C1


def test_c1_conflict_keeps_typed_values_shows_their_changes_and_their_version(
    client, goal, sss, admin
):
    opened_version = goal.version
    services.goal_update(
        actor=admin, goal=goal, expected_version=opened_version, readiness=Readiness.LEAST
    )
    client.force_login(sss)
    mine = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "version": str(opened_version),
            "start_date": mine,
            "readiness": Readiness.MOST,
            "category": str(goal.category_id),
            "related_category": "",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this goal while you were editing" in html
    # What changed since the version they opened, and by whom (core.history.changes_since).
    [entry] = response.context["changes"]
    assert entry.who == admin
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Readiness to implement", "Somewhat ready", "Least ready")
    ]
    assert admin.full_name in html
    assert "“Somewhat ready” → “Least ready”" in html
    form = response.context["form"]
    assert form["start_date"].value() == mine  # what they typed is kept
    assert form["readiness"].value() == Readiness.MOST
    assert form["version"].value() == "2"  # saving again is a deliberate overwrite
    assert "Use their version" in html
    assert f'href="{reverse("goals:edit", args=[goal.pk])}"' in html
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.LEAST, 2)  # theirs stands

    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {**_edit_data(goal), "start_date": mine, "readiness": Readiness.MOST},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.readiness == Readiness.MOST


def test_c1_strategic_area_notes_conflict_shows_theirs_and_keeps_mine(client, goal, sss, admin):
    area = goal.strategic_areas.get()
    services.strategic_area_update_notes(
        actor=admin, strategic_area=area, notes="Admin's wording.", expected_version=area.version
    )
    client.force_login(sss)
    response = client.post(
        reverse("goals:edit_strategic_area", args=[area.pk]),
        {"notes": "My wording.", "version": "1"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Admin&#x27;s wording." in html
    assert "My wording." in html
    assert response.context["form"]["version"].value() == "2"
    area.refresh_from_db()
    assert area.notes == "Admin's wording."


# ---------------------------------------------------------------------------------- AU1


def test_au1_history_shows_who_when_and_old_to_new(client, goal, sss, admin, items):
    services.goal_update(
        actor=admin, goal=goal, expected_version=goal.version, readiness=Readiness.MOST
    )
    services.strategic_area_add(actor=sss, goal=goal, item=items[1], notes="Study.")
    client.force_login(sss)
    response = client.get(reverse("goals:history", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada Admin" in html and "Sam Specialist" in html
    assert '<th scope="row">Readiness to implement</th>' in html
    assert "Somewhat ready" in html and "Most ready" in html
    assert "Evaluating program quality" in html
    assert timezone.localdate().strftime("%m/%d/%Y") in html


def test_goal_detail_query_count_does_not_grow_with_activities(
    client, goal, sss, django_assert_max_num_queries
):
    client.force_login(sss)
    url = reverse("goals:detail", args=[goal.pk])
    area = goal.strategic_areas.get()
    TAActivityFactory(strategic_area=area)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        TAActivityFactory(strategic_area=area)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
