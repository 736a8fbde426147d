#!/usr/bin/env python
"""Benchmark of the dashboard (issue 10, "Speed") at 200,000 activities.

    .venv/bin/python bench/bench_dashboard.py                  # SQLite, var/bench/tat_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tat_bench \\
        .venv/bin/python bench/bench_dashboard.py              # PostgreSQL

It reuses the benchmark database that `bench/bench_search.py` builds (it only migrates and
analyzes it; it never builds, flushes or writes rows). Measured through Django's test
client, in-process, DEBUG off and the cached template loader (bench_search's settings), for
a federal viewer: 2 warm-up requests, the SQL queries of one, then `--repeat` timed ones,
wall and this process's CPU time (on SQLite the CPU time includes the database's work; on
PostgreSQL the server's work is not in it):

- the dashboard with no filter;
- with a region filter (the region with the most activities);
- the same two with the map shaded by late summaries;
- one chart's CSV download (no filter);
- `dashboard_figures()` alone (the queries and the Python that sums them, no template).

Results go to bench/dashboard-results-<vendor>.json and to the "Dashboard" section of
bench/NOTES.md, which bench/report.py copies into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project root is not on the path yet
    sys.path.insert(0, str(ROOT))

from bench.bench_search import (  # noqa: E402
    BENCH_DIR,
    DEFAULT_SQLITE,
    _analyze,
    _configure,
    _data_size,
    _machine,
)
from bench.common import count_queries, timed, write_notes_section  # noqa: E402

SECTION_START = "<!-- dashboard-bench:start -->"
SECTION_END = "<!-- dashboard-bench:end -->"
TARGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sqlite", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    _configure(args.sqlite)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from activities.models import TAActivity
    from reference.models import Region
    from reports.dashboard import DashboardFilters, dashboard_figures
    from reports.models import DashboardCount

    call_command("migrate", verbosity=0)  # this code's tables and indexes
    existing = TAActivity.objects.count()
    if existing < args.activities:
        raise SystemExit(
            f"The database holds {existing:,} activities, not {args.activities:,}: build it "
            "with bench/bench_search.py first."
        )
    started, started_cpu = time.perf_counter(), time.process_time()
    call_command("refresh_dashboard_figures", "--all")  # the bulk-built data bypassed signals
    refresh = {
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - started_cpu, 1),
    }
    _analyze()
    size = _data_size()
    viewer = User.objects.filter(is_federal_viewer=True, is_active=True).order_by("pk").first()
    if viewer is None:
        raise SystemExit("The benchmark database has no federal viewer.")
    region_id = (
        TAActivity.objects.order_by()
        .values("jurisdiction__region")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("jurisdiction__region", flat=True)
        .first()
    )
    region = Region.objects.get(pk=region_id)
    client = Client()
    client.force_login(viewer)
    today = timezone.localdate()

    def page(url: str) -> Any:
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    subjects = [
        ("dashboard, no filter", page("/reports/dashboard/")),
        (f"dashboard, Region {region.numeral}", page(f"/reports/dashboard/?region={region.pk}")),
        ("dashboard, no filter, map by late summaries", page("/reports/dashboard/?map=late")),
        (
            f"dashboard, Region {region.numeral}, map by late summaries",
            page(f"/reports/dashboard/?region={region.pk}&map=late"),
        ),
        ("CSV of one chart, no filter", page("/reports/dashboard/?format=csv&chart=on-time-rate")),
        (
            "dashboard_figures() alone, no filter",
            lambda: dashboard_figures(DashboardFilters(), today=today),
        ),
        (
            f"dashboard_figures() alone, Region {region.numeral}",
            lambda: dashboard_figures(DashboardFilters(region=region), today=today),
        ),
    ]
    busiest = (
        TAActivity.objects.order_by()
        .values("jurisdiction")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("jurisdiction", flat=True)
        .first()
    )

    for what, marks in typical_write_marks(busiest).items():
        subjects.append(
            (
                f"dashboard, no filter, right after {what} (largest State)",
                after(marks, page("/reports/dashboard/")),
            )
        )
    rows = []
    for name, call in subjects:
        timing = timed(call, args.repeat)
        timing["queries"] = count_queries(call)
        timing["name"] = name
        rows.append(timing)
        print(
            f"{name:55} median {timing['median_ms']:7.1f} ms  cpu {timing['cpu_median_ms']:7.1f} ms"
            f"  queries {timing['queries']}",
            flush=True,
        )
    vendor = connection.vendor
    result = {
        "date": dt.date.today().isoformat(),
        "vendor": vendor,
        "data": size,
        "machine": _machine(),
        "load_average": round(os.getloadavg()[0], 1),
        "repeat": args.repeat,
        "refresh_all": refresh,
        "count_rows": DashboardCount.objects.count(),
        "rows": rows,
    }
    if args.no_write:
        return
    (BENCH_DIR / f"dashboard-results-{vendor}.json").write_text(json.dumps(result, indent=2) + "\n")
    _write_section()


def typical_write_marks(place: int) -> dict[str, Any]:
    """The stale marks that typical writes to the State `place` leave (as the rollup's
    signals make them, ADR 0007), without writing to the benchmark data: a summary of the
    last full month (its month's summaries, methods and missing summaries; a response note marks a
    subset), a status change of the State's activity with the most response-note months
    (its activities and those months' missing summaries), and a move of an activity to
    another State or primary center (the whole State, as every write did before)."""
    from django.db.models import Count
    from django.utils import timezone

    from activities.models import ResponseNote
    from reports.dashboard import rollup

    kind = rollup.Kind
    # The last full month: the busiest of the data (late summaries and notes go there).
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    busiest_notes = (
        ResponseNote.objects.filter(activity__jurisdiction_id=place)
        .order_by()
        .values("activity_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("activity_id", flat=True)
        .first()
    )
    months = rollup.activity_response_months(busiest_notes, "default") if busiest_notes else set()
    return {
        "a summary": lambda: rollup.mark_parts_stale(
            [(place, k, month) for k in (kind.SUMMARY, kind.METHOD, kind.MISSING)]
        ),
        f"a status change ({len(months)} months of notes)": lambda: rollup.mark_parts_stale(
            [(place, kind.ACTIVITY, None)] + [(place, kind.MISSING, m) for m in months]
        ),
        "a move (whole State)": lambda: rollup.mark_stale([place]),
    }


def after(mark: Any, read: Any) -> Any:
    def call() -> None:
        mark()
        read()

    return call


def _write_section() -> None:
    results = [
        json.loads(path.read_text()) for path in sorted(BENCH_DIR.glob("dashboard-results-*.json"))
    ]
    lines = [
        SECTION_START,
        "## Dashboard (issue 10)",
        "",
        "Written by `bench/bench_dashboard.py` (see its docstring). Target at 200,000 "
        f"activities: the dashboard with no filter and with a region filter answers with a "
        f"median under {TARGET_MS} ms on SQLite and PostgreSQL, with a constant number of "
        "SQL queries. The figures were taken on 2 cores shared with other sessions' work "
        "(load average in the heading); CPU time (this process's) is the steadier figure.",
        "",
        "How: counting the seven figures from the records took about 1.9 s of CPU on SQLite "
        "(no filter), so the counts are precomputed per State or Territory and month "
        "(`reports.DashboardCount`, kept current by marking a State stale on every write and "
        "recomputing it before the next read; ADR 0007). The page sums those rows; "
        "`dashboard_figures()` alone is that part. The rest of the page's CPU time is the "
        "template drawing seven SVGs and their tables. The last rows are the price of a read "
        "right after a write to the largest State: the parts of its counts that write can "
        "change recomputed from the records (a summary: its month; a status change: the "
        "activities and the activity's months of notes; a move: the whole State).",
    ]
    for result in results:
        lines += [
            "",
            f"### {result['vendor']} — {result['date']}, {result['data']['activities']:,} "
            f"activities, {result['data']['notes_by_kind'].get('DeliverySummary', 0):,} "
            f"summaries, load average {result['load_average']}",
            "",
            "| what | median (wall) | CPU median | min | max | SQL queries | under target |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        refresh = result.get("refresh_all", {})
        for row in result["rows"]:
            ok = "yes" if row["median_ms"] < TARGET_MS else "no"
            lines.append(
                f"| {row['name']} | {row['median_ms']} ms | {row['cpu_median_ms']} ms | "
                f"{row['min_ms']} ms | {row['max_ms']} ms | {row['queries']} | {ok} |"
            )
        lines += [
            "",
            f"Precomputed counts: {result.get('count_rows', 0):,} rows, rebuilt from the records "
            f"by `refresh_dashboard_figures --all` in {refresh.get('seconds')} s "
            f"({refresh.get('cpu_seconds')} s CPU).",
        ]
    lines += ["", SECTION_END]
    section = "\n".join(lines)
    write_notes_section(SECTION_START, SECTION_END, section)


if __name__ == "__main__":
    main()
