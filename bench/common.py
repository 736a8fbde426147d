"""What the benchmark scripts share: timing a call (wall and this process's CPU time),
counting its SQL queries, and writing a script's own section of bench/NOTES.md (from which
bench/report.py writes bench/RESULTS.md)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

NOTES = Path(__file__).resolve().parent / "NOTES.md"


def timed(call: Callable[[], Any], repeat: int, warmups: int = 2) -> dict[str, float]:
    """Medians of `repeat` calls after `warmups` untimed ones, in milliseconds. The CPU
    figure is this process's: on a shared machine it is the steadier one (on SQLite it holds
    the database's work, which runs in-process; on PostgreSQL the server's is not in it)."""
    for _ in range(warmups):
        call()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "median_ms": round(statistics.median(wall) * 1000, 1),
        "min_ms": round(min(wall) * 1000, 1),
        "max_ms": round(max(wall) * 1000, 1),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
    }


def count_queries(call: Callable[[], Any]) -> int:
    """The SQL queries one call issues."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def write_notes_section(start: str, end: str, section: str) -> None:
    """Put `section` (which begins with `start` and ends with `end`) in place of the
    script's earlier section of NOTES.md, or at its end; then rewrite RESULTS.md."""
    text = NOTES.read_text() if NOTES.exists() else ""
    if start in text:
        before, _sep, rest = text.partition(start)
        _old, _sep, after = rest.partition(end)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    NOTES.write_text(text)
    from bench.report import write_report

    write_report()
