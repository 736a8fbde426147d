"""Reads for goals (H2, G2, G4, AU1): each returns with its related rows loaded in a fixed
number of queries, whatever the number of goals, strategic areas or notes.

Goals sit below activities: TA activities are read only through the reverse relation the
activity model declares (`goal.activities`, and the QuerySet methods it returns, such as
`.open()`), never by importing `activities`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from core.history import HistoryEntry, history_entries
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
from reference.models import GoalCategory, Jurisdiction


def _activities() -> QuerySet:
    """All TA activities, through the reverse relation `Goal.activities` declares."""
    return Goal._meta.get_field("activities").related_model._default_manager.all()


def _strategic_areas_prefetch() -> Prefetch:
    return Prefetch(
        "strategic_areas",
        queryset=StrategicArea.objects.select_related("item").order_by(
            "item__sort_order", "item__name"
        ),
    )


def goals_for_jurisdiction(jurisdiction: Jurisdiction) -> QuerySet[Goal]:
    """The jurisdiction's goals, open and closed, by category (open first), with category,
    related category and strategic areas (with their list items): 2 queries."""
    return (
        Goal.objects.for_jurisdiction(jurisdiction)
        .select_related("jurisdiction", "category", "related_category")
        .prefetch_related(_strategic_areas_prefetch())
        .order_by("category__number", "-status", "start_date", "pk")
    )


def open_goals_in_category(jurisdiction: Jurisdiction, category: GoalCategory) -> QuerySet[Goal]:
    """G2: the jurisdiction's open goals in `category`, with their strategic areas."""
    return (
        Goal.objects.open()
        .filter(jurisdiction=jurisdiction, category=category)
        .select_related("jurisdiction", "category", "related_category")
        .prefetch_related(_strategic_areas_prefetch())
        .order_by("start_date", "pk")
    )


def pending_closure_requests() -> QuerySet[GoalClosureRequest]:
    """G4: the administrators' queue, oldest first."""
    return (
        GoalClosureRequest.objects.filter(status=GoalClosureRequest.Status.PENDING)
        .select_related(
            "goal", "goal__jurisdiction", "goal__category", "requested_by", "requested_by__center"
        )
        .order_by("requested_at", "pk")
    )


def goal_with_details(pk: int) -> Goal:
    """One goal with everything its page shows: strategic areas, notes (newest first) with
    authors, closure requests, and its TA activities. Raises Goal.DoesNotExist."""
    activities = (
        _activities()
        .select_related("focus", "strategic_area", "primary_center", "primary_staff")
        .order_by("-date_opened", "-pk")
    )
    return (
        Goal.objects.select_related(
            "jurisdiction",
            "jurisdiction__region",
            "category",
            "related_category",
            "created_by",
            "closed_by",
        )
        .prefetch_related(
            _strategic_areas_prefetch(),
            Prefetch("notes", queryset=GoalNote.objects.select_related("author")),
            Prefetch(
                "closure_requests",
                queryset=GoalClosureRequest.objects.select_related(
                    "requested_by", "decided_by"
                ).order_by("-requested_at", "-pk"),
            ),
            Prefetch("activities", queryset=activities),
        )
        .get(pk=pk)
    )


def goal_history(goal: Goal) -> list[HistoryEntry]:
    """AU1: every change to the goal, its strategic areas (removed ones too), its notes and
    closure requests, newest first."""
    return history_entries(
        goal,
        related=[
            StrategicArea.history.filter(goal_id=goal.pk),
            GoalNote.history.filter(goal_id=goal.pk),
            GoalClosureRequest.history.filter(goal_id=goal.pk),
        ],
    )


def open_activities_of_goal(goal: Goal) -> QuerySet:
    """G4: the goal's TA activities that are neither closed nor cancelled, with their focus."""
    return goal.activities.open().select_related("focus").order_by("pk")


def strategic_areas_with_activities(goal: Goal) -> list[tuple[StrategicArea, list[Any]]]:
    """The goal page's strategic areas, each with its TA activities, from a goal read by
    `goal_with_details` (no further query)."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for activity in goal.activities.all():
        grouped[activity.strategic_area_id].append(activity)
    return [(sa, grouped.get(sa.pk, [])) for sa in goal.strategic_areas.all()]


def open_activity_count(goal: Goal) -> int:
    """How many of the goal's TA activities are open, from a goal read by
    `goal_with_details` (no further query)."""
    return sum(1 for activity in goal.activities.all() if activity.is_open)


def open_activity_counts(goal_ids: list[int]) -> dict[int, int]:
    """G4 queue: the number of open TA activities of each goal, in one query."""
    return dict(
        _activities()
        .open()
        .filter(goal_id__in=goal_ids)
        .values_list("goal_id")
        .annotate(n=Count("pk"))
        .values_list("goal_id", "n")
    )
