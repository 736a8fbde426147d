"""History rows written together at the end of a bulk write (rule AU1; ADR 0014).

A bulk writer that goes through the services (the importer: thousands of records, each
saved by `core.services.save_tracked`) would write each record's history row, and a copy
of each of its many-to-many sets, one INSERT and one SELECT at a time. Inside
`history_deferred()`, `save_tracked` builds the same history row at the same moment (same
date, person, reason and field values) but keeps it; when the block ends without an error
the rows are inserted together (one INSERT per history model per 500 rows) and the
many-to-many copies are read and inserted together too (one SELECT and one INSERT per
many-to-many field).

The many-to-many copy is read from the database at the end, so it must still be what it
was when the row was made: a change to the sets of a record with a kept row (through
`save_tracked`, the many-to-many managers or a delete) first writes the kept rows
(`history_will_change`, and the receivers `connect()` wires up in `CoreConfig.ready`).
Reading a history (`core.history`) inside the block writes the kept rows first, too.

Use it inside the writer's transaction, so the rows are written, or rolled back, with the
records. A nested block joins the outer one. On an error nothing is written: the
transaction it runs in is being abandoned.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, pre_delete
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    post_create_historical_record,
    pre_create_historical_m2m_records,
    pre_create_historical_record,
)
from simple_history.utils import get_change_reason_from_object, get_m2m_field_name

BATCH_SIZE = 500


_HISTORY_MODELS: dict[type[models.Model], type[models.Model]] = {}


def _history_model(model: type[models.Model]) -> type[models.Model]:
    """The historical model of `model`, read from its descriptor: reading `instance.history`
    builds a new manager class each time."""
    try:
        return _HISTORY_MODELS[model]
    except KeyError:
        name = model._meta.simple_history_manager_attribute
        history_model = inspect.getattr_static(model, name).model
        _HISTORY_MODELS[model] = history_model
        return history_model


class _Kept:
    """The history rows kept so far, in the order they were made."""

    def __init__(self) -> None:
        self.rows: list[tuple[models.Model, models.Model]] = []  # (history row, record)
        self.with_m2m: set[tuple[type[models.Model], Any]] = set()  # records whose sets count

    def keep(self, instance: models.Model, history_type: str) -> None:
        history_model = _history_model(type(instance))
        # As simple_history's HistoricalRecords.create_historical_record builds it.
        history_date = getattr(instance, "_history_date", timezone.now())
        history_user = getattr(instance, "_history_user", None)
        reason = get_change_reason_from_object(instance)
        attrs = {f.attname: getattr(instance, f.attname) for f in history_model.tracked_fields}
        if getattr(history_model, "history_relation", None) is not None:
            attrs["history_relation"] = instance
        row = history_model(
            history_date=history_date,
            history_type=history_type,
            history_user=history_user,
            history_change_reason=reason,
            **attrs,
        )
        pre_create_historical_record.send(
            sender=history_model,
            instance=instance,
            history_date=history_date,
            history_user=history_user,
            history_change_reason=reason,
            history_instance=row,
            using=None,
        )
        self.rows.append((row, instance))
        if row._history_m2m_fields:
            self.with_m2m.add((type(instance), instance.pk))

    def write(self) -> None:
        rows, self.rows, self.with_m2m = self.rows, [], set()
        if not rows:
            return
        by_model: dict[type[models.Model], list[tuple[models.Model, models.Model]]]
        by_model = defaultdict(list)
        for row, instance in rows:
            by_model[type(row)].append((row, instance))
        for history_model, pairs in by_model.items():
            history_model._default_manager.bulk_create([row for row, _ in pairs], BATCH_SIZE)
            for field in history_model._history_m2m_fields:
                _write_m2m_copies(field, pairs)
        for row, instance in rows:
            post_create_historical_record.send(
                sender=type(row),
                instance=instance,
                history_instance=row,
                history_date=row.history_date,
                history_user=row.history_user,
                history_change_reason=row.history_change_reason,
                using=None,
            )


def _write_m2m_copies(
    field: models.ManyToManyField, pairs: list[tuple[models.Model, models.Model]]
) -> None:
    """One many-to-many set of each record, copied beside its history row (as
    HistoricalRecords.create_historical_record_m2ms does, one SELECT for them all)."""
    m2m_history_model = HistoricalRecords.m2m_models[field]
    through = field.remote_field.through
    source = through._meta.get_field(get_m2m_field_name(field))
    through_fields = through._meta.fields
    by_source: dict[Any, list[models.Model]] = defaultdict(list)
    source_ids = {instance.pk for _, instance in pairs}
    for link in through._default_manager.filter(**{f"{source.attname}__in": source_ids}):
        by_source[getattr(link, source.attname)].append(link)
    copies: list[models.Model] = []
    for row, instance in pairs:
        rows = [
            m2m_history_model(
                history=row, **{f.attname: getattr(link, f.attname) for f in through_fields}
            )
            for link in by_source[instance.pk]
        ]
        pre_create_historical_m2m_records.send(
            sender=m2m_history_model,
            rows=rows,
            history_instance=row,
            instance=instance,
            field=field,
        )
        copies.extend(rows)
    created = m2m_history_model._default_manager.bulk_create(copies, BATCH_SIZE)
    if post_create_historical_m2m_records.receivers:
        for row, instance in pairs:
            post_create_historical_m2m_records.send(
                sender=m2m_history_model,
                created_rows=[c for c in created if c.history_id == row.pk],
                history_instance=row,
                instance=instance,
                field=field,
            )


_KEPT: ContextVar[_Kept | None] = ContextVar("tat_history_deferred", default=None)


@contextmanager
def history_deferred() -> Iterator[None]:
    """Keep the history rows `save_tracked` makes in the block; write them at its end."""
    if _KEPT.get() is not None:
        yield
        return
    kept = _Kept()
    token = _KEPT.set(kept)
    try:
        yield
        kept.write()
    finally:
        _KEPT.reset(token)


def history_is_deferred() -> bool:
    return _KEPT.get() is not None


def keep_history(instance: models.Model, history_type: str) -> None:
    """Keep `instance`'s history row ("+" or "~") for the end of the block."""
    kept = _KEPT.get()
    assert kept is not None, "keep_history() outside history_deferred()"
    kept.keep(instance, history_type)


def write_kept_history() -> None:
    """Write the rows kept so far (before reading a history inside the block)."""
    kept = _KEPT.get()
    if kept is not None:
        kept.write()


def history_will_change(model: type[models.Model], pk: Any = None) -> None:
    """The many-to-many sets of record `pk` of `model` (any of them when None) are about to
    change: write the kept rows first, while their copies can still be read."""
    kept = _KEPT.get()
    if kept is None or not kept.with_m2m:
        return
    if pk is None:
        if any(kept_model is model for kept_model, _ in kept.with_m2m):
            kept.write()
    elif (model, pk) in kept.with_m2m:
        kept.write()


def _sets_changing(
    sender: type, instance: Any, action: str, reverse: bool, model: type, pk_set: Any, **kw: Any
) -> None:
    if action not in ("pre_add", "pre_remove", "pre_clear") or _KEPT.get() is None:
        return
    if not reverse:
        history_will_change(type(instance), instance.pk)
    elif pk_set is None:
        history_will_change(model)
    else:
        for pk in pk_set:
            history_will_change(model, pk)


def _deleting(sender: type, instance: models.Model, **kwargs: Any) -> None:
    if _KEPT.get() is not None:
        history_will_change(type(instance), instance.pk)


def connect() -> None:
    """Watch the many-to-many sets that histories copy (called from CoreConfig.ready)."""
    for field in HistoricalRecords.m2m_models:
        label = field.model._meta.label
        m2m_changed.connect(
            _sets_changing,
            sender=field.remote_field.through,
            dispatch_uid=f"tat-history-deferred-{label}-{field.name}",
        )
        pre_delete.connect(_deleting, sender=field.model, dispatch_uid=f"tat-history-del-{label}")
