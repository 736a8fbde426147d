"""The demo scenario file and its loader (`demo.scenario`): loaded through the services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.models import StatusChange
from demo.people import ensure_demo_users
from demo.scenario import DEMO_PEOPLE, ScenarioLoader, read_scenario
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
from reference.models import FocusArea

SCENARIO_MODELS = (
    Requester,
    Goal,
    StrategicArea,
    GoalNote,
    GoalClosureRequest,
    TAActivity,
    DescriptionNote,
    DeliverySummary,
    RequesterFeedback,
    ResponseNote,
    StatusChange,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SCENARIO_MODELS}


@pytest.fixture
def demo_people(settings, reference_data):
    settings.DEBUG = True
    ensure_demo_users()


def test_scenario_file_names_every_demo_person_once():
    scenario = read_scenario()
    keys = [row["key"] for row in scenario["people"]]
    assert len(keys) == len(set(keys)) == len(DEMO_PEOPLE) == 8
    actors = {row["actor"] for section in ("requesters", "goals") for row in scenario[section]}
    actors |= {step["actor"] for a in scenario["activities"] for step in a.get("steps", [])}
    assert actors <= set(keys)


@pytest.mark.django_db
def test_scenario_loads_into_an_empty_database_through_the_services(demo_people):
    assert not any(_counts().values())
    counts = ScenarioLoader().run()

    scenario = read_scenario()
    assert counts == {
        "goals": len(scenario["goals"]),
        "activities": len(scenario["activities"]),
        "requesters": len(scenario["requesters"]),
    }
    steps = [step for a in scenario["activities"] for step in a.get("steps", [])]
    assert DeliverySummary.objects.count() == sum(s["action"] == "summary" for s in steps)
    assert ResponseNote.objects.count() == sum(s["action"] == "response" for s in steps)
    assert RequesterFeedback.objects.count() == sum(s["action"] == "feedback" for s in steps)
    # The services wrote history as the demo person and a status-change row per transition.
    for model in (Requester, Goal, TAActivity, DeliverySummary, ResponseNote):
        assert not model.history.filter(history_user__isnull=True).exists(), model
    transitions = sum(s["action"] in ("status", "close", "cancel") for s in steps)
    assert StatusChange.objects.filter(field__in=("status", "completion_status")).count() >= (
        transitions
    )
    # Texts are filled in: dates and next year, never a left-over placeholder.
    texts = [*ResponseNote.objects.values_list("text", flat=True)]
    texts += TAActivity.objects.values_list("outcome_plan", flat=True)
    assert not [t for t in texts if "{" in t or "}" in t]
    assert TAActivity.objects.filter(
        outcome_plan__contains=str(timezone.localdate().year + 1)
    ).exists()
    # A2 and A10: exactly the records the scenario means to be late.
    assert TAActivity.objects.filter(is_late_entry=True).count() == 1
    assert DeliverySummary.objects.filter(is_late=True).count() == 1


@pytest.mark.django_db
def test_seed_demo_second_run_creates_nothing_new(demo_people):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    assert first["TAActivity"] == len(read_scenario()["activities"])
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert _counts() == first
    assert "nothing was duplicated" in output.getvalue()


@pytest.mark.django_db
def test_seed_demo_names_a_missing_reference_item_and_writes_nothing(demo_people):
    FocusArea.objects.filter(key="quality-qris-standards").update(key="renamed")
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Goal.objects.exists() and not TAActivity.objects.exists()
