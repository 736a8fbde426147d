"""AU1 through the importer's bulk path (issue 11, ADR 0014): `core.services.batched_saves`
keeps history rows and writes them at the end, and skips validation queries it already
made. These tests pin that the rows it writes are the rows the page path writes, field by
field and many-to-many set by set, and that a refusal is still a field error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from accounts.models import User
from activities import services
from activities.models import (
    ActivityStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.history import history_entries
from core.services import batched_saves, validate_record
from goals.models import Goal, GoalNote, StrategicArea
from tests.factories_activities import World, activity_kwargs, cor_approval, today
from tests.transfer.test_import import csv_bytes, example_rows, importer, run  # noqa: F401
from transfer import importer as importer_package

TRACKED = (
    Requester,
    Goal,
    StrategicArea,
    GoalNote,
    TAActivity,
    DescriptionNote,
    DeliverySummary,
    RequesterFeedback,
    ResponseNote,
)


def _history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def _snapshot(since: dict[type[models.Model], int]) -> dict[str, list[Any]]:
    """Every history row written after `since` (per model: the last history id before),
    as comparable values: record ids renumbered in order of appearance (a rolled-back run
    on PostgreSQL does not reuse ids), timestamps left out (they are `now()`)."""
    numbers: dict[type[models.Model], dict[Any, int]] = defaultdict(dict)

    def number(model: type[models.Model], pk: Any) -> Any:
        if pk is None or model not in TRACKED:
            return pk
        return numbers[model].setdefault(pk, len(numbers[model]))

    snapshot: dict[str, list[Any]] = {}
    for model in TRACKED:
        history_model = _history_model(model)
        rows = history_model.objects.filter(history_id__gt=since[model]).order_by(
            "history_date", "history_id"
        )
        described = []
        for row in rows:
            values: dict[str, Any] = {}
            for field in history_model.tracked_fields:
                if isinstance(field, models.DateTimeField):
                    continue
                value = getattr(row, field.attname)
                if field.primary_key:
                    value = number(model, value)
                elif field.is_relation:
                    value = number(field.related_model, value)
                values[field.name] = value
            for m2m in row._history_m2m_fields:
                target = m2m.related_model
                copies = HistoricalRecords.m2m_models[m2m].objects.filter(history=row)
                target_attname = m2m.m2m_reverse_name()
                values[m2m.name] = sorted(
                    number(target, getattr(c, target_attname)) for c in copies
                )
            described.append(
                (row.history_type, row.history_change_reason, row.history_user_id, values)
            )
        snapshot[model.__name__] = described
    return snapshot


def _last_ids() -> dict[type[models.Model], int]:
    return {
        model: _history_model(model)
        .objects.order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        or 0
        for model in TRACKED
    }


def _run_and_roll_back(call: Callable[[], Any]) -> dict[str, list[Any]]:
    since = _last_ids()
    with transaction.atomic():
        call()
        snapshot = _snapshot(since)
        transaction.set_rollback(True)
    return snapshot


def test_au1_imported_history_rows_equal_the_page_paths(importer: User, monkeypatch) -> None:  # noqa: F811
    """The template's rows (every kind, an activity's whole life) imported with the bulk
    path and again with every service saving as it does for a page: same history rows."""
    data = csv_bytes(example_rows())
    bulk = _run_and_roll_back(lambda: run(data, importer, commit=True))
    monkeypatch.setattr(importer_package.run, "batched_saves", nullcontext)
    pages = _run_and_roll_back(lambda: run(data, importer, commit=True))
    assert sum(len(rows) for rows in bulk.values()) >= len(TRACKED)
    assert bulk["TAActivity"] and bulk["DeliverySummary"][0][3]["delivery_methods"]
    assert bulk == pages


def _a_life(world: World) -> None:
    """An activity's life through the services, with its sets changed after history rows
    of the same record were made (the kept rows must copy the sets as they were)."""
    activity = services.activity_create(
        **activity_kwargs(world, join_existing_confirmed=True, collaborating_staff=[])
    )
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="Final plan."
    )
    activity = services.activity_set_status(
        actor=world.federal, activity=activity, status=ActivityStatus.APPROVED, **cor_approval()
    )
    activity = services.activity_update(
        actor=world.primary,
        activity=activity,
        expected_version=activity.version,
        requesters=[world.requester, world.region_requester],
        collaborating_staff=[world.collaborator],
    )
    summary = services.summary_add(
        actor=world.primary,
        activity=activity,
        delivery_date=today(),
        text="Remote consultation.",
        delivery_methods=[world.method],
        ta_types=[world.ta_type],
    )
    services.note_update(
        actor=world.primary,
        note=summary,
        expected_version=summary.version,
        text="Remote consultation on QRIS.",
        note_date=summary.note_date,
        delivery_methods=[],
    )
    services.response_note_add(actor=world.primary, activity=activity, text="Scheduled.")
    activity.refresh_from_db()
    services.activity_close(
        actor=world.primary,
        activity=activity,
        completion_date=today(),
        outcome_report="Standards adopted.",
    )
    services.feedback_add(
        actor=world.primary,
        activity=activity,
        feedback_date=today(),
        giver_name="Requester",
        giver_title="CCDF Administrator",
        text="Helpful.",
    )


def test_au1_batched_saves_write_the_same_rows_when_sets_change_mid_block(world: World) -> None:
    bulk = _run_and_roll_back(lambda: _with(batched_saves(), _a_life, world))
    pages = _run_and_roll_back(lambda: _a_life(world))
    requesters = [row[3]["requesters"] for row in bulk["TAActivity"]]
    assert len(requesters[0]) == 1 and len(requesters[-1]) == 2  # the set as it was each time
    assert [row[3]["delivery_methods"] for row in bulk["DeliverySummary"]] == [
        [world.method.pk],
        [],
    ]
    assert bulk == pages


def _with(context: Any, call: Callable[[World], None], world: World) -> None:
    with context:
        call(world)


def test_au1_history_read_inside_a_batch_includes_the_kept_rows(world: World) -> None:
    with transaction.atomic():
        with batched_saves():
            activity = services.activity_create(
                **activity_kwargs(world, join_existing_confirmed=True)
            )
            assert [entry.action for entry in history_entries(activity)] == ["created"]
        transaction.set_rollback(True)


def test_batched_saves_still_refuse_a_missing_reference_by_field(world: World) -> None:
    """A foreign key is checked once per run; an unknown one is still a field error."""
    with transaction.atomic():
        with batched_saves():
            activity = services.activity_create(
                **activity_kwargs(world, join_existing_confirmed=True)
            )
            validate_record(activity)  # its references are known now
            activity.primary_center_id = 987654
            with pytest.raises(ValidationError) as refused:
                validate_record(activity)
            assert list(refused.value.message_dict) == ["primary_center"]
        transaction.set_rollback(True)


def test_batched_saves_still_refuse_a_check_constraint(world: World) -> None:
    """A check constraint that passed for some values is asked again for others."""
    with transaction.atomic():
        with batched_saves():
            activity = services.activity_create(
                **activity_kwargs(world, join_existing_confirmed=True)
            )
            validate_record(activity)  # passes, and is remembered for these values
            activity.completion_date = activity.date_opened - dt.timedelta(days=30)
            with pytest.raises(ValidationError) as refused:
                validate_record(activity)
            assert "activity_completion_not_before_opened" in str(refused.value)
        transaction.set_rollback(True)
