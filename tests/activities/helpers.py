"""Helpers of the TA activity page tests: signing in, page URLs and form errors, a valid
create-form POST (test_views_*.py), and the after-creation page tests' own `activity`
fixture (test_views_lifecycle.py, test_views_tracking_tab.py, test_views_notes.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from activities.models import ActivityStatus, ActivityType, PlanStage, Priority
from tests.factories_activities import create_activity, today


def sign_in(client, user) -> None:
    client.force_login(user)


def url(name: str, activity, *args) -> str:
    return reverse(f"activities:{name}", args=[activity.pk, *args])


def form_errors(response, form: str, field: str) -> list[str]:
    return list(response.context[form].errors.get(field, []))


def errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# --- the forms after creation -----------------------------------------------------------


def plan(stage: str, text: str, **extra) -> dict:
    return {"plan-stage": stage, "plan-text": text, "plan-note_date": today().isoformat(), **extra}


def summary(delivered: dt.date, text: str = "State received a remote consultation.", **extra):
    return {"summary-delivery_date": delivered.isoformat(), "summary-text": text, **extra}


# --- creating ----------------------------------------------------------------------------


def create_url(world) -> str:
    return reverse("activities:create") + f"?strategic_area={world.strategic_area.pk}"


def create_data(world, **overrides: Any) -> dict[str, Any]:
    """A valid POST of the create form (goal-driven, by the primary staff person)."""
    data: dict[str, Any] = {
        "focus": world.focus.pk,
        "other_focus_notes": "",
        "date_opened": today().isoformat(),
        "priority": Priority.HIGH,
        "requesters": [world.requester.pk],
        "primary_center": world.center.pk,
        "primary_staff": world.primary.pk,
        "collaborating_centers": [world.other_center.pk],
        "collaborating_staff": [world.collaborator.pk],
        "other_collaborators": [],
        "other_collaborators_details": "",
        "description_stage": PlanStage.INITIAL,
        "description_notes": "SCBC to gather other States' QRIS standards.",
        "activity_type": ActivityType.TARGETED,
        "status": ActivityStatus.PLANNING,
        "outcome_plan": "State will publish revised QRIS standards by the fall.",
        "requested_by_ccdf_administrator": "yes",  # A7
        "save": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- after creation ----------------------------------------------------------------------
# The pages after creation record past deliveries, so their modules take this `activity`
# (and the root conftest's `trackable` built from it): `activity = helpers.past_activity`.


@pytest.fixture(name="activity")
def past_activity(world):
    """Unlike the shared one (opened today): opened 60 days ago, for past deliveries."""
    return create_activity(world, date_opened=today() - dt.timedelta(days=60))
