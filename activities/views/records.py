"""Web pages for TA activities (rules A1–A16, AU1, C1).

Views only translate: fetch the record through one access helper (404/403), bind a form,
call a service from `activities.services`, then redirect or re-render with the service's
errors at the field they name. No rule lives here.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import require
from activities import selectors, services
from activities.forms import (
    NOTE_KINDS,
    REQUESTER_PREFIX,
    ActivityCreateForm,
    ActivityEditForm,
    ActivityForm,
    CloseForm,
    DescriptionNoteForm,
    FeedbackForm,
    JoinForm,
    OutcomeReportForm,
    ReasonForm,
    RequesterForm,
    ResponseNoteForm,
    StatusForm,
    SummaryForm,
    note_edit_form_class,
    staff_for_center,
)
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.concurrency import CONFLICT_MESSAGE, ConflictError
from core.history import HistoryEntry, history_entries
from core.templatetags.uswds import field_help_for_request
from goals.models import StrategicArea
from reference.models import Center, Jurisdiction

# --- Messages ----------------------------------------------------------------------------

CREATED = "{record} was created."
UPDATED = "{record} was saved."
PLAN_ADDED = "{stage} added."
PLAN_ARCHIVED = (
    "The previous final plan (dated {date}) is now an archived final plan; the new final "
    "plan is the current one."
)
STATUS_CHANGED = "The TA activity status is now “{status}”."
APPROVAL_RECORDED = "Approval recorded: {who}, {when}."
SUMMARY_ADDED = "Summary of TA delivered added; it was due {due}."
SUMMARY_ADDED_LATE = "Summary of TA delivered added. It is late: it was due {due}."
FEEDBACK_ADDED = "Requester feedback added."
RESPONSE_NOTE_ADDED = "TA response note added."
OUTCOME_REPORT_SAVED = "Outcome report saved."
CLOSED = "{record} is closed. It is now read-only, except for requester feedback."
CANCELLED = "{record} is cancelled."
REOPENED = "{record} is open again."
JOINED = "You now take part in {record}."
NOTE_SAVED = "The note was saved."
REQUESTER_ADDED = "{name} was added as a requester and selected."
REQUESTER_SELECTED = "{name} was selected."
TRACKING_NO_FINAL = (
    "There is no current final plan. Add a TA activity description note of type “Final "
    "plan” on the Details tab."
)
TRACKING_NOT_APPROVED = (
    "The TA activity status is “{status}”, not “Approved”. Once the COR approves the "
    "activity, mark it approved on the Details tab."
)
STRATEGIC_AREA_MISSING = "Choose the strategic area the TA activity is for."
JURISDICTION_MISSING = "Choose the State or Territory the TA activity is for."

TABS = (
    ("details", "Details", "activities:detail"),
    ("tracking", "Tracking", "activities:tracking"),
    ("response_notes", "TA response notes", "activities:response_notes"),
    ("history", "History", "activities:history"),
)
STATUS_LABELS = {**dict(ActivityStatus.choices), **dict(CompletionStatus.choices)}
NOTE_KIND_LABELS = {
    "plan": "TA activity description note",
    "summary": "summary of TA delivered",
    "feedback": "requester feedback",
    "response": "TA response note",
}


# --- Access and small helpers -------------------------------------------------------------


def _activity_for(request: HttpRequest, pk: int, perm: str | None = None) -> TAActivity:
    """The activity with everything a record page shows (404), checked against `perm`."""
    activity = selectors.activity_with_details(pk)
    if activity is None:
        raise Http404("No TA activity has this record number.")
    if perm:
        require(request.user, perm, activity)
    return activity


def _apply_errors(
    form: BaseForm, error: ValidationError, field_map: dict[str, str | None] | None = None
) -> None:
    """Put a service's ValidationError on the form, each message at the field it names;
    messages about fields the form does not show go to the top of the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, field_messages in error.message_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in field_messages:
            form.add_error(target, message)


def _without_errors(form: BaseForm) -> BaseForm:
    """Show a bound form's values without validating it (an intermediate step, not a save)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    return form


def _conflict_form(
    form_class: type[BaseForm], request: HttpRequest, current_version: int, **kw: Any
) -> BaseForm:
    """C1: the person's own typing, bound again, with the stored version to save over."""
    data = request.POST.copy()
    prefix = kw.get("prefix")
    data[f"{prefix}-version" if prefix else "version"] = str(current_version)
    form = form_class(data, **kw)
    form.is_valid()
    form.add_error(None, CONFLICT_MESSAGE)
    return form


def _changes_since(activity: TAActivity, version: int) -> list[HistoryEntry]:
    """C1: what others changed on the activity after the version a person started from."""
    started = (
        TAActivity.history.filter(id=activity.pk, version__lte=version)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    entries = history_entries(activity)
    if started is None:
        return entries
    return [entry for entry in entries if entry.when > started]


def _permissions(user: User, activity: TAActivity) -> dict[str, bool]:
    can_edit = rules.has_perm("activities.change_taactivity", user, activity)
    is_open = activity.is_open
    return {
        "can_edit": can_edit and is_open,
        "can_approve": is_open
        and (can_edit or rules.has_perm("activities.approve_taactivity", user, activity)),
        "can_add_feedback": can_edit,
        "can_add_response_note": can_edit and is_open,
        "can_reopen": not is_open
        and rules.has_perm("activities.reopen_taactivity", user, activity),
        "can_join": is_open
        and not can_edit
        and activity.is_goal_driven
        and rules.has_perm("activities.add_taactivity", user, activity.jurisdiction),
    }


def _tracking_explanations(activity: TAActivity, reasons: list[str]) -> list[str]:
    explanations = []
    for reason in reasons:
        if reason == services.TRACKING_REASON_NO_FINAL:
            explanations.append(TRACKING_NO_FINAL)
        elif reason == services.TRACKING_REASON_NOT_APPROVED:
            explanations.append(TRACKING_NOT_APPROVED.format(status=activity.get_status_display()))
        else:
            explanations.append(reason)
    return explanations


def _record_context(request: HttpRequest, activity: TAActivity, tab: str) -> dict[str, Any]:
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
        "can": _permissions(request.user, activity),
        "tracking_available": available,
        "tracking_explanations": _tracking_explanations(activity, reasons),
        "plan_notes": notes,
        "current_final_plan": next((n for n in notes if n.stage == PlanStage.FINAL), None),
        "requesters": list(activity.requesters.all()),
        "collaborating_centers": list(activity.collaborating_centers.all()),
        "collaborating_staff": list(activity.collaborating_staff.all()),
        "other_collaborators": list(activity.other_collaborators.all()),
        "summaries": list(activity.summaries.all()),
        "feedback_notes": list(activity.feedback.all()),
        "response_notes": list(activity.response_notes.all()),
        "status_history": activity.status_history,
        "today": timezone.localdate(),
        "user_id": request.user.pk,
        "is_admin": getattr(request.user, "is_admin", False),
        "outcome_plan_help": outcome_plan_help.definition if outcome_plan_help else "",
        "completion_help": completion_help,
    }


# --- Record page tabs ------------------------------------------------------------------------


def _render_details(
    request: HttpRequest,
    activity: TAActivity,
    *,
    plan_form: DescriptionNoteForm | None = None,
    status_form: StatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _record_context(request, activity, "details")
    context["plan_form"] = plan_form or DescriptionNoteForm(
        initial={"note_date": timezone.localdate()}
    )
    context["status_form"] = status_form or StatusForm(activity=activity)
    return render(request, "activities/detail.html", context, status=status)


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record page, Details tab: every field, the plan history (A6) and status (A7)."""
    return _render_details(request, _activity_for(request, pk))


def _render_tracking(
    request: HttpRequest,
    activity: TAActivity,
    *,
    summary_form: SummaryForm | None = None,
    feedback_form: FeedbackForm | None = None,
    outcome_form: OutcomeReportForm | None = None,
    outcome_conflict: str | None = None,
) -> HttpResponse:
    context = _record_context(request, activity, "tracking")
    today = timezone.localdate()
    context["summary_form"] = summary_form or SummaryForm(initial={"delivery_date": today})
    context["feedback_form"] = feedback_form or FeedbackForm(initial={"feedback_date": today})
    context["outcome_form"] = outcome_form or OutcomeReportForm(
        initial={"outcome_report": activity.outcome_report, "version": activity.version}
    )
    context["outcome_conflict"] = outcome_conflict
    return render(request, "activities/tracking.html", context)


@require_GET
def activity_tracking(request: HttpRequest, pk: int) -> HttpResponse:
    """Tracking tab (A9–A13): summaries, feedback, completion and outcome report — or, while
    tracking is not available, what is missing."""
    return _render_tracking(request, _activity_for(request, pk))


def _render_response_notes(
    request: HttpRequest,
    activity: TAActivity,
    *,
    form: ResponseNoteForm | None = None,
    added: bool = False,
) -> HttpResponse:
    context = _record_context(request, activity, "response_notes")
    context["note_form"] = form or ResponseNoteForm()
    context["note_added"] = added
    template = (
        "activities/_response_notes.html" if request.htmx else "activities/response_notes.html"
    )
    return render(request, template, context)


@require_GET
def activity_response_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """TA response notes tab (A14): newest first, with a quick add form."""
    return _render_response_notes(request, _activity_for(request, pk))


@require_GET
def activity_history(request: HttpRequest, pk: int) -> HttpResponse:
    """History tab (AU1): every change to the activity and its notes, newest first."""
    activity = _activity_for(request, pk)
    context = _record_context(request, activity, "history")
    context["entries"] = _full_history(activity)
    return render(request, "activities/history.html", context)


def _full_history(activity: TAActivity) -> list[HistoryEntry]:
    return history_entries(
        activity,
        related=[
            DescriptionNote.history.filter(activity_id=activity.pk),
            DeliverySummary.history.filter(activity_id=activity.pk),
            RequesterFeedback.history.filter(activity_id=activity.pk),
            ResponseNote.history.filter(activity_id=activity.pk),
        ],
    )


@require_GET
def activity_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole record on paper, every tab in reading order: details, plans, tracking,
    response notes, then the history."""
    activity = _activity_for(request, pk)
    context = _record_context(request, activity, "print")
    context["printed_at"] = timezone.localtime()
    context["entries"] = _full_history(activity)
    return render(request, "activities/print.html", context)


# --- Actions on the Details tab -----------------------------------------------------------


@require_POST
def description_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A6: add a plan note; a new final plan archives the current one and says so."""
    activity = _activity_for(request, pk, "activities.change_taactivity")
    form = DescriptionNoteForm(request.POST)
    if form.is_valid():
        try:
            note, archived = services.description_note_add(
                actor=request.user,
                activity=activity,
                stage=form.cleaned_data["stage"],
                text=form.cleaned_data["text"],
                note_date=form.cleaned_data["note_date"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc, {"completion_status": None})
        else:
            messages.success(request, PLAN_ADDED.format(stage=note.get_stage_display()))
            if archived is not None:
                messages.info(request, PLAN_ARCHIVED.format(date=f"{archived.note_date:%m/%d/%Y}"))
            return redirect(reverse("activities:detail", args=[pk]) + "#plans")
    return _render_details(request, activity, plan_form=form)


@require_POST
def activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A7: change the TA activity status; approval records who and when."""
    activity = _activity_for(request, pk, "tat.view")
    form = StatusForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            updated = services.activity_set_status(
                actor=request.user,
                activity=activity,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            activity = _activity_for(request, pk)
            form = _conflict_form(
                StatusForm, request, exc.current.version, activity=activity, prefix="status"
            )
        except ValidationError as exc:
            _apply_errors(form, exc, {"completion_status": None})
        else:
            messages.success(request, STATUS_CHANGED.format(status=updated.get_status_display()))
            if updated.status == ActivityStatus.APPROVED:
                when = timezone.localtime(updated.approved_at)
                messages.info(
                    request,
                    APPROVAL_RECORDED.format(
                        who=updated.approved_by, when=f"{when:%m/%d/%Y %I:%M %p}"
                    ),
                )
            return redirect(reverse("activities:detail", args=[pk]) + "#status")
    return _render_details(request, activity, status_form=form)


# --- Actions on the Tracking tab ------------------------------------------------------------


@require_POST
def summary_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A10: add a summary of TA delivered (needs tracking, A9)."""
    activity = _activity_for(request, pk, "activities.change_taactivity")
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            summary = services.summary_add(
                actor=request.user,
                activity=activity,
                delivery_date=form.cleaned_data["delivery_date"],
                text=form.cleaned_data["text"],
                delivery_methods=form.cleaned_data["delivery_methods"],
                ta_types=form.cleaned_data["ta_types"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc, {"tracking": None, "completion_status": None})
        else:
            message = SUMMARY_ADDED_LATE if summary.is_late else SUMMARY_ADDED
            messages.success(request, message.format(due=f"{summary.due_date:%m/%d/%Y}"))
            return redirect(reverse("activities:tracking", args=[pk]) + "#summaries")
    return _render_tracking(request, activity, summary_form=form)


@require_POST
def feedback_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A11: add requester feedback (allowed after closing)."""
    activity = _activity_for(request, pk, "activities.add_feedback")
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_add(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc, {"tracking": None})
        else:
            messages.success(request, FEEDBACK_ADDED)
            return redirect(reverse("activities:tracking", args=[pk]) + "#feedback")
    return _render_tracking(request, activity, feedback_form=form)


@require_POST
def outcome_report_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the outcome report (tracking data, A9; C1 on a stale save)."""
    activity = _activity_for(request, pk, "activities.change_taactivity")
    form = OutcomeReportForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            services.activity_update(
                actor=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"],
                outcome_report=form.cleaned_data["outcome_report"],
            )
        except ConflictError as exc:
            activity = _activity_for(request, pk)
            form = _conflict_form(OutcomeReportForm, request, exc.current.version, prefix="outcome")
            conflict = exc.current.outcome_report
        except ValidationError as exc:
            _apply_errors(form, exc, {"tracking": None, "completion_status": None})
        else:
            messages.success(request, OUTCOME_REPORT_SAVED)
            return redirect(reverse("activities:tracking", args=[pk]) + "#completion")
    return _render_tracking(request, activity, outcome_form=form, outcome_conflict=conflict)


# --- Response notes (A14) -----------------------------------------------------------------


@require_POST
def response_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A14: quick add; with htmx the notes section is swapped in place (no full reload)."""
    activity = _activity_for(request, pk, "activities.add_responsenote")
    form = ResponseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.response_note_add(
                actor=request.user,
                activity=activity,
                text=form.cleaned_data["text"],
                note_date=form.cleaned_data["note_date"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc, {"completion_status": None})
        else:
            if request.htmx:
                return _render_response_notes(
                    request, _activity_for(request, pk), form=ResponseNoteForm(), added=True
                )
            messages.success(request, RESPONSE_NOTE_ADDED)
            return redirect("activities:response_notes", pk=pk)
    return _render_response_notes(request, activity, form=form)


# --- Completion (A12, A13) ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A12: the guide's closing checklist, then close with completion date and report."""
    activity = _activity_for(request, pk, "activities.change_taactivity")
    changes: list[HistoryEntry] = []
    if request.method == "POST":
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                services.activity_close(
                    actor=request.user,
                    activity=activity,
                    completion_date=form.cleaned_data["completion_date"],
                    outcome_report=form.cleaned_data["outcome_report"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as exc:
                changes = _changes_since(activity, form.cleaned_data["version"])
                activity = _activity_for(request, pk)
                form = _conflict_form(CloseForm, request, exc.current.version)
            except ValidationError as exc:
                _apply_errors(form, exc, {"tracking": None, "completion_status": None})
            else:
                messages.success(request, CLOSED.format(record=activity.record_number))
                return redirect("activities:tracking", pk=pk)
    else:
        form = CloseForm(
            initial={
                "completion_date": timezone.localdate(),
                "outcome_report": activity.outcome_report,
                "version": activity.version,
            }
        )
    context = _record_context(request, activity, "tracking")
    context.update({"form": form, "changes": changes})
    return render(request, "activities/close.html", context)


def _reason_page(
    request: HttpRequest,
    pk: int,
    *,
    perm: str,
    action: Any,
    done_message: str,
    template: str,
) -> HttpResponse:
    activity = _activity_for(request, pk, perm)
    changes: list[HistoryEntry] = []
    if request.method == "POST":
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                action(
                    actor=request.user,
                    activity=activity,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as exc:
                changes = _changes_since(activity, form.cleaned_data["version"])
                activity = _activity_for(request, pk)
                form = _conflict_form(ReasonForm, request, exc.current.version)
            except ValidationError as exc:
                _apply_errors(form, exc, {"completion_status": None})
            else:
                messages.success(request, done_message.format(record=activity.record_number))
                return redirect("activities:tracking", pk=pk)
    else:
        form = ReasonForm(initial={"version": activity.version})
    context = _record_context(request, activity, "tracking")
    context.update({"form": form, "changes": changes})
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A12: cancel — refused once TA was delivered (the page says to close instead)."""
    return _reason_page(
        request,
        pk,
        perm="activities.change_taactivity",
        action=services.activity_cancel,
        done_message=CANCELLED,
        template="activities/cancel.html",
    )


@require_http_methods(["GET", "POST"])
def activity_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """A13: reopen a closed or cancelled activity (administrators and primary staff)."""
    return _reason_page(
        request,
        pk,
        perm="activities.reopen_taactivity",
        action=services.activity_reopen,
        done_message=REOPENED,
        template="activities/reopen.html",
    )


# --- Creating, editing and joining ---------------------------------------------------------


def _requester_step(
    request: HttpRequest, form: ActivityForm, jurisdiction: Jurisdiction
) -> tuple[ActivityForm, RequesterForm, dict[str, Any]]:
    """The "add new requester" and "select" buttons inside the activity form (A4).

    Creates the requester through `requester_create` and re-binds the activity form with
    it selected; a duplicate e-mail is refused with a link to the requester on file.
    """
    requester_form = RequesterForm(request.POST, jurisdiction=jurisdiction)
    state: dict[str, Any] = {"requester_message": "", "duplicate": None}
    chosen: Requester | None = None
    if "select_requester" in request.POST:
        raw_pk = request.POST.get("select_requester", "")
        chosen = Requester.objects.filter(pk=raw_pk).first() if raw_pk.isdecimal() else None
        requester_form = _without_errors(requester_form)
        if chosen is not None:
            state["requester_message"] = REQUESTER_SELECTED.format(name=chosen.name)
    elif requester_form.is_valid():
        try:
            chosen = services.requester_create(
                actor=request.user, **requester_form.service_fields()
            )
        except services.DuplicateRequester as exc:
            _apply_errors(requester_form, exc)
            state["duplicate"] = exc.existing
            state["duplicate_selectable"] = exc.existing.active and (
                exc.existing.jurisdiction_id == jurisdiction.pk
                or exc.existing.region_id == jurisdiction.region_id
            )
        except ValidationError as exc:
            _apply_errors(requester_form, exc, {"jurisdiction": "place", "region": "place"})
        else:
            state["requester_message"] = REQUESTER_ADDED.format(name=chosen.name)
            requester_form = RequesterForm(jurisdiction=jurisdiction)
    data = request.POST.copy()
    if chosen is not None:
        selected = data.getlist(form.add_prefix("requesters"))
        if str(chosen.pk) not in selected:
            selected.append(str(chosen.pk))
        data.setlist(form.add_prefix("requesters"), selected)
        for key in list(data):
            if key.startswith(f"{REQUESTER_PREFIX}-"):
                del data[key]
    rebound = type(form)(
        data, jurisdiction=jurisdiction, category=form.category, activity=form.activity
    )
    return _without_errors(rebound), requester_form, state


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
            form, requester_form, state = _requester_step(request, form, jurisdiction)
        elif step == "staff":
            form = _without_errors(form)
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
                _apply_errors(form, exc, {"strategic_area": "confirm_separate"})
            except ValidationError as exc:
                _apply_errors(form, exc, {"strategic_area": None, "jurisdiction": None})
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
    strategic_area = get_object_or_404(
        StrategicArea.objects.select_related(
            "goal__jurisdiction__region", "goal__category", "item"
        ),
        pk=int(pk),
    )
    return _create(
        request, jurisdiction=strategic_area.goal.jurisdiction, strategic_area=strategic_area
    )


@require_http_methods(["GET", "POST"])
def activity_create_on_demand(request: HttpRequest) -> HttpResponse:
    """Add an on-demand TA activity for a State or Territory (`?jurisdiction=<code>`)."""
    code = request.GET.get("jurisdiction", "").strip().upper()
    if not code or "\x00" in code:  # PostgreSQL refuses NUL in a text parameter
        raise Http404(JURISDICTION_MISSING)
    jurisdiction = get_object_or_404(Jurisdiction.objects.select_related("region"), code=code)
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
        "version": activity.version,
    }


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the activity's fields (A1–A5, A8); a stale save keeps the typing and shows the
    other person's change (C1)."""
    activity = _activity_for(request, pk, "activities.change_taactivity")
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
            form, requester_form, state = _requester_step(request, form, jurisdiction)
        elif step == "staff":
            form = _without_errors(form)
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
                changes = _changes_since(activity, form.cleaned_data["version"])
                activity = _activity_for(request, pk)
                kwargs["activity"] = activity
                form = _conflict_form(ActivityEditForm, request, exc.current.version, **kwargs)
            except ValidationError as exc:
                _apply_errors(form, exc, {"completion_status": None, "tracking": None})
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
    activity = _activity_for(request, pk)
    require(request.user, "activities.add_taactivity", activity.jurisdiction)
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                services.activity_join(
                    actor=request.user, activity=activity, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc, {"collaborating_staff": None, "completion_status": None})
            else:
                messages.success(request, JOINED.format(record=activity.record_number))
                return redirect("activities:detail", pk=pk)
    else:
        form = JoinForm()
    context = _record_context(request, activity, "details")
    context["form"] = form
    return render(request, "activities/join.html", context)


@require_GET
def staff_options(request: HttpRequest) -> HttpResponse:
    """The primary staff <option>s of one center (htmx swaps them into the form, A5)."""
    value = request.GET.get("primary_center", "")
    center = Center.objects.filter(pk=int(value)).first() if value.isdecimal() else None
    return render(
        request,
        "activities/_staff_options.html",
        {"center": center, "people": staff_for_center(center)},
    )


@require_GET
def requester_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A requester on file (the duplicate e-mail message links here, A4)."""
    requester = get_object_or_404(
        Requester.objects.select_related("jurisdiction", "region", "created_by"), pk=pk
    )
    activities = requester.activities.select_related("focus", "jurisdiction").order_by(
        "-date_opened", "-pk"
    )[:50]
    return render(
        request,
        "activities/requester_detail.html",
        {"requester": requester, "activities": activities},
    )


# --- Editing a note (its author or an administrator) ----------------------------------------


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int, kind: str, note_pk: int) -> HttpResponse:
    """Correct a note: only its author or an administrator; C1 on a stale save."""
    model = NOTE_KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of note.")
    note = get_object_or_404(model.objects.select_related("activity", "author"), pk=note_pk)
    if note.activity_id != pk:
        raise Http404("The note is not on this TA activity.")
    require(request.user, "activities.change_note", note)
    activity = _activity_for(request, pk)
    form_class = note_edit_form_class(kind)
    form_kwargs: dict[str, Any] = {"note": note} if kind == "summary" else {}
    changes: list[HistoryEntry] = []
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            extra = form.extra_fields() if hasattr(form, "extra_fields") else {}
            try:
                services.note_update(
                    actor=request.user,
                    note=note,
                    text=form.cleaned_data["text"],
                    note_date=form.cleaned_data["note_date"],
                    expected_version=form.cleaned_data["version"],
                    **extra,
                )
            except ConflictError as exc:
                changes = [
                    entry for entry in history_entries(exc.current) if entry.action == "changed"
                ][:5]
                note = exc.current
                form = _conflict_form(
                    form_class,
                    request,
                    exc.current.version,
                    prefix=form.prefix,
                    **form_kwargs,
                )
            except ValidationError as exc:
                _apply_errors(
                    form,
                    exc,
                    {"tracking": None, "completion_status": None, "stage": None},
                )
            else:
                messages.success(request, NOTE_SAVED)
                return redirect(_note_tab_url(kind, pk))
    else:
        initial = {"note_date": note.note_date, "text": note.text, "version": note.version}
        if kind == "summary":
            initial["delivery_methods"] = [item.pk for item in note.delivery_methods.all()]
            initial["ta_types"] = [item.pk for item in note.ta_types.all()]
        if kind == "feedback":
            initial["giver_name"] = note.giver_name
            initial["giver_title"] = note.giver_title
        form = form_class(initial=initial, **form_kwargs)
    context = _record_context(request, activity, _note_tab(kind))
    context.update(
        {
            "form": form,
            "note": note,
            "kind": kind,
            "kind_label": NOTE_KIND_LABELS[kind],
            "changes": changes,
            "back_url": _note_tab_url(kind, pk),
        }
    )
    return render(request, "activities/note_edit.html", context)


def _note_tab(kind: str) -> str:
    return {"plan": "details", "response": "response_notes"}.get(kind, "tracking")


def _note_tab_url(kind: str, pk: int) -> str:
    url_names = {tab: url_name for tab, _label, url_name in TABS}
    return reverse(url_names[_note_tab(kind)], args=[pk])
