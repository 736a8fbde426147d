"""The notifications page and the reminder preferences page (R3).

A person sees and changes only their own: every read and write is scoped to
`request.user` (someone else's notification id is simply not found). Views stay thin:
reads through `workspace.notifications_selectors`, writes through `core.notifications`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import apply_service_errors
from core.models import ReminderFrequency, ReminderKind
from core.notifications import (
    notification_preferences_of,
    notification_preferences_set,
    notifications_mark_read,
)
from workspace.notifications_selectors import notifications_for

PAGE_SIZE = 25
MARKED_READ = "The notification is marked as read."
ALL_MARKED_READ = "All your notifications are marked as read."
PREFERENCES_SAVED = "Your reminder preferences are saved."

# Who receives each kind, shown as the radio group's hint.
KIND_HINTS = {
    ReminderKind.SUMMARY_DUE: (
        "Primary staff: a summary of TA delivered is due within 10 business days of delivery "
        "or by the last day of that month, whichever comes first. You hear of it 3 business "
        "days before, and again once it is overdue."
    ),
    ReminderKind.MONTHLY_REVIEW: (
        "State Systems Specialists: after the 5th business day of a month, how many of last "
        "month's activities in your States and Territories are not reviewed yet."
    ),
    ReminderKind.SEND_BACK: (
        "Primary staff: activities the monthly review sent back to you that are not marked "
        "addressed yet."
    ),
    ReminderKind.CLOSURE_REQUEST: (
        "Administrators: requests to close a goal that are waiting for a decision."
    ),
}


class NotificationPreferencesForm(forms.Form):
    """One radio group per reminder kind (shape only; the service checks the values)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in ReminderKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=ReminderFrequency.choices,
                widget=forms.RadioSelect,
                help_text=KIND_HINTS[kind],
            )


def _back_to(request: HttpRequest) -> HttpResponse:
    """Back to the page the form was on (a path on this site), else the notifications page."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("workspace:notifications")


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """R3: every notification of the signed-in person, unread first, paginated."""
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workspace/notifications.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "unread_on_page": any(item.read_at is None for item in page),
        },
    )


@require_POST
def notifications_mark(request: HttpRequest) -> HttpResponse:
    """R3: mark the chosen notifications (ids posted as `notification`) or all read."""
    if request.POST.get("all"):
        notifications_mark_read(actor=request.user)
        messages.success(request, ALL_MARKED_READ)
    else:
        ids = [int(raw) for raw in request.POST.getlist("notification") if raw.isdigit()]
        if notifications_mark_read(actor=request.user, notification_ids=ids[:500]):
            messages.success(request, MARKED_READ)
    return _back_to(request)


@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """R3: how the signed-in person wants each kind of reminder."""
    current = notification_preferences_of(person=request.user)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            try:
                notification_preferences_set(actor=request.user, frequencies=form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, PREFERENCES_SAVED)
                return redirect("workspace:notification_preferences")
    else:
        form = NotificationPreferencesForm(initial=current)
    return render(request, "workspace/notification_preferences.html", {"form": form})
