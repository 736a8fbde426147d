"""The add-a-goal page (rules G1 fields, G2 one open goal per category — or add the
strategic areas to the existing goal —, G3 who may add) and its strategic-area list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import require
from core.forms import apply_service_errors
from goals import selectors, services
from goals.forms import CONFIRM_SECOND_GOAL_REQUIRED, GoalCreateForm, GoalEditForm
from goals.models import Goal
from goals.views.common import (
    AREAS_ADDED,
    AREAS_ALREADY_THERE,
    GOAL_CREATED,
    UNKNOWN_JURISDICTION,
    goal_or_404,
    values_as_initial,
)
from reference.models import GoalCategory, Jurisdiction
from reference.selectors import jurisdiction_by_code


def _create_context(
    request: HttpRequest,
    jurisdiction: Jurisdiction,
    form: GoalCreateForm,
    duplicates: list[Goal] | None = None,
) -> dict[str, Any]:
    for existing in duplicates or []:
        # G2's "add to the existing goal" is offered only to those who may change it (G3:
        # other staff may add a goal, but only the SSS and administrators edit one).
        existing.can_add_areas = request.user.has_perm("goals.change_goal", existing)
    return {
        "jurisdiction": jurisdiction,
        "form": form,
        "duplicates": duplicates or [],
        "open_goals": list(selectors.goals_for_jurisdiction(jurisdiction).open()),
        "page_title": f"Add a goal for {jurisdiction.name}",
    }


def duplicates_of(jurisdiction: Jurisdiction, category: GoalCategory) -> list[Goal]:
    return list(selectors.open_goals_in_category(jurisdiction, category))


@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    """G1–G3: add a goal for the State or Territory named by `?jurisdiction=<code>`."""
    jurisdiction = jurisdiction_by_code(request.GET.get("jurisdiction", ""))
    if jurisdiction is None:
        raise Http404(UNKNOWN_JURISDICTION)
    require(request.user, "goals.add_goal", jurisdiction)

    def page(form: GoalCreateForm, duplicates: list[Goal] | None = None) -> HttpResponse:
        context = _create_context(request, jurisdiction, form, duplicates)
        return render(request, "goals/goal_form.html", context)

    if request.method == "GET":
        return page(GoalCreateForm())

    if "show_areas" in request.POST:
        # Without JavaScript: redraw the form with the chosen category's strategic areas,
        # keeping everything typed, and without complaining about what is not filled yet.
        return page(GoalCreateForm(initial=values_as_initial(request.POST)))

    form = GoalCreateForm(request.POST)
    if not form.is_valid():
        return page(form)

    add_to_goal = request.POST.get("add_to_goal", "")
    if add_to_goal:
        return _add_to_existing_goal(request, jurisdiction, form, add_to_goal)

    confirm = request.POST.get("action") == "create_second"
    if confirm and not form.cleaned_data["confirm_second_goal"]:
        form.add_error("confirm_second_goal", CONFIRM_SECOND_GOAL_REQUIRED)
        return page(form, duplicates_of(jurisdiction, form.cleaned_data["category"]))
    try:
        goal = services.goal_create(
            actor=request.user,
            jurisdiction=jurisdiction,
            category=form.cleaned_data["category"],
            related_category=form.cleaned_data["related_category"],
            readiness=form.cleaned_data["readiness"],
            start_date=form.cleaned_data["start_date"],
            start_date_is_approximate=form.cleaned_data["start_date_is_approximate"],
            strategic_areas=form.strategic_area_choices(),
            update_note=form.cleaned_data["update_note"],
            confirm_duplicate_category=confirm,
        )
    except services.DuplicateGoalCategory as duplicate:
        # G2: show the open goal(s) in this category and offer the two ways forward.
        return page(
            form,
            duplicates_of(jurisdiction, form.cleaned_data["category"]) or duplicate.existing_goals,
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return page(form)
    messages.success(request, GOAL_CREATED)
    return redirect("goals:detail", pk=goal.pk)


def _add_to_existing_goal(
    request: HttpRequest, jurisdiction: Jurisdiction, form: GoalCreateForm, raw_pk: str
) -> HttpResponse:
    """G2: add the chosen strategic areas (and the update note) to the existing goal."""
    try:
        goal = goal_or_404(request, int(raw_pk), "goals.change_goal")
    except ValueError:
        raise Http404("No such goal.") from None
    if (
        goal.jurisdiction_id != jurisdiction.pk
        or goal.category_id != form.cleaned_data["category"].pk
    ):
        raise Http404("No such goal in this State or Territory and category.")
    try:
        result = services.strategic_areas_add(
            actor=request.user,
            goal=goal,
            items=form.strategic_area_choices(),
            update_note=form.cleaned_data["update_note"],
            skip_present=True,
        )
    except ValidationError as error:
        apply_service_errors(form, error, {"item": "strategic_areas", "text": "update_note"})
        context = _create_context(
            request, jurisdiction, form, duplicates_of(jurisdiction, goal.category)
        )
        return render(request, "goals/goal_form.html", context)
    added = [strategic_area.item.name for strategic_area in result.added]
    message = AREAS_ADDED.format(names=", ".join(added) or "no new strategic area")
    if result.skipped:
        message += AREAS_ALREADY_THERE.format(names=", ".join(i.name for i in result.skipped))
    messages.success(request, message)
    return redirect("goals:detail", pk=goal.pk)


@require_GET
def strategic_area_options(request: HttpRequest) -> HttpResponse:
    """The strategic-area checkboxes of `?category=` (htmx swaps them into the goal form).

    With `?goal=<pk>` (the edit page), choosing the goal's own category shows that its
    strategic areas are kept.
    """
    goal = None
    raw_goal = request.GET.get("goal", "")
    if raw_goal.isdecimal():
        goal = goal_or_404(request, int(raw_goal))
    initial = {"category": request.GET.get("category", "")}
    form: GoalCreateForm | GoalEditForm
    if goal is not None:
        form = GoalEditForm(goal=goal, initial=initial)
    else:
        form = GoalCreateForm(initial=initial)
    return render(request, "goals/_strategic_area_options.html", {"form": form, "goal": goal})
