"""The Tracking tab (rules A9–A11): summaries of TA delivered, requester feedback and the
outcome report; and the TA response notes tab (A14).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from activities import services
from activities.forms import FeedbackForm, OutcomeReportForm, ResponseNoteForm, SummaryForm
from activities.models import TAActivity
from activities.views._common import activity_for, record_context
from activities.views.checks import notify_findings, saved_note_findings
from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form
from core.history import HistoryEntry, changes_since

SUMMARY_ADDED = "Summary of TA delivered added; it was due {due}."
SUMMARY_ADDED_LATE = "Summary of TA delivered added. It is late: it was due {due}."
FEEDBACK_ADDED = "Requester feedback added."
RESPONSE_NOTE_ADDED = "TA response note added."
OUTCOME_REPORT_SAVED = "Outcome report saved."


def _render_tracking(
    request: HttpRequest,
    activity: TAActivity,
    *,
    summary_form: SummaryForm | None = None,
    feedback_form: FeedbackForm | None = None,
    outcome_form: OutcomeReportForm | None = None,
    changes: list[HistoryEntry] | None = None,
) -> HttpResponse:
    context = record_context(request, activity, "tracking")
    today = timezone.localdate()
    context["summary_form"] = summary_form or SummaryForm(initial={"delivery_date": today})
    context["feedback_form"] = feedback_form or FeedbackForm(initial={"feedback_date": today})
    context["outcome_form"] = outcome_form or OutcomeReportForm(
        initial={"outcome_report": activity.outcome_report, "version": activity.version}
    )
    context["changes"] = changes or []
    return render(request, "activities/tracking.html", context)


@require_GET
def activity_tracking(request: HttpRequest, pk: int) -> HttpResponse:
    """Tracking tab (A9–A13): summaries, feedback, completion and outcome report — or, while
    tracking is not available, what is missing."""
    return _render_tracking(request, activity_for(request, pk))


@require_POST
def summary_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A10: add a summary of TA delivered (needs tracking, A9)."""
    activity = activity_for(request, pk, "activities.change_taactivity")
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
            apply_service_errors(form, exc, {"tracking": None, "completion_status": None})
        else:
            message = SUMMARY_ADDED_LATE if summary.is_late else SUMMARY_ADDED
            messages.success(request, message.format(due=f"{summary.due_date:%m/%d/%Y}"))
            notify_findings(request, kind="summary", note=summary)  # R2: flag, never block
            return redirect(reverse("activities:tracking", args=[pk]) + "#summaries")
    return _render_tracking(request, activity, summary_form=form)


@require_POST
def feedback_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A11: add requester feedback (allowed after closing)."""
    activity = activity_for(request, pk, "activities.add_feedback")
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback = services.feedback_add(
                actor=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"tracking": None})
        else:
            messages.success(request, FEEDBACK_ADDED)
            notify_findings(request, kind="feedback", note=feedback)  # R2
            return redirect(reverse("activities:tracking", args=[pk]) + "#feedback")
    return _render_tracking(request, activity, feedback_form=form)


@require_POST
def outcome_report_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the outcome report (tracking data, A9; C1 on a stale save)."""
    activity = activity_for(request, pk, "activities.change_taactivity")
    form = OutcomeReportForm(request.POST)
    changes: list[HistoryEntry] = []
    if form.is_valid():
        try:
            services.activity_update(
                actor=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"],
                outcome_report=form.cleaned_data["outcome_report"],
            )
        except ConflictError as exc:
            activity = activity_for(request, pk)
            changes = changes_since(activity, form.cleaned_data["version"])
            form = conflict_form(OutcomeReportForm, request, exc.current.version, prefix="outcome")
        except ValidationError as exc:
            apply_service_errors(form, exc, {"tracking": None, "completion_status": None})
        else:
            messages.success(request, OUTCOME_REPORT_SAVED)
            return redirect(reverse("activities:tracking", args=[pk]) + "#completion")
    return _render_tracking(request, activity, outcome_form=form, changes=changes)


def _render_response_notes(
    request: HttpRequest,
    activity: TAActivity,
    *,
    form: ResponseNoteForm | None = None,
    added: bool = False,
    saved_findings: list | None = None,
) -> HttpResponse:
    context = record_context(request, activity, "response_notes")
    context["note_form"] = form or ResponseNoteForm()
    context["note_added"] = added
    context["saved_findings"] = saved_findings or []
    template = (
        "activities/_response_notes.html" if request.htmx else "activities/response_notes.html"
    )
    return render(request, template, context)


@require_GET
def activity_response_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """TA response notes tab (A14): newest first, with a quick add form."""
    return _render_response_notes(request, activity_for(request, pk))


@require_POST
def response_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A14: quick add; with htmx the notes section is swapped in place (no full reload)."""
    activity = activity_for(request, pk, "activities.add_responsenote")
    form = ResponseNoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.response_note_add(
                actor=request.user,
                activity=activity,
                text=form.cleaned_data["text"],
                note_date=form.cleaned_data["note_date"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"completion_status": None})
        else:
            if request.htmx:
                return _render_response_notes(
                    request,
                    activity_for(request, pk),
                    form=ResponseNoteForm(),
                    added=True,
                    saved_findings=saved_note_findings(request, kind="response", note=note),
                )
            messages.success(request, RESPONSE_NOTE_ADDED)
            notify_findings(request, kind="response", note=note)  # R2
            return redirect("activities:response_notes", pk=pk)
    return _render_response_notes(request, activity, form=form)
