"""Home for a federal viewer with a region on their profile (issue 10: "a read-only overview
(the dashboard filtered to their region if they have one)"): the region's figures by
default, the nation's without one or when they ask for every region, a link to the full
dashboard, and never an invitation to add."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import DeliverySummary, TAActivity
from tests.workspace.test_home_federal import (
    FEDERAL_HOME_QUERIES,
    HOME,
    _activities,
    _by_status,
    _independent,
    _late,
    _main,
)

pytestmark = pytest.mark.django_db


def _state_cells(html: str) -> dict[str, tuple[int, int]]:
    opened = dict(re.findall(r'data-state-open="(\w+)">(\d+)<', html))
    late = dict(re.findall(r'data-state-late="(\w+)">(\d+)<', html))
    return {code: (int(opened[code]), int(late[code])) for code in opened}


def _count_place(place) -> tuple[int, int]:
    """Open activities and late summaries (the 12 months) of one State, from the records."""
    activities = TAActivity.objects.filter(jurisdiction=place)
    open_n = sum(1 for a in activities if a.completion_status == "open")
    today = timezone.localdate()
    back = today.year * 12 + today.month - 1 - 11
    start = dt.date(back // 12, back % 12 + 1, 1)
    late = sum(
        1
        for s in DeliverySummary.objects.filter(activity__in=activities)
        if s.is_late and start <= s.note_date <= today
    )
    return open_n, late


def _independent_per_state(world) -> dict[str, tuple[int, int]]:
    return {place.code: _count_place(place) for place in (world.jurisdiction, world.neighbour)}


def test_federal_viewer_with_a_region_sees_that_regions_numbers(client, world):
    _activities(world)
    world.federal.region = world.region
    world.federal.save()
    client.force_login(world.federal)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    by_status, late = _independent(world.region)
    assert _by_status(html) == by_status
    assert by_status["total"] == 3
    assert _late(html) == late == 2
    assert f'<option value="{world.region.pk}" selected>' in html
    assert f"TA at a glance: {world.region}" in html
    # each State of the region, against counts from the records
    assert _state_cells(html) == _independent_per_state(world) == {"FL": (0, 0), "GA": (3, 2)}
    dashboard = reverse("reports:dashboard")
    assert f'href="{dashboard}?region={world.region.pk}" data-link="dashboard"' in html


def test_federal_viewer_without_a_region_sees_the_nation(client, world):
    _activities(world)
    assert world.federal.region is None
    client.force_login(world.federal)
    html = client.get(HOME).content.decode()
    by_status, late = _independent()
    assert _by_status(html) == by_status
    assert by_status["total"] == 4
    assert _late(html) == late == 3
    assert "TA at a glance: every region" in html
    assert '<option value="" selected>Every region</option>' in html
    assert not _state_cells(html)
    assert f'href="{reverse("reports:dashboard")}" data-link="dashboard"' in html


def test_federal_viewer_with_a_region_may_ask_for_every_region_or_another(client, world):
    _activities(world)
    world.federal.region = world.region
    world.federal.save()
    client.force_login(world.federal)
    html = client.get(HOME, {"region": ""}).content.decode()
    assert _by_status(html) == _independent()[0]
    html = client.get(HOME, {"region": world.faraway.region.pk}).content.decode()
    assert _by_status(html) == _independent(world.faraway.region)[0]
    assert _state_cells(html) == {"GU": _count_place(world.faraway)}


def test_federal_home_with_a_region_never_offers_add(client, world):
    _activities(world)
    world.federal.region = world.region
    world.federal.save()
    client.force_login(world.federal)
    main = _main(client.get(HOME).content.decode())
    assert not re.search(r"<(a|button)[^>]*>[^<]*\badd", main, re.IGNORECASE)
    assert not re.search(r"\badd (one|a|an)\b", main, re.IGNORECASE)
    assert "No TA activities yet" not in main


def test_federal_home_with_a_region_query_count_is_pinned(
    client, world, django_assert_max_num_queries
):
    world.federal.region = world.region
    world.federal.save()
    _activities(world)
    client.force_login(world.federal)
    client.get(HOME)  # the dashboard's counts are computed once
    with django_assert_max_num_queries(FEDERAL_HOME_QUERIES):
        client.get(HOME)
