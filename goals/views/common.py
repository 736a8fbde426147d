"""What the goal pages share: the access helpers (404 when missing, 403 with a readable
reason when not allowed — G3, G4), the closed-goal guard, and the messages they show."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect

from accounts.permissions import require
from goals import services
from goals.models import Goal, GoalClosureRequest, StrategicArea

GOAL_CREATED = "The goal was saved."
GOAL_UPDATED = "Your changes to the goal were saved."
AREAS_ADDED = "Added to the goal: {names}."
AREAS_ALREADY_THERE = " Already on the goal: {names}."
AREA_NOTES_SAVED = "The notes on “{name}” were saved."
AREA_REMOVED = "“{name}” was removed from the goal."
NOTE_ADDED = "The goal update note was added."
CLOSURE_REQUESTED = "Your request to close the goal was sent to the TAT administrators."
GOAL_CLOSED = "The goal was closed; your note was added to its update and completion notes."
REQUEST_DECLINED = "The closure request was declined; the person who asked was notified."
GOAL_REOPENED = "The goal was reopened."
CLOSED_GOAL_READ_ONLY = services.GOAL_CLOSED_READ_ONLY
QUEUE_ADMIN_ONLY = "Only a TAT administrator may see the queue of closure requests."
UNKNOWN_JURISDICTION = "Choose a State or Territory first (“View/Add/Edit State TA for”)."
GOAL_CONFLICT_INTRO = "Someone else changed this goal while you were editing."
NOTES_CONFLICT_INTRO = "Someone else changed these notes while you were editing."


def goal_or_404(request: HttpRequest, pk: int, perm: str | None = None) -> Goal:
    """The goal (404 when missing), checked against `perm` (403 with a readable reason)."""
    goal = get_object_or_404(
        Goal.objects.select_related("jurisdiction", "jurisdiction__region", "category"), pk=pk
    )
    if perm:
        require(request.user, perm, goal)
    return goal


def strategic_area_or_404(request: HttpRequest, pk: int, perm: str) -> StrategicArea:
    strategic_area = get_object_or_404(
        StrategicArea.objects.select_related(
            "item", "goal", "goal__jurisdiction", "goal__category"
        ),
        pk=pk,
    )
    require(request.user, perm, strategic_area.goal)
    return strategic_area


def closure_request_or_404(request: HttpRequest, pk: int) -> GoalClosureRequest:
    closure_request = get_object_or_404(
        GoalClosureRequest.objects.select_related(
            "goal", "goal__jurisdiction", "goal__category", "requested_by"
        ),
        pk=pk,
    )
    require(request.user, "goals.close_goal", closure_request.goal)
    return closure_request


def refuse_closed_for_non_admin(request: HttpRequest, goal: Goal) -> HttpResponse | None:
    """A closed goal is read-only except for administrators: say so on the goal's page."""
    if goal.is_open or request.user.is_admin:
        return None
    messages.error(request, CLOSED_GOAL_READ_ONLY)
    return redirect("goals:detail", pk=goal.pk)


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on POST (even when empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def values_as_initial(data: QueryDict) -> dict[str, Any]:
    """What was typed, as a form's initial values (lists for multiple choices)."""
    initial: dict[str, Any] = {}
    for key in data:
        if key == "csrfmiddlewaretoken":
            continue
        values = data.getlist(key)
        initial[key] = values if key == "strategic_areas" else values[-1]
    return initial
