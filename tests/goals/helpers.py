"""Helpers of the goals tests: creating a goal through the service and checking nothing was
saved (test_services_*.py); the create and edit form data, URLs and field errors of the goal
pages, and the page tests' own `goal` and `other_items` fixtures (test_views_*.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from goals import services
from goals.models import Goal, GoalNote, Readiness, StrategicArea
from tests.factories import StrategicAreaItemFactory

TODAY = timezone.localdate

LOGIN = reverse("login")


# --- the service tests ---------------------------------------------------------------------


def _create(actor, state, category, items, **kwargs):
    values = {
        "actor": actor,
        "jurisdiction": state,
        "category": category,
        "readiness": Readiness.SOMEWHAT,
        "strategic_areas": [items[0]],
    }
    values.update(kwargs)
    return services.goal_create(**values)


def _assert_nothing_saved():
    assert Goal.objects.count() == 0
    assert StrategicArea.objects.count() == 0
    assert GoalNote.objects.count() == 0
    assert Notification.objects.count() == 0


# --- the page tests ------------------------------------------------------------------------
# The page tests' goal has one strategic area with notes and their other category has two
# items, unlike the folder's `goal` and `other_items` (conftest.py). Each page test module
# takes them as its own fixtures: `goal = helpers.page_goal` and
# `other_items = helpers.page_other_items`.


@pytest.fixture(name="other_items")
def page_other_items(other_category):
    return [
        StrategicAreaItemFactory(category=other_category, name="Credentials", sort_order=1),
        StrategicAreaItemFactory(category=other_category, name="Compensation", sort_order=2),
    ]


@pytest.fixture(name="goal")
def page_goal(state, category, items, sss):
    return services.goal_create(
        actor=sss,
        jurisdiction=state,
        category=category,
        readiness=Readiness.SOMEWHAT,
        strategic_areas=[(items[0], "Focus on infant and toddler programs.")],
    )


def _create_url(code: str = "KS") -> str:
    return f"{reverse('goals:create')}?jurisdiction={code}"


def _create_data(category, areas, **extra) -> dict:
    data = {
        "start_date": timezone.localdate().isoformat(),
        "readiness": Readiness.MOST,
        "category": str(category.pk),
        "related_category": "",
        "strategic_areas": [str(item.pk) for item in areas],
        "update_note": "",
    }
    data.update(extra)
    return data


def _edit_data(goal, **extra) -> dict:
    data = {
        "version": str(goal.version),
        "start_date": goal.start_date.isoformat(),
        "readiness": goal.readiness,
        "category": str(goal.category_id),
        "related_category": str(goal.related_category_id or ""),
    }
    data.update(extra)
    return data


def _errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))
