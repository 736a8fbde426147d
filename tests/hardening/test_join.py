"""Issue #12, door 1 (rule A16): joining an open activity gives edit rights, so only people
already taking part in it through their center, the State's SSS and administrators may join;
on-demand activities cannot be joined; the primary staff and the State's SSS are told; the
page offers the button exactly when the service allows it (one permission)."""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities import services
from core.models import Notification
from tests.factories import CenterFactory, SSSFactory, UserFactory
from tests.factories_activities import create_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(world):
    """TA staff of a center that takes no part in the activity."""
    return UserFactory(full_name="Ursula Uninvolved", center=CenterFactory(code="XYZ"))


@pytest.fixture
def lone_activity(world):
    """Goal-driven, no collaborating center or staff: only the primary center takes part."""
    return create_activity(world, collaborating_centers=[], collaborating_staff=[])


def test_a16_door1_staff_of_an_uninvolved_center_cannot_join(world, outsider, lone_activity):
    with pytest.raises(PermissionDenied):
        services.activity_join(actor=outsider, activity=lone_activity)
    assert not lone_activity.collaborating_staff.exists()


def test_a16_door1_staff_of_another_center_cannot_join_by_post(client, world, lone_activity):
    client.force_login(world.other_staff)  # SCBC: not primary, not collaborating
    response = client.post(reverse("activities:join", args=[lone_activity.pk]), {})
    assert response.status_code == 403
    assert not lone_activity.collaborating_staff.exists()
    # ... and so cannot edit or cancel it afterwards.
    assert not rules.has_perm("activities.change_taactivity", world.other_staff, lone_activity)


def test_a16_door1_sss_of_another_state_cannot_join(world, lone_activity):
    stranger = SSSFactory(jurisdictions=[world.neighbour], center=world.center)
    stranger.center = None
    stranger.save()
    with pytest.raises(PermissionDenied):
        services.activity_join(actor=stranger, activity=lone_activity)


def test_a16_door1_on_demand_activity_cannot_be_joined(world):
    on_demand = create_activity(world, strategic_area=None, jurisdiction=world.jurisdiction)
    with pytest.raises(ValidationError) as refused:
        services.activity_join(actor=world.admin, activity=on_demand)
    assert "strategic_area" in refused.value.message_dict
    assert world.admin not in on_demand.collaborating_staff.all()


def test_a16_door1_staff_of_a_collaborating_center_joins(world):
    activity = create_activity(world)  # SCBC collaborates
    joined = services.activity_join(actor=world.other_staff, activity=activity)
    assert world.other_staff in joined.collaborating_staff.all()


def test_a16_door1_primary_staff_and_sss_are_told(world):
    activity = create_activity(world)
    services.activity_join(actor=world.other_staff, activity=activity)
    told = {n.recipient for n in Notification.objects.all()}
    assert told == {world.primary, world.sss}
    note = Notification.objects.get(recipient=world.primary)
    assert activity.record_number in note.message and world.other_staff.full_name in note.message
    assert note.link == activity.get_absolute_url()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("sss", True),
        ("other_staff", False),
        ("other_lead", False),
        ("federal", False),
        ("outsider", False),
    ],
)
def test_a16_door1_page_and_service_agree(client, world, outsider, lone_activity, persona, allowed):
    person = outsider if persona == "outsider" else getattr(world, persona)
    client.force_login(person)
    page = client.get(reverse("activities:detail", args=[lone_activity.pk])).content.decode()
    join_url = reverse("activities:join", args=[lone_activity.pk])
    assert (join_url in page) is allowed
    assert (client.get(join_url).status_code == 200) is allowed
    response = client.post(join_url, {})
    assert (response.status_code == 302) is allowed, response.status_code


def test_a16_door1_existing_activity_offer_shows_join_only_when_allowed(
    client, world, lone_activity
):
    client.force_login(world.other_staff)
    url = reverse("activities:create") + f"?strategic_area={world.strategic_area.pk}"
    page = client.get(url).content.decode()
    assert lone_activity.record_number in page
    assert reverse("activities:join", args=[lone_activity.pk]) not in page
    assert world.primary.full_name in page
