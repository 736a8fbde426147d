"""R2: documentation checks shown while a note is written (htmx) and after it is saved.
They flag, never block: nothing here refuses a note.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from activities import documentation
from activities.documentation import Finding

BAD_KIND = (
    "Unknown kind of note for the documentation checks: choose plan, summary, feedback or response."
)
BAD_PREFIX = "The form prefix of the documentation checks is not valid."
BAD_ACTIVITY = "The TA activity of the documentation checks must be a record number."
NO_ACTIVITY = "No TA activity has this record number."
SAVED_WITH_FINDINGS = (
    "The {label} was saved. The documentation checks (R2) suggest improving it: the SCBC "
    "State Systems Specialist reviews every note monthly."
)
KIND_LABELS = {
    documentation.KIND_PLAN: "TA activity description note",
    documentation.KIND_SUMMARY: "summary of TA delivered",
    documentation.KIND_FEEDBACK: "requester feedback",
    documentation.KIND_RESPONSE: "TA response note",
}
MAX_PREFIX_LENGTH = 30


def _activity_pk(raw: str) -> int | None:
    raw = raw.strip()
    if not raw or raw == "null":
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise ValueError(raw)
    return int(raw)


@require_POST
def documentation_checks(request: HttpRequest) -> HttpResponse:
    """R2 live check (htmx): the findings of the note being written, as the
    `_doc_findings.html` fragment. POST (CSRF), signed-in only (the site's login guard).

    Reads `kind`, `prefix` (the form's prefix), `activity` (optional, for the requesters of
    its State or Region) and the form's own fields: `<prefix>-text`, the summary's delivery
    methods and TA types, the feedback giver's name and title.
    """
    kind = request.POST.get("kind", "")
    if kind not in documentation.KINDS:
        return HttpResponseBadRequest(BAD_KIND)
    prefix = request.POST.get("prefix", "")
    if len(prefix) > MAX_PREFIX_LENGTH or not all(c.isalnum() or c == "_" for c in prefix):
        return HttpResponseBadRequest(BAD_PREFIX)
    try:
        activity_pk = _activity_pk(request.POST.get("activity", ""))
    except ValueError:
        return HttpResponseBadRequest(BAD_ACTIVITY)
    loader = documentation.names_for_request(request)
    jurisdiction = None
    if activity_pk is not None:
        jurisdiction = documentation.jurisdiction_of_activity(activity_pk)
        if jurisdiction is None:
            raise Http404(NO_ACTIVITY)
    names = loader.for_jurisdiction(jurisdiction)

    def field(name: str) -> str:
        return f"{prefix}-{name}" if prefix else name

    extra: dict[str, Any] = {}
    if kind == documentation.KIND_SUMMARY:
        extra["delivery_methods"] = request.POST.getlist(field("delivery_methods"))
        extra["ta_types"] = request.POST.getlist(field("ta_types"))
    elif kind == documentation.KIND_FEEDBACK:
        extra["giver_name"] = request.POST.get(field("giver_name"))
        extra["giver_title"] = request.POST.get(field("giver_title"))
    findings = documentation.documentation_findings(
        kind=kind, text=request.POST.get(field("text"), ""), names=names, **extra
    )
    return render(request, "activities/_doc_findings.html", {"findings": findings})


def saved_note_findings(request: HttpRequest, *, kind: str, note: Any) -> list[Finding]:
    """The R2 findings of a note just saved (the names of its activity's State/Region)."""
    loader = documentation.names_for_request(request)
    names = loader.for_jurisdiction(note.activity.jurisdiction)
    return documentation.note_findings(kind, note, names)


def notify_findings(request: HttpRequest, *, kind: str, note: Any) -> list[Finding]:
    """After saving (R2, flag never block): a warning on the record's next page listing the
    findings of the note just saved, each with the guide's best practice."""
    findings = saved_note_findings(request, kind=kind, note=note)
    if findings:
        messages.warning(
            request,
            render_to_string(
                "activities/_doc_findings.html",
                {
                    "findings": findings,
                    "inline": True,
                    "intro": SAVED_WITH_FINDINGS.format(label=KIND_LABELS[kind]),
                },
            ),
        )
    return findings
