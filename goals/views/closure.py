"""Closure pages (rule G4): ask for closure, the administrators' queue, close (refused with
the list of open TA activities while any remain), decline a request, reopen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form
from goals import selectors, services
from goals.forms import ClosureDeclineForm, ClosureRequestForm, GoalCloseForm, GoalReopenForm
from goals.models import GoalClosureRequest
from goals.views.common import (
    CLOSURE_REQUESTED,
    GOAL_CLOSED,
    GOAL_REOPENED,
    QUEUE_ADMIN_ONLY,
    REQUEST_DECLINED,
    closure_request_or_404,
    goal_or_404,
    posted,
)


@require_http_methods(["GET", "POST"])
def request_closure(request: HttpRequest, pk: int) -> HttpResponse:
    """G4: anyone who may edit the goal asks an administrator to close it."""
    goal = goal_or_404(request, pk, "goals.request_goal_closure")
    form = ClosureRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_request_closure(
                actor=request.user, goal=goal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, CLOSURE_REQUESTED)
            return redirect("goals:detail", pk=goal.pk)
    return render(
        request,
        "goals/closure_request_form.html",
        {
            "goal": goal,
            "form": form,
            "open_activities": list(selectors.open_activities_of_goal(goal)),
        },
    )


@require_GET
def closure_queue(request: HttpRequest) -> HttpResponse:
    """G4: the administrators' queue of pending closure requests."""
    if not request.user.has_perm("goals.close_goal"):
        raise PermissionDenied(QUEUE_ADMIN_ONLY)
    pending = list(selectors.pending_closure_requests())
    open_counts = selectors.open_activity_counts([r.goal_id for r in pending])
    rows = [(r, open_counts.get(r.goal_id, 0)) for r in pending]
    return render(request, "goals/closure_queue.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def goal_close(request: HttpRequest, pk: int) -> HttpResponse:
    """G4: an administrator closes the goal with the required note; refused with the list
    of still-open activities while any remain."""
    goal = goal_or_404(request, pk, "goals.close_goal")
    if not goal.is_open:
        messages.info(request, services.GOAL_NOT_OPEN)
        return redirect("goals:detail", pk=goal.pk)
    pending = goal.closure_requests.filter(status=GoalClosureRequest.Status.PENDING).first()
    form = GoalCloseForm(
        posted(request),
        initial={"closure_request": pending.pk if pending else None, "version": goal.version},
    )
    refused_activities = None
    if request.method == "POST" and form.is_valid():
        closure_request = None
        if form.cleaned_data["closure_request"]:
            closure_request = get_object_or_404(
                GoalClosureRequest, pk=form.cleaned_data["closure_request"], goal=goal
            )
        try:
            services.goal_close(
                actor=request.user,
                goal=goal,
                note=form.cleaned_data["note"],
                closure_request=closure_request,
                expected_version=form.cleaned_data["version"],
            )
        except services.OpenActivitiesRemain as error:
            refused_activities = error.open_activities
            form.add_error(None, error.messages[0])
        except ConflictError as error:
            form = conflict_form(GoalCloseForm, request, error.current.version)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, GOAL_CLOSED)
            return redirect("goals:detail", pk=goal.pk)
    open_activities = (
        refused_activities
        if refused_activities is not None
        else list(selectors.open_activities_of_goal(goal))
    )
    return render(
        request,
        "goals/goal_close.html",
        {
            "goal": goal,
            "form": form,
            "pending": pending,
            "open_activities": open_activities,
            "refused": refused_activities is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def closure_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """G4: an administrator declines a pending closure request, saying why."""
    closure_request = closure_request_or_404(request, pk)
    form = ClosureDeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_closure_decline(
                actor=request.user, request=closure_request, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, REQUEST_DECLINED)
            return redirect("goals:closure_queue")
    return render(
        request,
        "goals/closure_decline.html",
        {"closure_request": closure_request, "goal": closure_request.goal, "form": form},
    )


@require_http_methods(["GET", "POST"])
def goal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator reopens a closed goal, saying why."""
    goal = goal_or_404(request, pk, "goals.close_goal")
    form = GoalReopenForm(posted(request), initial={"version": goal.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_reopen(
                actor=request.user,
                goal=goal,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, GOAL_REOPENED)
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/goal_reopen.html", {"goal": goal, "form": form})
