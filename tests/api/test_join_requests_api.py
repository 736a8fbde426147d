"""Requests to join in the API (A16, issue #12 door 1; issue #11): the pages' services, so
the API and the pages agree on who may ask, who answers and why a request is refused; each
refusal in the one error shape, changing nothing; each operation documents its answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from activities.models import JoinRequest, TAActivity
from activities.services import activity_close, join_requests
from core.models import Notification
from tests.api.conftest import assert_error_shape
from tests.factories import CenterFactory, UserFactory
from tests.factories_activities import create_activity, make_trackable, today

pytestmark = pytest.mark.django_db

NOTE = "We run the State's QRIS workgroup."


@pytest.fixture
def outsider(world):
    """TA staff of a center that takes no part in the activity."""
    return UserFactory(full_name="Ursula Uninvolved", center=CenterFactory(code="XYZ"))


@pytest.fixture
def lone_activity(world):
    """Goal-driven, no collaborating center or staff: only the primary center takes part."""
    return create_activity(world, collaborating_centers=[], collaborating_staff=[])


def _ask_url(activity) -> str:
    return f"/activities/{activity.pk}/join-requests"


def _ask(api_as, person, activity, note: str = NOTE):
    return api_as(person).post(_ask_url(activity), {"note": note})


def _asked(outsider, activity) -> JoinRequest:
    return join_requests.join_request_create(actor=outsider, activity=activity, note=NOTE)


# --- asking ----------------------------------------------------------------------------------


def test_a16_door1_outsider_asks_201_and_primary_staff_is_told(
    world, outsider, lone_activity, api_as
):
    version = lone_activity.version
    response = _ask(api_as, outsider, lone_activity)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["activity"] == lone_activity.pk
    assert body["requested_by"] == {
        "id": outsider.pk,
        "full_name": "Ursula Uninvolved",
        "center": outsider.center_id,
    }
    assert body["note"] == NOTE and body["decided_by"] is None
    lone_activity.refresh_from_db()
    assert lone_activity.version == version  # nothing granted yet
    assert not lone_activity.collaborating_staff.exists()
    notice = Notification.objects.get(recipient=world.primary)
    assert "Ursula Uninvolved asks to join" in notice.message


def test_a16_door1_on_demand_activity_takes_no_request(world, outsider, api_as):
    on_demand = create_activity(world, strategic_area=None, jurisdiction=world.jurisdiction)
    assert_error_shape(_ask(api_as, outsider, on_demand), 400, "strategic_area")
    assert not JoinRequest.objects.exists()


def test_a16_door1_closed_activity_takes_no_request(world, outsider, api_as):
    closed = make_trackable(world, create_activity(world))
    activity_close(
        actor=world.primary, activity=closed, completion_date=today(), outcome_report="Done."
    )
    assert_error_shape(_ask(api_as, outsider, closed), 400, "completion_status")
    assert not JoinRequest.objects.exists()


def test_a16_door1_a_second_waiting_request_is_refused(world, outsider, lone_activity, api_as):
    assert _ask(api_as, outsider, lone_activity).status_code == 201
    body = assert_error_shape(_ask(api_as, outsider, lone_activity), 400, "__all__")
    assert body["errors"]["__all__"] == [join_requests.JOIN_REQUEST_PENDING]
    assert JoinRequest.objects.count() == 1


def test_a16_door1_those_taking_part_or_joining_directly_are_told_why(world, lone_activity, api_as):
    taking_part = assert_error_shape(_ask(api_as, world.primary, lone_activity), 400, "__all__")
    assert "already take part" in taking_part["detail"]
    for direct in (world.sss, world.lead):  # the State's SSS; the primary center's lead
        body = assert_error_shape(_ask(api_as, direct, lone_activity), 400, "__all__")
        assert body["errors"]["__all__"] == [join_requests.JOIN_DIRECTLY]
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("who", ["federal", "admin"])
def test_a16_door1_federal_viewers_and_admins_do_not_ask(world, lone_activity, api_as, who):
    assert_error_shape(_ask(api_as, getattr(world, who), lone_activity), 403)
    assert not JoinRequest.objects.exists()


def test_a16_door1_anonymous_401_unknown_activity_404_unknown_field_422(
    world, outsider, lone_activity, api_as
):
    assert_error_shape(_ask(api_as, None, lone_activity), 401)
    assert_error_shape(api_as(outsider).post("/activities/999999/join-requests", {}), 404)
    response = api_as(outsider).post(_ask_url(lone_activity), {"note": "x", "as_admin": True})
    assert_error_shape(response, 422, "as_admin")
    assert not JoinRequest.objects.exists()


def test_a16_door1_the_api_and_the_page_give_the_same_refusal(world, lone_activity, api_as):
    """One service decides: the page shows the very sentence the API answers."""
    client = Client()
    client.force_login(world.sss)
    page = client.get(reverse("activities:join_request", args=[lone_activity.pk]))
    api = _ask(api_as, world.sss, lone_activity).json()
    assert api["detail"] == join_requests.JOIN_DIRECTLY
    assert page.status_code == 200
    assert join_requests.JOIN_DIRECTLY in page.content.decode()


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_staff", "federal", "sss", "primary"])
def test_a16_door1_anyone_signed_in_reads_the_requests(world, outsider, lone_activity, api_as, who):
    asked = _asked(outsider, lone_activity)
    response = api_as(getattr(world, who)).get(_ask_url(lone_activity))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["pages"] == 1
    assert [row["id"] for row in body["results"]] == [asked.pk]


def test_a16_door1_requests_are_paged_newest_first(world, lone_activity, api_as):
    asked = [
        _asked(UserFactory(center=CenterFactory(code=f"C{n}")), lone_activity) for n in range(3)
    ]
    client = api_as(world.primary)
    first = client.get(_ask_url(lone_activity), {"page_size": 2}).json()
    assert first["count"] == 3 and first["pages"] == 2
    assert [row["id"] for row in first["results"]] == [asked[2].pk, asked[1].pk]
    assert_error_shape(client.get(_ask_url(lone_activity), {"page_size": 101}), 422, "page_size")
    assert_error_shape(client.get(_ask_url(lone_activity), {"page": 3}), 404)
    assert_error_shape(api_as(None).get(_ask_url(lone_activity)), 401)


def test_a16_door1_list_query_count_does_not_grow(
    world, lone_activity, api_as, django_assert_max_num_queries
):
    for n in range(5):
        _asked(UserFactory(center=CenterFactory(code=f"Q{n}")), lone_activity)
    client = api_as(world.primary)
    client.get(_ask_url(lone_activity))  # warm the token's last-used time
    with django_assert_max_num_queries(20) as few:
        client.get(_ask_url(lone_activity))
    for n in range(5, 15):
        _asked(UserFactory(center=CenterFactory(code=f"Q{n}")), lone_activity)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_ask_url(lone_activity)).json()["count"] == 15


# --- answering ---------------------------------------------------------------------------------


def _accept(api_as, person, asked, **body):
    return api_as(person).post(f"/activities/join-requests/{asked.pk}/accept", body)


def _decline(api_as, person, asked, **body):
    return api_as(person).post(f"/activities/join-requests/{asked.pk}/decline", body)


def test_a16_door1_primary_staff_accepts(world, outsider, lone_activity, api_as):
    asked = _asked(outsider, lone_activity)
    version = lone_activity.version
    response = _accept(api_as, world.primary, asked, decision_note="Welcome.")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "accepted" and body["decision_note"] == "Welcome."
    assert body["decided_by"]["id"] == world.primary.pk and body["decided_at"]
    lone_activity.refresh_from_db()
    assert list(lone_activity.collaborating_staff.all()) == [outsider]
    assert list(lone_activity.collaborating_centers.all()) == [outsider.center]
    assert lone_activity.version == version + 1  # C1: the activity changed
    assert Notification.objects.filter(recipient=outsider, message__contains="accepted").exists()
    assert Notification.objects.filter(recipient=world.sss, message__contains="joined").exists()
    # Now taking part, the asker edits the activity through the API like its staff.
    edit = api_as(outsider).patch(
        f"/activities/{lone_activity.pk}", {"priority": "low", "version": version + 1}
    )
    assert edit.status_code == 200, edit.json()


def test_a16_door1_an_answered_request_is_not_answered_again(
    world, outsider, lone_activity, api_as
):
    asked = _asked(outsider, lone_activity)
    assert _accept(api_as, world.primary, asked).status_code == 200
    version = TAActivity.objects.get(pk=lone_activity.pk).version
    for answer in (_accept, _decline):
        body = assert_error_shape(
            answer(api_as, world.admin, asked, decision_note="Again."), 400, "__all__"
        )
        assert "already answered" in body["detail"]
    assert TAActivity.objects.get(pk=lone_activity.pk).version == version


def test_a16_door1_admin_answers_too(world, outsider, lone_activity, api_as):
    asked = _asked(outsider, lone_activity)
    assert _accept(api_as, world.admin, asked).status_code == 200
    assert lone_activity.collaborating_staff.filter(pk=outsider.pk).exists()


@pytest.mark.parametrize("who", ["collaborator", "sss", "lead", "federal", "outsider"])
def test_a16_door1_only_primary_staff_or_admin_answers(world, outsider, lone_activity, api_as, who):
    asked = _asked(outsider, lone_activity)
    person = outsider if who == "outsider" else getattr(world, who)
    assert_error_shape(_accept(api_as, person, asked), 403)
    assert_error_shape(_decline(api_as, person, asked, decision_note="No."), 403)
    asked.refresh_from_db()
    assert asked.status == JoinRequest.Status.PENDING
    assert not lone_activity.collaborating_staff.exists()


def test_a16_door1_declining_says_why(world, outsider, lone_activity, api_as):
    asked = _asked(outsider, lone_activity)
    assert_error_shape(_decline(api_as, world.primary, asked), 422, "decision_note")
    assert_error_shape(
        _decline(api_as, world.primary, asked, decision_note=" "), 400, "decision_note"
    )
    asked.refresh_from_db()
    assert asked.status == JoinRequest.Status.PENDING
    response = _decline(api_as, world.primary, asked, decision_note="No role for a second center.")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "declined"
    assert not lone_activity.collaborating_staff.exists()
    told = Notification.objects.get(recipient=outsider)
    assert "declined your request" in told.message


def test_a16_door1_closed_activity_request_cannot_be_accepted(world, outsider, api_as):
    activity = make_trackable(world, create_activity(world))
    asked = _asked(outsider, activity)
    activity_close(
        actor=world.primary, activity=activity, completion_date=today(), outcome_report="Done."
    )
    assert_error_shape(_accept(api_as, world.primary, asked), 400, "completion_status")
    asked.refresh_from_db()
    assert asked.status == JoinRequest.Status.PENDING


def test_a16_door1_unknown_request_404_anonymous_401(world, outsider, lone_activity, api_as):
    asked = _asked(outsider, lone_activity)
    assert_error_shape(api_as(world.primary).post("/activities/join-requests/999999/accept"), 404)
    assert_error_shape(_accept(api_as, None, asked), 401)
    assert_error_shape(_decline(api_as, None, asked, decision_note="No."), 401)


def test_a16_door1_the_service_refusal_is_the_api_answer(world, outsider, lone_activity, api_as):
    """No copy of the rule in the API: what `join_request_check` refuses, the API refuses
    with the same messages at the same fields."""
    for person in (world.primary, world.sss, world.lead, outsider):
        try:
            join_requests.join_request_check(actor=person, activity=lone_activity)
        except ValidationError as refused:
            errors = _ask(api_as, person, lone_activity).json()["errors"]
            assert errors == refused.message_dict  # NON_FIELD_ERRORS is "__all__" in both
        else:
            assert _ask(api_as, person, lone_activity).status_code == 201


# --- the OpenAPI document -----------------------------------------------------------------------


JOIN_OPERATIONS = {
    ("/api/v1/activities/{pk}/join-requests", "get"): {"200", "401", "403", "404", "422", "429"},
    ("/api/v1/activities/{pk}/join-requests", "post"): {
        "201",
        "400",
        "401",
        "403",
        "404",
        "413",
        "415",
        "422",
        "429",
    },
    ("/api/v1/activities/join-requests/{pk}/accept", "post"): {
        "200",
        "400",
        "401",
        "403",
        "404",
        "413",
        "415",
        "422",
        "429",
    },
    ("/api/v1/activities/join-requests/{pk}/decline", "post"): {
        "200",
        "400",
        "401",
        "403",
        "404",
        "413",
        "415",
        "422",
        "429",
    },
}


def test_a16_door1_openapi_lists_every_answer(world, api_as):
    paths = api_as(world.federal).get("/openapi.json").json()["paths"]
    for (path, method), statuses in JOIN_OPERATIONS.items():
        assert set(paths[path][method]["responses"]) == statuses, (path, method)


def test_schema_names_are_unique_across_routers():
    """The OpenAPI document names each body and answer by its class name: two routers'
    classes of one name would share one description (the goals' `DeclineIn` once documented
    the join request's `decision_note`)."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import api.routers

    modules = ["api.schemas", "api.errors"] + [
        f"api.routers.{info.name}" for info in pkgutil.iter_modules(api.routers.__path__)
    ]
    seen: dict[str, str] = {}
    clashes = []
    for name in modules:
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, Schema):
                continue
            if cls_name in seen:
                clashes.append(f"{cls_name}: {seen[cls_name]} and {name}")
            seen[cls_name] = name
    assert not clashes, clashes


def test_goal_closure_decline_keeps_its_own_body(world, api_as):
    paths = api_as(world.federal).get("/openapi.json").json()
    body = paths["paths"]["/api/v1/goals/closure-requests/{pk}/decline"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(paths["components"]["schemas"][ref]["properties"]) == {"note"}
