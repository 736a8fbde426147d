"""A16, issue #12 door 1: ask to join a TA activity one's center takes no part in, and the
primary staff person's (or an administrator's) answer. Thin: form → service → page."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from activities import selectors
from activities.forms.join_requests import JoinDecisionForm, JoinRequestForm
from activities.services import join_requests as services
from activities.views._common import activity_for, record_context
from core.forms import apply_service_errors

ASKED = "Your request to join {record} was sent to its primary staff person."
ACCEPTED = "{person} now takes part in {record} as collaborating staff."
DECLINED = "You declined {person}'s request to join {record}."


@require_http_methods(["GET", "POST"])
def join_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The form to ask; or why there is nothing to ask (joined already, may join directly,
    a request waiting, an on-demand or closed activity)."""
    activity = activity_for(request, pk, "activities.request_join")
    form = JoinRequestForm(request.POST or None)
    refusal: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.join_request_create(
                    actor=request.user, activity=activity, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc, {"strategic_area": None})
            else:
                messages.success(request, ASKED.format(record=activity.record_number))
                return redirect("activities:detail", pk=pk)
    else:
        try:
            services.join_request_check(actor=request.user, activity=activity)
        except ValidationError as exc:
            refusal = exc.messages
    context = record_context(request, activity, "details")
    context.update(form=form, refusal=refusal)
    return render(request, "activities/join_request.html", context)


def _requests_context(request: HttpRequest, activity, forms: dict | None = None) -> dict:
    join_requests = list(selectors.join_requests_for_activity(activity))
    forms = forms or {}
    for join_request in join_requests:
        join_request.form = forms.get(join_request.pk) or JoinDecisionForm(
            prefix=f"request-{join_request.pk}"
        )
    context = record_context(request, activity, "details")
    context.update(
        join_requests=join_requests,
        can_decide=rules.has_perm("activities.decide_join_request", request.user, activity),
    )
    return context


@require_GET
def join_request_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity's requests to join, newest first; its primary staff answers here."""
    activity = activity_for(request, pk)
    return render(request, "activities/join_requests.html", _requests_context(request, activity))


@require_POST
def join_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline one request (the primary staff person or an administrator)."""
    join_request = selectors.join_request_by_id(pk)
    if join_request is None:
        raise Http404("No such request to join.")
    activity = activity_for(request, join_request.activity_id)
    require(request.user, "activities.decide_join_request", activity)
    form = JoinDecisionForm(request.POST, prefix=f"request-{pk}")
    if form.is_valid():
        decide = (
            services.join_request_accept
            if form.cleaned_data["decision"] == "accept"
            else services.join_request_decline
        )
        try:
            decide(
                actor=request.user,
                join_request=join_request,
                note=form.cleaned_data["decision_note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            done = ACCEPTED if form.cleaned_data["decision"] == "accept" else DECLINED
            person = join_request.requested_by
            messages.success(
                request,
                done.format(person=person.full_name or person.email, record=activity.record_number),
            )
            return redirect("activities:join_requests", pk=activity.pk)
    context = _requests_context(request, activity, {pk: form})
    return render(request, "activities/join_requests.html", context, status=400)
