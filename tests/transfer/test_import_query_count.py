"""Issue 11: 10,000 rows import in under a minute (bench/bench_import.py). Every row goes
through the services, so each row costs queries; this pins how many, so the import cannot
drift back to the cost it had before `core.services.batched_saves` (ADR 0014: about 20
queries a row then, about 8 now)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.transfer.test_import import csv_bytes, importer, run  # noqa: F401
from transfer.spec import KINDS_BY_NAME

ACTIVITIES_PER_GOAL = 4
ROWS_PER_BLOCK = 4 + 5 * ACTIVITIES_PER_GOAL
# Queries per 100 rows of the mix below (a goal with its strategic area and note, a
# requester, and per activity a final plan, a summary, feedback and a response note),
# savepoints included. Measured at about 800 (about 2,030 before ADR 0014); the bound
# leaves room for noise, not for a regression.
MAX_QUERIES_PER_100_ROWS = 950


def _example(kind: str, **values: str) -> dict[str, str]:
    return {"kind": kind, **KINDS_BY_NAME[kind].example, **values}


def _rows(blocks: int, prefix: str) -> list[dict[str, str]]:
    """`blocks` goals with their activities; `prefix` keeps ids and e-mails apart."""
    rows = []
    for b in range(blocks):
        email = f"{prefix}requester{b}@state.example.gov"
        goal = f"{prefix}G-{b}"
        rows += [
            _example("requester", external_id=f"{prefix}R-{b}", email=email),
            _example("goal", external_id=goal),
            _example("strategic_area", external_id=f"{prefix}SA-{b}", goal_external_id=goal),
            _example("goal_note", external_id=f"{prefix}GN-{b}", goal_external_id=goal),
        ]
        for a in range(ACTIVITIES_PER_GOAL):
            activity = f"{prefix}A-{b}-{a}"
            rows.append(
                _example(
                    "activity", external_id=activity, goal_external_id=goal, requester_emails=email
                )
            )
            for kind, mark in (("plan_note", "P"), ("summary", "S"), ("feedback", "F")):
                rows.append(
                    _example(kind, external_id=f"{mark}-{activity}", activity_external_id=activity)
                )
            rows.append(
                _example(
                    "response_note", external_id=f"RN-{activity}", activity_external_id=activity
                )
            )
    assert len(rows) == blocks * ROWS_PER_BLOCK
    return rows


def _queries(blocks: int, prefix: str, actor: User, *, commit: bool) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = run(csv_bytes(_rows(blocks, prefix)), actor, commit=commit)
    assert result.errors == [] and result.rows == blocks * ROWS_PER_BLOCK
    assert result.committed == commit
    return len(queries)


def test_import_queries_per_row_are_bounded(importer: User) -> None:  # noqa: F811
    """The dry run and the real run cost a few queries a row, whatever the size (the
    difference between a small and a larger file is the per-row cost)."""
    for commit in (False, True):
        small = _queries(1, "a", importer, commit=commit)
        large = _queries(4, "b", importer, commit=commit)
        per_100_rows = (large - small) * 100 / (3 * ROWS_PER_BLOCK)
        print(f"commit={commit}: {per_100_rows:.0f} queries per 100 rows")
        assert per_100_rows <= MAX_QUERIES_PER_100_ROWS, (commit, per_100_rows)
