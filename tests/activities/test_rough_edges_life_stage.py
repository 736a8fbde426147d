"""Issue 10, rough edges: a record shows its life stage — plan → approved → tracking → closed,
cancelled as a branch — and what the next step still needs, from the services' own
predicates (A6/A9 final plan, A7 approvals on record, A10 summaries, A12 outcome report)."""

from __future__ import annotations

import re

import pytest

from activities import services
from activities.lifecycle import (
    NEEDS_FINAL_PLAN,
    NEEDS_OUTCOME_REPORT,
    NEEDS_SUMMARY,
    activity_life_stage,
)
from activities.models import ActivityStatus, PlanStage, RequesterApproverRole
from activities.selectors import activity_with_details
from tests.activities.helpers import sign_in, url
from tests.factories_activities import add_summary, cor_approval, create_activity, today

pytestmark = pytest.mark.django_db

COR_GAP = "needs the COR's approval on record, name and date (A7)"
REQUESTER_SIDE_GAP = "needs the CCDF Administrator's or RPM's approval on record (A7)"
NEEDS_APPROVED = "needs its status marked “Approved” (A7; now “Planning in progress”)"


def _stage(activity):
    return activity_life_stage(activity_with_details(activity.pk))


def _states(stage) -> list[tuple[str, str]]:
    return [(step.label, step.state) for step in stage.steps]


def test_a7_a9_new_activity_is_at_plan_and_needs_final_plan_and_approval(world, activity):
    stage = _stage(activity)
    assert stage.current == "plan" and stage.position == 1
    assert _states(stage) == [
        ("Plan", "current"),
        ("Approved", ""),
        ("Tracking", ""),
        ("Closed", ""),
    ]
    assert stage.next_step == "Approved"
    # Requested directly by the CCDF Administrator: only the COR's approval is still due.
    assert stage.missing == [NEEDS_FINAL_PLAN, COR_GAP, NEEDS_APPROVED]


def test_a7_requester_side_approval_gap_is_named_once(world):
    activity = create_activity(world, requested_by_ccdf_administrator=False)
    stage = _stage(activity)
    assert stage.missing.count(REQUESTER_SIDE_GAP) == 1
    services.activity_update(
        actor=world.primary,
        activity=activity,
        expected_version=activity.version,
        **_approval_fields(activity),
    )
    assert REQUESTER_SIDE_GAP not in _stage(activity).missing


def _approval_fields(activity) -> dict:
    return {
        "requester_approver_role": RequesterApproverRole.RPM,
        "requester_approver_name": "Rita Manager",
        "requester_approval_date": today(),
    }


def test_a9_approved_without_final_plan_is_at_approved_and_needs_the_plan(world, activity):
    services.activity_set_status(
        actor=world.federal, activity=activity, status=ActivityStatus.APPROVED, **cor_approval()
    )
    stage = _stage(activity)
    assert stage.current == "approved"
    assert _states(stage)[:2] == [("Plan", "complete"), ("Approved", "current")]
    assert stage.next_step == "Tracking"
    assert stage.missing == [NEEDS_FINAL_PLAN]


def test_a10_a12_tracking_needs_summary_and_outcome_report_then_closes(world, trackable):
    stage = _stage(trackable)
    assert stage.current == "tracking" and stage.position == 3
    assert stage.missing == [NEEDS_SUMMARY, NEEDS_OUTCOME_REPORT]
    add_summary(world, trackable)
    assert _stage(trackable).missing == [NEEDS_OUTCOME_REPORT]
    trackable.refresh_from_db()
    services.activity_close(
        actor=world.primary,
        activity=trackable,
        completion_date=today(),
        outcome_report="The State adopted revised QRIS standards.",
        expected_version=trackable.version,
    )
    closed = _stage(trackable)
    assert closed.current == "closed" and closed.missing == [] and closed.next_step == ""
    assert [state for _, state in _states(closed)] == ["complete"] * 3 + ["current"]


def test_a12_cancelled_is_a_branch_after_the_steps_reached(world, activity):
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="Final plan."
    )
    services.activity_cancel(actor=world.primary, activity=activity, reason="Not needed.")
    stage = _stage(activity)
    assert _states(stage) == [("Plan", "complete"), ("Cancelled", "current")]
    assert stage.missing == []


def test_record_page_shows_the_step_indicator_and_what_is_missing(client, world, activity):
    sign_in(client, world.federal)
    page = client.get(url("detail", activity)).content.decode()
    indicator = re.search(r'<section class="tat-life-stage".*?</section>', page, re.S)
    assert indicator
    html = indicator.group(0)
    assert "usa-step-indicator" in html
    assert re.search(
        r'usa-step-indicator__segment--current" aria-current="step">\s*'
        r'<span class="usa-step-indicator__segment-label">Plan</span>',
        html,
    )
    assert '<span class="usa-step-indicator__current-step">1</span>' in html
    assert "Before “Approved”, this TA activity:" in html
    for item in (NEEDS_FINAL_PLAN, COR_GAP):
        assert item.replace("'", "&#x27;").replace("“", "“") in html
    # Every tab of the record shows it (it sits in the record header).
    for tab in ("tracking", "history", "response_notes"):
        assert 'class="tat-life-stage"' in client.get(url(tab, activity)).content.decode()
