"""A small world for the activities service tests: one goal-driven setting with every
kind of person the permission ladder needs, plus helpers that go through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from activities import services
from activities.models import (
    ActivityStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Priority,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.models import StatusChange
from goals.models import Goal, StrategicArea
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    TAType,
)
from tests.factories import (
    AdminFactory,
    CenterFactory,
    CollaboratorTypeFactory,
    DeliveryMethodFactory,
    FederalViewerFactory,
    FocusAreaFactory,
    GoalCategoryFactory,
    GoalFactory,
    JurisdictionFactory,
    OtherFocusAreaFactory,
    RegionFactory,
    RequesterFactory,
    SSSFactory,
    StrategicAreaFactory,
    TATypeFactory,
    UserFactory,
)


@dataclass
class World:
    region: Region
    jurisdiction: Jurisdiction
    neighbour: Jurisdiction  # same region
    faraway: Jurisdiction  # another region
    category: GoalCategory
    other_category: GoalCategory
    goal: Goal
    strategic_area: StrategicArea
    focus: FocusArea
    focus_elsewhere: FocusArea  # from other_category
    other_focus: FocusArea
    center: Center
    other_center: Center
    requester: Requester
    region_requester: Requester
    neighbour_requester: Requester
    faraway_requester: Requester
    primary: User
    collaborator: User
    sss: User
    lead: User
    other_lead: User
    other_staff: User
    federal: User
    admin: User
    collaborator_type: CollaboratorType
    other_collaborator_type: CollaboratorType
    method: DeliveryMethod
    ta_type: TAType


def build_world() -> World:
    region = RegionFactory(number=4)
    far_region = RegionFactory(number=9)
    jurisdiction = JurisdictionFactory(code="GA", name="Georgia", region=region)
    neighbour = JurisdictionFactory(code="FL", name="Florida", region=region)
    faraway = JurisdictionFactory(code="GU", name="Guam", region=far_region)
    category = GoalCategoryFactory(number=7, name="Support continuous quality improvement")
    other_category = GoalCategoryFactory(number=3, name="Provide stable financial assistance")
    admin = AdminFactory(full_name="Ada Admin")
    goal = GoalFactory(jurisdiction=jurisdiction, category=category, created_by=admin)
    strategic_area = StrategicAreaFactory(goal=goal)
    center = CenterFactory(code="ECQA", name="Quality Assurance Center")
    other_center = CenterFactory(code="SCBC", name="State Capacity Building Center")
    primary = UserFactory(full_name="Pat Primary", center=center)
    collaborator = UserFactory(full_name="Cole Collaborator", center=other_center)
    return World(
        region=region,
        jurisdiction=jurisdiction,
        neighbour=neighbour,
        faraway=faraway,
        category=category,
        other_category=other_category,
        goal=goal,
        strategic_area=strategic_area,
        focus=FocusAreaFactory(category=category, name="QRIS program standards"),
        focus_elsewhere=FocusAreaFactory(category=other_category, name="Tiered reimbursement"),
        other_focus=OtherFocusAreaFactory(),
        center=center,
        other_center=other_center,
        requester=RequesterFactory(jurisdiction=jurisdiction, created_by=admin),
        region_requester=RequesterFactory(jurisdiction=None, region=region, created_by=admin),
        neighbour_requester=RequesterFactory(jurisdiction=neighbour, created_by=admin),
        faraway_requester=RequesterFactory(jurisdiction=faraway, created_by=admin),
        primary=primary,
        collaborator=collaborator,
        sss=SSSFactory(
            full_name="Sam Specialist", center=other_center, jurisdictions=[jurisdiction]
        ),
        lead=UserFactory(
            full_name="Lee Lead", center=center, is_ta_staff=False, is_center_lead=True
        ),
        other_lead=UserFactory(
            full_name="Olive Otherlead", center=other_center, is_ta_staff=False, is_center_lead=True
        ),
        other_staff=UserFactory(full_name="Oscar Outsider", center=other_center),
        federal=FederalViewerFactory(full_name="Fay Federal"),
        admin=admin,
        collaborator_type=CollaboratorTypeFactory(name="Consultant"),
        other_collaborator_type=CollaboratorTypeFactory(name="Other", is_other=True),
        method=DeliveryMethodFactory(name="Remote/virtual"),
        ta_type=TATypeFactory(name="Consultation"),
    )


def today() -> dt.date:
    return timezone.localdate()


def activity_kwargs(world: World, **overrides: Any) -> dict[str, Any]:
    """Valid arguments for `activity_create` (goal-driven, by the primary staff person)."""
    kwargs: dict[str, Any] = {
        "actor": world.primary,
        "strategic_area": world.strategic_area,
        "focus": world.focus,
        "date_opened": today(),
        "priority": Priority.HIGH,
        "activity_type": "targeted",
        "requesters": [world.requester],
        "primary_center": world.center,
        "primary_staff": world.primary,
        "collaborating_centers": [world.other_center],
        "collaborating_staff": [world.collaborator],
        "outcome_plan": "State will publish revised QRIS standards by the fall.",
        "requested_by_ccdf_administrator": True,
    }
    kwargs.update(overrides)
    return kwargs


def cor_approval(**overrides: Any) -> dict[str, Any]:
    """A7: what marking an activity approved records (the COR's name and approval date)."""
    return {"cor_name": "Dana Whitfield", "cor_approval_date": today(), **overrides}


def create_activity(world: World, **overrides: Any) -> TAActivity:
    overrides.setdefault("join_existing_confirmed", True)
    return services.activity_create(**activity_kwargs(world, **overrides))


def make_trackable(world: World, activity: TAActivity) -> TAActivity:
    """Give the activity a current final plan and approve it (A9)."""
    services.description_note_add(
        actor=world.primary,
        activity=activity,
        stage=PlanStage.FINAL,
        text="Center to provide a review of QRIS standards.",
    )
    return services.activity_set_status(
        actor=world.federal, activity=activity, status=ActivityStatus.APPROVED, **cor_approval()
    )


def add_summary(world: World, activity: TAActivity, **overrides: Any) -> DeliverySummary:
    kwargs: dict[str, Any] = {
        "actor": world.primary,
        "activity": activity,
        "delivery_date": today(),
        "text": "State received a remote consultation on QRIS standards.",
        "delivery_methods": [world.method],
        "ta_types": [world.ta_type],
    }
    kwargs.update(overrides)
    return services.summary_add(**kwargs)


def row_counts() -> dict[str, int]:
    """How many rows each activity table holds (refused calls must leave these alone)."""
    return {
        "activities": TAActivity.objects.count(),
        "activity_history": TAActivity.history.count(),
        "description_notes": DescriptionNote.objects.count(),
        "summaries": DeliverySummary.objects.count(),
        "feedback": RequesterFeedback.objects.count(),
        "response_notes": ResponseNote.objects.count(),
        "requesters": Requester.objects.count(),
        "status_changes": StatusChange.objects.count(),
    }


def assert_refused(call: Any, field: str, *, contains: str = "") -> Exception:
    """`call()` raises a ValidationError naming `field` and saves nothing."""
    before = row_counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    if contains:
        assert contains in " ".join(info.value.message_dict[field])
    assert row_counts() == before
    return info.value


def assert_denied(call: Any) -> None:
    """`call()` raises PermissionDenied and saves nothing."""
    before = row_counts()
    with pytest.raises(PermissionDenied):
        call()
    assert row_counts() == before
