"""Issue #12, data safety: every multi-row change runs in one transaction (AU1, C1).

Each multi-row service is run once to count its writes (every model save or delete and every
many-to-many change, history rows and status-change rows included), then again with a
failure injected at each of those writes — the first, the last and every one in between.
After every failed call the database must be exactly as before: the same rows in every
table (history and notifications included) with the same values. A service that saved
anything outside its transaction, or in a second one, fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from activities import services as activity_services
from activities.models import ActivityStatus, PlanStage, TAActivity
from activities.services import join_requests as join_request_services
from goals import services as goal_services
from goals.models import Goal, GoalClosureRequest
from oversight import services as oversight_services
from oversight.models import SendBack
from tests.factories import (
    AdminFactory,
    DeliveryMethodFactory,
    GoalFactory,
    StrategicAreaItemFactory,
    TATypeFactory,
)
from tests.factories_activities import (
    World,
    add_summary,
    cor_approval,
    create_activity,
    make_trackable,
    today,
)

MAX_POINTS = 40  # injection points per service (evenly spread when a service writes more)


class InjectedFailure(Exception):
    """The failure the test puts half-way through a service."""


class _Rollback(Exception):
    """Ends the counting run without keeping what it wrote."""


@contextmanager
def writes_counted(fail_at: int | None = None) -> Iterator[list[str]]:
    """Count every write (save, delete, many-to-many change); raise at write `fail_at`."""
    seen: list[str] = []

    def on_write(sender: type[models.Model], **kwargs: Any) -> None:
        if kwargs.get("action", "post_").startswith("pre_"):
            return
        seen.append(sender._meta.label)
        if fail_at is not None and len(seen) == fail_at:
            raise InjectedFailure(f"injected at write {fail_at} ({sender._meta.label})")

    handlers = (post_save, post_delete, m2m_changed)
    for signal in handlers:
        signal.connect(on_write, weak=False, dispatch_uid="tat-injected-failure")
    try:
        yield seen
    finally:
        for signal in handlers:
            signal.disconnect(dispatch_uid="tat-injected-failure")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (history, status changes, notifications, m2m links)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def count_writes(call: Callable[[], Any]) -> int:
    with writes_counted() as seen:
        try:
            with transaction.atomic():
                call()
                raise _Rollback
        except _Rollback:
            pass
    return len(seen)


def injection_points(total: int) -> list[int]:
    if total <= MAX_POINTS:
        return list(range(1, total + 1))
    step = total / MAX_POINTS
    return sorted({1, total, *(int(i * step) + 1 for i in range(MAX_POINTS))})


def assert_all_or_nothing(call: Callable[[], Any], *, at_least: int = 2) -> int:
    """`call()` writes at least `at_least` times; failing at any write leaves no trace."""
    total = count_writes(call)
    assert total >= at_least, f"expected a multi-row change, saw {total} writes"
    for point in injection_points(total):
        before = snapshot()
        with writes_counted(fail_at=point), pytest.raises(InjectedFailure):
            call()
        after = snapshot()
        assert not changed_tables(before, after), (
            f"half-written after a failure at write {point} of {total}: "
            f"{changed_tables(before, after)}"
        )
    # And the service still works once nothing fails (the injection was the only problem).
    before = snapshot()
    call()
    assert changed_tables(before, snapshot())
    return total


# --- the multi-row services, each as (world) -> the call to run ------------------------------


def _fresh(instance: models.Model) -> models.Model:
    return type(instance)._default_manager.get(pk=instance.pk)


def goal_create_with_areas(world: World) -> Callable[[], Any]:
    items = [StrategicAreaItemFactory(category=world.other_category) for _ in range(3)]

    def call() -> Goal:
        return goal_services.goal_create(
            actor=world.primary,  # not the SSS: G3 notifies the State's SSS
            jurisdiction=world.jurisdiction,
            category=world.other_category,
            readiness="somewhat",
            strategic_areas=[(item, f"Notes on {item.name}") for item in items],
            confirm_duplicate_category=True,
            update_note="The State's plan is due in the spring.",
        )

    return call


def strategic_areas_add_with_note(world: World) -> Callable[[], Any]:
    items = [StrategicAreaItemFactory(category=world.category) for _ in range(3)]
    return lambda: goal_services.strategic_areas_add(
        actor=world.admin,
        goal=_fresh(world.goal),
        items=[(item, "Added together") for item in items],
        update_note="Three more areas after the State's meeting.",
    )


def goal_request_closure(world: World) -> Callable[[], Any]:
    goal = GoalFactory(
        jurisdiction=world.jurisdiction, category=world.other_category, created_by=world.admin
    )
    AdminFactory()  # two administrators to notify
    return lambda: goal_services.goal_request_closure(
        actor=world.sss, goal=_fresh(goal), reason="Every activity is finished."
    )


def goal_close_with_request(world: World) -> Callable[[], Any]:
    goal = GoalFactory(
        jurisdiction=world.jurisdiction, category=world.other_category, created_by=world.admin
    )
    request = goal_services.goal_request_closure(
        actor=world.sss, goal=goal, reason="Every activity is finished."
    )
    return lambda: goal_services.goal_close(
        actor=world.admin,
        goal=_fresh(goal),
        note="Closed: the State met the goal.",
        closure_request=_fresh(request),
    )


def activity_create_with_requesters_and_notes(world: World) -> Callable[[], Any]:
    return lambda: create_activity(
        world,
        requesters=[world.requester, world.region_requester],
        description_notes=[
            (PlanStage.INITIAL, "Gather other States' QRIS standards."),
            (PlanStage.FINAL, "Review the QRIS standards with the State."),
        ],
    )


def description_note_final_archives_previous(world: World) -> Callable[[], Any]:
    activity = create_activity(world)
    activity_services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="The first plan."
    )
    return lambda: activity_services.description_note_add(
        actor=world.primary, activity=_fresh(activity), stage=PlanStage.FINAL, text="Revised."
    )


def activity_set_status_approved(world: World) -> Callable[[], Any]:
    activity = create_activity(world)
    activity_services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="The plan."
    )
    return lambda: activity_services.activity_set_status(
        actor=world.federal,
        activity=_fresh(activity),
        status=ActivityStatus.APPROVED,
        **cor_approval(),
    )


def summary_add_with_methods_and_types(world: World) -> Callable[[], Any]:
    activity = make_trackable(world, create_activity(world))
    methods = [world.method, DeliveryMethodFactory()]
    types = [world.ta_type, TATypeFactory()]
    return lambda: add_summary(world, _fresh(activity), delivery_methods=methods, ta_types=types)


def activity_close(world: World) -> Callable[[], Any]:
    activity = make_trackable(world, create_activity(world))
    add_summary(world, activity)
    return lambda: activity_services.activity_close(
        actor=world.primary,
        activity=_fresh(activity),
        completion_date=today(),
        outcome_report="The State published its revised standards.",
    )


def send_back_create(world: World) -> Callable[[], Any]:
    activity = make_trackable(world, create_activity(world))
    return lambda: oversight_services.send_back_create(
        actor=world.sss,
        activity=_fresh(activity),
        month=today().replace(day=1),
        comment="Name the role instead of the person.",
        about=SendBack.About.SUMMARY,
    )


def send_back_address(world: World) -> Callable[[], Any]:
    activity = make_trackable(world, create_activity(world))
    send_back = oversight_services.send_back_create(
        actor=world.sss,
        activity=activity,
        month=today().replace(day=1),
        comment="Name the role instead of the person.",
        about=SendBack.About.SUMMARY,
    )
    return lambda: oversight_services.send_back_address(
        actor=world.primary, send_back=_fresh(send_back), reply="Done."
    )


def activity_join(world: World) -> Callable[[], Any]:
    """A16: the State's SSS joins (staff and center added, a response note, two notices)."""
    activity = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    return lambda: activity_services.activity_join(
        actor=world.sss, activity=_fresh(activity), note="Joining for the State."
    )


def join_request_accept(world: World) -> Callable[[], Any]:
    """Door 1: accepting a request (staff and center added, the request decided, notices)."""
    activity = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    asked = join_request_services.join_request_create(
        actor=world.other_staff, activity=activity, note="We run the workgroup."
    )
    return lambda: join_request_services.join_request_accept(
        actor=world.primary, join_request=_fresh(asked), note="Welcome."
    )


SERVICES = {
    "goal_create": goal_create_with_areas,
    "strategic_areas_add": strategic_areas_add_with_note,
    "goal_request_closure": goal_request_closure,
    "goal_close": goal_close_with_request,
    "activity_create": activity_create_with_requesters_and_notes,
    "description_note_add_final": description_note_final_archives_previous,
    "activity_set_status": activity_set_status_approved,
    "summary_add": summary_add_with_methods_and_types,
    "activity_close": activity_close,
    "send_back_create": send_back_create,
    "send_back_address": send_back_address,
    "activity_join": activity_join,
    "join_request_accept": join_request_accept,
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_au1_multi_row_service_is_all_or_nothing(world: World, name: str) -> None:
    call = SERVICES[name](world)
    assert_all_or_nothing(call)


def test_au1_final_plan_archiving_is_undone_with_the_new_plan(world: World) -> None:
    """A6: the previous final plan stays current when adding the new one fails."""
    call = description_note_final_archives_previous(world)
    activity = TAActivity.objects.get()
    with writes_counted(fail_at=3), pytest.raises(InjectedFailure):
        call()
    stages = list(activity.description_notes.values_list("stage", flat=True))
    assert stages == [PlanStage.FINAL]


def test_au1_injection_counts_history_rows(world: World) -> None:
    """The counter sees history and status rows, so 'half-way' really is half-way."""
    activity = create_activity(world)
    activity_services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="The plan."
    )
    with writes_counted() as seen:
        activity_services.activity_set_status(
            actor=world.federal,
            activity=activity,
            status=ActivityStatus.APPROVED,
            **cor_approval(),
        )
    assert "activities.HistoricalTAActivity" in seen
    assert "core.StatusChange" in seen


@pytest.mark.django_db
def test_au1_demo_loader_is_all_or_nothing(settings, reference_data) -> None:
    """The demo loader replays the scenario in one transaction: a failure at any point
    (here: early, in the middle, near the end) leaves the database as it was."""
    from demo.people import ensure_demo_users
    from demo.scenario import ScenarioLoader

    settings.DEBUG = True
    ensure_demo_users()
    total = count_writes(lambda: ScenarioLoader().run())
    assert total > 100
    for point in (2, total // 2, total - 1):
        before = snapshot()
        with writes_counted(fail_at=point), pytest.raises(InjectedFailure):
            ScenarioLoader().run()
        assert not changed_tables(before, snapshot()), point
    assert not GoalClosureRequest.objects.exists()
