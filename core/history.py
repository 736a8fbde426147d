"""Readable change history of any tracked record (rule AU1).

Every domain model carries django-simple-history's `history = HistoricalRecords()`.
`history_entries()` turns those rows into entries a page can show: who, when, what was
done and, per field, the old and the new value as a person reads them (choice labels,
the related record's name instead of its id, "Yes"/"No", MM/DD/YYYY dates, many-to-many
sets as lists of names).

    entries = history_entries(goal, related=[
        StrategicArea.history.filter(goal_id=goal.pk),   # includes removed ones
        GoalNote.history.filter(goal_id=goal.pk),
    ])

`related` takes querysets of child records, either of the tracked model itself
(`goal.notes.all()`: rows deleted since are not included) or of its historical model
(`GoalNote.history.filter(goal_id=goal.pk)`: deleted rows are included).

Queries are bounded: one per queryset (records with their users), one per many-to-many
field of each tracked model, one per kind of related record shown. The number does not
grow with the number of changes.

Recording who made a change — the pattern every service follows
---------------------------------------------------------------
For web requests simple-history's `HistoryRequestMiddleware` records the signed-in user.
Services are also called outside a request (API tokens, the importer, commands, tests),
so every service sets the acting user on each instance before it saves, deletes or
changes a many-to-many set of it:

    goal._history_user = actor
    goal.full_clean()
    goal.save()

`attribute_change(instance, actor, reason)` does the same and can add a short reason
(kept in `history_change_reason`, at most 100 characters), e.g. "Goal closed".
Never use `QuerySet.update()`, `bulk_create()` or `bulk_update()` on a tracked model in
a service: they record no history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import Subquery
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from core.history_deferred import write_kept_history

EMPTY = "—"
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
CHANGE_REASON_MAX_LENGTH = 100


class FieldChange(NamedTuple):
    """One field's change: its verbose name, the old and the new value as displayed.

    On a "created" entry `old` is "" (there was no earlier value).
    """

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: Any  # the User who made the change, or None when unknown (e.g. a data migration)
    action: str  # "created", "changed" or "deleted"
    object_type: str  # the record's kind, e.g. "Strategic area"
    object_label: str  # the record as a person names it, e.g. "Licensing"
    object_id: Any
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    # The kind as written inside a sentence: the model's verbose name as declared, so
    # "Changes to TA activity" keeps its capitals where `|lower` gave "ta activity".
    object_noun: str = ""


def attribute_change(instance: models.Model, actor: Any, reason: str = "") -> models.Model:
    """Make the next history row of `instance` name `actor` (and `reason`) — see above."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason[:CHANGE_REASON_MAX_LENGTH]
    return instance


def history_entries(
    instance: models.Model, *, related: Iterable[models.QuerySet] | None = None
) -> list[HistoryEntry]:
    """The history of `instance` and of the `related` child records, newest first."""
    write_kept_history()  # inside a bulk write's block (ADR 0014): the rows kept so far
    querysets = [_history_queryset_of_instance(instance)]
    querysets += [_as_history_queryset(qs) for qs in related or ()]

    groups: list[_Group] = [_Group.load(qs) for qs in querysets]
    labels = _RelatedLabels()
    for group in groups:
        group.collect_related_ids(labels)
    labels.load()

    entries: list[HistoryEntry] = []
    for group in groups:
        entries.extend(group.entries(labels))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def changes_since(
    record: models.Model, version: int, *, related: Iterable[models.QuerySet] | None = None
) -> list[HistoryEntry]:
    """C1: what others changed on `record` after the version a person started from.

    The entries (newest first) written after the last history row at or below `version`;
    every entry when that row is not found. Used by every conflict panel.
    """
    write_kept_history()
    manager = getattr(type(record), _history_manager_name(type(record)))
    started = (
        manager.filter(**{record._meta.pk.attname: record.pk, "version__lte": version})
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    entries = history_entries(record, related=related)
    if started is None:
        return entries
    return [entry for entry in entries if entry.when > started]


def _history_manager_name(model: type[models.Model]) -> str:
    try:
        return model._meta.simple_history_manager_attribute
    except AttributeError:
        raise TypeError(f"{model.__name__} has no history (HistoricalRecords).") from None


def _history_queryset_of_instance(instance: models.Model) -> models.QuerySet:
    return getattr(instance, _history_manager_name(type(instance))).all()


def _is_history_model(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "tracked_fields")


def _as_history_queryset(qs: models.QuerySet) -> models.QuerySet:
    if _is_history_model(qs.model):
        return qs
    model = qs.model
    history_manager = getattr(model, _history_manager_name(model))
    return history_manager.filter(**{f"{model._meta.pk.attname}__in": qs.values("pk")})


class _RelatedLabels:
    """Display names of related records, loaded with one query per related model."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._loaded: dict[type[models.Model], dict[Any, models.Model]] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None and pk != "":
            self._wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self._wanted.items():
            # One level of select_related, so that __str__ of records such as a strategic
            # area (item name) or a goal (jurisdiction, category) needs no further query.
            direct_fks = [
                f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
            ]
            rows = model._base_manager.select_related(*direct_fks).filter(pk__in=pks)
            self._loaded[model] = {obj.pk: obj for obj in rows}

    def obj(self, model: type[models.Model], pk: Any) -> models.Model | None:
        return self._loaded.get(model, {}).get(pk)

    def label(self, model: type[models.Model], pk: Any) -> str:
        if pk is None or pk == "":
            return EMPTY
        obj = self.obj(model, pk)
        if obj is None:
            return f"(deleted {model._meta.verbose_name} #{pk})"
        return _safe_str(obj)


def _safe_str(obj: models.Model) -> str:
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return f"{obj._meta.verbose_name} #{obj.pk}"


def _display(model_field: models.Field, value: Any, labels: _RelatedLabels) -> str:
    if isinstance(model_field, models.ForeignKey):
        return labels.label(model_field.related_model, value)
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%m/%d/%Y %I:%M %p")
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    return str(value)


class _Group:
    """The history rows of one queryset (one tracked model), with their m2m snapshots."""

    def __init__(self, history_model: type[models.Model], records: list[models.Model]) -> None:
        self.history_model = history_model
        self.model: type[models.Model] = history_model.instance_type
        self.records = records
        self.pk_attname = self.model._meta.pk.attname
        tracked = {f.name for f in history_model.tracked_fields}
        # The fields people edit, in the model's own order.
        self.fields = [
            f
            for f in self.model._meta.concrete_fields
            if f.name in tracked and f.editable and not f.primary_key
        ]
        self.field_order = {f.name: i for i, f in enumerate(self.fields)}
        self.m2m_fields = sorted(history_model._history_m2m_fields, key=lambda f: f.name)
        # m2m snapshots: field name -> history_id -> set of related pks
        self.m2m_sets: dict[str, dict[Any, set[Any]]] = {}

    @classmethod
    def load(cls, qs: models.QuerySet) -> _Group:
        history_model = qs.model
        records = list(qs.select_related("history_user").order_by("history_date", "history_id"))
        group = cls(history_model, records)
        if records and group.m2m_fields:
            record_ids = Subquery(qs.values("history_id"))
            for m2m_field in group.m2m_fields:
                m2m_history_model = HistoricalRecords.m2m_models[m2m_field]
                target = m2m_field.m2m_reverse_field_name()
                target_attname = m2m_history_model._meta.get_field(target).attname
                snapshot: dict[Any, set[Any]] = defaultdict(set)
                rows = m2m_history_model.objects.filter(history_id__in=record_ids).values_list(
                    "history_id", target_attname
                )
                for history_id, target_pk in rows:
                    snapshot[history_id].add(target_pk)
                group.m2m_sets[m2m_field.name] = snapshot
        return group

    def collect_related_ids(self, labels: _RelatedLabels) -> None:
        tracked = {f.name for f in self.history_model.tracked_fields}
        fks = [
            f
            for f in self.model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.name in tracked
        ]
        for record in self.records:
            for fk in fks:
                labels.want(fk.related_model, getattr(record, fk.attname))
        for m2m_field in self.m2m_fields:
            for pks in self.m2m_sets.get(m2m_field.name, {}).values():
                for pk in pks:
                    labels.want(m2m_field.related_model, pk)

    def _m2m_display(self, m2m_field: models.Field, pks: set[Any], labels: _RelatedLabels) -> str:
        if not pks:
            return EMPTY
        return ", ".join(sorted(labels.label(m2m_field.related_model, pk) for pk in pks))

    def _object_label(self, record: models.Model, labels: _RelatedLabels) -> str:
        """str() of the record as it was, with its foreign keys served from `labels`."""
        attrs = {}
        for f in self.history_model.tracked_fields:
            try:
                model_field = self.model._meta.get_field(f.name)
            except FieldDoesNotExist:
                continue
            attrs[model_field.attname] = getattr(record, f.attname)
        obj = self.model(**attrs)
        for model_field in self.model._meta.concrete_fields:
            if isinstance(model_field, models.ForeignKey):
                related = labels.obj(model_field.related_model, attrs.get(model_field.attname))
                if related is not None:
                    model_field.set_cached_value(obj, related)
        return _safe_str(obj)

    def _initial_changes(self, record: models.Model, labels: _RelatedLabels) -> list[FieldChange]:
        changes = []
        for model_field in self.fields:
            value = getattr(record, model_field.attname)
            if value is None or value == "":
                continue
            changes.append(
                FieldChange(
                    capfirst(model_field.verbose_name), "", _display(model_field, value, labels)
                )
            )
        for m2m_field in self.m2m_fields:
            pks = self.m2m_sets.get(m2m_field.name, {}).get(record.history_id, set())
            if pks:
                changes.append(
                    FieldChange(
                        capfirst(m2m_field.verbose_name),
                        "",
                        self._m2m_display(m2m_field, pks, labels),
                    )
                )
        return changes

    def _changes(
        self, record: models.Model, previous: models.Model, labels: _RelatedLabels
    ) -> list[FieldChange]:
        delta = record.diff_against(previous, excluded_fields=[f.name for f in self.m2m_fields])
        changes: list[tuple[int, FieldChange]] = []
        for change in delta.changes:
            if change.field not in self.field_order:
                continue
            model_field = self.model._meta.get_field(change.field)
            changes.append(
                (
                    self.field_order[change.field],
                    FieldChange(
                        capfirst(model_field.verbose_name),
                        _display(model_field, change.old, labels),
                        _display(model_field, change.new, labels),
                    ),
                )
            )
        changes.sort(key=lambda pair: pair[0])
        result = [change for _, change in changes]
        for m2m_field in self.m2m_fields:
            snapshot = self.m2m_sets.get(m2m_field.name, {})
            old = snapshot.get(previous.history_id, set())
            new = snapshot.get(record.history_id, set())
            if old != new:
                result.append(
                    FieldChange(
                        capfirst(m2m_field.verbose_name),
                        self._m2m_display(m2m_field, old, labels),
                        self._m2m_display(m2m_field, new, labels),
                    )
                )
        return result

    def entries(self, labels: _RelatedLabels) -> list[HistoryEntry]:
        by_object: dict[Any, list[models.Model]] = defaultdict(list)
        for record in self.records:
            by_object[getattr(record, self.pk_attname)].append(record)

        object_noun = str(self.model._meta.verbose_name)
        object_type = capfirst(object_noun)
        entries: list[HistoryEntry] = []
        for object_id, records in by_object.items():
            # Name the record as it is now (or was last, if deleted), the same on each entry.
            object_label = self._object_label(records[-1], labels)
            previous = None
            for record in records:
                action = ACTIONS.get(record.history_type, "changed")
                if action == "deleted":
                    changes: list[FieldChange] = []
                elif previous is None:
                    changes = self._initial_changes(record, labels)
                else:
                    changes = self._changes(record, previous, labels)
                    if not changes:
                        # Saved without a visible change (e.g. only the version moved).
                        previous = record
                        continue
                entries.append(
                    HistoryEntry(
                        when=record.history_date,
                        who=record.history_user,
                        action=action,
                        object_type=object_type,
                        object_label=object_label,
                        object_id=object_id,
                        changes=changes,
                        reason=record.history_change_reason or "",
                        object_noun=object_noun,
                    )
                )
                previous = record
        return entries
