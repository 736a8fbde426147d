"""What every page's shell needs: the site name, the jurisdiction picker's list and the
unread notifications count (R3).

The list is read through `reference.selectors.jurisdiction_choices` (cached in the process)
and is lazy: a page that does not show the picker (sign-in, errors) never touches the
database for it. The unread count is lazy too: one COUNT when the header shows it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reference.selectors import jurisdiction_choices
from workspace.notifications_selectors import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "tat_site_name": getattr(settings, "TAT_SITE_NAME", "Technical Assistance Tracker"),
        "tat_jurisdictions": SimpleLazyObject(jurisdiction_choices),
        "tat_unread_notifications": SimpleLazyObject(lambda: _unread_count(request)),
    }


def _unread_count(request: HttpRequest) -> int:
    """R3: the header's unread badge, one COUNT query, only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user=user)
