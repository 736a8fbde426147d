"""Description notes (A6), TA response notes (A14) and note editing (append-only, C1, A13)."""

from __future__ import annotations

import datetime as dt

import pytest

from activities import services
from activities.models import DescriptionNote, PlanStage, ResponseNote
from core.concurrency import ConflictError
from tests.factories import DeliveryMethodFactory, TATypeFactory
from tests.factories_activities import (
    add_summary,
    assert_denied,
    assert_refused,
    create_activity,
    make_trackable,
    row_counts,
    today,
)


def add_note(world, activity, stage, text="SCBC to provide a review.", **kwargs):
    kwargs.setdefault("actor", world.primary)
    return services.description_note_add(activity=activity, stage=stage, text=text, **kwargs)


def close(world, activity):
    return services.activity_close(
        actor=world.primary, activity=activity, completion_date=today(), outcome_report="Done."
    )


# --- A6 description notes ---------------------------------------------------------------------


def test_a6_stages_may_come_in_any_order_and_be_skipped(world, activity):
    intermediate, archived = add_note(world, activity, PlanStage.INTERMEDIATE)
    assert archived is None
    add_note(world, activity, PlanStage.INITIAL)
    final, archived = add_note(world, activity, PlanStage.FINAL)
    assert archived is None
    assert final.stage == PlanStage.FINAL and final.author == world.primary
    assert final.note_date == today()
    other = create_activity(world)
    direct_final, _ = add_note(world, other, PlanStage.FINAL)
    assert direct_final.stage == PlanStage.FINAL


def test_a6_new_final_plan_archives_previous(world, activity):
    first, _ = add_note(world, activity, PlanStage.FINAL, "First final plan.")
    second, archived = add_note(world, activity, PlanStage.FINAL, "Revised final plan.")
    assert archived.pk == first.pk
    first.refresh_from_db()
    assert first.stage == PlanStage.ARCHIVED_FINAL
    assert first.version == 2
    assert list(activity.description_notes.filter(stage=PlanStage.FINAL)) == [second]
    assert first.history.first().history_user == world.primary


def test_a6_planning_may_restart_after_archive(world, activity):
    add_note(world, activity, PlanStage.FINAL)
    add_note(world, activity, PlanStage.INITIAL, "New initial plan.")
    add_note(world, activity, PlanStage.INTERMEDIATE, "New intermediate plan.")
    _, archived = add_note(world, activity, PlanStage.FINAL, "New final plan.")
    assert archived is not None
    stages = sorted(activity.description_notes.values_list("stage", flat=True))
    assert stages.count(PlanStage.FINAL) == 1
    assert stages.count(PlanStage.ARCHIVED_FINAL) == 1


def test_a6_archived_final_cannot_be_chosen(world, activity):
    assert_refused(
        lambda: add_note(world, activity, PlanStage.ARCHIVED_FINAL), "stage", contains="Archived"
    )


def test_a6_unknown_stage_refused(world, activity):
    assert_refused(lambda: add_note(world, activity, "draft"), "stage")


def test_a6_refused_final_keeps_previous_final(world, activity):
    first, _ = add_note(world, activity, PlanStage.FINAL)
    assert_refused(lambda: add_note(world, activity, PlanStage.FINAL, text="  "), "text")
    first.refresh_from_db()
    assert first.stage == PlanStage.FINAL


def test_a6_note_date_not_in_future(world, activity):
    assert_refused(
        lambda: add_note(
            world, activity, PlanStage.INITIAL, note_date=today() + dt.timedelta(days=1)
        ),
        "note_date",
    )
    earlier = today() - dt.timedelta(days=3)
    note, _ = add_note(world, activity, PlanStage.INITIAL, note_date=earlier)
    assert note.note_date == earlier


def test_a6_description_note_needs_edit_permission(world, activity):
    assert_denied(lambda: add_note(world, activity, PlanStage.INITIAL, actor=world.other_staff))
    assert_denied(lambda: add_note(world, activity, PlanStage.INITIAL, actor=world.federal))


def test_a6_description_notes_refused_when_closed(world, activity):
    activity = close(world, make_trackable(world, activity))
    assert_refused(lambda: add_note(world, activity, PlanStage.INITIAL), "completion_status")


# --- A14 TA response notes ----------------------------------------------------------------------


def test_a14_response_note_captures_author_and_time(world, activity):
    note = services.response_note_add(
        actor=world.collaborator, activity=activity, text=" Held a planning call. "
    )
    assert note.author == world.collaborator
    assert note.created_at is not None
    assert note.note_date == today()
    assert note.text == "Held a planning call."


def test_a14_response_notes_allowed_without_tracking(world, activity):
    available, _ = services.tracking_available(activity)
    assert not available
    for text in ("First.", "Second.", "Third."):
        services.response_note_add(actor=world.primary, activity=activity, text=text)
    assert ResponseNote.objects.filter(activity=activity).count() == 3


def test_a14_response_note_text_required(world, activity):
    assert_refused(
        lambda: services.response_note_add(actor=world.primary, activity=activity, text=""),
        "text",
    )


def test_a14_response_note_refused_when_closed(world, activity):
    activity = close(world, make_trackable(world, activity))
    assert_refused(
        lambda: services.response_note_add(actor=world.primary, activity=activity, text="x"),
        "completion_status",
    )


# --- Editing notes: author or admin only, versioned ----------------------------------------------


def test_note_update_by_author(world, activity):
    note, _ = add_note(world, activity, PlanStage.INITIAL, "Frist draft.")
    updated = services.note_update(
        actor=world.primary,
        note=note,
        text="First draft.",
        note_date=today() - dt.timedelta(days=1),
        expected_version=note.version,
    )
    assert updated.text == "First draft." and updated.version == note.version + 1
    assert DescriptionNote.objects.get(pk=note.pk).text == "First draft."


def test_note_update_by_admin(world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="Call.")
    updated = services.note_update(
        actor=world.admin,
        note=note,
        text="Planning call.",
        note_date=note.note_date,
        expected_version=note.version,
    )
    assert updated.history.first().history_user == world.admin


def test_notes_are_append_only_for_others(world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="Call.")
    for person in (world.collaborator, world.sss, world.lead):
        assert_denied(
            lambda person=person: services.note_update(
                actor=person,
                note=note,
                text="Changed.",
                note_date=note.note_date,
                expected_version=note.version,
            )
        )
    assert ResponseNote.objects.get(pk=note.pk).text == "Call."


def test_c1_note_update_stale_version_refused(world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="Call.")
    services.note_update(
        actor=world.primary, note=note, text="One.", note_date=today(), expected_version=1
    )
    before = row_counts()
    with pytest.raises(ConflictError):
        services.note_update(
            actor=world.admin, note=note, text="Two.", note_date=today(), expected_version=1
        )
    assert row_counts() == before
    assert ResponseNote.objects.get(pk=note.pk).text == "One."


def test_note_update_checks_text_and_date(world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="Call.")
    for text, note_date, field in (
        ("", today(), "text"),
        ("Call.", None, "note_date"),
        ("Call.", today() + dt.timedelta(days=1), "note_date"),
    ):
        assert_refused(
            lambda text=text, note_date=note_date: services.note_update(
                actor=world.primary,
                note=note,
                text=text,
                note_date=note_date,
                expected_version=note.version,
            ),
            field,
        )


def test_note_update_unknown_extra_field_is_a_programming_error(world, activity):
    note = services.response_note_add(actor=world.primary, activity=activity, text="Call.")
    with pytest.raises(TypeError):
        services.note_update(
            actor=world.primary,
            note=note,
            text="x",
            note_date=today(),
            expected_version=1,
            giver_name="Someone",
        )


def test_a10_summary_edit_changes_methods_and_types(world, activity):
    activity = make_trackable(world, activity)
    summary = add_summary(world, activity)
    phone, training = DeliveryMethodFactory(name="Phone"), TATypeFactory(name="Training")
    rows = summary.history.count()
    updated = services.note_update(
        actor=world.primary,
        note=summary,
        text="State received a phone consultation.",
        note_date=summary.note_date,
        expected_version=summary.version,
        delivery_methods=[phone],
        ta_types=[world.ta_type, training],
    )
    assert list(updated.delivery_methods.all()) == [phone]
    assert set(updated.ta_types.all()) == {world.ta_type, training}
    assert summary.history.count() == rows + 1
    assert summary.history.first().history_user == world.primary


def test_a10_summary_edit_keeps_delivery_date_rules(world, activity):
    activity = make_trackable(world, activity)
    summary = add_summary(world, activity)
    assert_refused(
        lambda: services.note_update(
            actor=world.primary,
            note=summary,
            text="x",
            note_date=activity.date_opened - dt.timedelta(days=1),
            expected_version=summary.version,
        ),
        "note_date",
        contains="before the date opened",
    )


def test_a9_summary_edit_is_tracking_data(world, activity):
    activity = make_trackable(world, activity)
    summary = add_summary(world, activity)
    services.activity_set_status(actor=world.primary, activity=activity, status="on_hold")
    assert_refused(
        lambda: services.note_update(
            actor=world.primary,
            note=summary,
            text="x",
            note_date=summary.note_date,
            expected_version=summary.version,
        ),
        "tracking",
    )


def test_a13_feedback_editable_after_close_but_other_notes_not(world, activity):
    activity = make_trackable(world, activity)
    feedback = services.feedback_add(
        actor=world.primary,
        activity=activity,
        feedback_date=today(),
        giver_name="Dana Director",
        giver_title="CCDF Administrator",
        text="Thanks!",
    )
    note = services.response_note_add(actor=world.primary, activity=activity, text="Call.")
    close(world, activity)
    updated = services.note_update(
        actor=world.primary,
        note=feedback,
        text="Thanks! Exactly what we needed.",
        note_date=feedback.note_date,
        expected_version=feedback.version,
        giver_title="CCDF Administrator, Georgia",
    )
    assert updated.giver_title == "CCDF Administrator, Georgia"
    assert_refused(
        lambda: services.note_update(
            actor=world.primary,
            note=note,
            text="Changed.",
            note_date=note.note_date,
            expected_version=note.version,
        ),
        "completion_status",
    )


def test_a11_feedback_edit_keeps_giver_required(world, activity):
    activity = make_trackable(world, activity)
    feedback = services.feedback_add(
        actor=world.primary,
        activity=activity,
        feedback_date=today(),
        giver_name="Dana Director",
        giver_title="CCDF Administrator",
        text="Thanks!",
    )
    assert_refused(
        lambda: services.note_update(
            actor=world.primary,
            note=feedback,
            text="Thanks!",
            note_date=today(),
            expected_version=feedback.version,
            giver_name=" ",
        ),
        "giver_name",
    )
