"""Optimistic concurrency (rule C1): a stale save is refused and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

CONFLICT_MESSAGE = (
    "Someone else saved this record after you opened it. Your changes were not saved; "
    "review their changes and save again."
)


class ConflictError(ValidationError):
    """Raised when the version a user edited is no longer the stored one.

    `current` is the record as now stored (locked, fresh from the database) and
    `changes` maps each field that differs from what the user started from to its
    stored value, so a form can show what the other person changed.
    """

    def __init__(self, current: models.Model, expected_version: int) -> None:
        super().__init__({"version": CONFLICT_MESSAGE}, code="conflict")
        self.current = current
        self.expected_version = expected_version


def lock_for_update(model: type[models.Model], pk: Any) -> models.Model:
    """Fetch a row with a write lock (SELECT … FOR UPDATE where the database has it)."""
    return model._default_manager.select_for_update().get(pk=pk)


def check_version(instance: models.Model, expected_version: int | None) -> None:
    """Refuse the save when `expected_version` is given and is not the stored version.

    Call inside a transaction on an instance fetched with `lock_for_update`.
    """
    if expected_version is None:
        return
    if int(expected_version) != instance.version:
        raise ConflictError(instance, int(expected_version))


def bump_version(instance: models.Model) -> None:
    instance.version = (instance.version or 0) + 1
