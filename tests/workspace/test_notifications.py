"""The notification service (`core.notifications`, G3) and the workspace's reads of it: sending
creates an unread message; marking read touches only the actor's own notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Notification
from core.notifications import notification_send, notifications_mark_read
from tests.factories import UserFactory
from workspace.selectors import notification_of, notifications_unread

pytestmark = pytest.mark.django_db


def test_g3_notification_send_creates_an_unread_notification():
    sam = UserFactory()
    sent = notification_send(recipient=sam, message="A goal was added to Kansas.", link="/goals/1/")
    stored = Notification.objects.get(pk=sent.pk)
    assert (stored.recipient, stored.message, stored.link) == (sam, sent.message, "/goals/1/")
    assert stored.read_at is None
    assert notifications_unread(user=sam) == [stored]


def test_g3_notification_send_refuses_an_empty_message():
    with pytest.raises(ValidationError) as error:
        notification_send(recipient=UserFactory(), message="")
    assert "message" in error.value.message_dict
    assert not Notification.objects.exists()


def test_g3_mark_read_by_id_touches_only_the_actors_own_notifications():
    sam, kim = UserFactory(), UserFactory()
    mine = notification_send(recipient=sam, message="Mine.")
    other_of_mine = notification_send(recipient=sam, message="Also mine.")
    theirs = notification_send(recipient=kim, message="Not mine.")
    marked = notifications_mark_read(actor=sam, notification_ids=[mine.pk, theirs.pk])
    assert marked == 1
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=other_of_mine.pk).read_at is None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    # already read: nothing more to mark
    assert notifications_mark_read(actor=sam, notification_ids=[mine.pk]) == 0


def test_g3_mark_all_read_leaves_other_people_unread():
    sam, kim = UserFactory(), UserFactory()
    for text in ("First.", "Second."):
        notification_send(recipient=sam, message=text)
    theirs = notification_send(recipient=kim, message="Not mine.")
    assert notifications_mark_read(actor=sam) == 2
    assert notifications_unread(user=sam) == []
    assert notifications_unread(user=kim) == [theirs]


def test_unread_list_is_newest_first_and_limited():
    sam = UserFactory()
    sent = [notification_send(recipient=sam, message=f"Note {i}.") for i in range(4)]
    start = timezone.now()
    for minutes, notification in enumerate(sent):  # distinct times: the order is by time
        Notification.objects.filter(pk=notification.pk).update(
            created_at=start + dt.timedelta(minutes=minutes)
        )
    assert notifications_unread(user=sam, limit=3) == list(reversed(sent))[:3]


def test_notification_of_finds_only_the_users_own():
    sam, kim = UserFactory(), UserFactory()
    mine = notification_send(recipient=sam, message="Mine.")
    assert notification_of(user=sam, pk=mine.pk) == mine
    assert notification_of(user=kim, pk=mine.pk) is None
