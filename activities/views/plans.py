"""Plan notes (rule A6) and correcting any note (its author or an administrator; C1 on a
stale save).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from activities import selectors, services
from activities.forms import NOTE_KINDS, DescriptionNoteForm, note_edit_form_class
from activities.views._common import TABS, activity_for, record_context
from activities.views.checks import notify_findings
from activities.views.records import render_details
from core.concurrency import ConflictError
from core.forms import apply_service_errors, conflict_form
from core.history import HistoryEntry, history_entries

PLAN_ADDED = "{stage} added."
PLAN_ARCHIVED = (
    "The previous final plan (dated {date}) is now an archived final plan; the new final "
    "plan is the current one."
)
NOTE_SAVED = "The note was saved."
NOTE_KIND_LABELS = {
    "plan": "TA activity description note",
    "summary": "summary of TA delivered",
    "feedback": "requester feedback",
    "response": "TA response note",
}


@require_POST
def description_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A6: add a plan note; a new final plan archives the current one and says so."""
    activity = activity_for(request, pk, "activities.change_taactivity")
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
            apply_service_errors(form, exc, {"completion_status": None})
        else:
            messages.success(request, PLAN_ADDED.format(stage=note.get_stage_display()))
            notify_findings(request, kind="plan", note=note)  # R2: flag, never block
            if archived is not None:
                messages.info(request, PLAN_ARCHIVED.format(date=f"{archived.note_date:%m/%d/%Y}"))
            return redirect(reverse("activities:detail", args=[pk]) + "#plans")
    return render_details(request, activity, plan_form=form)


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int, kind: str, note_pk: int) -> HttpResponse:
    """Correct a note: only its author or an administrator; C1 on a stale save."""
    model = NOTE_KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of note.")
    note = selectors.note_with_activity(model, note_pk)
    if note is None:
        raise Http404("No such note.")
    if note.activity_id != pk:
        raise Http404("The note is not on this TA activity.")
    require(request.user, "activities.change_note", note)
    activity = activity_for(request, pk)
    form_class = note_edit_form_class(kind)
    form_kwargs: dict[str, Any] = {"note": note} if kind == "summary" else {}
    changes: list[HistoryEntry] = []
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            extra = form.extra_fields() if hasattr(form, "extra_fields") else {}
            try:
                saved = services.note_update(
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
                form = conflict_form(
                    form_class,
                    request,
                    exc.current.version,
                    prefix=form.prefix,
                    **form_kwargs,
                )
            except ValidationError as exc:
                apply_service_errors(
                    form,
                    exc,
                    {"tracking": None, "completion_status": None, "stage": None},
                )
            else:
                messages.success(request, NOTE_SAVED)
                notify_findings(request, kind=kind, note=saved)  # R2: flag, never block
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
    context = record_context(request, activity, _note_tab(kind))
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
