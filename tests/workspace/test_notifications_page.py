"""R3: the notifications page, the reminder preferences page and the header's unread badge.

Permission ladder: anonymous → sign-in; a person sees and changes only their own
notifications and preferences; wrong HTTP methods are refused.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.models import Notification, NotificationPreference, ReminderFrequency, ReminderKind
from core.notifications import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("workspace:notifications")
MARK = reverse("workspace:notifications_mark")
PREFERENCES = reverse("workspace:notification_preferences")


@pytest.fixture
def sam(client):
    person = UserFactory(full_name="Sam Staff")
    client.force_login(person)
    return person


@pytest.mark.parametrize("url", [PAGE, PREFERENCES])
def test_r3_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_r3_anonymous_cannot_mark_read(client):
    notification = notification_send(recipient=UserFactory(), message="Hello.")
    response = client.post(MARK, {"all": "1"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_r3_page_lists_only_my_notifications_unread_first(client, sam):
    read = notification_send(recipient=sam, message="An old message.")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    notification_send(recipient=sam, message="A new message.", link="/goals/1/")
    notification_send(recipient=UserFactory(), message="Somebody else's.")
    response = client.get(PAGE)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Somebody else" not in content
    assert content.index("A new message.") < content.index("An old message.")
    assert 'href="/goals/1/"' in content


def test_r3_page_is_paginated(client, sam):
    Notification.objects.bulk_create(
        Notification(recipient=sam, message=f"Message {i}.") for i in range(30)
    )
    first = client.get(PAGE)
    assert len(first.context["page"].object_list) == 25
    second = client.get(PAGE, {"page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert client.get(PAGE, {"page": "zzz"}).status_code == 200


def test_r3_mark_one_read_touches_only_my_own(client, sam):
    mine = notification_send(recipient=sam, message="Mine.")
    theirs = notification_send(recipient=UserFactory(), message="Theirs.")
    response = client.post(MARK, {"notification": [str(mine.pk), str(theirs.pk), "x"]})
    assert response.status_code == 302
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_r3_mark_all_read(client, sam):
    for text in ("One.", "Two."):
        notification_send(recipient=sam, message=text)
    theirs = notification_send(recipient=UserFactory(), message="Theirs.")
    client.post(MARK, {"all": "1"})
    assert not Notification.objects.filter(recipient=sam, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_r3_mark_read_refuses_get_and_unsafe_next(client, sam):
    assert client.get(MARK).status_code == 405
    notification = notification_send(recipient=sam, message="Mine.")
    response = client.post(
        MARK, {"notification": str(notification.pk), "next": "https://evil.example/"}
    )
    assert response["Location"] == PAGE


def test_r3_header_badge_counts_unread_accessibly(client, sam):
    for text in ("One.", "Two.", "Three."):
        notification_send(recipient=sam, message=text)
    content = client.get(reverse("workspace:help")).content.decode()
    assert '3<span class="usa-sr-only"> unread notifications</span>' in content
    client.post(MARK, {"all": "1"})
    content = client.get(reverse("workspace:help")).content.decode()
    assert "unread notification" not in content


def test_r3_header_badge_singular(client, sam):
    notification_send(recipient=sam, message="One.")
    content = client.get(PAGE).content.decode()
    assert '1<span class="usa-sr-only"> unread notification</span>' in content


def test_r3_page_queries_do_not_grow(client, sam, django_assert_num_queries):
    Notification.objects.bulk_create(Notification(recipient=sam, message="A.") for _ in range(3))
    client.get(PAGE)
    with CaptureQueriesContext(connection) as small:
        client.get(PAGE)
    Notification.objects.bulk_create(Notification(recipient=sam, message="B.") for _ in range(40))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(PAGE)


def test_r3_preferences_form_shows_one_radio_group_per_kind(client, sam):
    response = client.get(PREFERENCES)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<fieldset") == len(ReminderKind.choices)
    for kind in ReminderKind:
        assert escape(kind.label) in content
        # the default (daily digest) is checked for every kind
        assert f'name="{kind.value}" value="daily"' in content
    assert 'type="radio"' in content


def test_r3_preferences_are_saved_for_me_only(client, sam):
    other = UserFactory()
    data = {kind.value: ReminderFrequency.DAILY for kind in ReminderKind}
    data[ReminderKind.SUMMARY_DUE] = ReminderFrequency.IMMEDIATELY
    data[ReminderKind.MONTHLY_REVIEW] = ReminderFrequency.OFF
    response = client.post(PREFERENCES, data)
    assert response.status_code == 302
    stored = dict(
        NotificationPreference.objects.filter(person=sam).values_list("kind", "frequency")
    )
    assert stored[ReminderKind.SUMMARY_DUE] == ReminderFrequency.IMMEDIATELY
    assert stored[ReminderKind.MONTHLY_REVIEW] == ReminderFrequency.OFF
    assert not NotificationPreference.objects.filter(person=other).exists()
    # a change is kept in history (AU1)
    pref = NotificationPreference.objects.get(person=sam, kind=ReminderKind.SUMMARY_DUE)
    assert pref.history.count() == 1
    data[ReminderKind.SUMMARY_DUE] = ReminderFrequency.WEEKLY
    client.post(PREFERENCES, data)
    pref.refresh_from_db()
    assert pref.frequency == ReminderFrequency.WEEKLY
    assert pref.history.count() == 2
    assert pref.version == 2


def test_r3_bad_preference_value_is_a_clear_error(client, sam):
    data = {kind.value: "sometimes" for kind in ReminderKind}
    response = client.post(PREFERENCES, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert client.post(PREFERENCES, {}).status_code == 200
    assert client.put(PREFERENCES).status_code == 405


def test_r3_mark_read_returns_to_a_safe_path_only(client, sam):
    notification = notification_send(recipient=sam, message="Mine.")
    response = client.post(MARK, {"notification": str(notification.pk), "next": "12345"})
    assert response["Location"] == PAGE
    response = client.post(MARK, {"all": "1", "next": "/?page=2"})
    assert response["Location"] == "/?page=2"
