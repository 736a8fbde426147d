"""Requesters (rule A4) and staff (A5) inside the activity form: adding a new requester or
selecting one on file, the requester page the duplicate message links to, and the primary
staff list that follows the chosen center.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from activities import selectors, services
from activities.forms import REQUESTER_PREFIX, ActivityForm, RequesterForm
from activities.models import Requester
from core.forms import apply_service_errors, without_errors
from reference.models import Jurisdiction

REQUESTER_ADDED = "{name} was added as a requester and selected."
REQUESTER_SELECTED = "{name} was selected."


def requester_step(
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
        chosen = selectors.requester_by_id(request.POST.get("select_requester", ""))
        requester_form = without_errors(requester_form)
        if chosen is not None:
            state["requester_message"] = REQUESTER_SELECTED.format(name=chosen.name)
    elif requester_form.is_valid():
        try:
            chosen = services.requester_create(
                actor=request.user, **requester_form.service_fields()
            )
        except services.DuplicateRequester as exc:
            apply_service_errors(requester_form, exc)
            state["duplicate"] = exc.existing
            state["duplicate_selectable"] = selectors.requester_selectable_for(
                exc.existing, jurisdiction
            )
        except ValidationError as exc:
            apply_service_errors(requester_form, exc, {"jurisdiction": "place", "region": "place"})
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
    return without_errors(rebound), requester_form, state


@require_GET
def staff_options(request: HttpRequest) -> HttpResponse:
    """The primary staff <option>s of one center (htmx swaps them into the form, A5)."""
    value = request.GET.get("primary_center", "")
    center = selectors.center_by_id(value) if value.isdecimal() else None
    return render(
        request,
        "activities/_staff_options.html",
        {"center": center, "people": selectors.staff_for_center(center)},
    )


@require_GET
def requester_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A requester on file (the duplicate e-mail message links here, A4)."""
    found = selectors.requester_with_activities(pk)
    if found is None:
        raise Http404("No requester has this number.")
    requester, activities = found
    return render(
        request,
        "activities/requester_detail.html",
        {"requester": requester, "activities": activities},
    )
