"""The service kit every app's services are written with (STYLE §1–2; rules AU1, C1).

- `FieldErrors` collects every problem with an input, field by field, so a person sees
  them all at once; `raise_if_any()` raises one `ValidationError` naming the fields.
- `save_tracked()` is the one way a service (or the admin) saves a tracked record: it names
  the acting person in the history (AU1), optionally bumps the version (C1), validates, and
  writes a single history row even when many-to-many sets change with the record.
- `StateMachine` is a table of allowed source → target states for one status field; its
  `apply()` is the one transition recipe: check, set, bump, save tracked, write the
  `StatusChange` row (who, when, from, to, why) — all inside the caller's transaction.

Services still decide *whether* a change is allowed (permissions, rule checks); the kit only
makes the mechanics of saving identical everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from core.concurrency import bump_version as _bump_version
from core.history import attribute_change
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
    """
    check_text_lengths(instance)
    attribute_change(instance, actor, reason)
    if bump_version:
        _bump_version(instance)
    if full_clean:
        instance.full_clean()
    if not m2m:
        instance.save()
        return instance

    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        recorder = type(instance).history_recorder
        recorder.create_historical_record(instance, "+" if created else "~")
    return instance


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
