"""Completion (rules A12, A13): closing with the guide's checklist, cancelling (refused once
TA was delivered) and reopening; C1 on a stale save.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from activities import services
from activities.forms import CloseForm, ReasonForm
from activities.views._common import activity_for, record_context
from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form
from core.history import HistoryEntry, changes_since

CLOSED = "{record} is closed. It is now read-only, except for requester feedback."
CANCELLED = "{record} is cancelled."
REOPENED = "{record} is open again."


@require_http_methods(["GET", "POST"])
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A12: the guide's closing checklist, then close with completion date and report."""
    activity = activity_for(request, pk, "activities.change_taactivity")
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
                changes = changes_since(activity, form.cleaned_data["version"])
                activity = activity_for(request, pk)
                form = conflict_form(CloseForm, request, exc.current.version)
            except ValidationError as exc:
                apply_service_errors(form, exc, {"tracking": None, "completion_status": None})
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
    context = record_context(request, activity, "tracking")
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
    activity = activity_for(request, pk, perm)
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
                changes = changes_since(activity, form.cleaned_data["version"])
                activity = activity_for(request, pk)
                form = conflict_form(ReasonForm, request, exc.current.version)
            except ValidationError as exc:
                apply_service_errors(form, exc, {"completion_status": None})
            else:
                messages.success(request, done_message.format(record=activity.record_number))
                return redirect("activities:tracking", pk=pk)
    else:
        form = ReasonForm(initial={"version": activity.version})
    context = record_context(request, activity, "tracking")
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
