"""Template context every page needs from the kernel: the idle-timeout warning's settings and
a form kept when the session ended (issue #12, door 2; templates/includes/session_timeout.html).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.middleware import saved_form_for


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "idle_seconds": settings.SESSION_IDLE_TIMEOUT_MINUTES * 60,
            "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        },
        "restored_form": saved_form_for(request),
    }
