"""The goal's own pages: the goal page, the edit page (rule G1 fields, G2 on a category
change, C1 conflicts shown with `core.history.changes_since`) and the history (AU1)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form
from core.history import changes_since
from goals import selectors, services
from goals.forms import CONFIRM_SECOND_GOAL_REQUIRED, GoalEditForm, GoalNoteForm
from goals.models import Goal, GoalClosureRequest
from goals.views.common import (
    GOAL_CONFLICT_INTRO,
    GOAL_UPDATED,
    goal_or_404,
    refuse_closed_for_non_admin,
    values_as_initial,
)
from goals.views.create import duplicates_of


@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        goal = selectors.goal_with_details(pk)
    except Goal.DoesNotExist:
        raise Http404("No such goal.") from None
    requests = list(goal.closure_requests.all())
    pending = next((r for r in requests if r.status == GoalClosureRequest.Status.PENDING), None)
    user = request.user
    can_edit = user.has_perm("goals.change_goal", goal) and (goal.is_open or user.is_admin)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "strategic_areas": selectors.strategic_areas_with_activities(goal),
            "notes": list(goal.notes.all()),
            "closure_requests": requests,
            "pending_request": pending,
            "open_activity_count": selectors.open_activity_count(goal),
            "can_edit": can_edit,
            "can_request_closure": goal.is_open
            and pending is None
            and user.has_perm("goals.request_goal_closure", goal),
            "can_close": goal.is_open and user.has_perm("goals.close_goal", goal),
            "can_reopen": not goal.is_open and user.has_perm("goals.close_goal", goal),
            "can_add_activity": goal.is_open
            and user.has_perm("activities.add_taactivity", goal.jurisdiction),
            "note_form": GoalNoteForm() if can_edit else None,
        },
    )


def _edit_context(goal: Goal, form: GoalEditForm, **extra: Any) -> dict[str, Any]:
    return {
        "goal": goal,
        "jurisdiction": goal.jurisdiction,
        "form": form,
        "page_title": f"Edit goal: {goal.category}",
        "duplicates": [],
        "changes": [],
        **extra,
    }


def _other_duplicates(goal: Goal, form: GoalEditForm) -> list[Goal]:
    return [g for g in duplicates_of(goal.jurisdiction, form.cleaned_data["category"]) if g != goal]


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """G1 edit with C1's version check."""
    goal = goal_or_404(request, pk, "goals.change_goal")
    refused = refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    category_locked = goal.activities.exists()

    def page(form: GoalEditForm, **extra: Any) -> HttpResponse:
        return render(request, "goals/goal_form.html", _edit_context(goal, form, **extra))

    if request.method == "GET":
        return page(GoalEditForm(goal=goal, category_locked=category_locked))

    if "show_areas" in request.POST:
        initial = values_as_initial(request.POST)
        return page(GoalEditForm(goal=goal, category_locked=category_locked, initial=initial))

    form = GoalEditForm(request.POST, goal=goal, category_locked=category_locked)
    if not form.is_valid():
        return page(form)
    confirm = request.POST.get("action") == "create_second"
    if confirm and not form.cleaned_data["confirm_second_goal"]:
        form.add_error("confirm_second_goal", CONFIRM_SECOND_GOAL_REQUIRED)
        return page(form, duplicates=_other_duplicates(goal, form))
    try:
        services.goal_update(
            actor=request.user,
            goal=goal,
            expected_version=form.cleaned_data["version"],
            strategic_areas=form.strategic_area_choices() if form.category_changes else None,
            confirm_duplicate_category=confirm,
            **form.goal_fields(),
        )
    except ConflictError as conflict:
        return _edit_conflict(request, goal, conflict, category_locked)
    except services.DuplicateGoalCategory:
        return page(form, duplicates=_other_duplicates(goal, form))
    except ValidationError as error:
        apply_service_errors(form, error)
        return page(form)
    messages.success(request, GOAL_UPDATED)
    return redirect("goals:detail", pk=goal.pk)


def _edit_conflict(
    request: HttpRequest, goal: Goal, conflict: ConflictError, category_locked: bool
) -> HttpResponse:
    """C1: the form comes back with what this user typed, what the others changed since
    the version they opened, and the stored version number, so that saving again is a
    deliberate choice."""
    current = Goal.objects.select_related("jurisdiction", "category", "related_category").get(
        pk=goal.pk
    )
    form = conflict_form(
        GoalEditForm, request, current.version, goal=current, category_locked=category_locked
    )
    context = _edit_context(
        current,
        form,
        changes=changes_since(current, conflict.expected_version),
        conflict_intro=GOAL_CONFLICT_INTRO,
        conflict_reload_url=reverse("goals:edit", args=[goal.pk]),
    )
    return render(request, "goals/goal_form.html", context, status=409)


@require_GET
def goal_history(request: HttpRequest, pk: int) -> HttpResponse:
    """AU1: who changed what and when, old → new, for the goal and everything on it."""
    goal = goal_or_404(request, pk)
    entries = selectors.goal_history(goal)
    return render(request, "goals/goal_history.html", {"goal": goal, "entries": entries})
