"""The History tab (rule AU1) and the printable record: every change to the activity and
its notes, newest first.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from activities import selectors
from activities.views._common import activity_for, record_context


@require_GET
def activity_history(request: HttpRequest, pk: int) -> HttpResponse:
    """History tab (AU1): every change to the activity and its notes, newest first."""
    activity = activity_for(request, pk)
    context = record_context(request, activity, "history")
    context["entries"] = selectors.activity_history(activity)
    return render(request, "activities/history.html", context)


@require_GET
def activity_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole record on paper, every tab in reading order: details, plans, tracking,
    response notes, then the history."""
    activity = activity_for(request, pk)
    context = record_context(request, activity, "print")
    context["printed_at"] = timezone.localtime()
    context["entries"] = selectors.activity_history(activity)
    return render(request, "activities/print.html", context)
