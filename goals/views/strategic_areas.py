"""Pages that change what is on a goal: strategic areas (rule G1 from the goal category's
list, G2, C1 conflicts on their notes) and dated update notes (G1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form
from core.history import HistoryEntry, changes_since
from goals import services
from goals.forms import GoalNoteForm, StrategicAreaNotesForm, StrategicAreasAddForm
from goals.views.common import (
    AREA_NOTES_SAVED,
    AREA_REMOVED,
    AREAS_ADDED,
    NOTE_ADDED,
    NOTES_CONFLICT_INTRO,
    goal_or_404,
    posted,
    refuse_closed_for_non_admin,
    strategic_area_or_404,
)


@require_http_methods(["GET", "POST"])
def strategic_area_add(request: HttpRequest, pk: int) -> HttpResponse:
    """G1/G2: add strategic areas from the goal category's list to a goal."""
    goal = goal_or_404(request, pk, "goals.change_goal")
    refused = refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    form = StrategicAreasAddForm(posted(request), goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.strategic_areas_add(
                actor=request.user, goal=goal, items=form.strategic_area_choices()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            names = ", ".join(strategic_area.item.name for strategic_area in result.added)
            messages.success(request, AREAS_ADDED.format(names=names))
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/strategic_area_add.html", {"goal": goal, "form": form})


@require_http_methods(["GET", "POST"])
def strategic_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a strategic area's notes (C1: a stale save shows what changed since)."""
    strategic_area = strategic_area_or_404(request, pk, "goals.change_goal")
    goal = strategic_area.goal
    refused = refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    changes: list[HistoryEntry] = []
    conflict = False
    form = StrategicAreaNotesForm(posted(request), strategic_area=strategic_area)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategic_area_update_notes(
                actor=request.user,
                strategic_area=strategic_area,
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            conflict = True
            changes = changes_since(error.current, error.expected_version)
            form = conflict_form(
                StrategicAreaNotesForm, request, error.current.version, strategic_area=error.current
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, AREA_NOTES_SAVED.format(name=strategic_area.item.name))
            return redirect("goals:detail", pk=goal.pk)
    return render(
        request,
        "goals/strategic_area_edit.html",
        {
            "goal": goal,
            "strategic_area": strategic_area,
            "form": form,
            "changes": changes,
            "conflict_intro": NOTES_CONFLICT_INTRO,
            "conflict_reload_url": reverse("goals:edit_strategic_area", args=[strategic_area.pk]),
        },
        status=409 if conflict else 200,
    )


@require_POST
def strategic_area_remove(request: HttpRequest, pk: int) -> HttpResponse:
    strategic_area = strategic_area_or_404(request, pk, "goals.change_goal")
    name = strategic_area.item.name
    try:
        services.strategic_area_remove(actor=request.user, strategic_area=strategic_area)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, AREA_REMOVED.format(name=name))
    return redirect("goals:detail", pk=strategic_area.goal_id)


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """G1: a dated goal update note."""
    goal = goal_or_404(request, pk, "goals.change_goal")
    refused = refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    form = GoalNoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_note_add(
                actor=request.user,
                goal=goal,
                text=form.cleaned_data["text"],
                note_date=form.cleaned_data["note_date"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, NOTE_ADDED)
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/note_form.html", {"goal": goal, "form": form})
