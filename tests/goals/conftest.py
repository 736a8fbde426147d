"""Fixtures of the goals tests, on top of the root conftest's State, categories, items and
people: the goal the service tests act on (two strategic areas, created by the State's SSS),
a second category's strategic area item, a TA staff member, and a closed goal and a pending
closure request made from whichever `goal` the test module uses.

The page tests (test_views_*.py) take their own `goal` and `other_items` from
tests/goals/helpers.py (one strategic area with notes; two items of the other category),
and tests/goals/test_admin.py builds its own goal."""

from __future__ import annotations

import pytest

from goals import services
from tests.factories import StrategicAreaItemFactory, UserFactory
from tests.goals.helpers import _create


@pytest.fixture
def other_items(other_category):
    return [StrategicAreaItemFactory(category=other_category, name="Workforce credentials")]


@pytest.fixture
def ta_staff():
    return UserFactory(full_name="Tara Staff")


@pytest.fixture
def goal(sss, state, category, items):
    return _create(sss, state, category, items, strategic_areas=[items[0], items[1]])


@pytest.fixture
def closed_goal(goal, admin):
    return services.goal_close(actor=admin, goal=goal, note="All TA activities complete.")


@pytest.fixture
def closure_request(goal, sss):
    return services.goal_request_closure(actor=sss, goal=goal, reason="No further TA requested.")
