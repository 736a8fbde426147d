"""Reads of reference data: States and Territories by code, an SSS's assigned ones, and the
jurisdiction picker's list (shown in every page's shell).

The 56 States and Territories are static reference data read on every signed-in page, so
the picker's list is kept in process memory after its first read (one query per process)
and dropped whenever a jurisdiction is saved or deleted. `reference_changes_since` lists
recent edits of the reference lists and field help (the administrator's home).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from reference.lists import FIELD_HELP_TITLE, REFERENCE_LISTS, slug_of
from reference.models import FieldHelp, Jurisdiction


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


# --- changes to the reference lists and field help (the administrator's home) -------------


@dataclass(frozen=True)
class ReferenceChange:
    """One change to a reference-list item or a field help text: who, when, what."""

    when: dt.datetime
    who: Any  # the accounts User who made it, or None (a data load without a user)
    list_slug: str  # reference.lists slug, e.g. "delivery-methods" or "field-help"
    list_title: str  # e.g. "Delivery methods"
    item_id: int
    item_label: str  # the item as people name it
    action: str  # "added", "changed", "deactivated", "reactivated", "moved" or "deleted"
    fields: tuple[str, ...] = ()  # verbose names of the changed fields ("changed" only)
    reason: str = ""

    @property
    def summary(self) -> str:
        """The change in a few words: "changed name, definition", "deactivated"."""
        if self.action == "changed" and self.fields:
            return "changed " + ", ".join(self.fields)
        return self.action


_NOT_COMPARED = {"id", "version"}


def _compared_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _NOT_COMPARED]


def _describe(
    model: type[models.Model], row: Any, previous: Any | None
) -> tuple[str, tuple[str, ...]]:
    if row.history_type == "+":
        return "added", ()
    if row.history_type == "-":
        return "deleted", ()
    if previous is None:
        return "changed", ()
    changed = [
        f
        for f in _compared_fields(model)
        if getattr(row, f.attname) != getattr(previous, f.attname)
    ]
    names = {f.name for f in changed}
    if names == {"active"}:
        return ("reactivated" if row.active else "deactivated"), ()
    if names == {"sort_order"}:
        return "moved", ()
    return "changed", tuple(str(f.verbose_name) for f in changed)


def reference_changes_since(since: dt.date, *, limit: int = 50) -> list[ReferenceChange]:
    """Changes to every reference list and to field help made on or after `since`.

    Newest first, at most `limit`. One query per list (nine), whatever the number of
    changes: each reads the history of the items changed since then, so every change can
    be compared with the row before it.
    """
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    changes: list[ReferenceChange] = []
    titles = {lst.model: lst.title for lst in REFERENCE_LISTS}
    titles[FieldHelp] = FIELD_HELP_TITLE
    for model, title in titles.items():
        history = model.history.model  # type: ignore[attr-defined]
        changed_ids = history.objects.filter(history_date__gte=start).values("id")
        rows = (
            history.objects.filter(id__in=changed_ids)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous = None
        for row in rows:
            if previous is not None and previous.id != row.id:
                previous = None
            if row.history_date >= start:
                action, fields = _describe(model, row, previous)
                changes.append(
                    ReferenceChange(
                        when=row.history_date,
                        who=row.history_user,
                        list_slug=slug_of(model),
                        list_title=title,
                        item_id=row.id,
                        item_label=str(row.instance),
                        action=action,
                        fields=fields,
                        reason=row.history_change_reason or "",
                    )
                )
            previous = row
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
