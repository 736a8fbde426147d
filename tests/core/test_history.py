"""core.history: readable history of any tracked record (rule AU1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.middleware import HistoryRequestMiddleware

from activities.models import TAActivity
from core.history import EMPTY, FieldChange, attribute_change, history_entries
from core.models import Notification
from goals.models import GoalNote, Readiness, StrategicArea
from tests.factories import (
    GoalCategoryFactory,
    GoalFactory,
    RequesterFactory,
    SSSFactory,
    StrategicAreaFactory,
    TAActivityFactory,
)

pytestmark = pytest.mark.django_db


def _save(instance, actor, **changes):
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version += 1
    attribute_change(instance, actor)
    instance.save()
    return instance


@pytest.fixture
def goal():
    return GoalFactory(
        jurisdiction__code="GU",
        jurisdiction__name="Guam",
        category__number=3,
        category__name="Provide stable financial assistance",
        readiness=Readiness.SOMEWHAT,
        start_date=dt.date(2026, 1, 15),
    )


def test_au1_entries_say_who_did_what_and_when_newest_first(goal, admin):
    editor = SSSFactory(full_name="Sam Specialist")
    before = timezone.now()
    _save(goal, editor, readiness=Readiness.MOST)
    _save(goal, admin, start_date_is_approximate=True)

    entries = history_entries(goal)

    assert [e.action for e in entries] == ["changed", "changed", "created"]
    assert [e.who for e in entries] == [admin, editor, None]  # the factory named nobody
    assert entries[0].when >= entries[1].when >= before > entries[2].when
    assert {e.object_type for e in entries} == {"Goal"}
    assert {e.object_label for e in entries} == {"GU · Provide stable financial assistance"}
    assert {e.object_id for e in entries} == {goal.pk}
    assert entries[1].changes == [
        FieldChange("Readiness to implement", "Somewhat ready", "Most ready")
    ]
    assert entries[0].changes == [FieldChange("Start date is approximate", "No", "Yes")]


def test_au1_values_are_shown_as_people_read_them(goal, admin):
    new_category = GoalCategoryFactory(number=5, name="Health and safety")
    related = GoalCategoryFactory(number=9, name="Cross-systems")
    _save(
        goal,
        admin,
        category=new_category,
        related_category=related,
        start_date=dt.date(2026, 2, 1),
    )

    changed, created = history_entries(goal)

    assert changed.changes == [
        ("Start date", "01/15/2026", "02/01/2026"),
        ("Goal category", "3. Provide stable financial assistance", "5. Health and safety"),
        ("Related goal category", EMPTY, "9. Cross-systems"),
    ]
    assert changed.object_label == "GU · Health and safety"
    initial = {change.field: change.new for change in created.changes}
    assert initial["Jurisdiction"] == "Guam"
    assert initial["Readiness to implement"] == "Somewhat ready"
    assert initial["Status"] == "Open"
    assert initial["Created by"] == str(goal.created_by)
    assert "Related goal category" not in initial  # empty values are left out on creation
    assert all(change.old == "" for change in created.changes)


def test_au1_saves_without_a_visible_change_are_left_out(goal, admin):
    _save(goal, admin)  # only the version moves
    assert [e.action for e in history_entries(goal)] == ["created"]


def test_au1_many_to_many_changes_are_readable(admin):
    activity = TAActivityFactory()
    first = RequesterFactory(name="Ann Able", title="")
    second = RequesterFactory(name="Ben Baker", title="")
    attribute_change(activity, admin)
    activity.requesters.set([first, second])
    activity.requesters.remove(first)

    entries = history_entries(activity)

    removed, added, created = entries
    assert added.changes == [("Requesters", EMPTY, "Ann Able, Ben Baker")]
    assert removed.changes == [("Requesters", "Ann Able, Ben Baker", "Ben Baker")]
    assert removed.who == admin
    assert created.object_label == f"{activity.record_number} · {activity.title}"


def test_au1_related_child_records_and_deletions(goal, admin):
    area = StrategicAreaFactory(goal=goal, item__name="Eligibility")
    kept = StrategicAreaFactory(goal=goal, item__name="Payment practices")
    note = GoalNote.objects.create(goal=goal, text="First", author=admin)
    _save(note, admin, text="Second")
    attribute_change(area, admin)
    area.delete()

    with_history_qs = history_entries(
        goal,
        related=[
            StrategicArea.history.filter(goal_id=goal.pk),
            GoalNote.history.filter(goal_id=goal.pk),
        ],
    )
    deleted = [e for e in with_history_qs if e.action == "deleted"]
    assert [(e.object_type, e.object_label, e.who) for e in deleted] == [
        ("Strategic area", "Eligibility", admin)
    ]
    note_change = next(e for e in with_history_qs if e.object_type == "Goal note" and e.changes)
    assert note_change.object_label.endswith("Second")

    # A plain queryset of the tracked model works too; rows deleted since are not in it.
    with_plain_qs = history_entries(goal, related=[goal.strategic_areas.all(), goal.notes.all()])
    labels = {e.object_label for e in with_plain_qs if e.object_type == "Strategic area"}
    assert labels == {kept.item.name}


def test_au1_queries_do_not_grow_with_the_number_of_changes(admin):
    def count_queries(changes: int) -> int:
        goal = GoalFactory()
        activity = TAActivityFactory(goal=goal, strategic_area=StrategicAreaFactory(goal=goal))
        for i in range(changes):
            user = SSSFactory()
            category = GoalCategoryFactory()
            _save(goal, user, readiness=[Readiness.MOST, Readiness.LEAST][i % 2], category=category)
            note = GoalNote.objects.create(goal=goal, text=f"Note {i}", author=user)
            _save(note, user, text=f"Note {i} corrected")
            attribute_change(activity, user)
            activity.requesters.add(RequesterFactory())
        with CaptureQueriesContext(connection) as queries:
            entries = history_entries(
                goal,
                related=[
                    GoalNote.history.filter(goal_id=goal.pk),
                    TAActivity.history.filter(goal_id=goal.pk),
                ],
            )
            _ = [(e.who and e.who.full_name, e.object_label, e.changes) for e in entries]
        return len(queries)

    few, many = count_queries(1), count_queries(12)
    assert few == many


def test_au1_web_requests_record_the_signed_in_user(goal, admin):
    def view(request):
        goal.readiness = Readiness.LEAST
        goal.save()
        return HttpResponse("ok")

    request = RequestFactory().post("/")
    request.user = admin
    HistoryRequestMiddleware(view)(request)

    assert history_entries(goal)[0].who == admin


def test_au1_change_reason_is_kept_short(goal, admin):
    attribute_change(goal, admin, "Closed: " + "x" * 200)
    goal.readiness = Readiness.MOST
    goal.save()
    entry = history_entries(goal)[0]
    assert entry.reason.startswith("Closed: ")
    assert len(entry.reason) == 100


def test_au1_untracked_model_is_refused(admin):
    notice = Notification.objects.create(recipient=admin, message="Hello")
    with pytest.raises(TypeError):
        history_entries(notice)
