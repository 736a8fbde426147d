"""Reads for goals (H2, G2, G4, AU1): each returns with its related rows loaded in a fixed
number of queries, whatever the number of goals, strategic areas or notes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from activities.models import TAActivity
from core.history import HistoryEntry, history_entries
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
from reference.models import GoalCategory, Jurisdiction


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
    activities = TAActivity.objects.select_related(
        "focus", "strategic_area", "primary_center", "primary_staff"
    ).order_by("-date_opened", "-pk")
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
