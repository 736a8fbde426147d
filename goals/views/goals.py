"""Goal pages (G1–G4, AU1, C1). Each view gets its object through one access helper
(404 when missing, 403 when not allowed), binds a form, calls a `goals.services` function
and redirects, or re-renders the form with the service's errors on the fields it names."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from activities.models import TAActivity
from core.concurrency import CONFLICT_MESSAGE, ConflictError
from core.selectors import jurisdiction_by_code
from goals import selectors, services
from goals.forms import (
    CONFIRM_SECOND_GOAL_REQUIRED,
    ClosureDeclineForm,
    ClosureRequestForm,
    GoalCloseForm,
    GoalCreateForm,
    GoalEditForm,
    GoalNoteForm,
    GoalReopenForm,
    StrategicAreaNotesForm,
    StrategicAreasAddForm,
    apply_service_errors,
)
from goals.models import Goal, GoalClosureRequest, Readiness, StrategicArea
from reference.models import GoalCategory, Jurisdiction

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

GOAL_FIELD_LABELS = {
    "start_date": "Start date",
    "start_date_is_approximate": "The start date is approximate",
    "readiness": "Readiness to implement",
    "category": "Goal category",
    "related_category": "Related goal category",
}


# ----------------------------------------------------------------------- access helpers


def _goal(request: HttpRequest, pk: int, perm: str | None = None) -> Goal:
    """The goal (404 when missing), checked against `perm` (403 with a readable reason)."""
    goal = get_object_or_404(
        Goal.objects.select_related("jurisdiction", "jurisdiction__region", "category"), pk=pk
    )
    if perm:
        require(request.user, perm, goal)
    return goal


def _strategic_area(request: HttpRequest, pk: int, perm: str) -> StrategicArea:
    strategic_area = get_object_or_404(
        StrategicArea.objects.select_related(
            "item", "goal", "goal__jurisdiction", "goal__category"
        ),
        pk=pk,
    )
    require(request.user, perm, strategic_area.goal)
    return strategic_area


def _closure_request(request: HttpRequest, pk: int) -> GoalClosureRequest:
    closure_request = get_object_or_404(
        GoalClosureRequest.objects.select_related(
            "goal", "goal__jurisdiction", "goal__category", "requested_by"
        ),
        pk=pk,
    )
    require(request.user, "goals.close_goal", closure_request.goal)
    return closure_request


def _refuse_closed_for_non_admin(request: HttpRequest, goal: Goal) -> HttpResponse | None:
    """A closed goal is read-only except for administrators: say so on the goal's page."""
    if goal.is_open or request.user.is_admin:
        return None
    messages.error(request, CLOSED_GOAL_READ_ONLY)
    return redirect("goals:detail", pk=goal.pk)


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on POST (even when empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _values_as_initial(data: QueryDict, form_class: type) -> dict[str, Any]:
    """What was typed, as a form's initial values (lists for multiple choices)."""
    initial: dict[str, Any] = {}
    for key in data:
        if key == "csrfmiddlewaretoken":
            continue
        values = data.getlist(key)
        initial[key] = values if key == "strategic_areas" else values[-1]
    return initial


# ------------------------------------------------------------------------------ create


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


@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    """G1–G3: add a goal for the State or Territory named by `?jurisdiction=<code>`."""
    jurisdiction = jurisdiction_by_code(request.GET.get("jurisdiction", ""))
    if jurisdiction is None:
        raise Http404(UNKNOWN_JURISDICTION)
    require(request.user, "goals.add_goal", jurisdiction)

    if request.method == "GET":
        return render(
            request,
            "goals/goal_form.html",
            _create_context(request, jurisdiction, GoalCreateForm()),
        )

    if "show_areas" in request.POST:
        # Without JavaScript: redraw the form with the chosen category's strategic areas,
        # keeping everything typed, and without complaining about what is not filled yet.
        form = GoalCreateForm(initial=_values_as_initial(request.POST, GoalCreateForm))
        return render(request, "goals/goal_form.html", _create_context(request, jurisdiction, form))

    form = GoalCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "goals/goal_form.html", _create_context(request, jurisdiction, form))

    add_to_goal = request.POST.get("add_to_goal", "")
    if add_to_goal:
        return _add_to_existing_goal(request, jurisdiction, form, add_to_goal)

    confirm = request.POST.get("action") == "create_second"
    if confirm and not form.cleaned_data["confirm_second_goal"]:
        form.add_error("confirm_second_goal", CONFIRM_SECOND_GOAL_REQUIRED)
        duplicates = _duplicates(jurisdiction, form.cleaned_data["category"])
        return render(
            request,
            "goals/goal_form.html",
            _create_context(request, jurisdiction, form, duplicates),
        )
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
        return render(
            request,
            "goals/goal_form.html",
            _create_context(
                request,
                jurisdiction,
                form,
                _duplicates(jurisdiction, form.cleaned_data["category"])
                or duplicate.existing_goals,
            ),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return render(request, "goals/goal_form.html", _create_context(request, jurisdiction, form))
    messages.success(request, GOAL_CREATED)
    return redirect("goals:detail", pk=goal.pk)


def _duplicates(jurisdiction: Jurisdiction, category: GoalCategory) -> list[Goal]:
    return list(selectors.open_goals_in_category(jurisdiction, category))


def _add_to_existing_goal(
    request: HttpRequest, jurisdiction: Jurisdiction, form: GoalCreateForm, raw_pk: str
) -> HttpResponse:
    """G2: add the chosen strategic areas (and the update note) to the existing goal."""
    try:
        goal = _goal(request, int(raw_pk), "goals.change_goal")
    except ValueError:
        raise Http404("No such goal.") from None
    if (
        goal.jurisdiction_id != jurisdiction.pk
        or goal.category_id != form.cleaned_data["category"].pk
    ):
        raise Http404("No such goal in this State or Territory and category.")
    present = set(goal.strategic_areas.values_list("item_id", flat=True))
    added, skipped = [], []
    try:
        with transaction.atomic():
            for item, notes in form.strategic_area_choices():
                if item.pk in present:
                    skipped.append(item.name)
                    continue
                services.strategic_area_add(actor=request.user, goal=goal, item=item, notes=notes)
                added.append(item.name)
            if form.cleaned_data["update_note"].strip():
                services.goal_note_add(
                    actor=request.user, goal=goal, text=form.cleaned_data["update_note"]
                )
    except ValidationError as error:
        apply_service_errors(form, error, item="strategic_areas", text="update_note")
        return render(
            request,
            "goals/goal_form.html",
            _create_context(request, jurisdiction, form, _duplicates(jurisdiction, goal.category)),
        )
    message = AREAS_ADDED.format(names=", ".join(added) or "no new strategic area")
    if skipped:
        message += AREAS_ALREADY_THERE.format(names=", ".join(skipped))
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
        goal = _goal(request, int(raw_goal))
    initial = {"category": request.GET.get("category", "")}
    form: GoalCreateForm | GoalEditForm
    if goal is not None:
        form = GoalEditForm(goal=goal, initial=initial)
    else:
        form = GoalCreateForm(initial=initial)
    return render(request, "goals/_strategic_area_options.html", {"form": form, "goal": goal})


# -------------------------------------------------------------------------- detail, edit


def _activities_by_strategic_area(goal: Goal) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for activity in goal.activities.all():
        grouped[activity.strategic_area_id].append(activity)
    return grouped


@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        goal = selectors.goal_with_details(pk)
    except Goal.DoesNotExist:
        raise Http404("No such goal.") from None
    grouped = _activities_by_strategic_area(goal)
    strategic_areas = [(sa, grouped.get(sa.pk, [])) for sa in goal.strategic_areas.all()]
    requests = list(goal.closure_requests.all())
    pending = next((r for r in requests if r.status == GoalClosureRequest.Status.PENDING), None)
    user = request.user
    can_edit = user.has_perm("goals.change_goal", goal) and (goal.is_open or user.is_admin)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "strategic_areas": strategic_areas,
            "notes": list(goal.notes.all()),
            "closure_requests": requests,
            "pending_request": pending,
            "open_activity_count": sum(1 for a in goal.activities.all() if a.is_open),
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


def _conflict_changes(
    current: Goal, expected_version: int, form: GoalEditForm
) -> list[dict[str, str]]:
    """C1: what the other person changed since `expected_version`: field, their value (now
    stored) and the value this user typed. Compared with the stored snapshot of the version
    the user opened; every differing field when that snapshot is not found."""
    before = current.history.filter(version=expected_version).order_by("-history_id").first()
    typed = form.cleaned_data
    rows = []
    for name, label in GOAL_FIELD_LABELS.items():
        theirs = getattr(current, name)
        if before is not None:
            old = getattr(before, f"{name}_id" if name.endswith("category") else name)
            now = getattr(current, f"{name}_id" if name.endswith("category") else name)
            if old == now:
                continue
        yours = typed.get(name)
        if before is None and _same(theirs, yours):
            continue
        rows.append({"field": label, "theirs": _shown(current, name), "yours": _typed(yours)})
    return rows


def _same(a: Any, b: Any) -> bool:
    a_key = getattr(a, "pk", a)
    b_key = getattr(b, "pk", b)
    return a_key == b_key


def _shown(goal: Goal, name: str) -> str:
    if name == "readiness":
        return goal.get_readiness_display()
    return _typed(getattr(goal, name))


def _typed(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, str):
        return str(Readiness(value).label) if value in Readiness.values else value
    return str(value)


def _edit_context(goal: Goal, form: GoalEditForm, **extra: Any) -> dict[str, Any]:
    return {
        "goal": goal,
        "jurisdiction": goal.jurisdiction,
        "form": form,
        "page_title": f"Edit goal: {goal.category}",
        "duplicates": [],
        "conflict": None,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """G1 edit with C1's version check."""
    goal = _goal(request, pk, "goals.change_goal")
    refused = _refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    category_locked = goal.activities.exists()
    if request.method == "GET":
        form = GoalEditForm(goal=goal, category_locked=category_locked)
        return render(request, "goals/goal_form.html", _edit_context(goal, form))

    if "show_areas" in request.POST:
        form = GoalEditForm(
            goal=goal,
            category_locked=category_locked,
            initial=_values_as_initial(request.POST, GoalEditForm),
        )
        return render(request, "goals/goal_form.html", _edit_context(goal, form))

    form = GoalEditForm(request.POST, goal=goal, category_locked=category_locked)
    if not form.is_valid():
        return render(request, "goals/goal_form.html", _edit_context(goal, form))
    confirm = request.POST.get("action") == "create_second"
    if confirm and not form.cleaned_data["confirm_second_goal"]:
        form.add_error("confirm_second_goal", CONFIRM_SECOND_GOAL_REQUIRED)
        duplicates = _duplicates(goal.jurisdiction, form.cleaned_data["category"])
        duplicates = [g for g in duplicates if g.pk != goal.pk]
        return render(
            request, "goals/goal_form.html", _edit_context(goal, form, duplicates=duplicates)
        )
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
        return _edit_conflict(request, goal, form, conflict, category_locked)
    except services.DuplicateGoalCategory:
        duplicates = _duplicates(goal.jurisdiction, form.cleaned_data["category"])
        duplicates = [g for g in duplicates if g.pk != goal.pk]
        return render(
            request, "goals/goal_form.html", _edit_context(goal, form, duplicates=duplicates)
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return render(request, "goals/goal_form.html", _edit_context(goal, form))
    messages.success(request, GOAL_UPDATED)
    return redirect("goals:detail", pk=goal.pk)


def _edit_conflict(
    request: HttpRequest,
    goal: Goal,
    form: GoalEditForm,
    conflict: ConflictError,
    category_locked: bool,
) -> HttpResponse:
    """C1: the form comes back with what this user typed, the other person's changes, and
    the stored version number, so that saving again is a deliberate choice."""
    current = Goal.objects.select_related("category", "related_category").get(pk=goal.pk)
    changes = _conflict_changes(current, conflict.expected_version, form)
    last = current.history.select_related("history_user").order_by("-history_id").first()
    data = request.POST.copy()
    data["version"] = str(current.version)
    form_again = GoalEditForm(data, goal=current, category_locked=category_locked)
    form_again.is_valid()
    form_again.add_error(None, CONFLICT_MESSAGE)
    return render(
        request,
        "goals/goal_form.html",
        _edit_context(
            current,
            form_again,
            conflict={
                "changes": changes,
                "who": last.history_user if last else None,
                "when": last.history_date if last else None,
            },
        ),
        status=409,
    )


# ------------------------------------------------------------------------ strategic areas


@require_http_methods(["GET", "POST"])
def strategic_area_add(request: HttpRequest, pk: int) -> HttpResponse:
    """G1/G2: add strategic areas from the goal category's list to a goal."""
    goal = _goal(request, pk, "goals.change_goal")
    refused = _refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    form = StrategicAreasAddForm(_posted(request), goal=goal)
    if request.method == "POST" and form.is_valid():
        added = []
        try:
            with transaction.atomic():
                for item, notes in form.strategic_area_choices():
                    services.strategic_area_add(
                        actor=request.user, goal=goal, item=item, notes=notes
                    )
                    added.append(item.name)
        except ValidationError as error:
            apply_service_errors(form, error, item="strategic_areas")
        else:
            messages.success(request, AREAS_ADDED.format(names=", ".join(added)))
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/strategic_area_add.html", {"goal": goal, "form": form})


@require_http_methods(["GET", "POST"])
def strategic_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a strategic area's notes (C1: a stale save shows their notes beside yours)."""
    strategic_area = _strategic_area(request, pk, "goals.change_goal")
    goal = strategic_area.goal
    refused = _refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    conflict = None
    form = StrategicAreaNotesForm(_posted(request), strategic_area=strategic_area)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategic_area_update_notes(
                actor=request.user,
                strategic_area=strategic_area,
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            current = error.current
            conflict = {"theirs": current.notes or "—", "yours": form.cleaned_data["notes"]}
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = StrategicAreaNotesForm(data, strategic_area=current)
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, AREA_NOTES_SAVED.format(name=strategic_area.item.name))
            return redirect("goals:detail", pk=goal.pk)
    return render(
        request,
        "goals/strategic_area_edit.html",
        {"goal": goal, "strategic_area": strategic_area, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_POST
def strategic_area_remove(request: HttpRequest, pk: int) -> HttpResponse:
    strategic_area = _strategic_area(request, pk, "goals.change_goal")
    name = strategic_area.item.name
    try:
        services.strategic_area_remove(actor=request.user, strategic_area=strategic_area)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, AREA_REMOVED.format(name=name))
    return redirect("goals:detail", pk=strategic_area.goal_id)


# ------------------------------------------------------------------------------- notes


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """G1: a dated goal update note."""
    goal = _goal(request, pk, "goals.change_goal")
    refused = _refuse_closed_for_non_admin(request, goal)
    if refused:
        return refused
    form = GoalNoteForm(_posted(request))
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


# ----------------------------------------------------------------------------- closure


@require_http_methods(["GET", "POST"])
def request_closure(request: HttpRequest, pk: int) -> HttpResponse:
    """G4: anyone who may edit the goal asks an administrator to close it."""
    goal = _goal(request, pk, "goals.request_goal_closure")
    form = ClosureRequestForm(_posted(request))
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
    open_activities = list(goal.activities.open().select_related("focus").order_by("pk"))
    return render(
        request,
        "goals/closure_request_form.html",
        {"goal": goal, "form": form, "open_activities": open_activities},
    )


@require_GET
def closure_queue(request: HttpRequest) -> HttpResponse:
    """G4: the administrators' queue of pending closure requests."""
    if not request.user.has_perm("goals.close_goal"):
        raise PermissionDenied(QUEUE_ADMIN_ONLY)
    pending = list(selectors.pending_closure_requests())
    open_counts = _open_activity_counts([r.goal_id for r in pending])
    rows = [(r, open_counts.get(r.goal_id, 0)) for r in pending]
    return render(request, "goals/closure_queue.html", {"rows": rows})


def _open_activity_counts(goal_ids: list[int]) -> dict[int, int]:
    return dict(
        TAActivity.objects.open()
        .filter(goal_id__in=goal_ids)
        .values_list("goal_id")
        .annotate(n=Count("pk"))
        .values_list("goal_id", "n")
    )


@require_http_methods(["GET", "POST"])
def goal_close(request: HttpRequest, pk: int) -> HttpResponse:
    """G4: an administrator closes the goal with the required note; refused with the list
    of still-open activities while any remain."""
    goal = _goal(request, pk, "goals.close_goal")
    if not goal.is_open:
        messages.info(request, services.GOAL_NOT_OPEN)
        return redirect("goals:detail", pk=goal.pk)
    pending = goal.closure_requests.filter(status=GoalClosureRequest.Status.PENDING).first()
    form = GoalCloseForm(
        _posted(request),
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
        except ConflictError:
            data = request.POST.copy()
            data["version"] = str(Goal.objects.get(pk=goal.pk).version)
            form = GoalCloseForm(data)
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, GOAL_CLOSED)
            return redirect("goals:detail", pk=goal.pk)
    open_activities = (
        refused_activities
        if refused_activities is not None
        else list(goal.activities.open().select_related("focus").order_by("pk"))
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
    closure_request = _closure_request(request, pk)
    form = ClosureDeclineForm(_posted(request))
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
    goal = _goal(request, pk, "goals.close_goal")
    form = GoalReopenForm(_posted(request), initial={"version": goal.version})
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


# ----------------------------------------------------------------------------- history


@require_GET
def goal_history(request: HttpRequest, pk: int) -> HttpResponse:
    """AU1: who changed what and when, old → new, for the goal and everything on it."""
    goal = _goal(request, pk)
    entries = selectors.goal_history(goal)
    return render(
        request,
        "goals/goal_history.html",
        {"goal": goal, "entries": entries},
    )
