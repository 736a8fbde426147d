"""Who may do what to a TA activity (DESIGN §1), and history attribution (AU1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from activities import services
from activities.models import ActivityStatus, PlanStage, TAActivity
from tests.factories_activities import (
    activity_kwargs,
    add_summary,
    cor_approval,
    create_activity,
    make_trackable,
    row_counts,
    today,
)

PEOPLE = (
    "primary",
    "collaborator",
    "sss",
    "lead",
    "other_lead",
    "other_staff",
    "federal",
    "admin",
)
EDITORS = {"primary", "collaborator", "sss", "lead", "admin"}


def _update(world, activity, actor):
    services.activity_update(
        actor=actor, activity=activity, expected_version=activity.version, priority="low"
    )


def _approve(world, activity, actor):
    services.activity_set_status(
        actor=actor, activity=activity, status=ActivityStatus.APPROVED, **cor_approval()
    )


def _hold(world, activity, actor):
    services.activity_set_status(actor=actor, activity=activity, status=ActivityStatus.ON_HOLD)


def _description_note(world, activity, actor):
    services.description_note_add(
        actor=actor, activity=activity, stage=PlanStage.INITIAL, text="Initial plan."
    )


def _response_note(world, activity, actor):
    services.response_note_add(actor=actor, activity=activity, text="Planning call held.")


def _trackable(world, activity):
    make_trackable(world, activity)


def _cancelled(world, activity):
    services.activity_cancel(actor=world.admin, activity=activity, reason="No longer needed.")


def _summary(world, activity, actor):
    add_summary(world, activity, actor=actor)


def _feedback(world, activity, actor):
    services.feedback_add(
        actor=actor,
        activity=activity,
        feedback_date=today(),
        giver_name="Dana Director",
        giver_title="CCDF Administrator",
        text="Thanks!",
    )


def _close(world, activity, actor):
    services.activity_close(
        actor=actor, activity=activity, completion_date=today(), outcome_report="Done."
    )


def _cancel(world, activity, actor):
    services.activity_cancel(actor=actor, activity=activity, reason="No longer needed.")


def _reopen(world, activity, actor):
    services.activity_reopen(actor=actor, activity=activity, reason="Needed after all.")


def _create(world, activity, actor):
    services.activity_create(**activity_kwargs(world, actor=actor, join_existing_confirmed=True))


def _join(world, activity, actor):
    services.activity_join(actor=actor, activity=activity, as_collaborating_staff=False)


# operation: (set-up done by others, the action, who may do it)
OPERATIONS = {
    "update": (None, _update, EDITORS),
    "approve": (None, _approve, EDITORS | {"federal"}),
    "hold": (None, _hold, EDITORS),
    "description_note": (None, _description_note, EDITORS),
    "response_note": (None, _response_note, EDITORS),
    "summary": (_trackable, _summary, EDITORS),
    "feedback": (_trackable, _feedback, EDITORS),
    "close": (_trackable, _close, EDITORS),
    "cancel": (None, _cancel, EDITORS),
    "reopen": (_cancelled, _reopen, {"primary", "admin"}),
    "create": (None, _create, set(PEOPLE) - {"federal"}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_permission_ladder(world, person, operation):
    """Primary and collaborating staff, the jurisdiction's SSS, the primary center's lead and
    admins edit; a lead or staff member of another center and federal viewers do not, except
    that federal viewers record approval and anyone on staff may add activities."""
    setup, action, allowed = OPERATIONS[operation]
    activity = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    activity.collaborating_staff.add(world.collaborator)
    if setup is not None:
        setup(world, activity)
    actor = getattr(world, person)
    if person in allowed:
        action(world, activity, actor)
    else:
        before = row_counts()
        with pytest.raises(PermissionDenied):
            action(world, activity, actor)
        assert row_counts() == before


def test_sss_of_another_jurisdiction_cannot_edit(world):
    from tests.factories import SSSFactory

    activity = create_activity(world)
    stranger = SSSFactory(jurisdictions=[world.neighbour])
    with pytest.raises(PermissionDenied):
        _update(world, activity, stranger)


def test_join_open_to_staff_of_collaborating_centers_only(world):
    # Issue #12, door 1: joining gives edit rights, so only a taking-part center's staff join.
    activity = create_activity(world, collaborating_staff=[])  # SCBC collaborates
    services.activity_join(actor=world.other_lead, activity=activity)
    assert world.other_lead in activity.collaborating_staff.all()
    lone = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    with pytest.raises(PermissionDenied):
        _join(world, lone, world.other_staff)


# --- AU1 history carries the actor -------------------------------------------------------------


def test_au1_history_rows_carry_the_actor(world):
    activity = create_activity(world)
    created = activity.history.get()
    assert created.history_type == "+" and created.history_user == world.primary
    assert {row.requester_id for row in created.requesters.all()} == {world.requester.pk}
    assert {row.user_id for row in created.collaborating_staff.all()} == {world.collaborator.pk}

    services.activity_update(actor=world.sss, activity=activity, expected_version=1, priority="low")
    note, _ = services.description_note_add(
        actor=world.collaborator, activity=activity, stage=PlanStage.FINAL, text="Final."
    )
    services.activity_set_status(
        actor=world.federal, activity=activity, status="approved", **cor_approval()
    )
    summary = add_summary(world, activity, actor=world.lead)
    services.activity_close(
        actor=world.admin, activity=activity, completion_date=today(), outcome_report="Done."
    )

    users = [row.history_user for row in activity.history.order_by("history_date", "history_id")]
    assert users == [world.primary, world.sss, world.federal, world.admin]
    assert note.history.get().history_user == world.collaborator
    assert summary.history.get().history_user == world.lead
    assert TAActivity.objects.get(pk=activity.pk).history.count() == 4


def test_au1_create_writes_one_history_row_with_all_relations(world):
    activity = create_activity(
        world,
        other_collaborators=[world.collaborator_type],
        requesters=[world.requester, world.region_requester],
    )
    assert activity.history.count() == 1
    row = activity.history.get()
    assert {r.collaboratortype_id for r in row.other_collaborators.all()} == {
        world.collaborator_type.pk
    }
    assert {r.center_id for r in row.collaborating_centers.all()} == {world.other_center.pk}
