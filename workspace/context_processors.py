"""What every page's shell needs: the site name and the jurisdiction picker's list.

The list is read through `reference.selectors.jurisdiction_choices` (cached in the process)
and is lazy: a page that does not show the picker (sign-in, errors) never touches the
database for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reference.selectors import jurisdiction_choices


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "tat_site_name": getattr(settings, "TAT_SITE_NAME", "Technical Assistance Tracker"),
        "tat_jurisdictions": SimpleLazyObject(jurisdiction_choices),
    }
