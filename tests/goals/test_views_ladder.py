"""Goal pages, the permission ladder: every page that changes data refuses anonymous
visitors, federal viewers, staff and SSSs of other States and non-admins where only admins
may act, wrong HTTP methods and unknown goals, while anyone signed in reads a goal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goals import services
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
from tests.goals import helpers
from tests.goals.helpers import LOGIN, _create_url

pytestmark = pytest.mark.django_db

goal = helpers.page_goal


# ------------------------------------------------------------- the permission ladder

# (name, how to build the URL, the POST data that succeeds, who may)
PAGES = {
    "create": "goals:create",
    "edit": "goals:edit",
    "add_strategic_area": "goals:add_strategic_area",
    "edit_strategic_area": "goals:edit_strategic_area",
    "remove_strategic_area": "goals:remove_strategic_area",
    "add_note": "goals:add_note",
    "request_closure": "goals:request_closure",
    "close": "goals:close",
    "decline_closure": "goals:decline_closure",
    "reopen": "goals:reopen",
}


def _page_url(page: str, goal: Goal) -> str:
    if page == "create":
        return _create_url()
    if page in ("edit_strategic_area", "remove_strategic_area"):
        return reverse(PAGES[page], args=[goal.strategic_areas.order_by("pk").first().pk])
    if page == "decline_closure":
        request = goal.closure_requests.get(status=GoalClosureRequest.Status.PENDING)
        return reverse(PAGES[page], args=[request.pk])
    return reverse(PAGES[page], args=[goal.pk])


@pytest.fixture
def ladder_goal(goal, items, sss):
    """A goal with two strategic areas (one may be removed) and a pending closure request."""
    services.strategic_area_add(actor=sss, goal=goal, item=items[1])
    services.goal_request_closure(actor=sss, goal=goal, reason="Done.")
    return goal


@pytest.mark.parametrize("page", list(PAGES))
def test_ladder_anonymous_is_sent_to_sign_in(client, ladder_goal, page):
    url = _page_url(page, ladder_goal)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


@pytest.mark.parametrize("page", list(PAGES))
def test_ladder_read_only_federal_viewer_gets_403(client, ladder_goal, viewer, page):
    client.force_login(viewer)
    url = _page_url(page, ladder_goal)
    before = Goal.history.count(), StrategicArea.history.count(), GoalNote.objects.count()
    if page != "remove_strategic_area":
        assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "note": "x", "text": "x"}).status_code == 403
    assert (Goal.history.count(), StrategicArea.history.count(), GoalNote.objects.count()) == (
        before
    )


@pytest.mark.parametrize(
    "page",
    ["edit", "add_strategic_area", "edit_strategic_area", "remove_strategic_area", "add_note"],
)
def test_ladder_staff_who_is_not_the_states_sss_may_not_edit_goal(client, ladder_goal, staff, page):
    client.force_login(staff)
    assert client.post(_page_url(page, ladder_goal), {"text": "x"}).status_code == 403


def test_ladder_sss_of_another_state_may_not_edit(client, goal, other_sss):
    client.force_login(other_sss)
    assert client.get(reverse("goals:edit", args=[goal.pk])).status_code == 403
    assert client.get(reverse("goals:request_closure", args=[goal.pk])).status_code == 403


@pytest.mark.parametrize("page", ["close", "decline_closure", "reopen"])
def test_g4_non_admin_closing_or_deciding_gets_403(client, ladder_goal, sss, page):
    client.force_login(sss)
    url = _page_url(page, ladder_goal)
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "Closing.", "reason": "x"}).status_code == 403
    ladder_goal.refresh_from_db()
    assert ladder_goal.is_open


def test_g4_closure_queue_is_for_admins_only(client, sss, viewer, admin, closure_request):
    url = reverse("goals:closure_queue")
    assert client.get(url).status_code == 302
    for person in (sss, viewer):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "No further TA requested." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("goals:create", "put"),
        ("goals:edit", "delete"),
        ("goals:detail", "post"),
        ("goals:history", "post"),
        ("goals:closure_queue", "post"),
        ("goals:remove_strategic_area", "get"),
        ("goals:strategic_area_options", "post"),
        ("goals:close", "patch"),
    ],
)
def test_ladder_wrong_http_method_gets_405(client, goal, admin, name, method):
    client.force_login(admin)
    if name in ("goals:create", "goals:closure_queue", "goals:strategic_area_options"):
        url = reverse(name)
    elif name == "goals:remove_strategic_area":
        url = reverse(name, args=[goal.strategic_areas.first().pk])
    else:
        url = reverse(name, args=[goal.pk])
    assert getattr(client, method)(url).status_code == 405


def test_ladder_unknown_goal_and_unknown_state_are_404(client, sss):
    client.force_login(sss)
    assert client.get(reverse("goals:detail", args=[999])).status_code == 404
    assert client.get(reverse("goals:edit", args=[999])).status_code == 404
    assert client.get(_create_url("ZZ")).status_code == 404
    assert client.get(reverse("goals:create")).status_code == 404


def test_every_signed_in_person_reads_goal_detail_and_history(client, goal, viewer):
    client.force_login(viewer)
    response = client.get(reverse("goals:detail", args=[goal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiered QRIS" in html
    assert "Edit goal" not in html  # buttons only for those who may
    assert "Request closure" not in html
    assert client.get(reverse("goals:history", args=[goal.pk])).status_code == 200
