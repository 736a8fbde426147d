"""Issue 10, rough edges: "Other" is the last TA focus wherever focus areas are offered (the
guide: use it only in rare instances) — one ordering, `FocusArea.objects.in_offer_order()`.

The test data give "Other" the same sort order as the category's own items: SQLite sorts its
empty category first, which is how it came to lead the list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reference.models import FocusArea
from tests.activities.helpers import create_url, sign_in
from tests.factories import FocusAreaFactory

pytestmark = pytest.mark.django_db


def _options(page: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, select_id
    return [
        label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))
    ]


def test_a1_other_comes_last_in_the_queryset_order(world):
    FocusAreaFactory(category=world.category, name="Aardvark first by name", sort_order=0)
    names = list(FocusArea.objects.in_offer_order().values_list("name", flat=True))
    assert names[-1] == "Other"
    assert names.index("Aardvark first by name") < names.index("Other")


def test_a1_other_is_last_on_the_goal_driven_form(client, world):
    sign_in(client, world.primary)
    options = _options(client.get(create_url(world)).content.decode(), "id_focus")
    assert options[-1] == "Other"
    assert options[1:] == [world.focus.name, "Other"]


def test_a1_other_is_last_on_the_on_demand_form_after_every_category(client, world):
    sign_in(client, world.primary)
    page = client.get(
        reverse("activities:create_on_demand") + f"?jurisdiction={world.jurisdiction.code}"
    ).content.decode()
    options = _options(page, "id_focus")
    assert options[-1] == "Other"
    assert {world.focus.name, world.focus_elsewhere.name} <= set(options[:-1])


def test_s1_other_is_last_among_the_search_pages_focus_choices(client, world):
    sign_in(client, world.federal)
    options = _options(client.get(reverse("search:search")).content.decode(), "id_focus")
    assert options[-1] == "Other"
