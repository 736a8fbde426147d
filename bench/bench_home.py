#!/usr/bin/env python
"""Benchmark of the home page of each role at 200,000 activities (issue 10, "Homes that fit
each role").

    .venv/bin/python bench/bench_home.py                       # SQLite, var/bench/tat_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tat_bench \\
        .venv/bin/python bench/bench_home.py                   # PostgreSQL

It reuses the benchmark database that `bench/bench_search.py` builds (it migrates and
analyzes it, as bench_review.py does; it never builds, flushes or rebuilds one) and writes
nothing else to it.

Measured through Django's test client, in-process, DEBUG off and the cached template loader
(bench_search.py's settings), 2 warm-up requests then `--repeat` timed ones, wall time and
this process's CPU time (on SQLite the database's work runs in-process and is in it), and
the SQL queries of one request, for:
- the busiest staff member (primary or collaborating on the most activities);
- the busiest State Systems Specialist (assigned States with the most activities);
- the center lead whose center is the primary center of the most activities;
- a federal viewer, every region and the region with the most activities;
- an administrator.

It prints one line per page; the "Homes per role" section of bench/NOTES.md (copied into
bench/RESULTS.md by bench/report.py) quotes a run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project root is not on the path yet
    sys.path.insert(0, str(ROOT))

from bench.bench_search import (  # noqa: E402
    DEFAULT_SQLITE,
    _analyze,
    _busiest_staff,
    _configure,
)


def _busiest_sss() -> tuple[Any, int]:
    from django.db.models import Count

    from accounts.models import User
    from activities.models import TAActivity

    per_jurisdiction = dict(
        TAActivity.objects.order_by().values_list("jurisdiction_id").annotate(n=Count("id"))
    )
    totals: dict[int, int] = {}
    for user_id, jurisdiction_id in User.sss_jurisdictions.through.objects.filter(
        user__is_sss=True, user__is_active=True
    ).values_list("user_id", "jurisdiction_id"):
        totals[user_id] = totals.get(user_id, 0) + per_jurisdiction.get(jurisdiction_id, 0)
    if not totals:
        raise SystemExit("The data set has no State Systems Specialist.")
    user_id = max(totals, key=lambda pk: (totals[pk], -pk))
    return User.objects.get(pk=user_id), totals[user_id]


def _center_lead() -> tuple[Any, int]:
    """The center lead whose center is the primary center of the most activities."""
    from django.db.models import Count

    from accounts.models import User
    from activities.models import TAActivity

    leads = {
        lead.center_id: lead
        for lead in User.objects.filter(is_center_lead=True, is_active=True, center__isnull=False)
    }
    if not leads:
        raise SystemExit("The data set has no center lead.")
    counts = dict(
        TAActivity.objects.filter(primary_center_id__in=list(leads))
        .order_by()
        .values_list("primary_center_id")
        .annotate(n=Count("id"))
    )
    center_id = max(leads, key=lambda pk: (counts.get(pk, 0), -pk))
    return leads[center_id], counts.get(center_id, 0)


def _person(**flags: bool) -> Any:
    from accounts.models import User

    person = User.objects.filter(is_active=True, **flags).order_by("pk").first()
    if person is None:
        raise SystemExit(f"The data set has no active person with {flags}.")
    return person


def _busiest_region() -> Any:
    from django.db.models import Count

    from activities.models import TAActivity
    from reference.models import Region

    region_id = (
        TAActivity.objects.order_by()
        .values_list("jurisdiction__region_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()[0]
    )
    return Region.objects.get(pk=region_id)


def _time_page(client: Any, url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200
    return {
        "median_ms": statistics.median(wall) * 1000,
        "max_ms": max(wall) * 1000,
        "cpu_median_ms": statistics.median(cpu) * 1000,
        "queries": len(queries),
    }


def run(args: argparse.Namespace) -> None:
    _configure(Path(args.sqlite))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from activities.models import TAActivity

    call_command("migrate", verbosity=0)  # this code's tables and indexes
    _analyze()
    print(f"{connection.vendor}: {TAActivity.objects.count():,} activities")
    home = reverse("workspace:home")
    staff, staff_count = _busiest_staff()
    sss, sss_count = _busiest_sss()
    lead, lead_count = _center_lead()
    federal = _person(is_federal_viewer=True)
    admin = _person(is_tat_admin=True)
    region = _busiest_region()
    subjects = [
        (f"staff ({staff_count:,} activities)", staff, home),
        (f"SSS ({sss_count:,} activities in their States)", sss, home),
        (f"center lead ({lead_count:,} activities of the center)", lead, home),
        ("federal viewer, every region", federal, home),
        (f"federal viewer, {region.short_name}", federal, f"{home}?region={region.pk}"),
        ("administrator", admin, home),
    ]
    for label, person, url in subjects:
        client = Client()
        client.force_login(person)
        timing = _time_page(client, url, args.repeat)
        print(
            f"  {label:<48} median {timing['median_ms']:7.1f} ms  max {timing['max_ms']:7.1f} ms"
            f"  CPU {timing['cpu_median_ms']:7.1f} ms  {timing['queries']} queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sqlite", default=os.environ.get("TAT_BENCH_SQLITE", DEFAULT_SQLITE))
    run(parser.parse_args())


if __name__ == "__main__":
    main()
