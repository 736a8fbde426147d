"""What every page's shell needs: the site name and the jurisdiction picker's list.

The 56 States and Territories are static reference data read on every signed-in page, so
the list is kept in process memory after its first read (one query per process) and
dropped whenever a jurisdiction is saved or deleted. The value is lazy: a page that does
not show the picker (sign-in, errors) never touches the database for it.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reference.models import Jurisdiction


class JurisdictionChoice(NamedTuple):
    code: str
    name: str


_lock = threading.Lock()
_jurisdictions: tuple[JurisdictionChoice, ...] | None = None


def jurisdiction_choices() -> tuple[JurisdictionChoice, ...]:
    """Every jurisdiction as (code, name), sorted by name; cached in the process."""
    global _jurisdictions
    cached = _jurisdictions
    if cached is None:
        rows = Jurisdiction.objects.order_by("name").values_list("code", "name")
        cached = tuple(JurisdictionChoice(code, name) for code, name in rows)
        with _lock:
            _jurisdictions = cached
    return cached


def clear_jurisdiction_cache(**_: Any) -> None:
    global _jurisdictions
    with _lock:
        _jurisdictions = None


post_save.connect(clear_jurisdiction_cache, sender=Jurisdiction, dispatch_uid="tat-jur-cache")
post_delete.connect(clear_jurisdiction_cache, sender=Jurisdiction, dispatch_uid="tat-jur-cache-d")


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "tat_site_name": getattr(settings, "TAT_SITE_NAME", "Technical Assistance Tracker"),
        "tat_jurisdictions": SimpleLazyObject(jurisdiction_choices),
    }
