"""The service kit (core.services, core.forms, core.history.changes_since): the one recipe
for collecting errors, saving with history (AU1), transitions with a status-change row, and
C1's "what changed since your version"."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory

from core.concurrency import CONFLICT_MESSAGE
from core.forms import apply_service_errors, conflict_form
from core.history import changes_since
from core.models import StatusChange
from core.services import FieldErrors, StateMachine, save_tracked
from goals.models import Goal
from tests.factories import AdminFactory, GoalFactory, SSSFactory

pytestmark = pytest.mark.django_db

GOAL_STATUS = StateMachine(
    field="status",
    allowed={Goal.Status.OPEN: frozenset({Goal.Status.CLOSED})},
    labels=Goal.Status,
    verbose_name="goal status",
)


def test_field_errors_collect_every_problem_then_refuse_once():
    errors = FieldErrors()
    assert not errors
    errors.add("start_date", "Enter a valid date.")
    errors.add("start_date", "Too early.")
    errors.add(None, "Something about the whole form.")
    assert errors and "start_date" in errors
    with pytest.raises(ValidationError) as refused:
        errors.raise_if_any()
    assert refused.value.message_dict == {
        "start_date": ["Enter a valid date.", "Too early."],
        NON_FIELD_ERRORS: ["Something about the whole form."],
    }


def test_au1_save_tracked_names_the_actor_the_reason_and_bumps_the_version():
    goal = GoalFactory()
    admin = AdminFactory()
    before = goal.version
    save_tracked(goal, actor=admin, reason="Checked", bump_version=True)
    goal.refresh_from_db()
    assert goal.version == before + 1
    latest = goal.history.order_by("-history_id").first()
    assert latest.history_user == admin
    assert latest.history_change_reason == "Checked"


def test_save_tracked_validates_before_saving():
    goal = GoalFactory()
    goal.readiness = "not-a-choice"
    with pytest.raises(ValidationError) as refused:
        save_tracked(goal, actor=AdminFactory())
    assert "readiness" in refused.value.message_dict
    goal.refresh_from_db()
    assert goal.readiness != "not-a-choice"


def test_state_machine_refuses_a_move_outside_its_table_at_the_field():
    goal = GoalFactory(status=Goal.Status.CLOSED)
    with pytest.raises(ValidationError) as refused:
        GOAL_STATUS.check(goal, Goal.Status.OPEN)
    assert refused.value.message_dict == {
        "status": ["The goal status cannot change from “Closed” to “Open”."]
    }
    with pytest.raises(ValidationError) as custom:
        GOAL_STATUS.check(goal, Goal.Status.OPEN, message="Already {source}.", error_field="x")
    assert custom.value.message_dict == {"x": ["Already Closed."]}


def test_state_machine_apply_sets_bumps_saves_and_writes_the_status_change():
    goal = GoalFactory()
    admin = AdminFactory()
    version = goal.version
    GOAL_STATUS.check(goal, Goal.Status.CLOSED)
    previous = GOAL_STATUS.apply(
        goal,
        Goal.Status.CLOSED,
        actor=admin,
        reason="All done",
        history_reason="Goal closed",
        changes={"closed_by": admin},
    )
    assert previous == Goal.Status.OPEN
    goal.refresh_from_db()
    assert (goal.status, goal.closed_by, goal.version) == (Goal.Status.CLOSED, admin, version + 1)
    row = StatusChange.objects.get(object_id=goal.pk, field="status")
    assert (row.from_value, row.to_value, row.actor, row.reason) == (
        "open",
        "closed",
        admin,
        "All done",
    )


def test_c1_changes_since_lists_only_what_others_saved_after_my_version():
    goal = GoalFactory()
    admin, sss = AdminFactory(), SSSFactory()
    save_tracked(goal, actor=admin, bump_version=True)  # the version I open
    mine = goal.version
    goal.start_date_is_approximate = not goal.start_date_is_approximate
    save_tracked(goal, actor=sss, bump_version=True)
    entries = changes_since(goal, mine)
    assert [entry.who for entry in entries] == [sss]
    assert entries[0].changes and entries[0].changes[0].field.lower().startswith("start date")
    assert changes_since(goal, goal.version) == []


class _NoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField()


def test_apply_service_errors_puts_each_message_at_its_field_or_on_top():
    form = _NoteForm({"version": "1", "text": "x"})
    assert form.is_valid()
    error = ValidationError({"text": "Too vague.", "note_date": "Unknown field here."})
    apply_service_errors(form, error, field_map={})
    assert form.errors["text"] == ["Too vague."]
    assert form.non_field_errors() == ["Unknown field here."]

    renamed = _NoteForm({"version": "1", "text": "x"})
    renamed.is_valid()
    apply_service_errors(renamed, ValidationError({"body": "Renamed."}), field_map={"body": "text"})
    assert renamed.errors["text"] == ["Renamed."]

    plain = _NoteForm({"version": "1", "text": "x"})
    plain.is_valid()
    apply_service_errors(plain, ValidationError("A plain message."))
    assert plain.non_field_errors() == ["A plain message."]


def test_c1_conflict_form_keeps_what_was_typed_with_the_stored_version():
    request = RequestFactory().post("/", {"version": "3", "text": "my words"})
    form = conflict_form(_NoteForm, request, current_version=5)
    assert form["text"].value() == "my words"
    assert form["version"].value() == "5"
    assert form.non_field_errors() == [CONFLICT_MESSAGE]
