"""What every TA activity page shares: the one access helper (404/403), the record page's
tabs and context (what the person may do, A13; whether tracking is available and why
not, A9), and the messages shared by several pages.
"""

from __future__ import annotations

from typing import Any

import rules
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities import selectors, services
from activities.lifecycle import activity_life_stage
from activities.models import ActivityStatus, CompletionStatus, PlanStage, TAActivity
from core.templatetags.uswds import field_help_for_request

TRACKING_NO_FINAL = (
    "There is no current final plan. Add a TA activity description note of type “Final "
    "plan” on the Details tab."
)
TRACKING_NOT_APPROVED = (
    "The TA activity status is “{status}”, not “Approved”. Once the COR approves the "
    "activity, mark it approved on the Details tab."
)

TABS = (
    ("details", "Details", "activities:detail"),
    ("tracking", "Tracking", "activities:tracking"),
    ("response_notes", "TA response notes", "activities:response_notes"),
    ("history", "History", "activities:history"),
)
STATUS_LABELS = {**dict(ActivityStatus.choices), **dict(CompletionStatus.choices)}


def activity_for(request: HttpRequest, pk: int, perm: str | None = None) -> TAActivity:
    """The activity with everything a record page shows (404), checked against `perm`."""
    activity = selectors.activity_with_details(pk)
    if activity is None:
        raise Http404("No TA activity has this record number.")
    if perm:
        require(request.user, perm, activity)
    return activity


def permissions(user: User, activity: TAActivity) -> dict[str, bool]:
    can_edit = rules.has_perm("activities.change_taactivity", user, activity)
    is_open = activity.is_open
    takes_part = user.pk == activity.primary_staff_id or any(
        person.pk == user.pk for person in activity.collaborating_staff.all()
    )
    return {
        "can_edit": can_edit and is_open,
        "can_approve": is_open
        and (can_edit or rules.has_perm("activities.approve_taactivity", user, activity)),
        "can_add_feedback": can_edit,
        "can_add_response_note": can_edit and is_open,
        "can_reopen": not is_open
        and rules.has_perm("activities.reopen_taactivity", user, activity),
        # A16, issue #12 door 1: the same permission the service asks; offered to those
        # not yet taking part as staff.
        "can_join": is_open
        and activity.is_goal_driven
        and not takes_part
        and rules.has_perm("activities.join_taactivity", user, activity),
        # ... and those who may not join directly ask its primary staff person, who answers.
        "can_request_join": is_open
        and activity.is_goal_driven
        and not takes_part
        and not rules.has_perm("activities.join_taactivity", user, activity)
        and rules.has_perm("activities.request_join", user, activity),
        "can_answer_join_requests": rules.has_perm(
            "activities.decide_join_request", user, activity
        ),
    }


def tracking_explanations(activity: TAActivity, reasons: list[str]) -> list[str]:
    explanations = []
    for reason in reasons:
        if reason == services.TRACKING_REASON_NO_FINAL:
            explanations.append(TRACKING_NO_FINAL)
        elif reason == services.TRACKING_REASON_NOT_APPROVED:
            explanations.append(TRACKING_NOT_APPROVED.format(status=activity.get_status_display()))
        else:
            explanations.append(reason)
    return explanations


def record_context(request: HttpRequest, activity: TAActivity, tab: str) -> dict[str, Any]:
    available, reasons = services.tracking_available(activity)
    notes = list(activity.description_notes.all())
    for change in activity.status_history:
        change.from_label = STATUS_LABELS.get(change.from_value, change.from_value)
        change.to_label = STATUS_LABELS.get(change.to_value, change.to_value)
    outcome_plan_help = field_help_for_request(request, "activity.outcome_plan_tracking")
    completion_help = field_help_for_request(request, "activity.completion_status")
    return {
        "activity": activity,
        "tab": tab,
        "tabs": [(key, label, reverse(name, args=[activity.pk])) for key, label, name in TABS],
        "can": permissions(request.user, activity),
        "tracking_available": available,
        "tracking_explanations": tracking_explanations(activity, reasons),
        "life_stage": activity_life_stage(activity),
        "plan_notes": notes,
        "current_final_plan": next((n for n in notes if n.stage == PlanStage.FINAL), None),
        "requesters": list(activity.requesters.all()),
        "collaborating_centers": list(activity.collaborating_centers.all()),
        "collaborating_staff": list(activity.collaborating_staff.all()),
        "other_collaborators": list(activity.other_collaborators.all()),
        "summaries": list(activity.summaries.all()),
        "feedback_notes": list(activity.feedback.all()),
        "response_notes": list(activity.response_notes.all()),
        # R1: open send-backs show as a banner on the tab they concern (oversight's model,
        # read through the reverse relation: this floor never imports oversight).
        "open_send_backs": list(
            activity.send_backs.open().select_related("sent_by").order_by("sent_at", "id")
        ),
        "status_history": activity.status_history,
        "today": timezone.localdate(),
        "user_id": request.user.pk,
        "is_admin": getattr(request.user, "is_admin", False),
        "outcome_plan_help": outcome_plan_help.definition if outcome_plan_help else "",
        "completion_help": completion_help,
    }
