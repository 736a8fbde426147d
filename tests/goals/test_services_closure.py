"""Goals service layer, closing a goal (G4): requesting closure with a reason, one pending
request per goal, only admins close (with a completion note, never while TA activities are
open), decline a request or reopen a goal."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from activities.models import CompletionStatus
from core.models import Notification, StatusChange
from core.status import status_changes_for
from goals import selectors, services
from goals.models import Goal, GoalClosureRequest, GoalNote
from tests.factories import (
    AdminFactory,
    TAActivityFactory,
)
from tests.goals.helpers import TODAY, _create

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------- G4


def test_g4_request_closure_needs_a_reason(sss, goal):
    with pytest.raises(ValidationError) as error:
        services.goal_request_closure(actor=sss, goal=goal, reason="   ")
    assert "reason" in error.value.message_dict
    assert GoalClosureRequest.objects.count() == 0


def test_g4_request_closure_waits_for_admins(sss, admin, goal):
    other_admin = AdminFactory()
    request = services.goal_request_closure(actor=sss, goal=goal, reason="State met the goal.")
    assert (request.status, request.requested_by, request.reason) == (
        GoalClosureRequest.Status.PENDING,
        sss,
        "State met the goal.",
    )
    assert sorted(n.recipient.pk for n in Notification.objects.all()) == sorted(
        [admin.pk, other_admin.pk]
    )
    assert list(selectors.pending_closure_requests()) == [request]
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


def test_g4_only_one_pending_request_per_goal(sss, admin, goal):
    first = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    with pytest.raises(ValidationError) as error:
        services.goal_request_closure(actor=admin, goal=goal, reason="Done too")
    assert "already requested by Sam Specialist" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert GoalClosureRequest.objects.count() == 1

    services.goal_closure_decline(actor=admin, request=first, note="Activities still running.")
    second = services.goal_request_closure(actor=sss, goal=goal, reason="Now done")
    assert second.status == GoalClosureRequest.Status.PENDING


def test_g4_request_closure_only_by_editors_of_open_goals(ta_staff, viewer, admin, sss, goal):
    for outsider in (ta_staff, viewer):
        with pytest.raises(PermissionDenied):
            services.goal_request_closure(actor=outsider, goal=goal, reason="Done")
    services.goal_close(actor=admin, goal=goal, note="Done.")
    with pytest.raises(ValidationError) as error:
        services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    assert "already closed" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert GoalClosureRequest.objects.count() == 0


def test_g4_non_admin_close_refused(sss, ta_staff, viewer, goal):
    for person in (sss, ta_staff, viewer):
        with pytest.raises(PermissionDenied):
            services.goal_close(actor=person, goal=goal, note="Done.")
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.notes.count() == 0
    assert StatusChange.objects.count() == 0


def test_g4_close_refused_while_activities_open_listing_them(admin, goal):
    first_area, second_area = list(goal.strategic_areas.all())
    open_one = TAActivityFactory(strategic_area=first_area)
    open_two = TAActivityFactory(strategic_area=second_area)
    TAActivityFactory(
        strategic_area=first_area,
        completion_status=CompletionStatus.CLOSED,
        completion_date=TODAY(),
    )

    with pytest.raises(services.OpenActivitiesRemain) as error:
        services.goal_close(actor=admin, goal=goal, note="All done.")

    assert error.value.open_activities == [open_one, open_two]
    message = error.value.message_dict[NON_FIELD_ERRORS][0]
    for activity in (open_one, open_two):
        assert activity.record_number in message
        assert activity.title in message
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.closed_at is None
    assert goal.notes.count() == 0
    assert StatusChange.objects.count() == 0


def test_g4_close_with_activities_closed_or_cancelled(admin, sss, goal):
    area = goal.strategic_areas.first()
    TAActivityFactory(
        strategic_area=area, completion_status=CompletionStatus.CLOSED, completion_date=TODAY()
    )
    TAActivityFactory(strategic_area=area, completion_status=CompletionStatus.CANCELLED)
    request = services.goal_request_closure(actor=sss, goal=goal, reason="All TA complete.")

    closed = services.goal_close(
        actor=admin, goal=goal, note="MM/DD/YY – all TA activities complete."
    )

    closed.refresh_from_db()
    assert closed.status == Goal.Status.CLOSED
    assert closed.closed_by == admin
    assert closed.closed_at is not None
    assert closed.version == 2
    completion = closed.notes.get()
    assert completion.kind == GoalNote.Kind.COMPLETION
    assert completion.text == "MM/DD/YY – all TA activities complete."
    assert completion.author == admin
    change = status_changes_for(closed).get()
    assert (change.from_value, change.to_value, change.actor) == ("open", "closed", admin)
    assert change.reason == completion.text
    request.refresh_from_db()
    assert request.status == GoalClosureRequest.Status.APPROVED
    assert request.decided_by == admin
    assert status_changes_for(request).get().to_value == "approved"
    assert Notification.objects.filter(recipient=sss, message__contains="Goal closed").exists()
    assert list(selectors.pending_closure_requests()) == []


def test_g4_close_needs_note(admin, goal):
    with pytest.raises(ValidationError) as error:
        services.goal_close(actor=admin, goal=goal, note="  ")
    assert "note" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.notes.count() == 0


def test_g4_close_checks_the_given_request(admin, sss, goal, other_state, category, items):
    other_goal = _create(admin, other_state, category, items)
    other_request = services.goal_request_closure(actor=admin, goal=other_goal, reason="Done")
    with pytest.raises(ValidationError) as error:
        services.goal_close(actor=admin, goal=goal, note="Done.", closure_request=other_request)
    assert "closure_request" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.is_open

    request = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    services.goal_close(actor=admin, goal=goal, note="Done.", closure_request=request)
    request.refresh_from_db()
    assert request.status == GoalClosureRequest.Status.APPROVED


def test_g4_closed_goal_cannot_be_closed_again(admin, goal):
    services.goal_close(actor=admin, goal=goal, note="Done.")
    with pytest.raises(ValidationError) as error:
        services.goal_close(actor=admin, goal=goal, note="Again.")
    assert "already closed" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert StatusChange.objects.count() == 1


def test_g4_admin_declines_request_with_note(admin, sss, goal):
    request = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    with pytest.raises(PermissionDenied):
        services.goal_closure_decline(actor=sss, request=request, note="No")
    with pytest.raises(ValidationError) as error:
        services.goal_closure_decline(actor=admin, request=request, note="")
    assert "note" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == GoalClosureRequest.Status.PENDING

    declined = services.goal_closure_decline(
        actor=admin, request=request, note="Two activities are still open."
    )
    assert (declined.status, declined.decided_by) == (GoalClosureRequest.Status.DECLINED, admin)
    assert declined.decision_note == "Two activities are still open."
    change = status_changes_for(declined).get()
    assert (change.from_value, change.to_value) == ("pending", "declined")
    assert Notification.objects.filter(recipient=sss, message__contains="Declined").exists()
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    with pytest.raises(ValidationError):
        services.goal_closure_decline(actor=admin, request=request, note="Again")


def test_g4_admin_reopens_goal_with_reason(admin, sss, goal):
    services.goal_close(actor=admin, goal=goal, note="Done.")
    with pytest.raises(PermissionDenied):
        services.goal_reopen(actor=sss, goal=goal, reason="More TA")
    with pytest.raises(ValidationError) as error:
        services.goal_reopen(actor=admin, goal=goal, reason=" ")
    assert "reason" in error.value.message_dict

    reopened = services.goal_reopen(actor=admin, goal=goal, reason="State asked for more TA.")
    reopened.refresh_from_db()
    assert reopened.status == Goal.Status.OPEN
    assert reopened.closed_at is None
    assert reopened.closed_by is None
    changes = list(status_changes_for(reopened))
    assert [(c.from_value, c.to_value) for c in changes] == [("open", "closed"), ("closed", "open")]
    assert changes[1].reason == "State asked for more TA."
    assert reopened.notes.filter(text__contains="State asked for more TA.").exists()
    with pytest.raises(ValidationError):
        services.goal_reopen(actor=admin, goal=goal, reason="Again")
