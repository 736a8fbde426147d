"""Issue 10, rough edges: the header's "View/Add/Edit State TA for" picker shows the page's
State or Territory on goal and activity pages instead of resetting to "- Select -"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.activities.helpers import create_url, sign_in, url

pytestmark = pytest.mark.django_db


def _picked(page: str) -> list[str]:
    picker = re.search(r'<select[^>]*id="tat-jurisdiction-picker"[^>]*>(.*?)</select>', page, re.S)
    assert picker
    return re.findall(r'<option value="(\w*)" selected>', picker.group(1))


def test_h1_picker_preselects_the_state_of_activity_pages(client, world, activity):
    sign_in(client, world.primary)
    code = world.jurisdiction.code
    for name in ("detail", "tracking", "history", "edit"):
        assert _picked(client.get(url(name, activity)).content.decode()) == [code], name
    assert _picked(client.get(create_url(world)).content.decode()) == [code]
    on_demand = reverse("activities:create_on_demand") + f"?jurisdiction={world.faraway.code}"
    assert _picked(client.get(on_demand).content.decode()) == [world.faraway.code]


def test_h1_picker_preselects_the_state_of_goal_pages(client, world):
    sign_in(client, world.admin)
    goal = world.goal
    for name in ("goals:detail", "goals:edit", "goals:history"):
        page = client.get(reverse(name, args=[goal.pk])).content.decode()
        assert _picked(page) == [world.jurisdiction.code], name
    create = reverse("goals:create") + f"?jurisdiction={world.neighbour.code}"
    assert _picked(client.get(create).content.decode()) == [world.neighbour.code]


def test_h1_picker_still_follows_the_state_page_and_is_empty_elsewhere(client, world):
    sign_in(client, world.primary)
    state_page = reverse("workspace:jurisdiction", args=[world.neighbour.code])
    assert _picked(client.get(state_page).content.decode()) == [world.neighbour.code]
    assert _picked(client.get(reverse("search:search")).content.decode()) == []
