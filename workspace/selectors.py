"""Reads for the home page (H1: my activities, unread notifications) and the
State/Territory page (H2).

Every function returns querysets whose number of SQL queries does not grow with the data:
the pages pin their query counts in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When

from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DeliverySummary,
    TAActivity,
)
from core.models import Notification
from goals.models import Goal, GoalClosureRequest, StrategicArea
from reference.models import GoalCategory, Jurisdiction

# Lifecycle order, so that sorting by status reads like the guide, not like the alphabet.
_STATUS_ORDER = Case(
    *(When(status=value, then=Value(i)) for i, value in enumerate(ActivityStatus.values)),
    default=Value(99),
    output_field=models.IntegerField(),
)
_COMPLETION_ORDER = Case(
    *(
        When(completion_status=value, then=Value(i))
        for i, value in enumerate(CompletionStatus.values)
    ),
    default=Value(99),
    output_field=models.IntegerField(),
)

# Home table: column key → (ORDER BY expression(s), human label).
HOME_SORTS: dict[str, tuple[tuple, str]] = {
    "record": (("id",), "TA record"),
    "focus": (("focus__name", "id"), "TA focus"),
    "jurisdiction": (("jurisdiction__name", "id"), "State or Territory"),
    "category": (("goal_category__number", "id"), "Goal category"),
    "status": ((_STATUS_ORDER, "id"), "Status"),
    "completion": ((_COMPLETION_ORDER, "id"), "Completion status"),
    "opened": (("date_opened", "id"), "Date opened"),
}
HOME_DEFAULT_SORT = "-opened"


def parse_sort(raw: str | None, allowed: dict, default: str) -> tuple[str, bool]:
    """Return (column key, descending) for a `?sort=` value, falling back to the default."""
    value = (raw or "").strip() or default
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in allowed:
        return parse_sort(default, allowed, default)
    return key, descending


def _order_by(expressions: tuple, descending: bool) -> list:
    ordered = []
    for expression in expressions:
        if isinstance(expression, str):
            ordered.append(models.F(expression).desc() if descending else models.F(expression))
        else:
            ordered.append(expression.desc() if descending else expression.asc())
    return ordered


def activities_for_home(
    *, user: AbstractBaseUser, sort: str, descending: bool
) -> models.QuerySet[TAActivity]:
    """H1: activities where `user` is primary or collaborating staff, with late flags.

    `has_late_summary` is true when any summary of TA delivered was entered after its due
    date (A10); `is_late_entry` is the stored A2 flag.
    """
    late_summaries = DeliverySummary.objects.filter(activity=OuterRef("pk"), is_late=True)
    expressions, _label = HOME_SORTS[sort]
    return (
        TAActivity.objects.for_staff(user)
        .select_related("jurisdiction", "focus", "goal_category")
        .annotate(has_late_summary=Exists(late_summaries))
        .order_by(*_order_by(expressions, descending))
    )


NOTIFICATIONS_SHOWN = 10


def notifications_unread(
    *, user: AbstractBaseUser, limit: int = NOTIFICATIONS_SHOWN
) -> list[Notification]:
    """H1: the newest unread notifications of `user` (at most `limit`)."""
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])


def notification_of(*, user: AbstractBaseUser, pk: int) -> Notification | None:
    """`user`'s own notification with this id, or None (someone else's is not found)."""
    return Notification.objects.filter(recipient=user, pk=pk).first()


@dataclass
class CategoryGroup:
    """Open goals of one goal category, for the H2 page."""

    category: GoalCategory
    goals: list[Goal] = field(default_factory=list)


# The State page lists at most this many activities under each strategic area (open ones
# first, newest first) and links to the goal's page for the rest: a State with thousands
# of activities still gets a page that is quick to load and to read.
AREA_ACTIVITY_LIMIT = 5
# What a line of the State page shows of an activity (its title needs the focus and the
# other-focus notes); long texts such as the outcome plan are not read.
_ACTIVITY_LINE_FIELDS = (
    "id",
    "strategic_area_id",
    "status",
    "completion_status",
    "date_opened",
    "other_focus_notes",
    "focus__name",
    "focus__is_other",
    "primary_center__code",
)


def _strategic_areas_with_activities() -> Prefetch:
    shown = (
        TAActivity.objects.select_related("focus", "primary_center")
        .only(*_ACTIVITY_LINE_FIELDS)
        .order_by(_COMPLETION_ORDER.asc(), "-date_opened", "-id")
    )[:AREA_ACTIVITY_LIMIT]
    return Prefetch(
        "strategic_areas",
        queryset=StrategicArea.objects.select_related("item")
        .annotate(
            activity_total=Count("activities"),
            activity_open=Count(
                "activities", filter=Q(activities__completion_status=CompletionStatus.OPEN)
            ),
        )
        .order_by("item__sort_order", "item__name")
        .prefetch_related(Prefetch("activities", queryset=shown, to_attr="shown_activities")),
    )


def open_goals_by_category(jurisdiction: Jurisdiction) -> list[CategoryGroup]:
    """H2: the jurisdiction's open goals grouped by goal category, in category order.

    Each goal carries its strategic areas (with notes, `activity_total` and
    `activity_open`) and each strategic area its `shown_activities` (at most
    AREA_ACTIVITY_LIMIT, open ones first), all loaded in a fixed number of queries.
    """
    goals = (
        Goal.objects.open()
        .for_jurisdiction(jurisdiction)
        .select_related("category", "related_category")
        .prefetch_related(
            _strategic_areas_with_activities(),
            Prefetch("closure_requests", queryset=_pending_requests(), to_attr="pending_closure"),
        )
        .order_by("category__number", "start_date", "id")
    )
    groups: list[CategoryGroup] = []
    for goal in goals:
        if not groups or groups[-1].category.pk != goal.category_id:
            groups.append(CategoryGroup(category=goal.category))
        groups[-1].goals.append(goal)
    return groups


def _pending_requests() -> models.QuerySet:
    return GoalClosureRequest.objects.filter(status=GoalClosureRequest.Status.PENDING)


def closed_goals(jurisdiction: Jurisdiction) -> models.QuerySet[Goal]:
    """H2: closed goals, most recently closed first, with their strategic areas' names."""
    return (
        Goal.objects.closed()
        .for_jurisdiction(jurisdiction)
        .select_related("category", "related_category")
        .prefetch_related(
            Prefetch("strategic_areas", queryset=StrategicArea.objects.select_related("item"))
        )
        .order_by("-closed_at", "-id")
    )


def on_demand_activities(jurisdiction: Jurisdiction) -> models.QuerySet[TAActivity]:
    """H2: on-demand activities (no goal), open ones first, newest first."""
    return (
        TAActivity.objects.on_demand()
        .filter(jurisdiction=jurisdiction)
        .select_related("focus", "primary_center", "goal_category")
        .order_by(_COMPLETION_ORDER.asc(), "-date_opened", "-id")
    )
