"""What an import run reports: its counts and every error with row, column and message."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    source: str
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created_list(self) -> list[tuple[str, int]]:
        """(kind, count) pairs for templates (a Counter's `.items` is a key lookup there)."""
        return sorted(self.created.items())

    @property
    def unchanged_list(self) -> list[tuple[str, int]]:
        return sorted(self.unchanged.items())


class _RowFailed(Exception):
    """This row has errors (already recorded); go on with the next one."""
