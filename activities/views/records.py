"""The record page's Details tab and status (rule A7), and creating, editing and joining a
TA activity (A1–A8, A16; C1 on a stale save; A13 read-only while closed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from activities import selectors, services
from activities.forms import (
    ActivityCreateForm,
    ActivityEditForm,
    DescriptionNoteForm,
    JoinForm,
    RequesterForm,
    StatusForm,
)
from activities.forms.activity import requested_directly_value
from activities.models import ActivityStatus, TAActivity
from activities.views._common import activity_for, record_context
from activities.views.requesters import requester_step
from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form, without_errors
from core.history import HistoryEntry, changes_since
from goals.models import StrategicArea
from reference.models import Jurisdiction
from reference.selectors import jurisdiction_by_code

CREATED = "{record} was created."
UPDATED = "{record} was saved."
STATUS_CHANGED = "The TA activity status is now “{status}”."
APPROVAL_RECORDED = "Approval recorded: {who}, {when} (COR approval: {cor}, {cor_date})."
JOINED = "You now take part in {record}."
STRATEGIC_AREA_MISSING = "Choose the strategic area the TA activity is for."
JURISDICTION_MISSING = "Choose the State or Territory the TA activity is for."


def render_details(
    request: HttpRequest,
    activity: TAActivity,
    *,
    plan_form: DescriptionNoteForm | None = None,
    status_form: StatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = record_context(request, activity, "details")
    context["plan_form"] = plan_form or DescriptionNoteForm(
        initial={"note_date": timezone.localdate()}
    )
    context["status_form"] = status_form or StatusForm(activity=activity)
    return render(request, "activities/detail.html", context, status=status)


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record page, Details tab: every field, the plan history (A6) and status (A7)."""
    return render_details(request, activity_for(request, pk))


@require_POST
def activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A7: change the TA activity status; approval records who and when."""
    activity = activity_for(request, pk, "tat.view")
    form = StatusForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            updated = services.activity_set_status(
                actor=request.user,
                activity=activity,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                cor_name=form.cleaned_data.get("cor_name", ""),
                cor_approval_date=form.cleaned_data.get("cor_approval_date"),
            )
        except ConflictError as exc:
            activity = activity_for(request, pk)
            form = conflict_form(
                StatusForm, request, exc.current.version, activity=activity, prefix="status"
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"completion_status": None})
        else:
            messages.success(request, STATUS_CHANGED.format(status=updated.get_status_display()))
            if updated.status == ActivityStatus.APPROVED:
                when = timezone.localtime(updated.approved_at)
                messages.info(
                    request,
                    APPROVAL_RECORDED.format(
                        cor=updated.cor_name,
                        cor_date=f"{updated.cor_approval_date:%m/%d/%Y}",
                        who=updated.approved_by,
                        when=f"{when:%m/%d/%Y %I:%M %p}",
                    ),
                )
            return redirect(reverse("activities:detail", args=[pk]) + "#status")
    return render_details(request, activity, status_form=form)


def _activity_form_step(request: HttpRequest) -> str:
    """Which button submitted the activity form: save, or one of its intermediate steps."""
    if "add_requester" in request.POST or "select_requester" in request.POST:
        return "requester"
    if "refresh_staff" in request.POST:
        return "staff"
    return "save"


def _render_activity_form(
    request: HttpRequest, template: str, context: dict[str, Any], step: str
) -> HttpResponse:
    if request.htmx and step == "requester":
        return render(request, "activities/_requester_picker.html", context)
    return render(request, template, context)


def _create(
    request: HttpRequest,
    *,
    jurisdiction: Jurisdiction,
    strategic_area: StrategicArea | None,
) -> HttpResponse:
    require(request.user, "activities.add_taactivity", jurisdiction)
    category = strategic_area.goal.category if strategic_area else None
    existing = (
        list(selectors.open_activities_in_strategic_area(strategic_area)) if strategic_area else []
    )
    state: dict[str, Any] = {"requester_message": "", "duplicate": None}
    step = "save"
    requester_form = RequesterForm(jurisdiction=jurisdiction)
    if request.method == "POST":
        form = ActivityCreateForm(request.POST, jurisdiction=jurisdiction, category=category)
        step = _activity_form_step(request)
        if step == "requester":
            form, requester_form, state = requester_step(request, form, jurisdiction)
        elif step == "staff":
            form = without_errors(form)
        elif form.is_valid():
            try:
                activity = services.activity_create(
                    actor=request.user,
                    jurisdiction=jurisdiction,
                    strategic_area=strategic_area,
                    **form.service_fields(),
                )
            except services.ExistingOpenActivity as exc:
                existing = exc.activities
                apply_service_errors(form, exc, {"strategic_area": "confirm_separate"})
            except ValidationError as exc:
                apply_service_errors(form, exc, {"strategic_area": None, "jurisdiction": None})
            else:
                messages.success(request, CREATED.format(record=activity.record_number))
                return redirect("activities:detail", pk=activity.pk)
    else:
        user_center = request.user.center if request.user.center_id else None
        form = ActivityCreateForm(
            jurisdiction=jurisdiction,
            category=category,
            initial={
                "date_opened": timezone.localdate(),
                "status": ActivityStatus.PLANNING,
                "primary_center": user_center,
                "primary_staff": request.user if user_center else None,
            },
        )
    context = {
        "form": form,
        "requester_form": requester_form,
        "jurisdiction": jurisdiction,
        "strategic_area": strategic_area,
        "existing": existing,
        "form_action": request.get_full_path(),
        "is_create": True,
        **state,
    }
    return _render_activity_form(request, "activities/form.html", context, step)


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    """Add a goal-driven TA activity to a strategic area (`?strategic_area=<pk>`), A1–A8,
    showing open activities there first (A16)."""
    pk = request.GET.get("strategic_area", "")
    if not pk.isdecimal():
        raise Http404(STRATEGIC_AREA_MISSING)
    strategic_area = selectors.strategic_area_for_new_activity(int(pk))
    if strategic_area is None:
        raise Http404(STRATEGIC_AREA_MISSING)
    return _create(
        request, jurisdiction=strategic_area.goal.jurisdiction, strategic_area=strategic_area
    )


@require_http_methods(["GET", "POST"])
def activity_create_on_demand(request: HttpRequest) -> HttpResponse:
    """Add an on-demand TA activity for a State or Territory (`?jurisdiction=<code>`)."""
    code = request.GET.get("jurisdiction", "").strip().upper()
    if not code or "\x00" in code:  # PostgreSQL refuses NUL in a text parameter
        raise Http404(JURISDICTION_MISSING)
    jurisdiction = jurisdiction_by_code(code)
    if jurisdiction is None:
        raise Http404(JURISDICTION_MISSING)
    return _create(request, jurisdiction=jurisdiction, strategic_area=None)


def _edit_initial(activity: TAActivity) -> dict[str, Any]:
    return {
        "focus": activity.focus_id,
        "other_focus_notes": activity.other_focus_notes,
        "date_opened": activity.date_opened,
        "priority": activity.priority,
        "activity_type": activity.activity_type,
        "requesters": [item.pk for item in activity.requesters.all()],
        "primary_center": activity.primary_center_id,
        "primary_staff": activity.primary_staff_id,
        "collaborating_centers": [item.pk for item in activity.collaborating_centers.all()],
        "collaborating_staff": [item.pk for item in activity.collaborating_staff.all()],
        "other_collaborators": [item.pk for item in activity.other_collaborators.all()],
        "other_collaborators_details": activity.other_collaborators_details,
        "outcome_plan": activity.outcome_plan,
        "requested_by_ccdf_administrator": requested_directly_value(
            activity.requested_by_ccdf_administrator
        ),
        "requester_approver_role": activity.requester_approver_role,
        "requester_approver_name": activity.requester_approver_name,
        "requester_approval_date": activity.requester_approval_date,
        "version": activity.version,
    }


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the activity's fields (A1–A5, A8); a stale save keeps the typing and shows the
    other person's change (C1)."""
    activity = activity_for(request, pk, "activities.change_taactivity")
    if not activity.is_open:  # A13: read-only until reopened
        status = activity.get_completion_status_display().lower()
        messages.info(request, services.READ_ONLY.format(status=status))
        return redirect("activities:detail", pk=pk)
    jurisdiction = activity.jurisdiction
    category = activity.goal.category if activity.goal_id else None
    kwargs = {"jurisdiction": jurisdiction, "category": category, "activity": activity}
    state: dict[str, Any] = {"requester_message": "", "duplicate": None}
    changes: list[HistoryEntry] = []
    step = "save"
    requester_form = RequesterForm(jurisdiction=jurisdiction)
    if request.method == "POST":
        form = ActivityEditForm(request.POST, **kwargs)
        step = _activity_form_step(request)
        if step == "requester":
            form, requester_form, state = requester_step(request, form, jurisdiction)
        elif step == "staff":
            form = without_errors(form)
        elif form.is_valid():
            fields = form.service_fields()
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
            except ConflictError as exc:
                changes = changes_since(activity, form.cleaned_data["version"])
                activity = activity_for(request, pk)
                kwargs["activity"] = activity
                form = conflict_form(ActivityEditForm, request, exc.current.version, **kwargs)
            except ValidationError as exc:
                apply_service_errors(form, exc, {"completion_status": None, "tracking": None})
            else:
                messages.success(request, UPDATED.format(record=activity.record_number))
                return redirect("activities:detail", pk=pk)
    else:
        form = ActivityEditForm(initial=_edit_initial(activity), **kwargs)
    context = {
        "form": form,
        "requester_form": requester_form,
        "jurisdiction": jurisdiction,
        "strategic_area": activity.strategic_area,
        "activity": activity,
        "existing": [],
        "changes": changes,
        "form_action": request.get_full_path(),
        "is_create": False,
        **state,
    }
    return _render_activity_form(request, "activities/form.html", context, step)


@require_http_methods(["GET", "POST"])
def activity_join(request: HttpRequest, pk: int) -> HttpResponse:
    """A16: take part in an open activity instead of adding a second one."""
    activity = activity_for(request, pk, "activities.join_taactivity")
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                services.activity_join(
                    actor=request.user, activity=activity, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_service_errors(
                    form,
                    exc,
                    {
                        "collaborating_staff": None,
                        "completion_status": None,
                        "strategic_area": None,
                    },
                )
            else:
                messages.success(request, JOINED.format(record=activity.record_number))
                return redirect("activities:detail", pk=pk)
    else:
        form = JoinForm()
    context = record_context(request, activity, "details")
    context["form"] = form
    return render(request, "activities/join.html", context)
