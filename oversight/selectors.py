"""Reads of the monthly review (R1): the rows of a month, their flags, the progress, and the
send-backs a staff member has to address.

Which activities are rows of a month
------------------------------------
A summary of TA delivered is due within 10 business days of delivery or by the month's last
day, whichever comes first (A10): its due date always falls in its delivery month. So "TA
delivered in the month" and "a summary due in it" are the same rows: every activity with a
summary dated in the month. The data cannot know of TA delivered that nobody wrote down
(the guide: "If no active TA was delivered during the month, no TA summary is required"),
so a *missing summary* is flagged where the record itself shows work in the month: an
approved activity with a current final plan (tracking available, A9) that has a TA
response note dated in the month but no summary dated in it. Once the month is over, that
summary is overdue (its due date has passed), so the flag reads "missing — overdue".
Activities already reviewed or sent back for the month stay rows too.

Flags of a row: missing summary (above), late summary (a summary of the month entered after
its due date, A10), late entry (A2), open send-backs; beside them the documentation
findings (R2, `activities.documentation`) of the notes dated or entered in the month. The
"Has a flag" filter works in the database and so leaves the R2 findings out.

Every read runs a fixed number of queries whatever the number of rows (pinned in tests).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from activities.documentation import NameLoader, NoteFindings, findings_for_activity
from activities.models import (
    ActivityWorkMonth,
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from oversight.models import ReviewMark, SendBack
from reference.models import Center, Jurisdiction, Region

STATUS_REVIEWED = "reviewed"
STATUS_NOT_REVIEWED = "not_reviewed"
STATUS_SENT_BACK = "sent_back"
STATUS_FLAGGED = "flagged"
STATUS_CHOICES = (
    ("", "Any"),
    (STATUS_NOT_REVIEWED, "Not reviewed yet"),
    (STATUS_REVIEWED, "Reviewed"),
    (STATUS_SENT_BACK, "Open send-back"),
    (STATUS_FLAGGED, "Has a flag"),
)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of `month`'s month."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def last_full_month(today: dt.date) -> dt.date:
    """The first day of the month before `today`'s (the review page's default)."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def sees_all_jurisdictions(user: AbstractBaseUser) -> bool:
    """Administrators, center leads and federal viewers review across every jurisdiction;
    an SSS sees their assigned ones."""
    return bool(
        getattr(user, "is_admin", False)
        or getattr(user, "is_center_lead", False)
        or getattr(user, "is_federal_viewer", False)
    )


@dataclass(frozen=True)
class ReviewFilters:
    """What the review page shows: a month, and optional filters (validated by the form)."""

    month: dt.date
    jurisdiction: Jurisdiction | None = None
    region: Region | None = None
    center: Center | None = None
    sss: User | None = None
    status: str = ""


def scope_jurisdictions(user: AbstractBaseUser) -> models.QuerySet[Jurisdiction]:
    """The jurisdictions whose activities `user` reviews (every one, or the SSS's own)."""
    items = Jurisdiction.objects.select_related("region").order_by("name")
    if sees_all_jurisdictions(user):
        return items
    if getattr(user, "is_sss", False):
        return items.filter(specialists=user)
    return items.none()


def filter_objects(user: AbstractBaseUser) -> dict[str, list[Any]]:
    """The review page's filter options for `user`: their jurisdictions, and for people
    who see every jurisdiction the regions, centers and SSSs (four queries at most)."""
    objects: dict[str, list[Any]] = {
        "jurisdictions": list(scope_jurisdictions(user)),
        "regions": [],
        "centers": [],
        "specialists": [],
    }
    if sees_all_jurisdictions(user):
        objects["regions"] = list(Region.objects.order_by("number"))
        objects["centers"] = list(Center.objects.order_by("name"))
        objects["specialists"] = list(
            User.objects.filter(is_sss=True, is_active=True).order_by("full_name", "email")
        )
    return objects


def _annotated(
    rows: models.QuerySet[TAActivity], first: dt.date, last: dt.date
) -> models.QuerySet[TAActivity]:
    in_month = Q(note_date__gte=first, note_date__lte=last)
    summaries = DeliverySummary.objects.filter(in_month, activity=OuterRef("pk"))
    return rows.annotate(
        has_summary=Exists(summaries),
        has_late_summary=Exists(summaries.filter(is_late=True)),
        has_work=Exists(ResponseNote.objects.filter(in_month, activity=OuterRef("pk"))),
        is_reviewed=Exists(ReviewMark.objects.filter(activity=OuterRef("pk"), month=first)),
        has_open_send_back=Exists(SendBack.objects.open().filter(activity=OuterRef("pk"))),
        sent_back_this_month=Exists(SendBack.objects.filter(activity=OuterRef("pk"), month=first)),
    )


# A9's "tracking available" is the stored flag (status approved and a current final plan,
# kept by the activities services; ADR 0015).
_MISSING_SUMMARY = Q(has_summary=False, has_work=True, is_tracking_available=True)


def _month_activity_ids(
    first: dt.date, last: dt.date, within: models.QuerySet[TAActivity] | None = None
) -> models.QuerySet:
    """Ids of the month's rows, as one UNION of indexed look-ups: the activities with a
    summary dated in the month; approved ones with a current final plan and a TA response
    note dated in it (the candidates for a missing summary: their `ActivityWorkMonth` rows
    of the month with the stored A9 flag, one index range, ADR 0015); those reviewed or
    sent back for the month. The same rows as filtering every activity on its flags,
    without computing the flags of every activity (issue 9, "Speed").

    With `within` (the activities of an SSS's States, or of a filter), every branch is
    joined with those activities, so the database reads only their notes. Tests of the
    same conditions activity by activity, OR-ed (`_in_month`), made PostgreSQL hash the
    whole month's response notes and every final plan for each request (≈1.5 s for an SSS
    at 200,000 activities); each branch here is a plain join it plans freely."""
    in_month = Q(note_date__gte=first, note_date__lte=last)
    mine = Q() if within is None else Q(activity__in=within.order_by().values("pk"))
    return (
        DeliverySummary.objects.filter(in_month, mine)
        .order_by()
        .values("activity_id")
        .union(
            ActivityWorkMonth.objects.filter(mine, month=first, is_tracking_available=True)
            .order_by()
            .values("activity_id"),
            ReviewMark.objects.filter(mine, month=first).order_by().values("activity_id"),
            SendBack.objects.filter(mine, month=first).order_by().values("activity_id"),
        )
    )


def _in_month(first: dt.date, last: dt.date) -> Q:
    """The same rows as `_month_activity_ids`, tested activity by activity (indexed
    look-ups): for one activity (`review_row`), where no month-wide read is needed."""
    in_month = Q(note_date__gte=first, note_date__lte=last)
    activity = OuterRef("pk")
    return (
        Q(Exists(DeliverySummary.objects.filter(in_month, activity=activity)))
        | Q(
            Exists(ResponseNote.objects.filter(in_month, activity=activity)),
            is_tracking_available=True,
        )
        | Q(Exists(ReviewMark.objects.filter(activity=activity, month=first)))
        | Q(Exists(SendBack.objects.filter(activity=activity, month=first)))
    )


@dataclass(frozen=True)
class ReviewScope:
    """Whose rows a read covers: every jurisdiction (administrators, center leads, federal
    viewers; the reminders command), the assigned jurisdictions of one SSS, or none."""

    everywhere: bool = False
    specialist_id: int | None = None

    @classmethod
    def of(cls, user: AbstractBaseUser) -> ReviewScope:
        """The scope of `user`'s review page (`sees_all_jurisdictions`, else their States)."""
        if sees_all_jurisdictions(user):
            return EVERY_JURISDICTION
        if getattr(user, "is_sss", False) and user.pk is not None:
            return cls(specialist_id=user.pk)
        return NO_JURISDICTION


EVERY_JURISDICTION = ReviewScope(everywhere=True)
NO_JURISDICTION = ReviewScope()


def _resolve_scope(user: AbstractBaseUser | None, scope: ReviewScope | None) -> ReviewScope:
    if (user is None) == (scope is None):
        raise TypeError("Pass either the person (user=) or the scope (scope=), not both.")
    return scope if scope is not None else ReviewScope.of(user)


def _scoped(
    *,
    scope: ReviewScope,
    filters: ReviewFilters,
    activity_id: int | None = None,
    jurisdiction_ids: Sequence[int] | None = None,
) -> models.QuerySet[TAActivity]:
    """The month's rows in `scope` and the filters (the status filter aside), with no flags
    computed: what the counts read. One activity is tested on its own; otherwise the
    month's rows are read as one UNION, joined with the scope's activities when the scope,
    a filter or `jurisdiction_ids` (the jurisdictions of one page) limits the jurisdictions
    (issue 9, "Speed")."""
    first, last = month_bounds(filters.month)
    rows = TAActivity.objects.all()
    narrowed = False
    if jurisdiction_ids is not None:
        rows = rows.filter(jurisdiction_id__in=jurisdiction_ids)
        narrowed = True
    if not scope.everywhere:
        if scope.specialist_id is None:
            return rows.none()
        rows = rows.filter(jurisdiction__specialists=scope.specialist_id)
        narrowed = True
    if activity_id is not None:
        rows = rows.filter(pk=activity_id)
        narrowed = True
    if filters.jurisdiction is not None:
        rows = rows.filter(jurisdiction=filters.jurisdiction)
        narrowed = True
    if filters.region is not None:
        rows = rows.filter(jurisdiction__region=filters.region)
        narrowed = True
    if filters.center is not None:
        rows = rows.filter(primary_center=filters.center)
    if filters.sss is not None:
        rows = rows.filter(jurisdiction__specialists=filters.sss)
        narrowed = True
    if activity_id is not None:
        return rows.filter(_in_month(first, last))
    if narrowed:
        return rows.filter(pk__in=_month_activity_ids(first, last, within=rows))
    return rows.filter(pk__in=_month_activity_ids(first, last))


def _with_flags(
    rows: models.QuerySet[TAActivity], first: dt.date, last: dt.date
) -> models.QuerySet[TAActivity]:
    return _annotated(rows, first, last).annotate(
        missing_summary=models.ExpressionWrapper(_MISSING_SUMMARY, models.BooleanField())
    )


def missing_summary_rows(*, month: dt.date) -> models.QuerySet[TAActivity]:
    """The month's rows flagged "missing summary" (R1) in every jurisdiction, for counting
    them (the compliance report, issue 10): only the candidates — approved activities with a
    TA response note dated in the month — are tested, with the review's own flag."""
    first, last = month_bounds(month)
    in_month = Q(note_date__gte=first, note_date__lte=last)
    candidates = TAActivity.objects.filter(
        is_tracking_available=True,
        pk__in=ResponseNote.objects.filter(in_month).values("activity_id"),
    )
    return _with_flags(candidates, first, last).filter(missing_summary=True)


def review_queryset(
    *,
    filters: ReviewFilters,
    user: AbstractBaseUser | None = None,
    scope: ReviewScope | None = None,
    with_status: bool = True,
) -> models.QuerySet[TAActivity]:
    """R1: the rows of the month in the scope of `user` (their review page) or in an
    explicit `scope` (e.g. `EVERY_JURISDICTION`), and the filters, annotated with their
    flags (`has_summary`, `has_late_summary`, `missing_summary`, `is_reviewed`,
    `has_open_send_back`), ordered by jurisdiction then record number."""
    first, last = month_bounds(filters.month)
    scoped = _scoped(scope=_resolve_scope(user, scope), filters=filters)
    rows = _with_flags(scoped, first, last)
    if with_status:
        rows = _with_status(rows, filters.status)
    return rows.order_by("jurisdiction__name", "id")


def _status_condition(status: str) -> Q | None:
    """The status filter as a condition on `_with_flags`' annotations (None: any)."""
    if status == STATUS_REVIEWED:
        return Q(is_reviewed=True)
    if status == STATUS_NOT_REVIEWED:
        return Q(is_reviewed=False)
    if status == STATUS_SENT_BACK:
        return Q(has_open_send_back=True)
    if status == STATUS_FLAGGED:
        return (
            Q(has_late_summary=True)
            | Q(missing_summary=True)
            | Q(is_late_entry=True)
            | Q(has_open_send_back=True)
        )
    return None


def _with_status(rows: models.QuerySet[TAActivity], status: str) -> models.QuerySet[TAActivity]:
    condition = _status_condition(status)
    return rows if condition is None else rows.filter(condition)


def with_row_details(
    rows: models.QuerySet[TAActivity], month: dt.date
) -> models.QuerySet[TAActivity]:
    """What each row shows: its notes of the month (the R2 checks'; the month's summaries
    are among them, see `rows_with_details`), its review mark (who, when) and its
    send-backs (open ones and the month's), in a fixed number of queries."""
    first, last = month_bounds(month)
    return rows.select_related(
        "jurisdiction", "focus", "primary_staff", "primary_center"
    ).prefetch_related(
        # R2: the notes dated or entered in the month, for `findings_for_activity`
        # (which keeps only the month's own; a day either side covers time zones).
        *(
            Prefetch(relation, queryset=queryset.filter(_note_in_month(first, last)))
            for relation, queryset in (
                ("description_notes", DescriptionNote.objects.all()),
                (
                    "summaries",
                    DeliverySummary.objects.prefetch_related("delivery_methods", "ta_types"),
                ),
                ("feedback", RequesterFeedback.objects.all()),
                ("response_notes", ResponseNote.objects.all()),
            )
        ),
        Prefetch(
            "review_marks",
            queryset=ReviewMark.objects.filter(month=first).select_related("reviewed_by"),
            to_attr="month_marks",
        ),
        Prefetch(
            "send_backs",
            queryset=SendBack.objects.filter(Q(status=SendBack.Status.OPEN) | Q(month=first))
            .select_related("sent_by", "addressed_by")
            .order_by("-sent_at", "-id"),
            to_attr="review_send_backs",
        ),
    )


def rows_with_details(rows: models.QuerySet[TAActivity], month: dt.date) -> list[TAActivity]:
    """The rows loaded as `with_row_details`, each with `month_summaries`: its summaries
    dated in the month, by date. They are taken from the R2 checks' summaries (dated or
    entered in the month, a superset), not read again with their delivery methods and TA
    types: three queries fewer per page (issue 9, "Speed")."""
    first, last = month_bounds(month)
    loaded = list(with_row_details(rows, month))
    for row in loaded:
        row.month_summaries = sorted(
            (summary for summary in row.summaries.all() if first <= summary.note_date <= last),
            key=lambda summary: (summary.note_date, summary.pk),
        )
    return loaded


def _note_in_month(first: dt.date, last: dt.date) -> Q:
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time.min, tzinfo=dt.UTC)
    return Q(note_date__gte=first, note_date__lte=last) | Q(
        created_at__gte=start, created_at__lt=end
    )


def documentation_findings(
    rows: list[TAActivity], *, month: dt.date, names: NameLoader
) -> dict[int, list[NoteFindings]]:
    """R2 findings of each row's notes of the month (rows from `with_row_details`): the
    names are loaded once for all rows, so no query is made per row or note."""
    first, last = month_bounds(month)
    names.preload({row.jurisdiction for row in rows})
    return {
        row.pk: findings_for_activity(row, month_start=first, month_end=last, names=names)
        for row in rows
    }


@dataclass(frozen=True)
class Progress:
    """ "34 of 52 reviewed" for one month."""

    month: dt.date
    reviewed: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.reviewed >= self.total


def _reviewed(first: dt.date) -> Q:
    """Reviewed for the month, as membership in the month's review marks: both databases
    read the marks once per query (PostgreSQL hashes them, SQLite builds one index) instead
    of one look-up per row, which cost the administrator's page most when half the month
    was reviewed (issue 9, "Speed")."""
    return Q(pk__in=ReviewMark.objects.filter(month=first).values("activity_id"))


def review_progress(
    *,
    filters: ReviewFilters,
    user: AbstractBaseUser | None = None,
    scope: ReviewScope | None = None,
) -> Progress:
    """How many of the month's rows (status filter aside) are reviewed: one query, which
    computes no other flag."""
    first, _ = month_bounds(filters.month)
    counts = _scoped(scope=_resolve_scope(user, scope), filters=filters).aggregate(
        total=Count("pk"), reviewed=Count("pk", filter=_reviewed(first))
    )
    return Progress(filters.month, counts["reviewed"] or 0, counts["total"] or 0)


def unreviewed_per_jurisdiction(*, month: dt.date, scope: ReviewScope) -> dict[int, int]:
    """The month's rows in `scope` not reviewed yet, counted per jurisdiction id (the SSSs'
    reminder, R3): one query, which computes no other flag."""
    first, _ = month_bounds(month)
    return dict(
        _scoped(scope=scope, filters=ReviewFilters(month=month))
        .exclude(_reviewed(first))
        .order_by()
        .values("jurisdiction_id")
        .annotate(count=Count("pk"))
        .values_list("jurisdiction_id", "count")
    )


@dataclass(frozen=True)
class ReviewPage:
    """One page of the review: the progress of the month, the page (a `Page` whose
    `object_list` is the page's rows) and those rows (annotated as `review_queryset`'s and
    loaded as `rows_with_details`')."""

    progress: Progress
    page: Page
    rows: list[TAActivity]


class _MonthRows:
    """The rows the status filter keeps, in page order (jurisdiction name, record number),
    as a `Paginator`'s object list: their number comes from the month's counts per
    jurisdiction, and a slice loads only that page's rows, from the jurisdictions the slice
    falls in (`load`)."""

    def __init__(self, kept: list[tuple[int, int]], load: Any) -> None:
        self._kept = kept  # (jurisdiction id, rows kept), in page order
        self._load = load
        self._total = sum(count for _, count in kept)

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, window: slice) -> list[TAActivity]:
        bottom, top, _ = window.indices(self._total)
        jurisdiction_ids, offset, start = [], 0, 0
        for jurisdiction_id, count in self._kept:
            if count and start < top and start + count > bottom:
                if not jurisdiction_ids:
                    offset = bottom - start
                jurisdiction_ids.append(jurisdiction_id)
            start += count
        if not jurisdiction_ids or top <= bottom:
            return []
        return self._load(jurisdiction_ids, offset, offset + top - bottom)


def review_page(
    *,
    filters: ReviewFilters,
    number: Any,
    per_page: int,
    user: AbstractBaseUser | None = None,
    scope: ReviewScope | None = None,
) -> ReviewPage:
    """R1, the review page in two month-wide steps (issue 9, "Speed"):

    1. the month's rows counted per jurisdiction, in jurisdiction order (all, reviewed, and
       kept by the status filter): one query returning one row per jurisdiction. The
       progress and the page count come from it, and so do the jurisdictions a page falls
       in; no id of the month's ≈20,000 rows (administrator) travels to Python or is sorted.
    2. the page's own rows, read from those jurisdictions only (the UNION joined with their
       activities, as for an SSS), sorted, sliced, with their flags and details.

    Queries: one, plus `rows_with_details`' for the page, whatever the month's size."""
    first, last = month_bounds(filters.month)
    resolved = _resolve_scope(user, scope)
    scoped = _scoped(scope=resolved, filters=filters)
    condition = _status_condition(filters.status)
    reviewed = _reviewed(first)
    if filters.status == STATUS_REVIEWED:
        listed, kept = scoped, Count("pk", filter=reviewed)
    elif filters.status == STATUS_NOT_REVIEWED:
        listed, kept = scoped, Count("pk", filter=~reviewed)
    elif condition is None:
        listed, kept = scoped, Count("pk")
    else:
        listed, kept = _with_flags(scoped, first, last), Count("pk", filter=condition)
    counts = list(
        listed.order_by()
        .values("jurisdiction__name", "jurisdiction_id")
        .annotate(total=Count("pk"), reviewed=Count("pk", filter=reviewed), kept=kept)
        .order_by("jurisdiction__name", "jurisdiction_id")
        .values_list("jurisdiction_id", "total", "reviewed", "kept")
    )
    progress = Progress(filters.month, sum(row[2] for row in counts), sum(row[1] for row in counts))

    def load(jurisdiction_ids: list[int], bottom: int, top: int) -> list[TAActivity]:
        rows = _with_flags(
            _scoped(scope=resolved, filters=filters, jurisdiction_ids=jurisdiction_ids),
            first,
            last,
        )
        rows = _with_status(rows, filters.status).order_by("jurisdiction__name", "id")
        return rows_with_details(rows[bottom:top], filters.month)

    month_rows = _MonthRows([(row[0], row[3]) for row in counts], load)
    page = Paginator(month_rows, per_page).get_page(number)  # type: ignore[arg-type]
    return ReviewPage(progress, page, list(page.object_list))


def review_row(*, user: AbstractBaseUser, activity_id: int, month: dt.date) -> TAActivity | None:
    """One row (after marking or sending back), in the review's own terms; None when the
    activity is not a row of the month for `user`. Only that activity is tested."""
    first, last = month_bounds(month)
    rows = _scoped(
        scope=ReviewScope.of(user), filters=ReviewFilters(month=month), activity_id=activity_id
    )
    loaded = rows_with_details(_with_flags(rows, first, last)[:1], month)
    return loaded[0] if loaded else None


@dataclass
class JurisdictionGroup:
    jurisdiction: Jurisdiction
    rows: list[Any] = field(default_factory=list)


def group_by_jurisdiction(rows: list[TAActivity]) -> list[JurisdictionGroup]:
    """The page's rows (already ordered by jurisdiction) grouped under each jurisdiction."""
    groups: list[JurisdictionGroup] = []
    for row in rows:
        if not groups or groups[-1].jurisdiction.pk != row.jurisdiction_id:
            groups.append(JurisdictionGroup(row.jurisdiction))
        groups[-1].rows.append(row)
    return groups


def progress_for_home(*, user: AbstractBaseUser, today: dt.date) -> list[Progress]:
    """The SSS home page: review progress of the current and the previous month (two
    queries); nothing for people who are not an SSS."""
    if not getattr(user, "is_sss", False):
        return []
    current = today.replace(day=1)
    months = (current, last_full_month(today))
    return [review_progress(user=user, filters=ReviewFilters(month=m)) for m in months]


def open_send_backs_for(*, user: AbstractBaseUser) -> list[SendBack]:
    """The primary staff's home page: send-backs of their activities still open (one
    query)."""
    return list(
        SendBack.objects.open()
        .filter(activity__primary_staff=user)
        .select_related("activity__focus", "activity__jurisdiction", "sent_by")
        .order_by("-sent_at", "-id")
    )


def send_back_by_id(pk: int) -> SendBack | None:
    return SendBack.objects.select_related("activity", "sent_by").filter(pk=pk).first()


def activity_for_review(pk: int) -> TAActivity | None:
    return (
        TAActivity.objects.select_related("jurisdiction", "focus", "primary_staff")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Flag:
    """One flag of a review row: its kind (for styling and tests) and what it says."""

    kind: str
    label: str
    detail: str = ""


def row_flags(row: TAActivity, *, month: dt.date, today: dt.date) -> list[Flag]:
    """The flags of one row (R1), from what `review_queryset` and `rows_with_details`
    loaded: no query."""
    first, last = month_bounds(month)
    flags: list[Flag] = []
    if getattr(row, "missing_summary", False):
        overdue = last < today
        flags.append(
            Flag(
                "missing",
                "Missing summary — overdue" if overdue else "No summary yet",
                "A TA response note is dated in this month, but no summary of TA delivered is.",
            )
        )
    for summary in getattr(row, "month_summaries", []):
        if summary.is_late:
            flags.append(
                Flag(
                    "late_summary",
                    "Late summary",
                    f"Delivered {summary.note_date:%m/%d/%Y}, due {summary.due_date:%m/%d/%Y}, "
                    f"entered {timezone.localdate(summary.created_at):%m/%d/%Y}.",
                )
            )
    if row.is_late_entry:
        flags.append(
            Flag("late_entry", "Late entry", "Entered more than 72 business hours after request.")
        )
    for send_back in getattr(row, "review_send_backs", []):
        if send_back.is_open:
            flags.append(
                Flag(
                    "sent_back",
                    "Sent back",
                    f"{send_back.get_about_display()}: {send_back.comment}",
                )
            )
    return flags
