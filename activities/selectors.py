"""Reads for TA activities: each returns what one page needs in a fixed number of queries.

Views read only through these (no ORM query in a view): the record page (A1–A16), the
history (AU1), the requester lists and checks (A4), the staff lists (A5), the open
activities of a strategic area (A16) and record numbers (A15).
"""

from __future__ import annotations

import re

from django.db.models import Model, Prefetch, Q, QuerySet

from accounts.models import User
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    JoinRequest,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.history import HistoryEntry, history_entries
from core.status import status_changes_for
from goals.models import StrategicArea
from reference.models import Center, Jurisdiction

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


def activity_history(activity: TAActivity) -> list[HistoryEntry]:
    """AU1: every change to the activity and to its notes (deleted ones too), newest first."""
    return history_entries(
        activity,
        related=[
            DescriptionNote.history.filter(activity_id=activity.pk),
            DeliverySummary.history.filter(activity_id=activity.pk),
            RequesterFeedback.history.filter(activity_id=activity.pk),
            ResponseNote.history.filter(activity_id=activity.pk),
            # R1 review marks and send-backs: read through the reverse relations, since the
            # oversight floor sits above this one.
            *(
                TAActivity._meta.get_field(name).related_model.history.filter(
                    activity_id=activity.pk
                )
                for name in ("review_marks", "send_backs")
            ),
        ],
    )


def note_with_activity(model: type[Model], pk: int) -> Model | None:
    """One activity note (of the note `model`) with its activity and author, or None."""
    return model._default_manager.select_related("activity", "author").filter(pk=pk).first()


def join_requests_for_activity(activity: TAActivity) -> QuerySet[JoinRequest]:
    """A16, issue #12 door 1: the activity's requests to join, newest first, with who asked
    (and their center) and who answered: one query."""
    return activity.join_requests.select_related("requested_by__center", "decided_by")


def join_request_by_id(pk: int) -> JoinRequest | None:
    """One request to join with its activity and who asked, or None."""
    return JoinRequest.objects.select_related("activity", "requested_by").filter(pk=pk).first()


def strategic_area_for_new_activity(pk: int) -> StrategicArea | None:
    """The strategic area a goal-driven activity is added to, with its goal's jurisdiction,
    region and category (A1, A4), or None."""
    return (
        StrategicArea.objects.select_related("goal__jurisdiction__region", "goal__category", "item")
        .filter(pk=pk)
        .first()
    )


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


def requester_by_id(raw_pk: str) -> Requester | None:
    """The requester whose id a person chose (a string from the form), or None."""
    return Requester.objects.filter(pk=int(raw_pk)).first() if raw_pk.isdecimal() else None


def requester_with_activities(pk: int) -> tuple[Requester, list[TAActivity]] | None:
    """A requester on file and the 50 newest activities naming them (A4), or None."""
    requester = (
        Requester.objects.select_related("jurisdiction", "region", "created_by")
        .filter(pk=pk)
        .first()
    )
    if requester is None:
        return None
    activities = requester.activities.select_related("focus", "jurisdiction").order_by(
        "-date_opened", "-pk"
    )[:50]
    return requester, list(activities)


def center_by_id(value: object) -> Center | None:
    """The center whose id was submitted (any text), or None when there is no such center."""
    try:
        return Center.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def staff_queryset() -> QuerySet[User]:
    """People who can be primary or collaborating staff: active center staff (A5)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_ta_staff=True) | Q(is_center_lead=True) | Q(is_sss=True))
        .select_related("center")
        .order_by("full_name", "pk")
    )


def staff_for_center(center: Center | None) -> QuerySet[User]:
    """The primary staff list follows the primary center (A5)."""
    if center is None:
        return User.objects.none()
    return staff_queryset().filter(center=center)


def requester_is_contact_of(requester: Requester, jurisdiction: Jurisdiction) -> bool:
    """A4: the requester is a contact of the State or Territory or of its region (the test
    `requesters_for_jurisdiction` makes in the database)."""
    return requester.jurisdiction_id == jurisdiction.pk or (
        requester.region_id is not None and requester.region_id == jurisdiction.region_id
    )


def requester_selectable_for(requester: Requester, jurisdiction: Jurisdiction) -> bool:
    """A4: whether an activity of `jurisdiction` may name `requester` (active and a contact)."""
    return requester.active and requester_is_contact_of(requester, jurisdiction)


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
