"""A9, stored (issue 9 "Speed", ADR 0015): `TAActivity.is_tracking_available` says what
`tracking_available` says — status approved and a current final plan — after every path that
changes either: the services (create, plans, status), the importer (through the services),
`generate_data`'s bulk writes, the fill migration and a backup's restore. Each test compares
the stored flag with the definition computed here, independently, from the plans' rows."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import sqlite3
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from activities.models import (
    ActivityStatus,
    ActivityWorkMonth,
    DescriptionNote,
    PlanStage,
    ResponseNote,
    TAActivity,
)
from activities.services import (
    activity_set_status,
    description_note_add,
    note_update,
    refresh_tracking_flag,
    response_note_add,
    tracking_available,
)
from core import backup as bk
from reference.models import Center
from tests.factories import AdminFactory, UserFactory
from tests.factories_activities import World, cor_approval, create_activity, make_trackable
from tests.transfer.test_import import STAFF_EMAIL, csv_bytes, example_rows, run

pytestmark = pytest.mark.django_db


def definition() -> dict[int, bool]:
    """A9 for every activity, from the plans' rows and the status (not from the flag)."""
    with_final = set(
        DescriptionNote.objects.filter(stage="final").values_list("activity_id", flat=True)
    )
    return {
        pk: status == "approved" and pk in with_final
        for pk, status in TAActivity.objects.values_list("pk", "status")
    }


def stored() -> dict[int, bool]:
    return dict(TAActivity.objects.values_list("pk", "is_tracking_available"))


def work_months_defined() -> set[tuple[int, dt.date, bool]]:
    """`ActivityWorkMonth` as it should be: every month with a response note, and A9."""
    flags = definition()
    return {
        (activity_id, day.replace(day=1), flags[activity_id])
        for activity_id, day in ResponseNote.objects.values_list("activity_id", "note_date")
    }


def work_months_stored() -> set[tuple[int, dt.date, bool]]:
    rows = list(
        ActivityWorkMonth.objects.values_list("activity_id", "month", "is_tracking_available")
    )
    assert len(rows) == len(set(rows))
    return set(rows)


def assert_flags_right() -> None:
    """The flag on every activity and the work months, against their definitions."""
    assert stored() == definition()
    assert work_months_stored() == work_months_defined()


def flag_of(activity: TAActivity) -> bool:
    return TAActivity.objects.values_list("is_tracking_available", flat=True).get(pk=activity.pk)


# --- the services ------------------------------------------------------------------------------


def test_a9_flag_follows_plans_and_status_through_the_services(world: World) -> None:
    activity = create_activity(world)
    assert flag_of(activity) is False
    response_note_add(actor=world.primary, activity=activity, text="Called the State lead.")
    assert_flags_right()
    description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.INITIAL, text="First draft."
    )
    assert flag_of(activity) is False
    description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="The plan."
    )
    assert flag_of(activity) is False  # a final plan, but still planning
    activity = activity_set_status(
        actor=world.federal, activity=activity, status=ActivityStatus.APPROVED, **cor_approval()
    )
    assert flag_of(activity) is True
    assert activity.is_tracking_available is True
    assert_flags_right()
    # A new final plan archives the current one (A6): there is still a current final plan.
    description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="The new plan."
    )
    assert flag_of(activity) is True
    activity = activity_set_status(
        actor=world.primary, activity=activity, status=ActivityStatus.ON_HOLD
    )
    assert flag_of(activity) is False
    assert_flags_right()
    activity = activity_set_status(
        actor=world.federal, activity=activity, status=ActivityStatus.APPROVED, **cor_approval()
    )
    assert flag_of(activity) is True
    assert_flags_right()
    activity = activity_set_status(
        actor=world.primary, activity=activity, status=ActivityStatus.PLANNING
    )
    assert flag_of(activity) is False
    assert_flags_right()


def test_a9_flag_is_set_for_an_activity_created_approved_with_a_final_plan(
    world: World,
) -> None:
    with_final = create_activity(
        world,
        actor=world.admin,
        status=ActivityStatus.APPROVED,
        description_notes=[(PlanStage.FINAL, "The plan.")],
        **cor_approval(),
    )
    without_final = create_activity(
        world,
        actor=world.admin,
        status=ActivityStatus.APPROVED,
        description_notes=[(PlanStage.INITIAL, "A draft.")],
        **cor_approval(),
    )
    planning_with_final = create_activity(world, description_notes=[(PlanStage.FINAL, "The plan.")])
    assert flag_of(with_final) is True
    assert flag_of(without_final) is False
    assert flag_of(planning_with_final) is False
    assert_flags_right()
    description_note_add(
        actor=world.primary, activity=without_final, stage=PlanStage.FINAL, text="The plan."
    )
    assert flag_of(without_final) is True
    assert_flags_right()


def test_a9_flag_agrees_with_tracking_available(world: World) -> None:
    """The stored flag and the service's own test (A9) agree on each activity."""
    plain = create_activity(world)
    trackable = make_trackable(world, create_activity(world))
    for activity in (plain, trackable):
        fresh = TAActivity.objects.get(pk=activity.pk)
        assert fresh.is_tracking_available == tracking_available(fresh)[0]


def test_a9_flag_is_not_in_the_history_and_refreshing_bumps_no_version(world: World) -> None:
    """Derived, so kept out of the history (AU1 records the status and plan changes that
    make it) and written without a version bump (C1: no conflict for someone editing)."""
    activity = make_trackable(world, create_activity(world))
    history_fields = {f.name for f in TAActivity.history.model._meta.get_fields()}
    assert "is_tracking_available" not in history_fields
    TAActivity.objects.filter(pk=activity.pk).update(is_tracking_available=False)
    activity = TAActivity.objects.get(pk=activity.pk)
    version, histories = activity.version, activity.history.count()
    assert refresh_tracking_flag(activity) is True
    activity.refresh_from_db()
    assert activity.is_tracking_available is True
    assert (activity.version, activity.history.count()) == (version, histories)


def test_a9_work_months_follow_response_notes_added_and_redated(world: World) -> None:
    activity = make_trackable(world, create_activity(world, date_opened=dt.date(2026, 9, 1)))
    other = create_activity(world)
    first = response_note_add(
        actor=world.primary, activity=activity, text="Call.", note_date=dt.date(2026, 9, 3)
    )
    response_note_add(
        actor=world.primary, activity=activity, text="Visit.", note_date=dt.date(2026, 9, 20)
    )
    response_note_add(actor=world.primary, activity=other, text="E-mail.")
    assert_flags_right()
    assert ActivityWorkMonth.objects.filter(activity=activity).count() == 1
    # Moving one of September's two notes to October adds October and keeps September.
    first = note_update(
        actor=world.primary,
        note=first,
        text="Call.",
        note_date=dt.date(2026, 10, 2),
        expected_version=first.version,
    )
    assert_flags_right()
    assert ActivityWorkMonth.objects.filter(activity=activity).count() == 2
    # Moving the other one too leaves September without work: its row goes.
    second = ResponseNote.objects.get(activity=activity, note_date=dt.date(2026, 9, 20))
    note_update(
        actor=world.primary,
        note=second,
        text="Visit.",
        note_date=dt.date(2026, 10, 20),
        expected_version=second.version,
    )
    assert_flags_right()
    assert list(
        ActivityWorkMonth.objects.filter(activity=activity).values_list("month", flat=True)
    ) == [dt.date(2026, 10, 1)]


# --- the importer (through the services) -------------------------------------------------------


def test_a9_flag_right_after_an_import(reference_data: None) -> None:
    """The template's example rows: an activity approved with a final plan."""
    UserFactory(email=STAFF_EMAIL, center=Center.objects.get(code="SCBC"))
    actor = AdminFactory(email="admin.importer@example.org")
    result = run(csv_bytes(example_rows()), actor, commit=True)
    assert result.committed, result.errors
    activity = TAActivity.objects.get()
    assert activity.status == ActivityStatus.APPROVED
    assert activity.description_notes.filter(stage=PlanStage.FINAL).exists()
    assert flag_of(activity) is True
    assert_flags_right()


# --- generate_data's bulk writes ---------------------------------------------------------------


def test_a9_flag_right_after_generate_data(reference_data: None) -> None:
    call_command("generate_data", activities=150, seed=11, batch=60, stdout=io.StringIO())
    flags = stored()
    assert len(flags) == 150
    assert any(flags.values()) and not all(flags.values())  # both kinds are there
    assert ActivityWorkMonth.objects.exists()
    assert_flags_right()


# --- the fill migration ------------------------------------------------------------------------


def test_a9_fill_migrations_set_the_flag_and_work_months_of_existing_data(
    world: World,
) -> None:
    activity = make_trackable(world, create_activity(world))
    response_note_add(actor=world.primary, activity=create_activity(world), text="Called.")
    expected = definition()
    assert any(expected.values())
    TAActivity.objects.update(is_tracking_available=False)  # as before the migration
    fill = importlib.import_module("activities.migrations.0005_fill_tracking_available_flag")
    fill.fill(apps, None)
    assert stored() == expected
    fill.clear(apps, None)
    assert not any(stored().values())
    fill.fill(apps, None)
    response_note_add(actor=world.primary, activity=activity, text="Called.")
    expected_months = work_months_defined()
    ActivityWorkMonth.objects.all().delete()  # as before the migration
    months = importlib.import_module("activities.migrations.0007_fill_work_months")
    months.fill(apps, None)
    assert work_months_stored() == expected_months


# --- a backup's restore ------------------------------------------------------------------------


def test_a9_flag_right_after_a_restore(tmp_path: Path) -> None:
    """A restore copies the database whole and checks every table's digest: the flags come
    back as they were, and so still match their definition in the restored database."""
    source = tmp_path / "src.sqlite3"
    conn = sqlite3.connect(source)
    conn.executescript(
        """
        CREATE TABLE activities_taactivity (
            id INTEGER PRIMARY KEY, status TEXT, is_tracking_available BOOL);
        CREATE TABLE activities_descriptionnote (
            id INTEGER PRIMARY KEY, activity_id INTEGER, stage TEXT);
        INSERT INTO activities_taactivity VALUES
            (1, 'approved', 1), (2, 'approved', 0), (3, 'planning', 0), (4, 'on_hold', 0);
        INSERT INTO activities_descriptionnote VALUES
            (1, 1, 'final'), (2, 2, 'archived_final'), (3, 3, 'final'), (4, 4, 'final');
        """
    )
    conn.commit()
    conn.close()
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}
    bk.backup(database, tmp_path / "b.tatbackup")
    target = tmp_path / "restored.sqlite3"
    bk.restore({**database, "NAME": str(target)}, tmp_path / "b.tatbackup")
    conn = sqlite3.connect(target)
    flags = dict(conn.execute("SELECT id, is_tracking_available FROM activities_taactivity"))
    defined = dict(
        conn.execute(
            "SELECT a.id, a.status = 'approved' AND EXISTS (SELECT 1 FROM "
            "activities_descriptionnote d WHERE d.activity_id = a.id AND d.stage = 'final') "
            "FROM activities_taactivity a"
        )
    )
    conn.close()
    assert flags == defined == {1: 1, 2: 0, 3: 0, 4: 0}
