"""Who may do what (DESIGN §1), as object-level predicates of the `rules` library.

Services call `require(user, "perm", obj)`; views may call `user.has_perm("perm", obj)` to
decide what to show. Both ask the same predicates, so the UI and the API cannot disagree.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.dispatch import Signal


@rules.predicate
def is_admin(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_tat_admin or user.is_superuser)
    )


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_federal_viewer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_federal_viewer)


@rules.predicate
def is_staff_member(user) -> bool:
    """Center staff who enter data: TA staff, center leads and SSSs."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_ta_staff or user.is_center_lead or user.is_sss)
    )


def _jurisdiction_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "jurisdiction_id"):
        return obj.jurisdiction_id
    if hasattr(obj, "goal"):  # strategic area, goal note
        return obj.goal.jurisdiction_id
    if hasattr(obj, "activity"):
        return obj.activity.jurisdiction_id
    return getattr(obj, "pk", None)  # a Jurisdiction itself


def _assigned_jurisdiction_ids(user) -> set[int]:
    cache = getattr(user, "_sss_jurisdiction_ids", None)
    if cache is None:
        cache = set(user.sss_jurisdictions.values_list("id", flat=True)) if user.is_sss else set()
        user._sss_jurisdiction_ids = cache
    return cache


@rules.predicate
def is_sss_for(user, obj) -> bool:
    """The user is a State Systems Specialist assigned to the object's jurisdiction."""
    if not (user and user.is_authenticated and user.is_active and user.is_sss):
        return False
    return _jurisdiction_id(obj) in _assigned_jurisdiction_ids(user)


def _activity(obj: Any):
    if hasattr(obj, "primary_staff_id"):
        return obj
    return getattr(obj, "activity", None)


@rules.predicate
def is_primary_staff(user, obj) -> bool:
    activity = _activity(obj)
    return bool(
        activity is not None and user.is_authenticated and activity.primary_staff_id == user.pk
    )


@rules.predicate
def is_collaborating_staff(user, obj) -> bool:
    activity = _activity(obj)
    if activity is None or activity.pk is None or not user.is_authenticated:
        return False
    return activity.collaborating_staff.filter(pk=user.pk).exists()


@rules.predicate
def is_lead_of_primary_center(user, obj) -> bool:
    activity = _activity(obj)
    return bool(
        activity is not None
        and user.is_authenticated
        and user.is_center_lead
        and user.center_id is not None
        and activity.primary_center_id == user.center_id
    )


@rules.predicate
def is_author(user, obj) -> bool:
    return bool(user.is_authenticated and getattr(obj, "author_id", None) == user.pk)


# Reading: every signed-in person reads every record.
rules.add_perm("tat.view", is_signed_in)

# The sentence `require()` shows for each refused permission; filled by `add_perm()` from
# each app's `rules.py`.
PERMISSION_MESSAGES: dict[str, str] = {}


def add_perm(name: str, predicate: Any, message: str) -> None:
    """Register a permission and the sentence a refused person reads (see `require`).

    Each app registers its own permissions in its `rules.py` (loaded by rules'
    autodiscovery); the predicates they combine live here.
    """
    rules.add_perm(name, predicate)
    PERMISSION_MESSAGES[name] = message


# Sent by `require()` before it refuses (user, perm, obj): the security-event log listens
# (core.security_log), as this floor sits below core and may not import it.
permission_refused = Signal()


def require(user, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied (with a sentence a person can read) unless allowed."""
    if not rules.has_perm(perm, user, obj):
        permission_refused.send(sender=require, user=user, perm=perm, obj=obj)
        raise PermissionDenied(PERMISSION_MESSAGES.get(perm, "You do not have permission."))
