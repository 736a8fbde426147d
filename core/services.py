"""The service kit every app's services are written with (STYLE §1–2; rules AU1, C1).

- `FieldErrors` collects every problem with an input, field by field, so a person sees
  them all at once; `raise_if_any()` raises one `ValidationError` naming the fields.
- `save_tracked()` is the one way a service (or the admin) saves a tracked record: it names
  the acting person in the history (AU1), optionally bumps the version (C1), validates, and
  writes a single history row even when many-to-many sets change with the record.
- `StateMachine` is a table of allowed source → target states for one status field; its
  `apply()` is the one transition recipe: check, set, bump, save tracked, write the
  `StatusChange` row (who, when, from, to, why) — all inside the caller's transaction.

- `batched_saves()` makes a bulk write through the services cheaper without skipping a
  rule: history rows written together at the end, validation queries made once (ADR 0014).

Services still decide *whether* a change is allowed (permissions, rule checks); the kit only
makes the mechanics of saving identical everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed

from core.concurrency import bump_version as _bump_version
from core.history import attribute_change
from core.history_deferred import (
    history_deferred,
    history_is_deferred,
    history_will_change,
    keep_history,
)
from core.limits import check_text_lengths
from core.status import record_status_change

TRANSITION_NOT_ALLOWED = "The {field} cannot change from “{source}” to “{target}”."


class FieldErrors:
    """Collects field errors; `raise_if_any()` refuses with all of them at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str | None, message: str) -> None:
        self.by_field.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def save_tracked(
    instance: models.Model,
    *,
    actor: Any,
    reason: str = "",
    bump_version: bool = False,
    full_clean: bool = True,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
) -> models.Model:
    """Save `instance` as `actor` did it, with one history row (AU1).

    Every text field is first held to `TAT_TEXT_MAX_LENGTH` characters (issue 12, door 8:
    `core.limits.check_text_lengths`, a ValidationError naming the field), whatever
    `full_clean` says.

    `reason` becomes the history row's change reason; `bump_version` adds one to the
    record's version (C1: every edit of a versioned record does); `full_clean` validates the
    model first. With `m2m`, the record and its many-to-many sets are saved and then one
    history row holding all of them is written — the model must expose its
    `HistoricalRecords` as the class attribute `history_recorder` (set after the class).
    A new record's sets are inserted without reading them first (`_fill_new_set`).

    Inside `batched_saves()` (bulk writers: the importer) the history row is kept and
    written at the end of the block, and validation skips the queries the block already
    made (ADR 0014).
    """
    check_text_lengths(instance)
    attribute_change(instance, actor, reason)
    if bump_version:
        _bump_version(instance)
    memo = _MEMO.get()
    if full_clean:
        validate_record(instance)
    history_enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    keep = (
        history_enabled
        and history_is_deferred()
        and hasattr(instance._meta, "simple_history_manager_attribute")
    )
    if not m2m and not keep:
        instance.save()
        if memo is not None:
            memo.saw(instance)
        return instance

    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save()
        if m2m and not created:
            history_will_change(type(instance), instance.pk)
        for name, values in (m2m or {}).items():
            if created:
                _fill_new_set(instance, name, list(values))
            else:
                getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    if memo is not None:
        memo.saw(instance)
    if keep:
        keep_history(instance, "+" if created else "~")
    elif history_enabled:
        recorder = type(instance).history_recorder
        recorder.create_historical_record(instance, "+" if created else "~")
    return instance


def validate_record(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """`instance.full_clean(exclude=…)`; inside `batched_saves`, without the queries the
    block already made (`_ValidationMemo`). Services that validate before `save_tracked`
    (`full_clean=False`) call this instead of `full_clean()`."""
    memo = _MEMO.get()
    if memo is None:
        instance.full_clean(exclude=list(exclude) or None)
    else:
        memo.full_clean(instance, exclude=set(exclude))


def _fill_new_set(instance: models.Model, name: str, values: list[Any]) -> None:
    """Fill the many-to-many set `name` of a record created a moment ago.

    What `set()` does for it, without its two reads: a new record has no links to compare
    with or to leave out. The links are inserted as `add()` inserts them, between the same
    `m2m_changed` signals (pre_add, post_add), so the receivers (the dashboard's marks,
    history) see what they always see. Anything but saved records of the right model goes
    through `add()` and its own checks and messages.
    """
    manager = getattr(instance, name)
    target = manager.model
    if not values:
        return
    if not all(isinstance(value, target) and value.pk is not None for value in values):
        manager.add(*values)
        return
    through = manager.through
    pk_set = {value.pk for value in values}
    db = router.db_for_write(through, instance=instance)
    signal = {
        "sender": through,
        "instance": instance,
        "reverse": False,
        "model": target,
        "pk_set": pk_set,
        "using": db,
    }
    links = [
        through(
            **{
                f"{manager.source_field_name}_id": instance.pk,
                f"{manager.target_field_name}_id": pk,
            }
        )
        for pk in pk_set
    ]
    with transaction.atomic(using=db, savepoint=False):
        m2m_changed.send(action="pre_add", **signal)
        through._default_manager.using(db).bulk_create(
            links, ignore_conflicts=bool(through._meta.auto_created)
        )
        m2m_changed.send(action="post_add", **signal)


class _ValidationMemo:
    """What one bulk write has already checked with a query (`batched_saves`).

    - Rows known to exist: the targets of foreign keys that passed `full_clean` once, and
      the records this block saved. `ForeignKey.validate` asks the database again for every
      save; inside one transaction that only writes, a row found once is still there (the
      database's own foreign keys back this up should a service delete one).
    - Check constraints that passed for the same values of the fields they read: Django
      asks the database (`SELECT 1 WHERE …`) each time, and the answer depends on nothing
      else.
    Unique constraints, `clean()` and every other field check run each time, as always.
    """

    def __init__(self) -> None:
        self.known: set[tuple[Any, ...]] = set()
        self.checks_passed: set[tuple[Any, ...]] = set()

    @staticmethod
    def _key(field: models.ForeignKey, value: Any) -> tuple[Any, ...]:
        if field.get_limit_choices_to():
            return (field, value)  # only this field's choices
        return (field.remote_field.model, field.remote_field.field_name, value)

    def _foreign_keys(self, instance: models.Model) -> list[tuple[models.ForeignKey, Any]]:
        return [
            (f, getattr(instance, f.attname))
            for f in instance._meta.concrete_fields
            if f.many_to_one or f.one_to_one
        ]

    def saw(self, instance: models.Model) -> None:
        meta = instance._meta
        self.known.add((type(instance), meta.pk.name, instance.pk))
        for parent in meta.get_parent_list():
            self.known.add((parent, parent._meta.pk.name, instance.pk))

    def full_clean(self, instance: models.Model, *, exclude: set[str]) -> None:
        """`Model.full_clean(exclude)`, minus the queries this block already made (class
        doc)."""
        foreign_keys = [(f, v) for f, v in self._foreign_keys(instance) if f.name not in exclude]
        known = {
            f.name
            for f, value in foreign_keys
            if value is not None and self._key(f, value) in self.known
        }
        errors: dict[str, Any] = {}
        try:
            instance.clean_fields(exclude=exclude | known)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        exclude = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            instance.validate_unique(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            self._validate_constraints(instance, exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        for f, value in foreign_keys:
            if value is not None:
                self.known.add(self._key(f, value))

    def _validate_constraints(self, instance: models.Model, exclude: set[str]) -> None:
        # As Model.validate_constraints, with the check constraints' answers remembered.
        using = router.db_for_write(type(instance), instance=instance)
        errors: dict[str, Any] = {}
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                key = self._check_key(model_class, constraint, instance, exclude)
                if key is not None and key in self.checks_passed:
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as exc:
                    if getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
                    continue
                if key is not None:
                    self.checks_passed.add(key)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _check_key(
        model_class: type[models.Model], constraint: Any, instance: models.Model, exclude: set[str]
    ) -> tuple[Any, ...] | None:
        if not isinstance(constraint, models.CheckConstraint):
            return None
        names = sorted(Q(constraint.condition).referenced_base_fields)
        if exclude.intersection(names):
            return None
        meta = model_class._meta
        try:
            values = tuple(
                getattr(instance, (meta.pk if name == "pk" else meta.get_field(name)).attname)
                for name in names
            )
            key = (model_class, constraint.name, *values)
            hash(key)
        except Exception:  # a field it cannot name or a value it cannot remember: ask
            return None
        return key


_MEMO: ContextVar[_ValidationMemo | None] = ContextVar("tat_validation_memo", default=None)


@contextmanager
def batched_saves() -> Iterator[None]:
    """A bulk write through the services (the importer), made cheaper (ADR 0014).

    Inside the block `save_tracked` keeps each history row and writes them all at the end
    (`core.history_deferred`: same rows, same dates, people and reasons), and its
    validation skips the queries the block already made (`_ValidationMemo`): every rule is
    still checked. Use it inside the writer's transaction; a nested block joins the outer
    one; on an error nothing is written (the transaction is being abandoned).
    """
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set(_ValidationMemo())
    try:
        with history_deferred():
            yield
    finally:
        _MEMO.reset(token)


@dataclass(frozen=True)
class StateMachine:
    """The allowed transitions of one status field, as a table of source → targets.

    `labels` (a TextChoices class) turns stored values into the words shown to people;
    `error_field` is the form field a refusal is reported on (the status field itself by
    default).
    """

    field: str
    allowed: Mapping[str, frozenset[str]]
    labels: Any = None
    error_field: str | None = None
    verbose_name: str = "status"

    def label(self, value: str) -> str:
        if self.labels is not None and value in self.labels.values:
            return str(self.labels(value).label)
        return value

    def can(self, source: str, target: str) -> bool:
        return target in self.allowed.get(source, frozenset())

    def targets(self, source: str) -> Sequence[str]:
        return sorted(self.allowed.get(source, frozenset()))

    def check(
        self,
        instance: models.Model,
        target: str,
        *,
        message: str | None = None,
        error_field: str | None = None,
    ) -> None:
        """Refuse (ValidationError at the error field) unless source → target is allowed.

        `message` may use {source} and {target} (the labels of the two states).
        """
        source = getattr(instance, self.field)
        if self.can(source, target):
            return
        text = (message or TRANSITION_NOT_ALLOWED).format(
            field=self.verbose_name, source=self.label(source), target=self.label(target)
        )
        raise ValidationError({error_field or self.error_field or self.field: text})

    def apply(
        self,
        instance: models.Model,
        target: str,
        *,
        actor: Any,
        reason: str = "",
        history_reason: str = "",
        changes: Mapping[str, Any] | None = None,
        full_clean: bool = True,
    ) -> str:
        """Move `instance` to `target`: set the field (and `changes`), bump the version,
        save with history, and write the StatusChange row. Returns the previous state.

        The caller has locked the row, checked permission and called `check()` (or its own
        stricter test) inside the same transaction.
        """
        source = getattr(instance, self.field)
        setattr(instance, self.field, target)
        for name, value in (changes or {}).items():
            setattr(instance, name, value)
        save_tracked(
            instance,
            actor=actor,
            reason=history_reason,
            bump_version=hasattr(instance, "version"),
            full_clean=full_clean,
        )
        record_status_change(
            subject=instance,
            field=self.field,
            from_value=source,
            to_value=target,
            actor=actor,
            reason=reason,
        )
        return source
