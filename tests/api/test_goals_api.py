"""The goals API (G1–G4, C1, AU1): the goal services behind it, their refusals in the one
error shape, and who may do what (the page tests' personas)."""

from __future__ import annotations

import pytest

from goals.models import Goal
from tests.api.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal_body(state, category, items):
    return {
        "jurisdiction": state.code,
        "category": category.pk,
        "readiness": "somewhat",
        "strategic_areas": [{"item": items[0].pk, "notes": "Start here"}],
    }


def test_g1_g3_sss_creates_a_goal_and_reads_it_with_etag(sss, goal_body, api_as):
    client = api_as(sss)
    response = client.post("/goals", goal_body)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["strategic_areas"][0]["notes"] == "Start here"
    detail = client.get(f"/goals/{body['id']}")
    assert detail["ETag"] == f'"{body["version"]}"'


def test_g1_strategic_areas_required(sss, goal_body, api_as):
    response = api_as(sss).post("/goals", {**goal_body, "strategic_areas": []})
    assert_error_shape(response, 400, "strategic_areas")


def test_g2_second_open_goal_in_category_refused_unless_confirmed(sss, goal_body, api_as):
    client = api_as(sss)
    assert client.post("/goals", goal_body).status_code == 201
    assert_error_shape(client.post("/goals", goal_body), 400, "category")
    confirmed = client.post("/goals", {**goal_body, "confirm_duplicate_category": True})
    assert confirmed.status_code == 201
    assert Goal.objects.count() == 2


def test_g3_other_states_sss_cannot_edit(sss, other_sss, goal_body, api_as):
    goal = api_as(sss).post("/goals", goal_body).json()
    response = api_as(other_sss).patch(
        f"/goals/{goal['id']}", {"readiness": "most", "version": goal["version"]}
    )
    assert_error_shape(response, 403)
    response = api_as(sss).patch(
        f"/goals/{goal['id']}", {"readiness": "most", "version": goal["version"]}
    )
    assert response.status_code == 200 and response.json()["readiness"] == "most"


def test_g3_staff_may_add_but_not_edit(staff, goal_body, api_as):
    client = api_as(staff)
    goal = client.post("/goals", goal_body).json()
    response = client.patch(f"/goals/{goal['id']}", {"readiness": "most", "version": 0})
    assert_error_shape(response, 403)


def test_c1_goal_stale_if_match_412(sss, goal_body, api_as):
    client = api_as(sss)
    goal = client.post("/goals", goal_body).json()
    etag = f'"{goal["version"]}"'
    ok = client.patch(f"/goals/{goal['id']}", {"readiness": "most"}, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.json()
    stale = client.patch(f"/goals/{goal['id']}", {"readiness": "least"}, HTTP_IF_MATCH=etag)
    assert_error_shape(stale, 412, "version")
    assert client.get(f"/goals/{goal['id']}").json()["readiness"] == "most"


def test_g1_strategic_areas_notes_and_history(sss, goal_body, items, api_as):
    client = api_as(sss)
    goal = client.post("/goals", goal_body).json()
    added = client.post(
        f"/goals/{goal['id']}/strategic-areas", {"strategic_areas": [{"item": items[1].pk}]}
    )
    assert added.status_code == 201, added.json()
    note = client.post(f"/goals/{goal['id']}/notes", {"text": "Kick-off held."})
    assert note.status_code == 201
    area = added.json()[0]
    removed = client.delete(f"/goals/strategic-areas/{area['id']}?version={area['version']}")
    assert removed.status_code == 204
    history = client.get(f"/goals/{goal['id']}/history").json()
    assert any(entry["action"] == "deleted" for entry in history)


def test_g4_closure_request_admin_close_and_reopen(sss, admin, goal_body, api_as):
    goal = api_as(sss).post("/goals", goal_body).json()
    request = api_as(sss).post(f"/goals/{goal['id']}/closure-requests", {"reason": "Met."})
    assert request.status_code == 201
    refused = api_as(sss).post(f"/goals/{goal['id']}/close", {"note": "Done", "version": 0})
    assert_error_shape(refused, 403)
    admin_client = api_as(admin)
    closed = admin_client.post(
        f"/goals/{goal['id']}/close", {"note": "Done", "version": goal["version"]}
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"
    reopened = admin_client.post(
        f"/goals/{goal['id']}/reopen", {"reason": "More to do", "version": closed.json()["version"]}
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


def test_g4_close_refused_while_activities_open(world, activity, api_as):
    goal = world.goal
    response = api_as(world.admin).post(
        f"/goals/{goal.pk}/close", {"note": "Done", "version": goal.version}
    )
    assert_error_shape(response, 400, "__all__")


def test_goal_list_filters_and_pages(sss, goal_body, api_as):
    client = api_as(sss)
    client.post("/goals", goal_body)
    body = client.get("/goals", {"jurisdiction": goal_body["jurisdiction"]}).json()
    assert body["count"] == 1 and body["pages"] == 1
    assert_error_shape(client.get("/goals", {"jurisdiction": "ZZ"}), 404)


def test_goal_list_query_count_does_not_grow(
    sss, goal_body, items, other_category, api_as, django_assert_max_num_queries
):
    client = api_as(sss)
    client.post("/goals", goal_body)
    with django_assert_max_num_queries(12):
        client.get("/goals")
    for _ in range(4):
        client.post("/goals", {**goal_body, "confirm_duplicate_category": True})
    with django_assert_max_num_queries(12):
        assert client.get("/goals").json()["count"] == 5
