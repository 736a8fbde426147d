"""Issue #12, door 1 (rule A16): a join *request*. Someone whose center takes no part in an
activity may not join it directly (joining gives edit rights); they ask, and the activity's
primary staff person (or an administrator) accepts — they become collaborating staff, their
center a collaborating center — or declines, saying why. Everyone concerned is told, and the
request and its answer keep their history."""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from activities.models import JoinRequest
from activities.services import activity_close, join_requests
from activities.services.messages import ActivityReadOnly
from core.models import Notification
from tests.factories import CenterFactory, UserFactory
from tests.factories_activities import create_activity, make_trackable, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(world):
    """TA staff of a center that takes no part in the activity."""
    return UserFactory(full_name="Ursula Uninvolved", center=CenterFactory(code="XYZ"))


@pytest.fixture
def lone_activity(world):
    """Goal-driven, no collaborating center or staff: only the primary center takes part."""
    return create_activity(world, collaborating_centers=[], collaborating_staff=[])


def _ask(outsider, activity, note="We run the State's QRIS workgroup."):
    return join_requests.join_request_create(actor=outsider, activity=activity, note=note)


def test_a16_door1_outsider_asks_and_the_primary_staff_is_told(world, outsider, lone_activity):
    asked = _ask(outsider, lone_activity)
    assert asked.status == JoinRequest.Status.PENDING
    assert not lone_activity.collaborating_staff.exists()  # nothing granted yet
    notice = Notification.objects.get(recipient=world.primary)
    assert "Ursula Uninvolved asks to join" in notice.message
    assert notice.link == reverse("activities:join_requests", args=[lone_activity.pk])
    assert asked.history.count() == 1


def test_a16_door1_accepting_adds_the_person_and_their_center(world, outsider, lone_activity):
    asked = _ask(outsider, lone_activity)
    version = lone_activity.version
    join_requests.join_request_accept(actor=world.primary, join_request=asked, note="Welcome.")
    lone_activity.refresh_from_db()
    asked.refresh_from_db()
    assert asked.status == JoinRequest.Status.ACCEPTED and asked.decided_by == world.primary
    assert list(lone_activity.collaborating_staff.all()) == [outsider]
    assert list(lone_activity.collaborating_centers.all()) == [outsider.center]
    assert lone_activity.version == version + 1
    latest = lone_activity.history.latest()
    assert latest.history_user == world.primary
    assert latest.history_change_reason == "Request to join accepted"
    assert rules.has_perm("activities.change_taactivity", outsider, lone_activity)
    told = Notification.objects.filter(recipient=outsider).get()
    assert "accepted your request" in told.message
    assert Notification.objects.filter(recipient=world.sss, message__contains="joined").exists()
    assert asked.history.count() == 2


def test_a16_door1_declining_needs_a_reason_and_grants_nothing(world, outsider, lone_activity):
    asked = _ask(outsider, lone_activity)
    with pytest.raises(ValidationError) as refused:
        join_requests.join_request_decline(actor=world.primary, join_request=asked, note=" ")
    assert "decision_note" in refused.value.message_dict
    join_requests.join_request_decline(
        actor=world.primary, join_request=asked, note="The plan has no role for a second center."
    )
    asked.refresh_from_db()
    assert asked.status == JoinRequest.Status.DECLINED
    assert not lone_activity.collaborating_staff.exists()
    told = Notification.objects.get(recipient=outsider)
    assert "declined your request" in told.message and "no role" in told.message
    with pytest.raises(ValidationError):  # answered once only
        join_requests.join_request_accept(actor=world.admin, join_request=asked)


@pytest.mark.parametrize("who", ["collaborator", "sss", "lead", "federal", "outsider"])
def test_a16_door1_only_primary_staff_or_admin_answers(world, outsider, lone_activity, who):
    asked = _ask(outsider, lone_activity)
    actor = outsider if who == "outsider" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        join_requests.join_request_accept(actor=actor, join_request=asked)
    asked.refresh_from_db()
    assert asked.status == JoinRequest.Status.PENDING
    assert not lone_activity.collaborating_staff.exists()


def test_a16_door1_admin_answers_too(world, outsider, lone_activity):
    join_requests.join_request_accept(actor=world.admin, join_request=_ask(outsider, lone_activity))
    assert lone_activity.collaborating_staff.filter(pk=outsider.pk).exists()


def test_a16_door1_who_may_ask(world, outsider, lone_activity):
    for viewer in (world.federal, world.admin):  # they enter no data / join directly
        with pytest.raises(PermissionDenied):
            _ask(viewer, lone_activity)
    with pytest.raises(ValidationError) as direct:  # the State's SSS joins directly
        _ask(world.sss, lone_activity)
    assert join_requests.JOIN_DIRECTLY in direct.value.message_dict[NON_FIELD_ERRORS]
    with pytest.raises(ValidationError):  # the primary staff takes part already
        _ask(world.primary, lone_activity)
    _ask(outsider, lone_activity)
    with pytest.raises(ValidationError) as twice:
        _ask(outsider, lone_activity)
    assert join_requests.JOIN_REQUEST_PENDING in twice.value.message_dict[NON_FIELD_ERRORS]
    assert JoinRequest.objects.count() == 1


def test_a16_door1_on_demand_and_closed_activities_take_no_request(world, outsider):
    on_demand = create_activity(world, strategic_area=None, jurisdiction=world.jurisdiction)
    with pytest.raises(ValidationError) as refused:
        _ask(outsider, on_demand)
    assert "strategic_area" in refused.value.message_dict
    closed = make_trackable(world, create_activity(world))
    activity_close(
        actor=world.primary, activity=closed, completion_date=today(), outcome_report="Done."
    )
    with pytest.raises(ActivityReadOnly):
        _ask(outsider, closed)


def test_a16_door1_request_to_a_closed_activity_cannot_be_accepted(world, outsider):
    activity = make_trackable(world, create_activity(world))
    asked = _ask(outsider, activity)
    activity_close(
        actor=world.primary, activity=activity, completion_date=today(), outcome_report="Done."
    )
    with pytest.raises(ActivityReadOnly):
        join_requests.join_request_accept(actor=world.primary, join_request=asked)
    assert not activity.collaborating_staff.filter(pk=outsider.pk).exists()


# --- the pages ---------------------------------------------------------------------------------


def test_a16_door1_pages_ask_then_accept(client, world, outsider, lone_activity):
    detail = reverse("activities:detail", args=[lone_activity.pk])
    client.force_login(outsider)
    page = client.get(detail).content.decode()
    assert "Ask to join" in page and "Join this activity" not in page
    ask_url = reverse("activities:join_request", args=[lone_activity.pk])
    assert "Why you want to join" in client.get(ask_url).content.decode()
    response = client.post(ask_url, {"note": "We run the workgroup."}, follow=True)
    assert "Your request to join" in response.content.decode()
    again = client.get(ask_url).content.decode()
    assert "already asked to join" in again and "<textarea" not in again

    client.force_login(world.primary)
    list_url = reverse("activities:join_requests", args=[lone_activity.pk])
    assert "Requests to join" in client.get(detail).content.decode()
    listing = client.get(list_url).content.decode()
    assert "Ursula Uninvolved" in listing and "We run the workgroup." in listing
    asked = JoinRequest.objects.get()
    answer = reverse("activities:join_request_decide", args=[asked.pk])
    refused = client.post(answer, {f"request-{asked.pk}-decision": "decline"})
    assert refused.status_code == 400
    assert "Say why you decline" in refused.content.decode()
    done = client.post(answer, {f"request-{asked.pk}-decision": "accept"}, follow=True)
    assert "now takes part in" in done.content.decode()
    assert lone_activity.collaborating_staff.filter(pk=outsider.pk).exists()


def test_a16_door1_page_tells_who_need_not_ask(client, world, lone_activity):
    client.force_login(world.sss)
    page = client.get(reverse("activities:join_request", args=[lone_activity.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "You may join this TA activity yourself" in text and "<textarea" not in text
    assert (
        "Ask to join"
        not in client.get(reverse("activities:detail", args=[lone_activity.pk])).content.decode()
    )


def test_a16_door1_others_cannot_answer_by_post(client, world, outsider, lone_activity):
    asked = _ask(outsider, lone_activity)
    client.force_login(world.lead)
    answer = reverse("activities:join_request_decide", args=[asked.pk])
    response = client.post(answer, {f"request-{asked.pk}-decision": "accept"})
    assert response.status_code == 403
    assert not lone_activity.collaborating_staff.filter(pk=outsider.pk).exists()
    assert client.post(reverse("activities:join_request_decide", args=[99999])).status_code == 404


@pytest.mark.parametrize(
    "attack", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]
)
def test_a16_door1_request_texts_are_shown_escaped(client, world, outsider, lone_activity, attack):
    asked = _ask(outsider, lone_activity, note=attack)
    join_requests.join_request_decline(actor=world.primary, join_request=asked, note=attack)
    client.force_login(world.federal)
    page = client.get(reverse("activities:join_requests", args=[lone_activity.pk]))
    text = page.content.decode()
    assert "<script>alert(1)" not in text and "<img src=x onerror" not in text
    assert "Answer: 49" not in text  # template syntax is text, not evaluated
    assert text.count(escape(attack)) == 2  # the request's note and the answer, as typed
