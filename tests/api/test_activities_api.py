"""The activities API (A1–A16, C1, AU1) on the same services as the pages: a whole life,
each refusal in the one error shape, and the permission ladder."""

from __future__ import annotations

import datetime as dt

import pytest

from activities.models import TAActivity
from tests.api.conftest import assert_error_shape
from tests.factories_activities import create_activity, make_trackable, today

pytestmark = pytest.mark.django_db


def _create_body(world, **overrides):
    body = {
        "strategic_area": world.strategic_area.pk,
        "focus": world.focus.pk,
        "priority": "high",
        "activity_type": "targeted",
        "requesters": [world.requester.pk],
        "primary_center": world.center.pk,
        "primary_staff": world.primary.pk,
        "outcome_plan": "State will publish revised QRIS standards.",
        "requested_by_ccdf_administrator": True,
        "join_existing_confirmed": True,
        "date_opened": str(today()),
    }
    body.update(overrides)
    return body


def test_a1_a8_create_read_and_etag(world, api_as):
    client = api_as(world.primary)
    response = client.post("/activities", _create_body(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planning" and body["jurisdiction"] == "GA"
    assert response["ETag"] == f'"{body["version"]}"'
    detail = client.get(f"/activities/{body['id']}")
    assert detail.status_code == 200 and detail["ETag"] == response["ETag"]


def test_a8_outcome_plan_required_names_the_field(world, api_as):
    response = api_as(world.primary).post("/activities", _create_body(world, outcome_plan=""))
    assert_error_shape(response, 400, "outcome_plan")
    assert not TAActivity.objects.exists()


def test_on_demand_activity_with_jurisdiction(world, api_as):
    body = _create_body(world, strategic_area=None, jurisdiction="GA")
    response = api_as(world.primary).post("/activities", body)
    assert response.status_code == 201, response.json()
    assert response.json()["goal_driven"] is False


def test_whole_life_plan_approve_summary_feedback_close(world, api_as):
    staff = api_as(world.primary)
    pk = staff.post("/activities", _create_body(world)).json()["id"]
    assert (
        staff.post(f"/activities/{pk}/plan-notes", {"stage": "final", "text": "Plan"}).status_code
        == 201
    )
    version = staff.get(f"/activities/{pk}").json()["version"]
    approve = {
        "status": "approved",
        "cor_name": "Dana Whitfield",
        "cor_approval_date": str(today()),
        "version": version,
    }
    response = staff.post(f"/activities/{pk}/status", approve)
    assert response.status_code == 200, response.json()
    assert response.json()["tracking_available"] is True
    summary = {
        "delivery_date": str(today()),
        "text": "Delivered.",
        "delivery_methods": [world.method.pk],
        "ta_types": [world.ta_type.pk],
    }
    assert staff.post(f"/activities/{pk}/summaries", summary).status_code == 201
    feedback = {
        "feedback_date": str(today()),
        "giver_name": "Rita",
        "giver_title": "CCDF",
        "text": "Helpful.",
    }
    assert staff.post(f"/activities/{pk}/feedback", feedback).status_code == 201
    assert staff.post(f"/activities/{pk}/response-notes", {"text": "Sent it."}).status_code == 201
    etag = staff.get(f"/activities/{pk}")["ETag"]
    response = staff.post(
        f"/activities/{pk}/close",
        {"completion_date": str(today()), "outcome_report": "Standards published."},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["completion_status"] == "closed"
    history = staff.get(f"/activities/{pk}/history").json()
    assert history and {"who", "action", "changes"} <= set(history[0])


def test_a9_summary_refused_without_tracking(world, api_as):
    activity = create_activity(world)
    body = {"delivery_date": str(today()), "text": "Delivered."}
    response = api_as(world.primary).post(f"/activities/{activity.pk}/summaries", body)
    assert_error_shape(response, 400)


def test_a12_cancel_refused_after_delivery_and_a13_reopen(world, api_as):
    from tests.factories_activities import add_summary

    activity = make_trackable(world, create_activity(world))
    add_summary(world, activity)
    client = api_as(world.primary)
    version = client.get(f"/activities/{activity.pk}").json()["version"]
    response = client.post(
        f"/activities/{activity.pk}/cancel", {"reason": "No", "version": version}
    )
    assert_error_shape(response, 400, "completion_status")


def test_c1_update_needs_a_version_428(world, api_as):
    activity = create_activity(world)
    response = api_as(world.primary).patch(f"/activities/{activity.pk}", {"priority": "low"})
    assert_error_shape(response, 428)


def test_c1_stale_version_409_and_stale_if_match_412_change_nothing(world, api_as):
    activity = create_activity(world)
    client = api_as(world.primary)
    stale = activity.version
    assert (
        client.patch(
            f"/activities/{activity.pk}", {"priority": "medium", "version": stale}
        ).status_code
        == 200
    )
    body = assert_error_shape(
        client.patch(f"/activities/{activity.pk}", {"priority": "low", "version": stale}),
        409,
        "version",
    )
    assert body["current_version"] == stale + 1
    response = client.patch(
        f"/activities/{activity.pk}", {"priority": "low"}, HTTP_IF_MATCH=f'"{stale}"'
    )
    assert_error_shape(response, 412, "version")
    activity.refresh_from_db()
    assert activity.priority == "medium"


def test_permission_outsider_cannot_edit_403_and_nothing_changes(world, api_as):
    activity = create_activity(world)
    response = api_as(world.other_staff).patch(
        f"/activities/{activity.pk}", {"priority": "low", "version": activity.version}
    )
    body = assert_error_shape(response, 403)
    assert "primary or collaborating staff" in body["detail"]
    activity.refresh_from_db()
    assert activity.priority == "high"


def test_a7_federal_viewer_may_approve_but_not_edit(world, api_as):
    activity = create_activity(world)
    client = api_as(world.federal)
    client_staff = api_as(world.primary)
    client_staff.post(f"/activities/{activity.pk}/plan-notes", {"stage": "final", "text": "P"})
    version = client.get(f"/activities/{activity.pk}").json()["version"]
    edit = client.patch(f"/activities/{activity.pk}", {"priority": "low", "version": version})
    assert_error_shape(edit, 403)
    approve = client.post(
        f"/activities/{activity.pk}/status",
        {
            "status": "approved",
            "cor_name": "Dana",
            "cor_approval_date": str(today()),
            "version": version,
        },
    )
    assert approve.status_code == 200, approve.json()


def test_a16_join(world, api_as):
    activity = create_activity(world, collaborating_staff=[], collaborating_centers=[])
    response = api_as(world.sss).post(f"/activities/{activity.pk}/join", {})
    assert response.status_code == 200, response.json()
    assert world.sss.pk in response.json()["collaborating_staff"]
    assert_error_shape(api_as(world.federal).post(f"/activities/{activity.pk}/join", {}), 403)


def test_unknown_ids_404_and_unknown_related_ids_name_the_field(world, api_as):
    client = api_as(world.primary)
    assert_error_shape(client.get("/activities/999999"), 404)
    assert_error_shape(client.get("/activities/99999999999999999999"), 404)
    response = client.post("/activities", _create_body(world, requesters=[999999]))
    assert_error_shape(response, 400, "requesters")


def test_note_update_by_author_only(world, api_as):
    activity = create_activity(world)
    note = (
        api_as(world.primary)
        .post(f"/activities/{activity.pk}/response-notes", {"text": "First"})
        .json()
    )
    body = {"text": "Changed", "version": note["version"]}
    assert_error_shape(
        api_as(world.collaborator).patch(f"/activity-notes/response/{note['id']}", body), 403
    )
    response = api_as(world.primary).patch(f"/activity-notes/response/{note['id']}", body)
    assert response.status_code == 200 and response.json()["text"] == "Changed"


def test_my_activities_list_is_paginated_with_a_hard_maximum(world, api_as):
    create_activity(world)
    client = api_as(world.primary)
    body = client.get("/activities", {"page_size": 100}).json()
    assert body["count"] == 1 and body["results"][0]["record_number"]
    assert_error_shape(client.get("/activities", {"page_size": 101}), 422, "page_size")
    assert_error_shape(client.get("/activities", {"page": 5}), 404)


def test_late_entry_flag_a2(world, api_as):
    old = today() - dt.timedelta(days=30)
    body = api_as(world.primary).post("/activities", _create_body(world, date_opened=str(old)))
    assert body.json()["is_late_entry"] is True
