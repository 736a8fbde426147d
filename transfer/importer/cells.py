"""Reading one row's cells: text, dates, yes/no, choices, reference items by key, code or name
(loaded once per run), people, and the parent record a row names by external id. Every
problem is collected with its column; `check` reports them and skips the row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models

from accounts.models import User
from transfer.importer.messages import (
    BAD_BOOL,
    BAD_CHOICE,
    BAD_DATE,
    FALSE_WORDS,
    FIELD_COLUMNS,
    PARENT_FAILED,
    REQUIRED,
    TRUE_WORDS,
    UNKNOWN_PARENT,
    UNKNOWN_PERSON,
    UNKNOWN_REFERENCE,
)
from transfer.importer.results import RowError, _RowFailed
from transfer.reading import Row
from transfer.spec import KINDS_BY_NAME, LIST_SEPARATOR


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def row_hash(row: Row) -> str:
    kind = KINDS_BY_NAME[row.get("kind").lower()]
    payload = {c: row.get(c) for c in kind.columns}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class _Lookup:
    """Reference items by key, code or exact name (case-insensitive), loaded once."""

    def __init__(self, model: type[models.Model], *fields: str) -> None:
        self.by_value: dict[str, Any] = {}
        for item in model.objects.all():
            for name in fields:
                value = getattr(item, name, None)
                if value not in (None, ""):
                    self.by_value.setdefault(str(value).strip().lower(), item)

    def get(self, value: str) -> Any | None:
        return self.by_value.get(value.strip().lower())


class CellReader:
    """Cell readers and error reporting of an `Importer` (see `transfer.importer.run`)."""

    # ------------------------------------------------------------------ reporting
    def error(self, row: Row, column: str, message: str) -> None:
        self.result.errors.append(RowError(row.source, row.number, column, message))

    def service_errors(self, row: Row, exc: ValidationError | PermissionDenied) -> None:
        kind = row.get("kind").lower()
        columns = FIELD_COLUMNS.get(kind, {})
        if isinstance(exc, PermissionDenied):
            self.error(row, "", str(exc) or "Not allowed.")
            return
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
                for message in messages:
                    self.error(row, column, message)
        else:
            for message in exc.messages:
                self.error(row, "", message)

    # ------------------------------------------------------------------ cells
    def text(
        self, row: Row, column: str, errors: list[tuple[str, str]], required: bool = False
    ) -> str:
        value = row.get(column).strip()
        if required and not value:
            errors.append((column, REQUIRED.format(kind=row.get("kind").lower())))
        return value

    def date(
        self, row: Row, column: str, errors: list[tuple[str, str]], required: bool = False
    ) -> dt.date | None:
        value = self.text(row, column, errors, required)
        if not value:
            return None
        try:
            return _parse_date(value)
        except ValueError:
            errors.append((column, BAD_DATE.format(value=value)))
            return None

    def boolean(self, row: Row, column: str, errors: list[tuple[str, str]]) -> bool | None:
        value = row.get(column).strip().lower()
        if not value:
            return None
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        errors.append((column, BAD_BOOL.format(value=row.get(column))))
        return None

    def choice(
        self,
        row: Row,
        column: str,
        choices: Iterable[str],
        errors: list[tuple[str, str]],
        required: bool = False,
        default: str = "",
    ) -> str:
        value = self.text(row, column, errors, required).lower().replace(" ", "_").replace("-", "_")
        if not value:
            return default
        choices = list(choices)
        if value not in choices:
            errors.append(
                (column, BAD_CHOICE.format(value=row.get(column), choices=", ".join(choices)))
            )
        return value

    def ref(
        self,
        row: Row,
        column: str,
        lookup: _Lookup,
        what: str,
        errors: list[tuple[str, str]],
        required: bool = False,
    ) -> Any | None:
        value = self.text(row, column, errors, required)
        if not value:
            return None
        item = lookup.get(value)
        if item is None:
            errors.append((column, UNKNOWN_REFERENCE.format(what=what, value=value)))
        return item

    def refs(
        self, row: Row, column: str, lookup: _Lookup, what: str, errors: list[tuple[str, str]]
    ) -> list[Any]:
        items = []
        for value in self._split(row.get(column)):
            item = lookup.get(value)
            if item is None:
                errors.append((column, UNKNOWN_REFERENCE.format(what=what, value=value)))
            else:
                items.append(item)
        return items

    @staticmethod
    def _split(value: str) -> list[str]:
        return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]

    def person(self, value: str, column: str, errors: list[tuple[str, str]]) -> User | None:
        user = self.users.get(value.strip().lower())
        if user is None:
            errors.append((column, UNKNOWN_PERSON.format(value=value)))
        return user

    def parent(
        self, row: Row, column: str, kind: str, errors: list[tuple[str, str]], required: bool = True
    ) -> Any | None:
        value = self.text(row, column, errors, required)
        if not value:
            return None
        key = (kind, value)
        if key in self.failed:
            errors.append((column, PARENT_FAILED.format(kind=kind.replace("_", " "), value=value)))
            return None
        record = self.objects.get(key) or self._imported_object(kind, value)
        if record is None:
            errors.append((column, UNKNOWN_PARENT.format(kind=kind.replace("_", " "), value=value)))
        return record

    def check(self, row: Row, errors: list[tuple[str, str]]) -> None:
        for column, message in errors:
            self.error(row, column, message)
        if errors:
            raise _RowFailed
