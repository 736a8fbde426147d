"""Home for TA staff (issue 10): as before (H1), plus the summaries of TA delivered they owe
at the top — overdue and due within 3 business days, the reminders' definition (A10, R3) —
and nothing of the other roles' sections."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from activities.models import DeliverySummary, ResponseNote, TAActivity
from core.businessdays import summary_due_date
from tests.factories_activities import World, create_activity, make_trackable
from workspace import home_selectors

D = dt.date
HOME = reverse("workspace:home")
# The H1 page (tests/workspace/test_home.py: HOME_QUERIES) plus the two queries of the
# summaries owed (one per month looked at: the previous and the current one).
STAFF_HOME_QUERIES = 10


def _note(activity: TAActivity, day: dt.date) -> ResponseNote:
    return ResponseNote.objects.create(
        activity=activity,
        note_date=day,
        text="Called the State lead.",
        author=activity.primary_staff,
    )


def _trackable(world: World, **overrides) -> TAActivity:
    return make_trackable(world, create_activity(world, **overrides))


def test_summaries_owed_overdue_and_due_soon_with_the_reminders_definition(world):
    overdue = _trackable(world)
    _note(overdue, D(2026, 11, 2))  # due Tue 11/17 (Veterans Day skipped)
    soon = _trackable(world)
    _note(soon, D(2026, 11, 12))  # due Fri 11/27 (Thanksgiving skipped)
    later = _trackable(world)
    _note(later, D(2026, 11, 20))  # due Mon 11/30: beyond 3 business days of 11/23
    summarised = _trackable(world)
    _note(summarised, D(2026, 11, 3))
    DeliverySummary.objects.create(
        activity=summarised, note_date=D(2026, 11, 3), text="Done.", author=world.primary
    )
    someone_elses = _trackable(
        world,
        primary_center=world.other_center,
        primary_staff=world.other_staff,
        collaborating_centers=[],
        collaborating_staff=[world.primary],
    )
    _note(someone_elses, D(2026, 11, 2))

    owed = home_selectors.summaries_owed(user=world.primary, today=D(2026, 11, 23))

    assert [item.activity_id for item in owed.overdue] == [overdue.pk]
    assert [item.activity_id for item in owed.due_soon] == [soon.pk]
    assert owed.overdue[0].due == D(2026, 11, 17) == summary_due_date(D(2026, 11, 2))
    assert owed.due_soon[0].due == D(2026, 11, 27)
    theirs = home_selectors.summaries_owed(user=world.other_staff, today=D(2026, 11, 23))
    assert [item.activity_id for item in theirs.overdue] == [someone_elses.pk]
    # collaborating staff are not asked: the primary staff person writes the summary (R3)
    assert not home_selectors.summaries_owed(user=world.collaborator, today=D(2026, 11, 23))


def test_staff_home_shows_summaries_owed_at_the_top(client, world, on_day):
    overdue = _trackable(world)
    _note(overdue, D(2026, 11, 2))
    soon = _trackable(world)
    _note(soon, D(2026, 11, 12))
    on_day(D(2026, 11, 23))
    client.force_login(world.primary)
    html = client.get(HOME).content.decode()
    section = html[
        html.index('id="summaries-owed-heading"') : html.index('id="activities-heading"')
    ]
    assert "Overdue <span" in section and "(1)" in section
    overdue_part = section[section.index("summaries-overdue-heading") :]
    assert overdue.record_number in overdue_part.split("summaries-due-soon-heading")[0]
    assert 'was due <span class="tat-nowrap">11/17/2026</span>' in section
    soon_part = section[section.index('id="summaries-due-soon-heading"') :]
    assert soon.record_number in soon_part and "11/27/2026" in soon_part
    tracking = reverse("activities:tracking", args=[overdue.pk])
    assert f'href="{tracking}"' in section
    # at the top: before "My activities" and before the table
    assert html.index('id="summaries-owed-heading"') < html.index('id="activities-heading"')


def test_staff_home_says_when_nothing_is_owed(client, world):
    client.force_login(world.other_staff)
    html = client.get(HOME).content.decode()
    assert "None overdue and none due in the next 3 business days." in html


def test_staff_home_offers_no_other_roles_sections(client, world):
    client.force_login(world.primary)
    html = client.get(HOME).content.decode()
    assert "<h1>My TA activities</h1>" in html
    for absent in (
        'id="admin-queue-heading"',  # administrator's queue
        'id="requesters-heading"',
        'id="reference-changes-heading"',
        reverse("goals:closure_queue"),
        reverse("transfer:import"),
        'id="center-heading"',  # center lead's table
        'id="overview-heading"',  # federal overview
        'id="my-states-heading"',  # SSS
    ):
        assert absent not in html


def test_staff_home_query_count_is_pinned(client, world, on_day, django_assert_num_queries):
    on_day(D(2026, 11, 23))  # both months are looked at (early in a month, only one is)
    for day in (D(2026, 11, 2), D(2026, 11, 12)):
        _note(_trackable(world), day)
    client.force_login(world.primary)
    client.get(HOME)  # the picker's list is read once per process
    with django_assert_num_queries(STAFF_HOME_QUERIES):
        client.get(HOME)
    for _ in range(6):
        activity = _trackable(world)
        _note(activity, D(2026, 11, 3))
        _note(activity, D(2026, 11, 20))
    with django_assert_num_queries(STAFF_HOME_QUERIES):
        client.get(HOME)
