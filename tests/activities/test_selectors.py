"""Reads for TA activities (A4, A15, A16, H1) and the admin pages with history (AU1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import selectors, services
from activities.models import PlanStage
from tests.factories import RequesterFactory, StrategicAreaFactory
from tests.factories_activities import (
    add_summary,
    create_activity,
    make_trackable,
    today,
)

# --- A15 record numbers ---------------------------------------------------------------------


def test_a15_record_number_is_stable_and_padded(world):
    activity = create_activity(world)
    assert activity.record_number == f"TA-{activity.pk:06d}"


@pytest.mark.parametrize(
    "text",
    ["TA-{n:06d}", "{n}", " ta-{n} ", "TA{n}", "ta - {n}", "TA 000{n}", "\tTA-{n:09d}\n"],
)
def test_a15_find_by_record_number_accepts_common_spellings(world, text):
    activity = create_activity(world)
    assert selectors.activity_by_record_number(text.format(n=activity.pk)) == activity


def test_a15_unknown_record_number_returns_none(world):
    assert selectors.activity_by_record_number("TA-999999") is None
    assert selectors.activity_by_record_number("0") is None


@pytest.mark.parametrize("text", ["", "   ", "TA-", "abc", "TA-12a", "12-34", "TB-123", "-5"])
def test_a15_malformed_record_number_raises_clear_error(db, text):
    with pytest.raises(ValueError, match="TA-000123"):
        selectors.activity_by_record_number(text)


def test_a15_absurdly_long_number_is_malformed_not_a_crash(db):
    with pytest.raises(ValueError):
        selectors.activity_by_record_number("9" * 30)


# --- Record page ------------------------------------------------------------------------------


def _fill(world, activity, count):
    for index in range(count):
        services.description_note_add(
            actor=world.primary, activity=activity, stage=PlanStage.INITIAL, text=f"Plan {index}."
        )
        services.response_note_add(
            actor=world.collaborator, activity=activity, text=f"Call {index}."
        )
        add_summary(world, activity, text=f"Summary {index}.")
        services.feedback_add(
            actor=world.primary,
            activity=activity,
            feedback_date=today(),
            giver_name=f"Giver {index}",
            giver_title="CCDF Administrator",
            text="Thanks!",
        )


def _queries_to_render(pk):
    with CaptureQueriesContext(connection) as queries:
        activity = selectors.activity_with_details(pk)
        for note in activity.description_notes.all():
            str(note.author)
        for summary in activity.summaries.all():
            str(summary.author)
            list(summary.delivery_methods.all())
            list(summary.ta_types.all())
        for item in activity.feedback.all():
            str(item.author)
        for note in activity.response_notes.all():
            str(note.author)
        for person in activity.collaborating_staff.all():
            str(person.center)
        list(activity.requesters.all())
        list(activity.collaborating_centers.all())
        list(activity.other_collaborators.all())
        str(activity.strategic_area.item)
        str(activity.goal.category)
        str(activity.jurisdiction.region)
        str(activity.primary_staff.center)
        str(activity.approved_by)
        activity.title  # noqa: B018
        services.tracking_available(activity)
        list(activity.status_history)
    return len(queries)


def test_activity_with_details_query_count_does_not_grow_with_notes(world):
    small = make_trackable(world, create_activity(world))
    _fill(world, small, 1)
    large = make_trackable(world, create_activity(world))
    _fill(world, large, 6)
    assert _queries_to_render(small.pk) == _queries_to_render(large.pk)


def test_activity_with_details_has_everything(world):
    activity = make_trackable(world, create_activity(world))
    _fill(world, activity, 2)
    loaded = selectors.activity_with_details(activity.pk)
    assert len(loaded.description_notes.all()) == 3  # two initial plans and the final plan
    assert len(loaded.summaries.all()) == 2
    assert len(loaded.feedback.all()) == 2
    assert len(loaded.response_notes.all()) == 2
    assert [change.to_value for change in loaded.status_history] == ["approved"]
    assert services.tracking_available(loaded) == (True, [])


def test_activity_with_details_unknown_returns_none(db):
    assert selectors.activity_with_details(424242) is None


# --- H1 my activities ---------------------------------------------------------------------------


def test_h1_activities_for_staff_primary_or_collaborating(world):
    mine = create_activity(world, collaborating_staff=[])
    collaborating = create_activity(world)
    other = create_activity(world, collaborating_staff=[world.other_staff])
    assert set(selectors.activities_for_staff(world.primary)) == {mine, collaborating, other}
    assert list(selectors.activities_for_staff(world.collaborator)) == [collaborating]
    assert list(selectors.activities_for_staff(world.other_staff)) == [other]
    assert list(selectors.activities_for_staff(world.federal)) == []


def test_h1_activities_for_staff_query_count_is_fixed(world, django_assert_num_queries):
    for _ in range(3):
        create_activity(world)
    with django_assert_num_queries(1):
        rows = list(selectors.activities_for_staff(world.collaborator))
        for activity in rows:
            (activity.record_number, activity.title, str(activity.jurisdiction))
            (str(activity.primary_center), str(activity.primary_staff))
    assert len(rows) == 3


# --- A4 requesters and A16 open activities ----------------------------------------------


def test_a4_requesters_for_jurisdiction_own_and_region_active(world):
    RequesterFactory(jurisdiction=world.jurisdiction, active=False, created_by=world.admin)
    assert set(selectors.requesters_for_jurisdiction(world.jurisdiction)) == {
        world.requester,
        world.region_requester,
    }
    assert set(selectors.requesters_for_jurisdiction(world.faraway)) == {world.faraway_requester}


def test_a16_open_activities_in_strategic_area(world):
    first = create_activity(world)
    second = create_activity(world)
    services.activity_cancel(actor=world.primary, activity=second, reason="Duplicate.")
    third = create_activity(world)
    elsewhere = create_activity(world, strategic_area=StrategicAreaFactory(goal=world.goal))
    assert list(selectors.open_activities_in_strategic_area(world.strategic_area)) == [
        first,
        third,
    ]
    assert elsewhere not in selectors.open_activities_in_strategic_area(world.strategic_area)


# --- Admin --------------------------------------------------------------------------------------


def test_au1_admin_pages_show_activity_and_history(world, client):
    activity = make_trackable(world, create_activity(world))
    _fill(world, activity, 1)
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    pages = [
        reverse("admin:activities_taactivity_changelist"),
        reverse("admin:activities_taactivity_change", args=[activity.pk]),
        reverse("admin:activities_taactivity_history", args=[activity.pk]),
        reverse("admin:activities_requester_changelist"),
        reverse("admin:activities_requester_change", args=[world.requester.pk]),
        reverse("admin:activities_requester_history", args=[world.requester.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    history = client.get(reverse("admin:activities_taactivity_history", args=[activity.pk]))
    assert "Fay Federal" in history.content.decode()  # approved it (AU1)


def test_au1_admin_edit_bumps_version_and_is_attributed(world, client):
    activity = create_activity(world)
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    url = reverse("admin:activities_taactivity_change", args=[activity.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "focus": world.focus.pk,
            "primary_center": world.center.pk,
            "requesters": ",".join(str(r.pk) for r in activity.requesters.all()),
            "primary_staff": world.primary.pk,
            "collaborating_staff": str(world.collaborator.pk),
            "collaborating_centers": [world.other_center.pk],
            "priority": "low",
        }
    )
    for prefix in ("description_notes", "summaries", "feedback", "response_notes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert activity.priority == "low" and activity.version == 2
    assert activity.history.first().history_user == world.admin


def test_a15_admin_search_finds_record_number(world, client):
    activity = create_activity(world)
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.get(
        reverse("admin:activities_taactivity_changelist"), {"q": activity.record_number}
    )
    assert response.status_code == 200
    assert activity.record_number in response.content.decode()
