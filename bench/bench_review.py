#!/usr/bin/env python
"""Benchmark of the monthly review (R1) and the reminders (R3) at 200,000 activities
(issue 9, "Speed").

    .venv/bin/python bench/bench_review.py                     # SQLite, var/bench/tat_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tat_bench \\
        .venv/bin/python bench/bench_review.py                 # PostgreSQL

It reuses the benchmark database that `bench/bench_search.py` builds (and only migrates and
analyzes it); it never builds, flushes or rebuilds one.

The month: the latest month with summaries of TA delivered that is over (the review page's
default month when the data ends on the day it was generated). Measured through Django's
test client, in-process, DEBUG off and the cached template loader (the same settings and
timing as bench_search.py: 2 warm-up requests, then `--repeat` timed ones):
- the review page (`/review/?month=…`, first page) of the busiest State Systems Specialist
  (the SSS whose assigned States and Territories have the most activities with a summary
  dated in the month; all their jurisdictions) and of an administrator (every jurisdiction);
- the SQL queries each page issues;
- `manage.py send_reminders --dry-run` on a day after the month's review is due (the 5th
  business day of the next month), in-process: wall time, SQL queries in all and per kind
  (each collector and its "already sent" read), and the same counts on a second day, to
  show they do not grow with what is found.

Review state. The generated data has no review marks and no send-backs, so everything is
measured twice: "as generated", and "half reviewed" — the benchmark marks every other row of
the month reviewed (by the jurisdiction's SSS) and sends back one row in fifty (open,
addressed to the primary staff), with `bulk_create` (no history rows), then deletes exactly
those rows when it is done, also after a failure. Those rows carry `BENCH_STAMP` as their
time (`reviewed_at`, `sent_at`) and send-backs start with `BENCH_COMMENT`; a run first
deletes any such rows an interrupted run left behind.

Results go to bench/results-review-<vendor>.json; bench/RESULTS.md is written from every
results file present (bench/report.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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
    _summary,
)
from bench.report import write_report  # noqa: E402

BENCH_STAMP = dt.datetime(2000, 1, 1, 0, 0, 0, 424242, tzinfo=dt.UTC)
BENCH_COMMENT = "[bench_review] "
SEND_BACK_EVERY = 50


# --------------------------------------------------------------------------- database


def _check_data(activities: int) -> dict[str, Any]:
    from django.core.management import call_command

    from activities.models import TAActivity

    call_command("migrate", verbosity=0)  # this code's tables and indexes
    existing = TAActivity.objects.count()
    if existing < activities:
        raise SystemExit(
            f"The database holds {existing:,} activities, not {activities:,}: build it with "
            "bench/bench_search.py first."
        )
    _analyze()
    return _data_size()


def _bench_rows() -> tuple[Any, Any]:
    from oversight.models import ReviewMark, SendBack

    return (
        ReviewMark.objects.filter(reviewed_at=BENCH_STAMP),
        SendBack.objects.filter(sent_at=BENCH_STAMP, comment__startswith=BENCH_COMMENT),
    )


def _delete_bench_rows() -> int:
    marks, send_backs = _bench_rows()
    return marks.delete()[0] + send_backs.delete()[0]


@contextmanager
def _half_reviewed(month: dt.date) -> Iterator[dict[str, int]]:
    """Every other row of the month reviewed and one in fifty sent back, for the time of
    the block; the rows are deleted afterwards (see the module docstring)."""
    from django.db import transaction

    from accounts.models import User
    from oversight.models import ReviewMark, SendBack
    from oversight.selectors import (
        EVERY_JURISDICTION,
        ReviewFilters,
        month_bounds,
        review_queryset,
    )

    first, _ = month_bounds(month)
    rows = list(
        review_queryset(
            scope=EVERY_JURISDICTION, filters=ReviewFilters(month=first), with_status=False
        )
        .order_by("id")
        .values_list("id", "jurisdiction_id", "primary_staff_id")
    )
    sss_of = dict(
        User.sss_jurisdictions.through.objects.filter(user__is_sss=True)
        .order_by("user_id")
        .values_list("jurisdiction_id", "user_id")
    )
    admin = User.objects.filter(is_tat_admin=True).order_by("pk").first()
    marks, send_backs = [], []
    for index, (pk, jurisdiction_id, _staff) in enumerate(rows):
        reviewer = sss_of.get(jurisdiction_id) or admin.pk
        if index % 2 == 0:
            marks.append(
                ReviewMark(
                    activity_id=pk, month=first, reviewed_by_id=reviewer, reviewed_at=BENCH_STAMP
                )
            )
        elif index % SEND_BACK_EVERY == 1:
            send_backs.append(
                SendBack(
                    activity_id=pk,
                    month=first,
                    about=SendBack.About.SUMMARY,
                    comment=BENCH_COMMENT + "Please name the center, not the person, and "
                    "keep the summary to one or two sentences.",
                    sent_by_id=reviewer,
                    sent_at=BENCH_STAMP,
                )
            )
    with transaction.atomic():
        ReviewMark.objects.bulk_create(marks, batch_size=500)
        SendBack.objects.bulk_create(send_backs, batch_size=500)
    _analyze()
    try:
        yield {"rows": len(rows), "review_marks": len(marks), "send_backs": len(send_backs)}
    finally:
        deleted = _delete_bench_rows()
        print(f"deleted the benchmark's {deleted:,} review marks and send-backs", flush=True)
        _analyze()


# --------------------------------------------------------------------------- subjects


def _review_month() -> tuple[dt.date, int]:
    """The latest month of the data whose summaries are all there: the month of the latest
    summary when that summary is dated on the month's last day (the generator writes up to
    the day it ran), else the month before; with the number of its summaries. Chosen from
    the data, not the clock, so every database and every run measure the same month."""
    from django.db.models import Max

    from activities.models import DeliverySummary
    from oversight.selectors import last_full_month, month_bounds

    latest = DeliverySummary.objects.aggregate(latest=Max("note_date"))["latest"]
    if latest is None:
        raise SystemExit("The data set has no summary of TA delivered.")
    first, last = month_bounds(latest)
    month = first if latest == last else last_full_month(latest)
    first, last = month_bounds(month)
    return month, DeliverySummary.objects.filter(note_date__gte=first, note_date__lte=last).count()


def _busiest_sss(month: dt.date) -> tuple[Any, int, list[str]]:
    """The SSS whose States and Territories have the most activities with a summary in
    `month`; with that number and their jurisdictions' names."""
    from django.db.models import Count

    from accounts.models import User
    from activities.models import DeliverySummary
    from oversight.selectors import month_bounds

    first, last = month_bounds(month)
    per_jurisdiction = dict(
        DeliverySummary.objects.filter(note_date__gte=first, note_date__lte=last)
        .order_by()
        .values_list("activity__jurisdiction_id")
        .annotate(n=Count("activity_id", distinct=True))
    )
    totals: dict[int, int] = {}
    names: dict[int, list[str]] = {}
    for user_id, jurisdiction_id, name in User.sss_jurisdictions.through.objects.filter(
        user__is_sss=True, user__is_active=True
    ).values_list("user_id", "jurisdiction_id", "jurisdiction__name"):
        totals[user_id] = totals.get(user_id, 0) + per_jurisdiction.get(jurisdiction_id, 0)
        names.setdefault(user_id, []).append(name)
    user_id = max(totals, key=lambda pk: (totals[pk], -pk))
    return User.objects.get(pk=user_id), totals[user_id], sorted(names[user_id])


def _admin() -> Any:
    from django.db.models import Q

    from accounts.models import User

    admin = (
        User.objects.filter(Q(is_tat_admin=True) | Q(is_superuser=True), is_active=True)
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise SystemExit("The data set has no active administrator.")
    return admin


def _page_rows(user: Any, month: dt.date) -> tuple[int, int]:
    """The page's rows in all (its "N of M reviewed" total) and how many are reviewed."""
    from oversight.selectors import ReviewFilters, review_progress

    progress = review_progress(user=user, filters=ReviewFilters(month=month))
    return progress.total, progress.reviewed


# --------------------------------------------------------------------------- reminders


def _reminders_day(month: dt.date) -> dt.date:
    """The first day after `month` on which the SSSs' review reminder is due (after the
    5th business day of the next month), so every kind has work."""
    from oversight.reminders import review_due

    day = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    while not review_due(day):
        day += dt.timedelta(days=1)
    return day


def _kind_queries(today: dt.date) -> dict[str, dict[str, int]]:
    """Per kind: reminders found and SQL queries of its collector and its "already sent"
    read (what `plan_reminders` runs for it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.reminders import COLLECTORS, KIND_ORDER, _already_sent

    kinds = {}
    for kind in KIND_ORDER:
        with CaptureQueriesContext(connection) as queries:
            _already_sent(kind, today)
            found = COLLECTORS[kind](today=today)
        kinds[str(kind)] = {"found": len(found), "queries": len(queries)}
    return kinds


def _reminders(today: dt.date, repeat: int) -> dict[str, Any]:
    """`send_reminders --dry-run --today …` in-process: wall time (best and median of
    `repeat` runs), the SQL queries of a run, and per kind on `today` and on a second day."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, total_queries, output = [], 0, ""
    for run in range(repeat):
        out = io.StringIO()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call_command("send_reminders", dry_run=True, today=today.isoformat(), stdout=out)
            samples.append(time.perf_counter() - started)
        total_queries = len(queries)
        output = out.getvalue()
        print(f"send_reminders --dry-run run {run + 1}: {samples[-1]:.1f} s", flush=True)
    lines = output.splitlines()
    other_day = today - dt.timedelta(days=7)
    return {
        "today": today.isoformat(),
        "runs": repeat,
        "best_s": min(samples),
        "median_s": sorted(samples)[len(samples) // 2],
        "queries": total_queries,
        "emails": sum(1 for line in lines if line.startswith("would send to")),
        "progress": [line for line in lines if ": " in line and " found, " in line],
        "summary": lines[-1] if lines else "",
        "kinds": _kind_queries(today),
        "other_day": other_day.isoformat(),
        "other_day_kinds": _kind_queries(other_day),
    }


# --------------------------------------------------------------------------- timing


def _time_page(client: Any, url: str, repeat: int) -> tuple[dict[str, float], int]:
    """bench_search's timing (2 warm-up requests, the queries of one, `repeat` timed ones),
    with this process's CPU time beside the wall time: on a shared machine the CPU time is
    the steadier figure (on SQLite it includes the database's work, which runs in-process;
    on PostgreSQL the server's work is not in it)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)
    samples, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200
    timing = _summary(samples)
    timing["cpu_median_ms"] = sorted(cpu)[len(cpu) // 2] * 1000
    timing["bytes"] = len(response.content)
    return timing, query_count


# --------------------------------------------------------------------------- main


def _measure_pages(
    subjects: list[tuple[str, Any, str]], month: dt.date, repeat: int, rounds: int
) -> list[dict[str, Any]]:
    """Each subject's review page, `rounds` times; the round with the lowest median is
    kept (the CPU is shared: the best stable figure), with every round's median."""
    from django.test import Client
    from django.urls import reverse

    url = reverse("oversight:review") + "?" + urlencode({"month": f"{month:%Y-%m}"})
    pages = []
    for name, user, who in subjects:
        client = Client()
        client.force_login(user)
        total, reviewed = _page_rows(user, month)
        best, medians, query_count = None, [], 0
        for _ in range(rounds):
            timing, query_count = _time_page(client, url, repeat)
            medians.append(timing["median_ms"])
            if best is None or timing["median_ms"] < best["median_ms"]:
                best = timing
        item = {
            "name": name,
            "who": who,
            "url": url,
            "rows": total,
            "reviewed": reviewed,
            "queries": query_count,
            "round_medians_ms": medians,
            **best,
        }
        pages.append(item)
        print(
            f"{name}: {total:,} rows ({reviewed:,} reviewed), {best['median_ms']:.1f} ms "
            f"median, p95 {best['p95_ms']:.1f} ms, CPU {best['cpu_median_ms']:.0f} ms, "
            f"{query_count} queries "
            f"(round medians {', '.join(f'{m:.0f}' for m in medians)})",
            flush=True,
        )
    return pages


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    data = _check_data(args.activities)
    print(f"data: {data}", flush=True)
    leftover = _delete_bench_rows()
    if leftover:
        print(f"deleted {leftover:,} rows an interrupted run left behind", flush=True)
    month, summaries = _review_month()
    sss, sss_activities, sss_places = _busiest_sss(month)
    admin = _admin()
    print(
        f"month {month:%Y-%m} ({summaries:,} summaries); busiest SSS {sss.email} "
        f"({', '.join(sss_places)}: {sss_activities:,} activities with a summary)",
        flush=True,
    )
    subjects = [
        (
            f"Busiest SSS: {', '.join(sss_places)}",
            sss,
            "sss",
        ),
        ("Administrator: every jurisdiction, first page", admin, "admin"),
    ]
    today = _reminders_day(month)
    states = []
    print("-- as generated (no review marks, no send-backs)", flush=True)
    states.append(
        {
            "state": "as generated",
            "made": {"review_marks": 0, "send_backs": 0},
            "pages": _measure_pages(subjects, month, args.repeat, args.rounds),
            "reminders": _reminders(today, args.reminder_runs),
        }
    )
    with _half_reviewed(month) as made:
        print(f"-- half reviewed: {made}", flush=True)
        states.append(
            {
                "state": "half reviewed",
                "made": made,
                "pages": _measure_pages(subjects, month, args.repeat, args.rounds),
                "reminders": _reminders(today, args.reminder_runs),
            }
        )
    result = {
        "when": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": _machine(),
        "load_average": os.getloadavg(),
        "data": data,
        "month": month.isoformat(),
        "month_summaries": summaries,
        "sss": {"places": sss_places, "activities": sss_activities},
        "repeat": args.repeat,
        "rounds": args.rounds,
        "states": states,
    }
    (BENCH_DIR / f"results-review-{connection.vendor}.json").write_text(
        json.dumps(result, indent=2)
    )
    write_report()
    print(f"wrote {BENCH_DIR / 'RESULTS.md'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=25, help="Timed requests per round.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds per page (best kept).")
    parser.add_argument("--reminder-runs", type=int, default=3, help="Dry runs timed.")
    parser.add_argument("--sqlite-path", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--report-only", action="store_true", help="Rewrite RESULTS.md only.")
    args = parser.parse_args()
    if args.report_only:
        write_report()
        return
    _configure(args.sqlite_path)
    run(args)


if __name__ == "__main__":
    main()
