"""Reads for search (S1–S3): one function finds the activities, used by the results page,
the CSV and XLSX exports and any future API alike."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from accounts.models import User
from activities.models import DeliverySummary, ResponseNote, TAActivity
from goals.models import Goal, StrategicArea
from reference.models import Jurisdiction
from search import fulltext
from search.criteria import DEFAULT_SORT, DateRange, SearchCriteria, order_by_for
from search.models import ActivitySearchDocument, SavedSearch

# Related rows shown in each result row (one join each, no query per row).
RESULT_RELATED = ("jurisdiction", "goal_category", "focus", "primary_center", "primary_staff")

_CollaboratingCenter = TAActivity.collaborating_centers.through
_CollaboratingStaff = TAActivity.collaborating_staff.through
_OtherCollaborator = TAActivity.other_collaborators.through


def _in_range(field: str, value: DateRange) -> Q:
    q = Q()
    if value.start:
        q &= Q(**{f"{field}__gte": value.start})
    if value.end:
        q &= Q(**{f"{field}__lte": value.end})
    return q


def _text_filter(text: str) -> Q:
    """Activities whose notes contain every word of `text` (full-text index)."""
    text_words = fulltext.words(text)
    vendor = connections[router.db_for_read(TAActivity)].vendor
    raw = fulltext.matching_ids_sql(text_words, vendor)
    if raw is None:  # a database without a full-text index
        documents = ActivitySearchDocument.objects.all()
        for word in text_words:
            documents = documents.filter(document__icontains=word)
        return Q(pk__in=documents.values("activity_id"))
    sql, params = raw
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, words as parameters


def activities_for_search(
    criteria: SearchCriteria, *, sort: str = DEFAULT_SORT
) -> QuerySet[TAActivity]:
    """Activities (goal-driven and on-demand) meeting every criterion (AND), sorted (S1, S3).

    Criteria on other tables are `IN (subquery)` filters, never joins, so the rows are
    never repeated and counting them needs no DISTINCT and no join.
    """
    qs = TAActivity.objects.all()
    c = criteria
    if c.record is not None:
        qs = qs.filter(pk=c.record)
    if c.jurisdiction:
        qs = qs.filter(jurisdiction=c.jurisdiction)
    if c.region:
        qs = qs.filter(jurisdiction__in=Jurisdiction.objects.filter(region=c.region).values("id"))
    if c.category:
        related_goals = Goal.objects.filter(related_category=c.category).values("id")
        qs = qs.filter(Q(goal_category=c.category) | Q(goal__in=related_goals))
    if c.strategic_area:
        areas = StrategicArea.objects.filter(item=c.strategic_area).values("id")
        qs = qs.filter(strategic_area__in=areas)
    if c.focus:
        qs = qs.filter(focus=c.focus)
    if c.primary_center:
        qs = qs.filter(primary_center=c.primary_center)
    if c.collaborating_center:
        qs = qs.filter(
            pk__in=_CollaboratingCenter.objects.filter(center=c.collaborating_center).values(
                "taactivity_id"
            )
        )
    if c.staff:
        collaborating = _CollaboratingStaff.objects.filter(user=c.staff).values("taactivity_id")
        qs = qs.filter(Q(primary_staff=c.staff) | Q(pk__in=collaborating))
    if c.activity_type:
        qs = qs.filter(activity_type=c.activity_type)
    if c.status:
        qs = qs.filter(status=c.status)
    if c.completion_status:
        qs = qs.filter(completion_status=c.completion_status)
    if c.other_collaborator:
        qs = qs.filter(
            pk__in=_OtherCollaborator.objects.filter(collaboratortype=c.other_collaborator).values(
                "taactivity_id"
            )
        )
    if c.date_opened:
        qs = qs.filter(_in_range("date_opened", c.date_opened))
    if c.date_closed:
        qs = qs.filter(_in_range("completion_date", c.date_closed))
    if c.response_note_date:
        notes = ResponseNote.objects.filter(_in_range("note_date", c.response_note_date))
        qs = qs.filter(pk__in=notes.values("activity_id"))
    if c.summary_date:
        summaries = DeliverySummary.objects.filter(_in_range("note_date", c.summary_date))
        qs = qs.filter(pk__in=summaries.values("activity_id"))
    if c.text:
        qs = qs.filter(_text_filter(c.text))
    return qs.select_related(*RESULT_RELATED).order_by(*order_by_for(sort))


def activities_for_export(
    criteria: SearchCriteria, *, sort: str = DEFAULT_SORT
) -> QuerySet[TAActivity]:
    """The search results with everything an export row shows (S3).

    The latest summary of TA delivered is a subquery per row (no query per row); the
    collaborating centers and staff are prefetched per chunk when iterated with
    `.iterator(chunk_size=...)`.
    """
    latest = DeliverySummary.objects.filter(activity=OuterRef("pk")).order_by(
        "-note_date", "-created_at", "-id"
    )
    return (
        activities_for_search(criteria, sort=sort)
        .select_related("jurisdiction__region", "strategic_area__item")
        .annotate(
            latest_summary_date=Subquery(latest.values("note_date")[:1]),
            latest_summary_text=Subquery(latest.values("text")[:1]),
        )
        .prefetch_related(
            "collaborating_centers",
            Prefetch("collaborating_staff", queryset=User.objects.only("id", "full_name")),
        )
    )


def saved_searches_for(user: User) -> QuerySet[SavedSearch]:
    """The person's saved searches, by name (for the home page and the search page)."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).order_by("name", "id")
