#!/usr/bin/env python
"""Benchmark of the monthly compliance report (issue 10, "Speed") at 200,000 activities.

    .venv/bin/python bench/bench_compliance.py                 # SQLite, var/bench/tat_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tat_bench \\
        .venv/bin/python bench/bench_compliance.py             # PostgreSQL

It reuses the benchmark database that `bench/bench_search.py` builds (it only migrates and
analyzes it; it never builds, flushes or writes rows). The month: the latest month of the
data whose summaries are all there (bench_review's choice, from the data, not the clock).
Measured through Django's test client, in-process, DEBUG off and the cached template loader
(bench_search's settings), for a federal viewer: 2 warm-up requests, the SQL queries of one,
then `--repeat` timed ones, wall time and this process's CPU time (on SQLite the CPU time
includes the database's work; on PostgreSQL the server's work is not in it):

- the report page for the month, no filter, and with a region filter (the region with the
  most activities);
- its CSV and XLSX downloads (no filter);
- `compliance_report()` alone (its four queries and the Python that sums them);
- the report right after a write to the largest State (its counts recomputed first).

Results go to bench/compliance-results-<vendor>.json and to the "Monthly compliance report"
section of bench/NOTES.md, which bench/report.py copies into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project root is not on the path yet
    sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import after, typical_write_marks  # noqa: E402
from bench.bench_search import (  # noqa: E402
    BENCH_DIR,
    DEFAULT_SQLITE,
    _analyze,
    _configure,
    _data_size,
    _machine,
)
from bench.common import count_queries, timed, write_notes_section  # noqa: E402

SECTION_START = "<!-- compliance-bench:start -->"
SECTION_END = "<!-- compliance-bench:end -->"
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
    from bench.bench_review import _review_month
    from reference.models import Region
    from reports.compliance.figures import ComplianceFilters, compliance_report

    call_command("migrate", verbosity=0)  # this code's tables and indexes
    existing = TAActivity.objects.count()
    if existing < args.activities:
        raise SystemExit(
            f"The database holds {existing:,} activities, not {args.activities:,}: build it "
            "with bench/bench_search.py first."
        )
    _analyze()
    size = _data_size()
    month, month_summaries = _review_month()
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
    m = f"{month:%Y-%m}"

    def page(url: str) -> Any:
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)

        return call

    subjects = [
        (f"report page, {m}, no filter", page(f"/reports/compliance/?month={m}")),
        (
            f"report page, {m}, Region {region.numeral}",
            page(f"/reports/compliance/?month={m}&region={region.pk}"),
        ),
        (f"CSV, {m}, no filter", page(f"/reports/compliance/csv/?month={m}")),
        (f"XLSX, {m}, no filter", page(f"/reports/compliance/xlsx/?month={m}")),
        (
            "compliance_report() alone, no filter",
            lambda: compliance_report(ComplianceFilters(month=month), today=today),
        ),
        (
            f"compliance_report() alone, Region {region.numeral}",
            lambda: compliance_report(ComplianceFilters(month=month, region=region), today=today),
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
    report_page = page(f"/reports/compliance/?month={m}")

    for what, marks in typical_write_marks(busiest).items():
        subjects.append(
            (f"report page, {m}, right after {what} (largest State)", after(marks, report_page))
        )
    rows = []
    for name, call in subjects:
        timing = timed(call, args.repeat)
        timing["queries"] = count_queries(call)
        timing["name"] = name
        rows.append(timing)
        print(
            f"{name:45} median {timing['median_ms']:7.1f} ms  cpu {timing['cpu_median_ms']:7.1f} ms"
            f"  queries {timing['queries']}",
            flush=True,
        )
    vendor = connection.vendor
    result = {
        "date": dt.date.today().isoformat(),
        "vendor": vendor,
        "data": size,
        "month": m,
        "month_summaries": month_summaries,
        "machine": _machine(),
        "load_average": round(os.getloadavg()[0], 1),
        "repeat": args.repeat,
        "rows": rows,
    }
    if args.no_write:
        return
    (BENCH_DIR / f"compliance-results-{vendor}.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )
    _write_section()


def _write_section() -> None:
    results = [
        json.loads(path.read_text()) for path in sorted(BENCH_DIR.glob("compliance-results-*.json"))
    ]
    lines = [
        SECTION_START,
        "## Monthly compliance report (issue 10)",
        "",
        "Written by `bench/bench_compliance.py` (see its docstring). Target at 200,000 "
        f"activities: the report for one month answers with a median under {TARGET_MS} ms on "
        "SQLite and PostgreSQL, with a constant number of SQL queries (also pinned by "
        "`tests/reports/test_compliance_page.py`). The figures were taken on 2 cores shared "
        "with other sessions' work (load average in each heading): wall time then includes "
        "waiting for a core, and CPU time (this process's) is the steadier figure.",
    ]
    for result in results:
        lines += [
            "",
            f"### {result['vendor']} — {result['date']}, {result['data']['activities']:,} "
            f"activities, month {result['month']} ({result['month_summaries']:,} summaries), "
            f"load average {result['load_average']}",
            "",
            "| what | median (wall) | CPU median | min | max | SQL queries | under target |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in result["rows"]:
            ok = "yes" if row["median_ms"] < TARGET_MS else "no"
            lines.append(
                f"| {row['name']} | {row['median_ms']} ms | {row['cpu_median_ms']} ms | "
                f"{row['min_ms']} ms | {row['max_ms']} ms | {row['queries']} | {ok} |"
            )
    lines += [
        "",
        "**How the report counts, and where its time goes.** Every number is read from "
        "precomputed monthly counts per State or Territory, primary center and month "
        "(`reports.DashboardCount`: kinds “summary”, “missing” and “entered”, kept by "
        "`reports.dashboard.rollup`; ADR 0010): the report is the stale check, one grouped "
        "read of the month's rows and the two name lists. Before, the missing summaries and "
        "entries were counted from the records on every request: about 26,000 activities "
        "have a TA response note dated in a month of this data set, and testing each for "
        "tracking and a summary of the month cost 100–150 ms of CPU on SQLite and "
        "0.4–0.9 s of PostgreSQL server time (a parallel scan hash-joined to the month's "
        "notes). Now the rest of the page — the form's option lists, the template — is most "
        "of its time. A write marks its State stale (activities, summaries, response notes, "
        "plans, in the same transaction); the next read recomputes that State from the "
        "records: the last row is that price for the largest State.",
        "",
        SECTION_END,
    ]
    section = "\n".join(lines)
    write_notes_section(SECTION_START, SECTION_END, section)


if __name__ == "__main__":
    main()
