"""The one page the kernel answers itself: how long the signed-in session has left (issue #12,
door 2), asked by the idle-timeout warning (static/js/session.js)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from core.middleware import session_seconds_left


@login_not_required
@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds the session has left. GET only reads them (the warning's check: the middleware
    does not count it as activity); POST ("Stay signed in") is activity, so it refreshes the
    idle clock. An anonymous caller learns only that it is signed out."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": session_seconds_left(request)})
