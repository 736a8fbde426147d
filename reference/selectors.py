"""Reads of reference data: States and Territories by code, an SSS's assigned ones, and the
jurisdiction picker's list (shown in every page's shell).

The 56 States and Territories are static reference data read on every signed-in page, so
the picker's list is kept in process memory after its first read (one query per process)
and dropped whenever a jurisdiction is saved or deleted.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models.signals import post_delete, post_save

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
    """Drop the cached picker list (connected to Jurisdiction saves and deletes)."""
    global _jurisdictions
    with _lock:
        _jurisdictions = None


post_save.connect(clear_jurisdiction_cache, sender=Jurisdiction, dispatch_uid="tat-jur-cache")
post_delete.connect(clear_jurisdiction_cache, sender=Jurisdiction, dispatch_uid="tat-jur-cache-d")


def jurisdiction_by_code(code: str) -> Jurisdiction | None:
    """The State or Territory with this code (any case, surrounding spaces ignored)."""
    if "\x00" in code:  # PostgreSQL refuses NUL in a text parameter: no such code
        return None
    return Jurisdiction.objects.select_related("region").filter(code__iexact=code.strip()).first()


def assigned_jurisdictions(*, user: AbstractBaseUser) -> list[Jurisdiction]:
    """The States and Territories an SSS is assigned to (none for other roles).

    `user` is an accounts User; the reverse relation keeps this floor free of accounts.
    """
    if not getattr(user, "is_sss", False):
        return []
    return list(Jurisdiction.objects.filter(specialists=user).order_by("name"))
