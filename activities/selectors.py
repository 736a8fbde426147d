"""Reads for TA activities: each returns what one page needs in a fixed number of queries."""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.status import status_changes_for
from goals.models import StrategicArea
from reference.models import Jurisdiction

RECORD_NUMBER_EMPTY = "Enter a TA record number, such as TA-000123 or 123."
RECORD_NUMBER_MALFORMED = "“{text}” is not a TA record number; enter it as TA-000123 or 123."

# "TA-000123", "ta 123", "123": an optional TA prefix, then up to 12 significant digits.
_RECORD_NUMBER = re.compile(r"^(?:TA\s*-?\s*)?0*(\d{1,12})$", re.IGNORECASE)

_LIST_RELATED = (
    "jurisdiction",
    "goal_category",
    "focus",
    "primary_center",
    "primary_staff",
)


def activity_with_details(pk: int) -> TAActivity | None:
    """Everything a TA record page shows, or None when there is no such record.

    Related rows, every kind of note (with authors, delivery methods and TA types) and the
    status-change rows (as `status_history`) come in a fixed number of queries, however
    many notes the activity has.
    """
    activity = (
        TAActivity.objects.filter(pk=pk)
        .select_related(
            "jurisdiction__region",
            "goal__category",
            "goal__related_category",
            "strategic_area__item",
            "goal_category",
            "focus",
            "primary_center",
            "primary_staff__center",
            "approved_by",
            "created_by",
        )
        .prefetch_related(
            Prefetch("requesters", queryset=Requester.objects.select_related("jurisdiction")),
            "collaborating_centers",
            Prefetch("collaborating_staff", queryset=User.objects.select_related("center")),
            "other_collaborators",
            Prefetch(
                "description_notes", queryset=DescriptionNote.objects.select_related("author")
            ),
            Prefetch(
                "summaries",
                queryset=DeliverySummary.objects.select_related("author").prefetch_related(
                    "delivery_methods", "ta_types"
                ),
            ),
            Prefetch("feedback", queryset=RequesterFeedback.objects.select_related("author")),
            Prefetch("response_notes", queryset=ResponseNote.objects.select_related("author")),
        )
        .first()
    )
    if activity is not None:
        activity.status_history = list(status_changes_for(activity))
    return activity


def activities_for_staff(user: User) -> QuerySet[TAActivity]:
    """H1: every activity where `user` is primary or collaborating staff, newest first."""
    return (
        TAActivity.objects.for_staff(user)
        .select_related(*_LIST_RELATED)
        .order_by("-date_opened", "-pk")
    )


def requesters_for_jurisdiction(jurisdiction: Jurisdiction) -> QuerySet[Requester]:
    """A4: the active requesters a State or Territory's activity may name: its own contacts
    and those of its region."""
    return (
        Requester.objects.filter(active=True)
        .filter(Q(jurisdiction_id=jurisdiction.pk) | Q(region_id=jurisdiction.region_id))
        .select_related("jurisdiction", "region")
        .order_by("name", "pk")
    )


def open_activities_in_strategic_area(strategic_area: StrategicArea) -> QuerySet[TAActivity]:
    """A16: the open activities already under a strategic area, oldest record first."""
    return (
        TAActivity.objects.open()
        .filter(strategic_area_id=strategic_area.pk)
        .select_related(*_LIST_RELATED)
        .order_by("pk")
    )


def parse_record_number(text: str) -> int:
    """A15: the primary key written in a TA record number ("TA-000123", "123", " ta-123 ").

    Raises ValueError with a sentence a person can read when the text is not one.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError(RECORD_NUMBER_EMPTY)
    match = _RECORD_NUMBER.match(cleaned)
    if match is None:
        raise ValueError(RECORD_NUMBER_MALFORMED.format(text=cleaned[:40]))
    return int(match.group(1))


def activity_by_record_number(text: str) -> TAActivity | None:
    """A15 ("Find a TA record by ID"): the activity, or None when no record has that number.

    Malformed input raises ValueError (see `parse_record_number`).
    """
    pk = parse_record_number(text)
    return TAActivity.objects.select_related(*_LIST_RELATED).filter(pk=pk).first()
