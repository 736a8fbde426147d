"""Creating TA activities and requesters: rules A1–A8 and A16 (activities.services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DescriptionNote,
    PlanStage,
    Requester,
    ResponseNote,
    TAActivity,
)
from core.businessdays import is_late_entry
from core.status import status_changes_for
from goals.models import Goal
from tests.factories import UserFactory
from tests.factories_activities import (
    activity_kwargs,
    assert_denied,
    assert_refused,
    cor_approval,
    create_activity,
    row_counts,
    today,
)


def create(world, **overrides):
    overrides.setdefault("join_existing_confirmed", True)
    return services.activity_create(**activity_kwargs(world, **overrides))


# --- Goal-driven and on-demand ---------------------------------------------------------------


def test_goal_driven_activity_takes_jurisdiction_goal_and_category(world):
    activity = create(world)
    assert activity.jurisdiction == world.jurisdiction
    assert activity.goal == world.goal
    assert activity.strategic_area == world.strategic_area
    assert activity.goal_category == world.category
    assert activity.created_by == world.primary
    assert list(activity.requesters.all()) == [world.requester]
    assert activity.version == 1


def test_on_demand_activity_takes_category_from_focus(world):
    activity = create(
        world, strategic_area=None, jurisdiction=world.jurisdiction, focus=world.focus_elsewhere
    )
    assert activity.goal is None and activity.strategic_area is None
    assert activity.goal_category == world.other_category
    assert not activity.is_goal_driven


def test_on_demand_activity_requires_jurisdiction(world):
    assert_refused(lambda: create(world, strategic_area=None), "jurisdiction")


def test_goal_driven_jurisdiction_must_match_goal(world):
    assert_refused(
        lambda: create(world, jurisdiction=world.neighbour), "jurisdiction", contains="Georgia"
    )


def test_goal_driven_activity_refused_under_closed_goal(world):
    world.goal.status = Goal.Status.CLOSED
    world.goal.save()
    assert_refused(lambda: create(world), "strategic_area", contains="closed")


# --- A1 TA focus ---------------------------------------------------------------------------


def test_a1_focus_required(world):
    assert_refused(lambda: create(world, focus=None), "focus")


def test_a1_focus_must_come_from_goal_category_list(world):
    assert_refused(
        lambda: create(world, focus=world.focus_elsewhere),
        "focus",
        contains="Tiered reimbursement",
    )


def test_a1_other_focus_offered_under_every_category(world):
    activity = create(world, focus=world.other_focus, other_focus_notes="Align QRIS investments.")
    assert activity.focus.is_other
    assert activity.title == "Other: Align QRIS investments."


def test_a1_other_focus_requires_notes(world):
    assert_refused(
        lambda: create(world, focus=world.other_focus, other_focus_notes="   "),
        "other_focus_notes",
    )


def test_a1_other_focus_notes_locked_unless_other(world):
    assert_refused(
        lambda: create(world, other_focus_notes="Something else"),
        "other_focus_notes",
        contains="only",
    )


def test_a1_inactive_focus_cannot_be_chosen(world):
    world.focus.active = False
    world.focus.save()
    assert_refused(lambda: create(world), "focus", contains="no longer offered")


def test_a1_focus_is_the_title(world):
    assert create(world).title == "QRIS program standards"


# --- A2 date opened --------------------------------------------------------------------------


def test_a2_date_opened_required(world):
    assert_refused(lambda: create(world, date_opened=None), "date_opened")


def test_a2_date_opened_not_in_future(world):
    assert_refused(
        lambda: create(world, date_opened=today() + dt.timedelta(days=1)),
        "date_opened",
        contains="future",
    )


def test_a2_entry_long_after_request_is_flagged_late(world):
    assert create(world, date_opened=today() - dt.timedelta(days=14)).is_late_entry
    assert not create(world, date_opened=today()).is_late_entry


def test_a2_late_flag_follows_business_day_calendar(world):
    for days_ago in range(8):
        opened = today() - dt.timedelta(days=days_ago)
        activity = create(world, date_opened=opened)
        assert activity.is_late_entry == is_late_entry(opened, today()), opened


# --- A3 priority and type --------------------------------------------------------------------


def test_a3_priority_must_be_a_choice(world):
    assert_refused(lambda: create(world, priority="urgent"), "priority")


def test_a3_activity_type_must_be_a_choice(world):
    assert_refused(lambda: create(world, activity_type=""), "activity_type")


def test_a3_all_choices_accepted(world):
    for priority in ("low", "medium", "high"):
        for activity_type in ("universal", "targeted", "tailored"):
            activity = create(world, priority=priority, activity_type=activity_type)
            assert (activity.priority, activity.activity_type) == (priority, activity_type)


# --- A4 requesters -----------------------------------------------------------------------------


def test_a4_at_least_one_requester(world):
    assert_refused(lambda: create(world, requesters=[]), "requesters")


def test_a4_requesters_from_jurisdiction_and_its_region(world):
    activity = create(world, requesters=[world.requester, world.region_requester])
    assert set(activity.requesters.all()) == {world.requester, world.region_requester}


def test_a4_requester_of_another_state_refused_by_name(world):
    error = assert_refused(
        lambda: create(world, requesters=[world.requester, world.neighbour_requester]),
        "requesters",
    )
    assert world.neighbour_requester.name in " ".join(error.message_dict["requesters"])
    assert world.requester.name not in " ".join(error.message_dict["requesters"])


def test_a4_requester_of_another_region_refused(world):
    assert_refused(lambda: create(world, requesters=[world.faraway_requester]), "requesters")


def test_a4_inactive_requester_refused(world):
    world.requester.active = False
    world.requester.save()
    assert_refused(lambda: create(world), "requesters", contains="no longer")


def test_a4_requester_create_records_approval(world):
    requester = services.requester_create(
        actor=world.primary,
        name=" Dana Director ",
        title="CCDF Administrator",
        email="Dana.Director@State.example.GOV ",
        jurisdiction=world.jurisdiction,
        approved_by=Requester.ApprovedBy.RPM,
        approved_by_name="Regional Program Manager",
    )
    assert requester.name == "Dana Director"
    assert requester.email == "dana.director@state.example.gov"
    assert requester.approved_by == Requester.ApprovedBy.RPM
    assert requester.created_by == world.primary
    assert requester.history.get().history_user == world.primary


def test_a4_requester_of_a_region(world):
    requester = services.requester_create(
        actor=world.federal,
        name="Regional contact",
        title="",
        email="regional@acf.example.gov",
        region=world.region,
        approved_by=Requester.ApprovedBy.CCDF_ADMINISTRATOR,
    )
    assert requester.region == world.region and requester.jurisdiction is None


def _requester(world, **overrides):
    kwargs = {
        "actor": world.primary,
        "name": "Dana Director",
        "title": "CCDF Administrator",
        "email": "dana@state.example.gov",
        "jurisdiction": world.jurisdiction,
        "approved_by": Requester.ApprovedBy.CCDF_ADMINISTRATOR,
    }
    kwargs.update(overrides)
    return services.requester_create(**kwargs)


def test_a4_requester_needs_exactly_one_place(world):
    assert_refused(lambda: _requester(world, jurisdiction=None), "jurisdiction")
    assert_refused(lambda: _requester(world, region=world.region), "jurisdiction")


def test_a4_requester_approval_required(world):
    assert_refused(lambda: _requester(world, approved_by=""), "approved_by")


def test_a4_requester_name_and_email_required(world):
    error = assert_refused(lambda: _requester(world, name=" ", email=""), "name")
    assert "email" in error.message_dict


def test_a4_requester_email_must_be_valid(world):
    assert_refused(lambda: _requester(world, email="not-an-address"), "email")


def test_a4_duplicate_email_refused_case_insensitively_with_link(world):
    existing = world.requester
    error = assert_refused(lambda: _requester(world, email=f"  {existing.email.upper()} "), "email")
    assert isinstance(error, services.DuplicateRequester)
    assert error.existing == existing
    assert existing.name in error.message_dict["email"][0]


def test_a4_requester_create_permission(world):
    nobody = UserFactory(is_ta_staff=False)
    assert_denied(lambda: _requester(world, actor=nobody))


# --- A5 centers and staff -------------------------------------------------------------------


def test_a5_primary_center_and_staff_required(world):
    error = assert_refused(
        lambda: create(world, primary_center=None, primary_staff=None), "primary_center"
    )
    assert "primary_staff" in error.message_dict


def test_a5_primary_staff_must_be_member_of_primary_center(world):
    assert_refused(
        lambda: create(world, primary_staff=world.other_staff),
        "primary_staff",
        contains="not a member of",
    )


def test_a5_primary_staff_must_be_active(world):
    world.primary.is_active = False
    world.primary.save()
    assert_refused(
        lambda: create(world, actor=world.admin), "primary_staff", contains="active account"
    )


def test_a5_collaborators_saved(world):
    activity = create(
        world,
        collaborating_centers=[world.other_center],
        collaborating_staff=[world.collaborator, world.other_staff],
        other_collaborators=[world.collaborator_type],
    )
    assert list(activity.collaborating_centers.all()) == [world.other_center]
    assert set(activity.collaborating_staff.all()) == {world.collaborator, world.other_staff}
    assert list(activity.other_collaborators.all()) == [world.collaborator_type]


def test_a5_other_collaborator_requires_details(world):
    assert_refused(
        lambda: create(world, other_collaborators=[world.other_collaborator_type]),
        "other_collaborators_details",
    )
    activity = create(
        world,
        other_collaborators=[world.other_collaborator_type],
        other_collaborators_details="Jane Roe, Evaluator, State University",
    )
    assert activity.other_collaborators_details.startswith("Jane Roe")


def test_a5_primary_not_repeated_as_collaborator(world):
    assert_refused(
        lambda: create(world, collaborating_centers=[world.center]), "collaborating_centers"
    )
    assert_refused(
        lambda: create(world, collaborating_staff=[world.primary]), "collaborating_staff"
    )


def test_a5_inactive_collaborator_refused(world):
    world.other_staff.is_active = False
    world.other_staff.save()
    assert_refused(
        lambda: create(world, collaborating_staff=[world.other_staff]), "collaborating_staff"
    )


# --- A6 initial description notes -------------------------------------------------------------


def test_a6_initial_description_notes_saved_with_stages(world):
    activity = create(
        world,
        description_notes=[
            (PlanStage.INITIAL, "SCBC to gather other States' practice."),
            (PlanStage.FINAL, "Center to provide a review of payment policies."),
        ],
    )
    notes = list(activity.description_notes.order_by("pk"))
    assert [note.stage for note in notes] == [PlanStage.INITIAL, PlanStage.FINAL]
    assert all(note.author == world.primary for note in notes)
    assert all(note.note_date == today() for note in notes)


def test_a6_at_most_one_final_plan_at_creation(world):
    assert_refused(
        lambda: create(
            world,
            description_notes=[(PlanStage.FINAL, "One."), (PlanStage.FINAL, "Two.")],
        ),
        "description_notes",
    )


def test_a6_archived_final_cannot_be_chosen_at_creation(world):
    assert_refused(
        lambda: create(world, description_notes=[(PlanStage.ARCHIVED_FINAL, "Old plan.")]),
        "description_notes",
        contains="archived",
    )


def test_a6_blank_description_note_refused(world):
    assert_refused(
        lambda: create(world, description_notes=[(PlanStage.INITIAL, "  ")]),
        "description_notes",
    )


# --- A7 and A8 ------------------------------------------------------------------------------


def test_a7_status_starts_as_planning(world):
    activity = create(world)
    assert activity.status == ActivityStatus.PLANNING
    assert activity.completion_status == CompletionStatus.OPEN
    assert activity.approved_by is None and activity.approved_at is None


def test_a7_starting_status_set_through_a_recorded_transition(world):
    activity = create(world, status=ActivityStatus.APPROVED, **cor_approval())
    assert activity.status == ActivityStatus.APPROVED
    assert activity.approved_by == world.primary and activity.approved_at is not None
    change = status_changes_for(activity).get()
    assert (change.from_value, change.to_value) == ("planning", "approved")


def test_a7_starting_status_the_actor_may_not_set_saves_nothing(world):
    # Another center's staff may add the activity but not approve it for its staff.
    assert_refused(
        lambda: create(
            world, actor=world.other_staff, status=ActivityStatus.APPROVED, **cor_approval()
        ),
        "status",
    )
    assert not TAActivity.objects.exists()


def test_a7_unknown_starting_status_refused(world):
    assert_refused(lambda: create(world, status="closed"), "status")


def test_a8_outcome_plan_required(world):
    assert_refused(lambda: create(world, outcome_plan=""), "outcome_plan")
    assert_refused(lambda: create(world, outcome_plan="  \n "), "outcome_plan")


def test_refusal_reports_every_field_at_once(world):
    error = assert_refused(
        lambda: create(world, priority="x", activity_type="y", outcome_plan="", requesters=[]),
        "priority",
    )
    assert {"activity_type", "outcome_plan", "requesters"} <= set(error.message_dict)


def test_federal_viewer_cannot_create_activities(world):
    assert_denied(lambda: create(world, actor=world.federal))


# --- A16 one open activity per strategic area ----------------------------------------------------


def test_a16_existing_open_activity_offered_instead(world):
    existing = create_activity(world)
    error = assert_refused(
        lambda: create(world, actor=world.other_staff, join_existing_confirmed=False),
        "strategic_area",
        contains="TA-",
    )
    assert isinstance(error, services.ExistingOpenActivity)
    assert error.activities == [existing]
    assert existing.record_number in error.message_dict["strategic_area"][0]


def test_a16_confirmed_second_activity_is_created(world):
    create_activity(world)
    with pytest.raises(services.ExistingOpenActivity):
        create(world, join_existing_confirmed=False)
    second = create(world, join_existing_confirmed=True)
    assert TAActivity.objects.filter(strategic_area=world.strategic_area).count() == 2
    assert second.pk


def test_a16_closed_or_cancelled_activity_does_not_block(world):
    existing = create_activity(world)
    services.activity_cancel(actor=world.primary, activity=existing, reason="No longer needed.")
    assert create(world, join_existing_confirmed=False).pk != existing.pk


def test_a16_on_demand_activities_never_asked(world):
    for _ in range(2):
        create(
            world,
            strategic_area=None,
            jurisdiction=world.jurisdiction,
            join_existing_confirmed=False,
        )
    assert TAActivity.objects.on_demand().count() == 2


def test_a16_join_adds_actor_and_their_center(world):
    # The State's SSS (of SCBC) may join; staff of an uninvolved center may not (issue #12,
    # door 1: tests/hardening/test_join.py).
    activity = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    joined = services.activity_join(actor=world.sss, activity=activity)
    assert list(joined.collaborating_staff.all()) == [world.sss]
    assert list(joined.collaborating_centers.all()) == [world.other_center]
    assert joined.version == activity.version + 1
    assert joined.history.first().history_user == world.sss


def test_a16_join_with_note_records_response_note(world):
    activity = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    services.activity_join(actor=world.sss, activity=activity, note="SCBC joins to coordinate.")
    note = ResponseNote.objects.get(activity=activity)
    assert note.author == world.sss and note.text == "SCBC joins to coordinate."


def test_a16_join_center_only(world):
    activity = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    services.activity_join(actor=world.sss, activity=activity, as_collaborating_staff=False)
    assert not activity.collaborating_staff.exists()
    assert list(activity.collaborating_centers.all()) == [world.other_center]


def test_a16_join_when_already_taking_part_refused(world):
    activity = create_activity(world)
    assert_refused(
        lambda: services.activity_join(actor=world.collaborator, activity=activity),
        "collaborating_staff",
    )
    assert_refused(
        lambda: services.activity_join(actor=world.primary, activity=activity),
        "collaborating_staff",
    )


def test_a16_join_needs_permission_to_add_activities(world):
    activity = create_activity(world)
    assert_denied(lambda: services.activity_join(actor=world.federal, activity=activity))


def test_create_saves_nothing_when_initial_note_refused(world):
    before = row_counts()
    with pytest.raises(ValidationError):
        create(world, description_notes=[(PlanStage.INITIAL, "ok"), ("bogus", "x")])
    assert row_counts() == before
    assert not DescriptionNote.objects.exists()


def test_create_refused_without_permission_saves_nothing(world):
    outsider = UserFactory(is_ta_staff=False)
    with pytest.raises(PermissionDenied):
        create(world, actor=outsider)
    assert not TAActivity.objects.exists()
