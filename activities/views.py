"""Web pages for TA activities (rules A1–A16). Views only translate: access → form → service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from activities.models import TAActivity


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        TAActivity.objects.select_related("jurisdiction", "focus", "primary_center", "primary_staff"),
        pk=pk,
    )
    return render(request, "activities/detail.html", {"activity": activity, "tab": "details"})
