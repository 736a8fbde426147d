"""DESIGN §5: form fuzz — every POST form refuses a missing required field, and wrong types,
with an error at the field it names, saves nothing, and never answers 500.

Each case starts from a valid submission (checked last: it must be accepted, so the refusals
are for the field taken away, not for something else)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from activities.models import ActivityStatus, CompletionStatus, PlanStage, Priority, Requester
from goals.models import Goal, GoalClosureRequest, GoalNote, Readiness, StrategicArea
from search.models import SavedSearch
from tests.factories import StrategicAreaItemFactory
from tests.factories_activities import (
    World,
    add_summary,
    create_activity,
    make_trackable,
    row_counts,
    today,
)

BAD_DATES = ("2026-02-30", "abc", "99999999999999999999", "-1", "é中🙂")
BAD_IDS = ("abc", "-1", "0", "999999", "99999999999999999999", "²")


@dataclass
class Setting:
    world: World
    activity: Any  # a trackable activity with one summary
    new_item: Any  # a strategic-area item of the world's other category
    own_item: Any = None  # a strategic-area item of the goal's category, not on the goal


@dataclass
class Case:
    url: Callable[[Setting], str]
    valid: Callable[[Setting], dict[str, Any]]
    form_key: str  # the form's name in the template context
    required: tuple[str, ...]  # posted names that must be given
    wrong: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # posted name -> values
    actor: str = "primary"
    prefix: str = ""
    accepted: tuple[int, ...] = (302,)
    error_at: dict[str, str] = field(default_factory=dict)  # a hidden field's visible one


def saved_counts() -> dict[str, int]:
    return {
        **row_counts(),
        "goals": Goal.objects.count(),
        "goal_history": Goal.history.count(),
        "strategic_areas": StrategicArea.objects.count(),
        "strategic_area_history": StrategicArea.history.count(),
        "goal_notes": GoalNote.objects.count(),
        "closure_requests": GoalClosureRequest.objects.count(),
        "saved_searches": SavedSearch.objects.count(),
        "requester_history": Requester.history.count(),
    }


def _activity_url(name: str) -> Callable[[Setting], str]:
    return lambda s: reverse(f"activities:{name}", args=[s.activity.pk])


def _goal_url(name: str) -> Callable[[Setting], str]:
    return lambda s: reverse(f"goals:{name}", args=[s.world.goal.pk])


def _day(days_ago: int = 0) -> str:
    return (today() - dt.timedelta(days=days_ago)).isoformat()


CASES: dict[str, Case] = {
    "goal create": Case(
        url=lambda s: reverse("goals:create") + f"?jurisdiction={s.world.jurisdiction.code}",
        valid=lambda s: {
            "start_date": _day(),
            "readiness": Readiness.MOST,
            "category": str(s.world.other_category.pk),
            "related_category": "",
            "strategic_areas": [str(s.new_item.pk)],
            "update_note": "",
        },
        form_key="form",
        required=("start_date", "readiness", "category", "strategic_areas"),
        wrong={
            "start_date": BAD_DATES,
            "readiness": ("abc", "-1"),
            "category": BAD_IDS,
            "related_category": BAD_IDS,
            # a strategic area of another category, and ids that are no strategic area
            "strategic_areas": ("from-world", *BAD_IDS),
        },
        actor="admin",
    ),
    "goal edit": Case(
        url=_goal_url("edit"),
        valid=lambda s: {
            "version": str(s.world.goal.version),
            "start_date": s.world.goal.start_date.isoformat(),
            "readiness": Readiness.LEAST,
            "category": str(s.world.goal.category_id),
            "related_category": "",
        },
        form_key="form",
        # The category is locked while the goal has activities (this one has one).
        required=("start_date", "readiness"),
        wrong={
            "version": ("abc", "-1", "99999999999999999999", "1.5"),
            "start_date": BAD_DATES,
            "related_category": BAD_IDS,
        },
        actor="admin",
    ),
    "strategic area add": Case(
        url=_goal_url("add_strategic_area"),
        valid=lambda s: {"strategic_areas": [str(s.own_item.pk)]},
        form_key="form",
        required=(),
        wrong={"strategic_areas": ("from-other-category", *BAD_IDS)},
        actor="admin",
    ),
    "goal note": Case(
        url=_goal_url("add_note"),
        valid=lambda s: {"note_date": _day(), "text": "The State adopted the standards."},
        form_key="form",
        required=("note_date", "text"),
        wrong={"note_date": BAD_DATES},
        actor="admin",
    ),
    "closure request": Case(
        url=_goal_url("request_closure"),
        valid=lambda s: {"reason": "The State met the goal."},
        form_key="form",
        required=("reason",),
        actor="admin",
    ),
    "plan note": Case(
        url=_activity_url("description_note_add"),
        valid=lambda s: {"stage": PlanStage.INTERMEDIATE, "text": "Refined.", "note_date": _day()},
        prefix="plan",
        form_key="plan_form",
        required=("stage", "text"),
        wrong={"stage": ("abc", PlanStage.ARCHIVED_FINAL), "note_date": BAD_DATES},
    ),
    "status": Case(
        url=_activity_url("status"),
        valid=lambda s: {
            "status": ActivityStatus.ON_HOLD,
            "reason": "State paused.",
            "version": s.activity.version,
        },
        prefix="status",
        form_key="status_form",
        required=("status",),
        wrong={"status": ("abc", "-1"), "version": ("abc", "99999999999999999999")},
    ),
    "summary": Case(
        url=_activity_url("summary_add"),
        valid=lambda s: {
            "delivery_date": _day(1),
            "text": "State received a remote consultation.",
            "delivery_methods": [s.world.method.pk],
            "ta_types": [s.world.ta_type.pk],
        },
        prefix="summary",
        form_key="summary_form",
        required=("delivery_date", "text"),
        wrong={
            "delivery_date": BAD_DATES,
            "delivery_methods": BAD_IDS,
            "ta_types": ("from-world", *BAD_IDS),  # a delivery method's id as a TA type
        },
    ),
    "feedback": Case(
        url=_activity_url("feedback_add"),
        valid=lambda s: {
            "feedback_date": _day(),
            "giver_name": "Dana Director",
            "giver_title": "CCDF Administrator",
            "text": "This is exactly what we needed.",
        },
        prefix="feedback",
        form_key="feedback_form",
        required=("giver_name", "giver_title", "text"),
        wrong={"feedback_date": BAD_DATES},
    ),
    "response note": Case(
        url=_activity_url("response_note_add"),
        valid=lambda s: {"text": "Sent the crosswalk."},
        prefix="response",
        form_key="note_form",
        required=("text",),
    ),
    "close": Case(
        url=_activity_url("close"),
        valid=lambda s: {
            "completion_date": _day(),
            "outcome_report": "State published revised QRIS standards.",
            "version": s.activity.version,
        },
        form_key="form",
        required=("completion_date", "outcome_report"),
        wrong={"completion_date": BAD_DATES, "version": ("abc", "-1")},
    ),
    "saved search": Case(
        url=lambda s: reverse("search:saved_create"),
        valid=lambda s: {"name": "My Georgia search", "query": "q=QRIS"},
        form_key="save_form",
        required=("name",),
        wrong={"query": ("x" * 10_000, "a\x00b", "jurisdiction=abc")},
        error_at={"query": "name"},  # the criteria are hidden; the error sits at the name
    ),
}

# Cancel is refused once TA was delivered (A12), so it runs on an activity without summaries.
CANCEL = Case(
    url=lambda s: reverse("activities:cancel", args=[s.activity.pk]),
    valid=lambda s: {"reason": "The State withdrew.", "version": s.activity.version},
    form_key="form",
    required=("reason",),
    wrong={"version": ("abc", "-1", "99999999999999999999")},
)


@pytest.fixture
def setting(world: World) -> Setting:
    """The shared world, with a trackable activity opened 40 days ago and one summary."""
    activity = create_activity(world, date_opened=today() - dt.timedelta(days=40))
    make_trackable(world, activity)
    add_summary(world, activity, delivery_date=today() - dt.timedelta(days=3))
    activity.refresh_from_db()
    new_item = StrategicAreaItemFactory(category=world.other_category)
    own_item = StrategicAreaItemFactory(category=world.category)
    return Setting(world=world, activity=activity, new_item=new_item, own_item=own_item)


def _posted(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    return {f"{case.prefix}-{k}" if case.prefix else k: v for k, v in data.items()}


def _assert_refused_at(
    client: Any, case: Case, url: str, data: dict, name: str, *or_at: str
) -> None:
    before = saved_counts()
    response = client.post(url, _posted(case, data))
    assert response.status_code in (200, 400, 409), (name, data.get(name), response.status_code)
    form = response.context[case.form_key]
    errors = form.errors
    if not any(other in errors for other in or_at):
        assert name in errors or (name == "version" and errors), (name, data.get(name), errors)
    if name in errors and not form[name].is_hidden:
        assert f'id="{form[name].auto_id}-error"' in response.content.decode(), name
    assert saved_counts() == before, (name, data.get(name))


def _run(client: Any, case: Case, setting: Setting) -> None:
    client.force_login(getattr(setting.world, case.actor))
    url = case.url(setting)
    valid = case.valid(setting)
    for name in case.required:
        data = {k: v for k, v in valid.items() if k != name}
        _assert_refused_at(client, case, url, data, name)
        _assert_refused_at(client, case, url, {**data, name: ""}, name)
    for name, values in case.wrong.items():
        for value in values:
            if value == "from-other-category":
                value = setting.new_item.pk
            if value == "from-world":  # an id of the wrong kind of object
                value = {
                    "strategic_areas": setting.world.strategic_area.item_id,
                    "ta_types": setting.world.method.pk + 1000,
                }[name]
            shaped = [value] if isinstance(valid.get(name), list) else value
            refused_at = (name, case.error_at[name]) if name in case.error_at else (name,)
            _assert_refused_at(client, case, url, {**valid, name: shaped}, *refused_at)
    response = client.post(url, _posted(case, valid))
    assert response.status_code in case.accepted, (response.status_code, response.context)


@pytest.mark.parametrize("label", list(CASES))
def test_bad_input_form_refuses_missing_and_wrong_values_at_the_field(client, setting, label):
    _run(client, CASES[label], setting)


def test_bad_input_cancel_refuses_missing_reason_and_text_version(client, world, activity):
    setting = Setting(world=world, activity=activity, new_item=None)
    _run(client, CANCEL, setting)
    activity.refresh_from_db()
    assert activity.completion_status == CompletionStatus.CANCELLED


def test_bad_input_activity_create_refuses_each_missing_field(client, world):
    client.force_login(world.primary)
    url = reverse("activities:create") + f"?strategic_area={world.strategic_area.pk}"
    valid = {
        "focus": world.focus.pk,
        "date_opened": _day(),
        "priority": Priority.HIGH,
        "requesters": [world.requester.pk],
        "primary_center": world.center.pk,
        "primary_staff": world.primary.pk,
        "description_stage": PlanStage.INITIAL,
        "description_notes": "SCBC to gather other States' QRIS standards.",
        "activity_type": "targeted",
        "status": ActivityStatus.PLANNING,
        "outcome_plan": "State will publish revised QRIS standards by the fall.",
        "requested_by_ccdf_administrator": "yes",
        "save": "1",
    }
    case = Case(url=lambda s: url, valid=lambda s: valid, form_key="form", required=())
    required = ("focus", "date_opened", "priority", "requesters", "primary_center")
    required += ("primary_staff", "activity_type", "outcome_plan")
    required += ("requested_by_ccdf_administrator",)  # A7
    for name in required:
        _assert_refused_at(client, case, url, {k: v for k, v in valid.items() if k != name}, name)
    wrong: dict[str, tuple[Any, ...]] = {
        "date_opened": BAD_DATES,
        "focus": (*BAD_IDS, world.focus_elsewhere.pk),  # a focus of another category
        "requesters": (*BAD_IDS, world.faraway_requester.pk),  # outside the region
        "primary_center": BAD_IDS,
        "primary_staff": (*BAD_IDS, world.requester.pk + 1000),
        "collaborating_centers": BAD_IDS,
        "collaborating_staff": BAD_IDS,
        "other_collaborators": BAD_IDS,
        "priority": ("abc", "-1"),
        # A7: approvals on record.
        "requested_by_ccdf_administrator": ("maybe", "1", "true"),
        "requester_approver_role": ("abc", "governor"),
        "requester_approval_date": BAD_DATES,
        "cor_approval_date": BAD_DATES,
    }
    for name, values in wrong.items():
        for value in values:
            shaped = [value] if name.endswith(("s", "staff")) and name != "priority" else value
            _assert_refused_at(client, case, url, {**valid, name: shaped}, name)
    assert client.post(url, valid).status_code == 302
