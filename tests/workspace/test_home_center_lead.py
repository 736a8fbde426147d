"""Home for a center lead (issue 10): their own records and, in a second section, every
activity whose primary center is theirs with the same flags, paginated on its own, in a
constant number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import DeliverySummary, TAActivity
from tests.factories import TAActivityFactory
from tests.factories_activities import World
from workspace.home import CENTER_PAGE_SIZE

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")
# The staff home (test_home_staff.STAFF_HOME_QUERIES) plus the center's table: its count,
# one page (jurisdiction, focus, category and staff joined in) and that page's late-summary
# flags.
LEAD_HOME_QUERIES = 13


def _center_section(html: str) -> str:
    return html[html.index('id="center-heading"') :]


def _numbers(html: str) -> list[str]:
    return re.findall(r'class="usa-link tat-record-number"[^>]*>(TA-\d+)<', html)


def _center_activity(world: World, **extra) -> TAActivity:
    return TAActivityFactory(
        strategic_area=world.strategic_area, primary_center=world.center, **extra
    )


def test_lead_sees_every_activity_of_their_center_with_the_flags(client, world):
    by_primary = _center_activity(world, primary_staff=world.primary, is_late_entry=True)
    by_other = _center_activity(world, primary_staff=world.other_staff)
    late = _center_activity(world, primary_staff=world.primary)
    DeliverySummary.objects.create(
        activity=late,
        note_date=timezone.localdate() - dt.timedelta(days=60),
        text="Delivered.",
        author=world.primary,
    )
    elsewhere = TAActivityFactory(
        strategic_area=world.strategic_area, primary_center=world.other_center
    )
    client.force_login(world.lead)
    html = client.get(HOME).content.decode()
    section = _center_section(html)
    assert f"Activities of my center: {world.center.name}" in section
    assert "(3)" in section
    assert set(_numbers(section)) == {
        by_primary.record_number,
        by_other.record_number,
        late.record_number,
    }
    assert elsewhere.record_number not in section
    assert section.count('tat-tag--late">Late entry<') == 1
    assert section.count('tat-tag--late">Late summary<') == 1
    assert world.other_staff.full_name in section  # the primary staff column


def test_lead_keeps_their_own_records_in_the_first_table(client, world):
    own = TAActivityFactory(
        strategic_area=world.strategic_area,
        primary_center=world.other_center,
        primary_staff=world.lead,
    )
    client.force_login(world.lead)
    html = client.get(HOME).content.decode()
    mine = html[html.index('id="activities-heading"') : html.index('id="center-heading"')]
    assert _numbers(mine) == [own.record_number]
    assert own.record_number not in _center_section(html)


def test_center_table_is_paginated_on_its_own(client, world):
    activities = [
        _center_activity(world, primary_staff=world.primary) for _ in range(CENTER_PAGE_SIZE + 2)
    ]
    newest_first = sorted(activities, key=lambda a: (a.date_opened, a.pk), reverse=True)
    client.force_login(world.lead)
    html = client.get(HOME, {"sort": "record"}).content.decode()
    section = _center_section(html)
    assert len(_numbers(section)) == CENTER_PAGE_SIZE
    assert 'href="?sort=record&amp;center_page=2"' in section
    html = client.get(HOME, {"sort": "record", "center_page": "2"}).content.decode()
    assert _numbers(_center_section(html)) == [
        a.record_number for a in newest_first[CENTER_PAGE_SIZE:]
    ]
    assert client.get(HOME, {"center_page": "abc"}).status_code == 200
    assert client.get(HOME, {"center_page": "999"}).status_code == 200


def test_staff_without_the_lead_role_see_no_center_table(client, world):
    _center_activity(world, primary_staff=world.primary)
    client.force_login(world.primary)
    assert 'id="center-heading"' not in client.get(HOME).content.decode()


def test_lead_home_query_count_is_pinned(client, world, on_day, django_assert_num_queries):
    on_day(dt.date(2026, 11, 23))  # both months of the summaries owed are looked at
    for _ in range(3):
        _center_activity(world, primary_staff=world.primary)
    client.force_login(world.lead)
    client.get(HOME)
    with django_assert_num_queries(LEAD_HOME_QUERIES):
        client.get(HOME)
    for _ in range(CENTER_PAGE_SIZE + 5):
        activity = _center_activity(world, primary_staff=world.other_staff, is_late_entry=True)
        DeliverySummary.objects.create(
            activity=activity,
            note_date=timezone.localdate() - dt.timedelta(days=60),
            text="Delivered.",
            author=world.primary,
        )
    with django_assert_num_queries(LEAD_HOME_QUERIES):
        client.get(HOME, {"center_page": "2"})
