"""The criteria of one search (S1), independent of where they came from (form, API, saved
search), and the sort orders of the results (S3)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce

from accounts.models import User
from activities.models import ActivityStatus, ActivityType, CompletionStatus
from reference.models import (
    Center,
    CollaboratorType,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
)

RECORD_NUMBER = re.compile(r"^\s*(?:TA\s*[-#]?\s*)?0*(\d{1,12})\s*$", re.IGNORECASE)


def parse_record_number(raw: str) -> int | None:
    """'TA-000123', 'ta 123', '#123' is not accepted; '123' → 123. None when malformed."""
    match = RECORD_NUMBER.match(raw or "")
    if not match:
        return None
    number = int(match.group(1))
    return number if number > 0 else None


def record_number(pk: int) -> str:
    return f"TA-{pk:06d}"


@dataclass(frozen=True)
class DateRange:
    start: dt.date | None = None
    end: dt.date | None = None

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def is_reversed(self) -> bool:
        return self.start is not None and self.end is not None and self.end < self.start

    def describe(self) -> str:
        if self.start and self.end:
            return f"{self.start:%m/%d/%Y} to {self.end:%m/%d/%Y}"
        if self.start:
            return f"from {self.start:%m/%d/%Y}"
        return f"until {self.end:%m/%d/%Y}"


# The yes/no criterion "requested directly by the CCDF Administrator or staff" (A7):
# records entered before the question existed answer "not recorded".
REQUESTED_DIRECTLY_CHOICES = [
    ("yes", "Yes"),
    ("no", "No: approved by the CCDF Administrator or the RPM"),
    ("not_recorded", "Not recorded"),
]


@dataclass(frozen=True)
class SearchCriteria:
    """Every criterion of the guide's search table, plus words in notes. All combine (AND).

    The guide's "TA response note" and "Summary of TA delivered" ranges find activities with
    a note *entered* in the range (`response_note_entered`, `summary_entered`: the note's
    creation, in the site's time zone, whole days). `response_note_date` and `summary_date`
    search the date a note speaks of (the response note's date, the summary's delivery
    date), as the URL parameters `response_from`/`summary_from` always did. The approvals
    on record (A7) are searched by `requested_directly`, `cor_name` and `cor_approval_date`.
    """

    record: int | None = None
    jurisdiction: Jurisdiction | None = None
    region: Region | None = None
    category: GoalCategory | None = None
    strategic_area: StrategicAreaItem | None = None
    focus: FocusArea | None = None
    primary_center: Center | None = None
    collaborating_center: Center | None = None
    staff: User | None = None
    activity_type: str = ""
    status: str = ""
    completion_status: str = ""
    other_collaborator: CollaboratorType | None = None
    date_opened: DateRange = DateRange()
    date_closed: DateRange = DateRange()
    response_note_entered: DateRange = DateRange()
    summary_entered: DateRange = DateRange()
    response_note_date: DateRange = DateRange()
    summary_date: DateRange = DateRange()
    requested_directly: str = ""
    cor_name: str = ""
    cor_approval_date: DateRange = DateRange()
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


# Labels of the criteria, in the order of the guide's table (chips, export headings).
CRITERION_LABELS: dict[str, str] = {
    "record": "TA record number",
    "jurisdiction": "State or Territory",
    "region": "Region",
    "category": "Goal category or related category",
    "strategic_area": "Strategic area",
    "focus": "TA focus",
    "primary_center": "Primary center",
    "collaborating_center": "Collaborating center",
    "staff": "Primary or collaborating staff",
    "activity_type": "TA activity type",
    "status": "TA activity status",
    "completion_status": "Completion status",
    "other_collaborator": "Other collaborators",
    "date_opened": "Date opened",
    "date_closed": "Date closed",
    "response_note_entered": "TA response note: date entered",
    "summary_entered": "Summary of TA delivered: date entered",
    "response_note_date": "TA response note: date of the note",
    "summary_date": "Summary of TA delivered: delivery date",
    "requested_directly": "Requested directly by the CCDF Administrator or staff",
    "cor_name": "COR's name",
    "cor_approval_date": "COR approval date",
    "text": "Words in notes",
}

_CHOICE_LABELS = {
    "activity_type": dict(ActivityType.choices),
    "status": dict(ActivityStatus.choices),
    "completion_status": dict(CompletionStatus.choices),
    "requested_directly": dict(REQUESTED_DIRECTLY_CHOICES),
}


def describe_value(name: str, value: Any) -> str:
    """How a criterion's value reads on a chip."""
    if name == "record":
        return record_number(value)
    if name in _CHOICE_LABELS:
        return str(_CHOICE_LABELS[name].get(value, value))
    if isinstance(value, DateRange):
        return value.describe()
    if isinstance(value, Region):
        return value.short_name
    if isinstance(value, Center):
        return value.code
    if name in ("text", "cor_name"):
        return f"“{value}”"
    return str(value)


# Sort orders of the results: key → the expression(s) ordering by that column (S3).
# Every order ends with the record number so that pages never overlap.
# "goal_id IS NULL": the expression the index search_act_on_demand_id holds (migration 0004).
IS_ON_DEMAND = ExpressionWrapper(Q(goal__isnull=True), output_field=BooleanField())
SORT_COLUMNS: dict[str, Any] = {
    "record": "id",
    "focus": "focus__name",
    "kind": IS_ON_DEMAND,
    "jurisdiction": "jurisdiction__name",
    "category": "goal_category__number",
    "primary_center": "primary_center__name",
    "staff": "primary_staff__full_name",
    "activity_type": "activity_type",
    "status": "status",
    "completion_status": "completion_status",
    "date_opened": "date_opened",
    "date_closed": "completion_date",
}
DEFAULT_SORT = "-date_opened"
# Only these columns hold empty values; they sort after every date in both directions.
# (Elsewhere a NULLS modifier would keep PostgreSQL from reading an index in order.)
NULLABLE_SORTS = {"date_closed"}


def clean_sort(raw: str | None) -> str:
    """A known sort key with optional '-', or the default (sort comes from column links)."""
    raw = (raw or "").strip()
    if raw.lstrip("-") in SORT_COLUMNS and raw.count("-") <= 1 and not raw.endswith("-"):
        return raw
    return DEFAULT_SORT


def order_by_for(sort: str, *, use_index: bool = True) -> list[OrderBy]:
    """The ORDER BY of a sort key. `use_index=False` wraps each term in COALESCE(x, x) —
    the same order, but no index can supply it, so the database finds every match first
    (the better plan when there are few)."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    column = SORT_COLUMNS[key]
    expression = F(column) if isinstance(column, str) else column
    if not use_index:
        expression = Coalesce(expression, expression)
    nulls_last = True if key in NULLABLE_SORTS else None
    ordering = [
        expression.desc(nulls_last=nulls_last)
        if descending
        else expression.asc(nulls_last=nulls_last)
    ]
    if column != "id":
        record = F("id") if use_index else Coalesce(F("id"), F("id"))
        ordering.append(record.desc() if descending else record.asc())
    return ordering
