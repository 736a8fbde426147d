"""Reads for search (S1–S3): one function finds the activities, used by the results page,
the CSV and XLSX exports and any future API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

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


def _entered_in(value: DateRange) -> Q:
    """Notes entered (created) on the range's days, whole days in the site's time zone."""
    q = Q()
    if value.start and value.start > dt.date.min:
        q &= Q(created_at__gte=timezone.make_aware(dt.datetime.combine(value.start, dt.time.min)))
    if value.end and value.end < dt.date.max:
        day_after = value.end + dt.timedelta(days=1)
        q &= Q(created_at__lt=timezone.make_aware(dt.datetime.combine(day_after, dt.time.min)))
    return q


# The yes/no/not-recorded answers of "requested directly by the CCDF Administrator" (A7).
_REQUESTED_DIRECTLY = {
    "yes": Q(requested_by_ccdf_administrator=True),
    "no": Q(requested_by_ccdf_administrator=False),
    "not_recorded": Q(requested_by_ccdf_administrator__isnull=True),
}


class _NotDrivingIn(Expression):
    """`+id IN (subquery)`: on SQLite the unary plus keeps the planner from driving the
    query by the subquery's rows, so it reads an index in the page's order and stops once
    the page is full — much faster when the subquery matches a large share of the rows."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: Any, sql: str, params: list[Any]) -> None:
        super().__init__()
        self.column, self.sql, self.params = column, sql, params

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column_sql, column_params = compiler.compile(self.column)
        return f"+{column_sql} IN ({self.sql})", [*column_params, *self.params]


class _AnyOfArray(Expression):
    """PostgreSQL `id = ANY(ARRAY(subquery))`: the subquery runs once, in full, before the
    outer query is planned around it (an `IN (subquery)` would be joined instead)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: Any, queryset: QuerySet) -> None:
        super().__init__()
        self.column, self.subquery = column, Subquery(queryset)

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.column, self.subquery = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", [*column_params, *subquery_params]


def _vendor() -> str:
    return connections[router.db_for_read(TAActivity)].vendor


def _text_filter(text: str, *, drive: bool = True) -> Q | _NotDrivingIn:
    """Activities whose notes contain every word of `text` (full-text index)."""
    text_words = fulltext.words(text)
    vendor = _vendor()
    raw = fulltext.matching_ids_sql(text_words, vendor)
    if raw is None:  # a database without a full-text index
        documents = ActivitySearchDocument.objects.all()
        for word in text_words:
            documents = documents.filter(document__icontains=word)
        return Q(pk__in=documents.values("activity_id"))
    sql, params = raw
    if not drive and vendor == "sqlite":
        return _NotDrivingIn(F("pk"), sql, params)
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 # nosec B611 # constant SQL, words as parameters


def activities_for_search(
    criteria: SearchCriteria, *, sort: str = DEFAULT_SORT, text_drives: bool = True
) -> QuerySet[TAActivity]:
    """Activities (goal-driven and on-demand) meeting every criterion (AND), sorted (S1, S3).

    Criteria on other tables are `IN (subquery)` filters, never joins, so the rows are
    never repeated and counting them needs no DISTINCT and no join. `text_drives=False`
    asks the database to read the activities in the sort order and test the words on
    each (see `SearchResults`); the rows are the same.
    """
    qs = TAActivity.objects.all()
    c = criteria
    if c.record is not None:
        qs = qs.filter(pk=c.record)
    if c.jurisdiction:
        qs = qs.filter(jurisdiction=c.jurisdiction)
    if c.region:
        # A handful of ids: each database then reads the jurisdiction index directly.
        in_region = list(
            Jurisdiction.objects.filter(region=c.region).order_by().values_list("id", flat=True)
        )
        qs = qs.filter(jurisdiction__in=in_region)
    if c.category:
        # "Its category, or its goal's related category": with the (few) goals' ids read
        # first, both sides of the OR are index look-ups on every database.
        related_goals = list(
            Goal.objects.filter(related_category=c.category)
            .order_by()  # no default ordering: it would join two tables for nothing
            .values_list("id", flat=True)
        )
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
        primary = TAActivity.objects.order_by().filter(primary_staff=c.staff).values("id")
        collaborating = _CollaboratingStaff.objects.filter(user=c.staff).values("taactivity_id")
        qs = qs.filter(pk__in=primary.union(collaborating, all=True))
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
    if c.response_note_entered:
        notes = ResponseNote.objects.filter(_entered_in(c.response_note_entered))
        qs = qs.filter(pk__in=notes.values("activity_id"))
    if c.summary_entered:
        summaries = DeliverySummary.objects.filter(_entered_in(c.summary_entered))
        qs = qs.filter(pk__in=summaries.values("activity_id"))
    if c.response_note_date:
        notes = ResponseNote.objects.filter(_in_range("note_date", c.response_note_date))
        qs = qs.filter(pk__in=notes.values("activity_id"))
    if c.summary_date:
        summaries = DeliverySummary.objects.filter(_in_range("note_date", c.summary_date))
        qs = qs.filter(pk__in=summaries.values("activity_id"))
    if c.requested_directly in _REQUESTED_DIRECTLY:
        qs = qs.filter(_REQUESTED_DIRECTLY[c.requested_directly])
    if c.cor_name:
        qs = qs.filter(cor_name__icontains=c.cor_name)
    if c.cor_approval_date:
        qs = qs.filter(_in_range("cor_approval_date", c.cor_approval_date))
    if c.text:
        qs = qs.filter(_text_filter(c.text, drive=text_drives))
    return qs.select_related(*RESULT_RELATED).order_by(*order_by_for(sort))


# A word found in more documents than this is cheaper to test on each activity read in
# the page's order than to read all its matches and sort them (measured at 200,000).
COMMON_TEXT_MATCHES = 2000
# Up to this many results, a page is cut from all the matches sorted, not read in order.
FEW_RESULTS = 10_000
# Up to this many results (whatever the criteria), the page counts them per State.
BREAKDOWN_MAX = 20_000


@dataclass(frozen=True)
class JurisdictionCount:
    pk: int
    name: str
    count: int


class SearchResults:
    """The results of a search as a Paginator reads them (S3).

    Counted on the activities table alone (or, for words alone, on the full-text index,
    which holds exactly one document per activity); each page is read in two steps — the
    page's record numbers first, sorting narrow rows, then those 25 rows with everything a
    result row shows — so a large result set is never joined row by row before it is
    sorted.
    """

    ordered = True

    def __init__(self, criteria: SearchCriteria, *, sort: str = DEFAULT_SORT) -> None:
        self.criteria = criteria
        self.sort = sort
        self.queryset = activities_for_search(criteria, sort=sort)

    @cached_property
    def text_matches(self) -> int | None:
        """How many activities hold the words (None: no words, or no full-text index)."""
        if not self.criteria.text:
            return None
        return fulltext.count_matches(fulltext.words(self.criteria.text), _vendor())

    def count(self) -> int:
        return self._count

    @cached_property
    def _count(self) -> int:
        if self.text_matches is not None and self.criteria == SearchCriteria(
            text=self.criteria.text
        ):
            return self.text_matches
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    @property
    def can_count_by_jurisdiction(self) -> bool:
        """Whether the count per State or Territory is cheap enough to show with the page:
        no criteria or a region alone (the jurisdiction index answers it without reading
        the table), or at most `BREAKDOWN_MAX` results (measured at 200,000 activities: a
        GROUP BY over ~90,000 rows read from the table costs seconds on SQLite)."""
        if self.criteria == SearchCriteria(region=self.criteria.region):
            return True
        return self.count() <= BREAKDOWN_MAX

    def count_by_jurisdiction(self) -> list[JurisdictionCount]:
        """How many results each State or Territory holds, most first (then by name).

        One GROUP BY on the activities table (the same filters as the count, no join) and
        one look-up of the few States' names (skipped when there is only one): at most two
        queries whatever the number of results. Ask `can_count_by_jurisdiction` first.
        """
        rows = (
            self.queryset.select_related(None)
            .order_by()
            .values("jurisdiction_id")
            .annotate(count=Count("id"))
            .values_list("jurisdiction_id", "count")
        )
        counts = dict(rows)
        if len(counts) < 2:  # one State or Territory (or none): nothing to break down
            return [JurisdictionCount(pk, "", count) for pk, count in counts.items()]
        names = dict(
            Jurisdiction.objects.filter(pk__in=counts).order_by().values_list("pk", "name")
        )
        found = [JurisdictionCount(pk, names.get(pk, ""), count) for pk, count in counts.items()]
        return sorted(found, key=lambda row: (-row.count, row.name))

    def __getitem__(self, page: slice) -> list[TAActivity]:
        if not isinstance(page, slice):
            raise TypeError("SearchResults reads whole pages (slices) only.")
        queryset = self.queryset
        if self.text_matches is not None and self.text_matches > COMMON_TEXT_MATCHES:
            queryset = activities_for_search(self.criteria, sort=self.sort, text_drives=False)
        ids = queryset.select_related(None).values("pk")
        if self.count() <= FEW_RESULTS:
            # Few matches: find them all, then sort them. Read in the sort's index order
            # instead, the database may walk most of the table to fill a page with matches
            # that all lie far down that order (old notes, say).
            if _vendor() == "postgresql":
                # The planner would still pick the index walk; ARRAY(...) is computed once.
                everything = ids.order_by()
                ids = TAActivity.objects.filter(_AnyOfArray(F("pk"), everything)).values("pk")
                ids = ids.order_by(*order_by_for(self.sort, use_index=False))
            else:
                ids = ids.order_by(*order_by_for(self.sort, use_index=False))
        return list(
            TAActivity.objects.filter(pk__in=ids[page])
            .select_related(*RESULT_RELATED)
            .order_by(*queryset.query.order_by)
        )


# The columns of an export row, read as plain values (no model instance per row).
EXPORT_COLUMNS = (
    "id",
    "goal_id",
    "jurisdiction__name",
    "jurisdiction__region__numeral",
    "goal_category__number",
    "goal_category__name",
    "strategic_area__item__name",
    "focus__name",
    "focus__is_other",
    "other_focus_notes",
    "primary_center__name",
    "primary_center__code",
    "primary_staff__full_name",
    "activity_type",
    "status",
    "completion_status",
    "date_opened",
    "completion_date",
    "requested_by_ccdf_administrator",
    "requester_approver_role",
    "requester_approver_name",
    "requester_approval_date",
    "cor_name",
    "cor_approval_date",
    "latest_summary_date",
    "latest_summary_text",
)


def activities_for_export(criteria: SearchCriteria, *, sort: str = DEFAULT_SORT) -> QuerySet:
    """The search results as rows of `EXPORT_COLUMNS` values, in the page's order (S3).

    The latest summary of TA delivered is a subquery per row, not a query per row. Read
    it with `.iterator(chunk_size=...)` and add the collaborators of each chunk with
    `collaborators_for(ids)`: memory then stays flat whatever the number of rows.
    """
    latest = DeliverySummary.objects.filter(activity=OuterRef("pk")).order_by(
        "-note_date", "-created_at", "-id"
    )
    return (
        activities_for_search(criteria, sort=sort)
        .select_related(None)
        .annotate(
            latest_summary_date=Subquery(latest.values("note_date")[:1]),
            latest_summary_text=Subquery(latest.values("text")[:1]),
        )
        .values_list(*EXPORT_COLUMNS)
    )


def collaborators_for(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Collaborating centers ("Name (CODE)") and staff names of some activities, by id:
    two queries whatever the number of activities."""
    centers: dict[int, list[str]] = {}
    rows = (
        _CollaboratingCenter.objects.filter(taactivity_id__in=ids)
        .order_by("center__sort_order", "center__name")
        .values_list("taactivity_id", "center__name", "center__code")
    )
    for activity_id, name, code in rows:
        centers.setdefault(activity_id, []).append(f"{name} ({code})")
    staff: dict[int, list[str]] = {}
    rows = (
        _CollaboratingStaff.objects.filter(taactivity_id__in=ids)
        .order_by("user__full_name", "user_id")
        .values_list("taactivity_id", "user__full_name")
    )
    for activity_id, name in rows:
        staff.setdefault(activity_id, []).append(name)
    return centers, staff


def saved_searches_for(user: User) -> QuerySet[SavedSearch]:
    """The person's saved searches, by name (for the home page and the search page)."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).order_by("name", "id")
