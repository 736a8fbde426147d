"""Pieces every TA activity form shares: the native date picker, the base form that leaves
"required" to the server, and the choice helpers that keep items already on a record
offered after they were deactivated (reference lists are deactivated, never deleted).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from accounts.models import User
from activities.models import PlanStage, Requester
from core.forms import TextLimitMixin

BLANK_CHOICE = ("", "- Select -")
ADDABLE_STAGES = [
    (PlanStage.INITIAL.value, PlanStage.INITIAL.label),
    (PlanStage.INTERMEDIATE.value, PlanStage.INTERMEDIATE.label),
    (PlanStage.FINAL.value, PlanStage.FINAL.label),
]
# The new-requester fields inside the activity form carry this prefix.


class DateInput(forms.DateInput):
    """A native date picker: browsers show it localized, the value is ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TATForm(TextLimitMixin, forms.Form):
    """Our forms leave "required" to the server, so the error summary (not a browser
    bubble) tells what is missing; every free-text field has a maximum (core.forms)."""

    use_required_attribute = False


def choices(items: Any, label: Any = str) -> list[tuple[str, str]]:
    return [(str(item.pk), label(item)) for item in items]


def with_current(queryset: QuerySet, current: Any) -> list[Any]:
    """The offered items plus those already on the record (deactivated items stay)."""
    items = list(queryset)
    offered = {item.pk for item in items}
    items += [item for item in current if item.pk not in offered]
    return items


def staff_label(person: User) -> str:
    center = f" ({person.center.code})" if person.center_id else ""
    return f"{person.full_name}{center}"


def requester_label(requester: Requester) -> str:
    place = requester.jurisdiction or (requester.region and requester.region.short_name) or ""
    title = f", {requester.title}" if requester.title else ""
    return f"{requester.name}{title} — {place} ({requester.email})"
