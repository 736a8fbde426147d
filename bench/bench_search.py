#!/usr/bin/env python
"""Benchmark of the pages and searches at 200,000 activities (issue 5, "Speed").

    .venv/bin/python bench/bench_search.py                     # SQLite, var/bench/tat_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tat_bench \\
        .venv/bin/python bench/bench_search.py                 # PostgreSQL

The database is reused when it already holds `--activities` activities; otherwise it is
(re)built with `migrate` and `generate_data --activities N` (the SQLite file is replaced;
a PostgreSQL database must be empty, or pass `--rebuild` to flush it first).

Measured through Django's test client, in-process, with DEBUG off and the cached template
loader, for a signed-in person:
- pages: home of the busiest staff member, the largest jurisdiction's page, the activity
  record with the most notes (topped up to 300 notes when the data set has none so long);
- ten representative searches; for each, the database floor — the same count and page
  queries executed alone, the connection handled as a request handles it — and the
  ratio page ÷ floor;
- the SQL queries each page issues;
- CSV (and XLSX) export of about 10,000 and 100,000 rows, each in a fresh process: wall
  time and the process's peak resident memory.

Results go to bench/results-<vendor>.json; bench/RESULTS.md is written from every results
file present, so one run per database fills both sections.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess  # nosec B404 # runs its own script, fixed arguments
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
VAR_DIR = ROOT / "var" / "bench"
DEFAULT_SQLITE = VAR_DIR / "tat_bench.sqlite3"
NOTES_ON_HEAVY_RECORD = 300

if str(ROOT) not in sys.path:  # run as a script: the project root is not on the path yet
    sys.path.insert(0, str(ROOT))

from bench.report import write_report  # noqa: E402


def _configure(sqlite_path: Path) -> None:
    """Production-like settings: DEBUG off (cached templates), plain HTTP for the client."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    # bench.settings: no HTTPS redirect and no collected-static manifest for the test client
    # (TAT_TESTING is refused when DEBUG is off).
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("AXES_ENABLED", "false")
    import django

    django.setup()


# --------------------------------------------------------------------------- database


def _ensure_data(activities: int, rebuild: bool, sqlite_path: Path) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from activities.models import TAActivity

    def count() -> int:
        try:
            return TAActivity.objects.count()
        except Exception:  # noqa: BLE001 - tables absent: a fresh database
            return -1

    existing = count()
    if existing != activities or rebuild:
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        elif existing > 0:
            if not rebuild:
                raise SystemExit(
                    f"The database holds {existing:,} activities, not {activities:,}; "
                    "pass --rebuild to flush it and generate the data again."
                )
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("generate_data", activities=activities, verbosity=1)
        print(f"data generated in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        call_command("migrate", verbosity=0)  # this code's indexes on a reused database
    _analyze()
    return _data_size()


def _analyze() -> None:
    """Fresh planner statistics; on PostgreSQL also the visibility map (what autovacuum
    would soon do after a bulk load), which lets counts read indexes alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _data_size() -> dict[str, Any]:
    from accounts.models import User
    from activities.models import (
        DeliverySummary,
        DescriptionNote,
        RequesterFeedback,
        ResponseNote,
        TAActivity,
    )

    notes = {
        model.__name__: model.objects.count()
        for model in (DescriptionNote, DeliverySummary, RequesterFeedback, ResponseNote)
    }
    return {
        "activities": TAActivity.objects.count(),
        "notes": sum(notes.values()),
        "notes_by_kind": notes,
        "people": User.objects.count(),
    }


def _vendor_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import django

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": _vendor_version(),
    }


# --------------------------------------------------------------------------- subjects


def _busiest_staff() -> Any:
    from django.db.models import Count

    from accounts.models import User
    from activities.models import TAActivity

    collaborating = dict(
        TAActivity.collaborating_staff.through.objects.values_list("user").annotate(n=Count("id"))
    )
    counts = dict(
        TAActivity.objects.values_list("primary_staff").annotate(n=Count("id")).order_by()
    )
    for user_id, n in collaborating.items():
        counts[user_id] = counts.get(user_id, 0) + n
    user_id = max(counts, key=counts.get)
    return User.objects.get(pk=user_id), counts[user_id]


def _largest_jurisdiction() -> tuple[Any, int]:
    from django.db.models import Count

    from activities.models import TAActivity
    from reference.models import Jurisdiction

    row = TAActivity.objects.values("jurisdiction").annotate(n=Count("id")).order_by("-n").first()
    return Jurisdiction.objects.get(pk=row["jurisdiction"]), row["n"]


def _heavy_activity() -> tuple[Any, int, int]:
    """The activity with the most notes, topped up to 300 notes if it has fewer."""
    from django.db.models import Count

    from activities.models import (
        DeliverySummary,
        DescriptionNote,
        RequesterFeedback,
        ResponseNote,
        TAActivity,
    )
    from search import fulltext

    models = (DescriptionNote, DeliverySummary, RequesterFeedback, ResponseNote)
    top = ResponseNote.objects.values("activity").annotate(n=Count("id")).order_by("-n").first()
    activity = TAActivity.objects.get(pk=top["activity"])
    total = sum(m.objects.filter(activity=activity).count() for m in models)
    added = 0
    if total < NOTES_ON_HEAVY_RECORD:
        added = NOTES_ON_HEAVY_RECORD - total
        start = activity.date_opened
        ResponseNote.objects.bulk_create(
            [
                ResponseNote(
                    activity=activity,
                    author_id=activity.primary_staff_id,
                    note_date=start + dt.timedelta(days=i % 400),
                    text=(
                        f"({i + 1}) SCBC held a planning call with the State's CCDF team "
                        "and shared resources on the topic of this activity."
                    ),
                )
                for i in range(added)
            ]
        )
        fulltext.refresh_activity(activity.pk)
        total += added
    return activity, total, added


def _searches(staff: Any, jurisdiction: Any) -> list[dict[str, Any]]:
    """Ten representative searches (single criteria, combinations, text, date ranges, and
    the largest result set sorted by the slowest column)."""
    from django.db.models import Count

    from activities.models import DeliverySummary, TAActivity
    from reference.models import Center, GoalCategory, StrategicAreaItem

    category = GoalCategory.objects.get(number=7)
    area_id = (
        TAActivity.objects.filter(goal_category=category, strategic_area__isnull=False)
        .values("strategic_area__item")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["strategic_area__item"]
    )
    area = StrategicAreaItem.objects.get(pk=area_id)
    scbc = Center.objects.filter(code="SCBC").first() or Center.objects.first()
    other_center = Center.objects.exclude(pk=scbc.pk).order_by("sort_order", "name").first()
    last_summary = DeliverySummary.objects.order_by("-note_date").values_list(
        "note_date", flat=True
    )[0]
    month_start = (last_summary.replace(day=1) - dt.timedelta(days=60)).replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    year = last_summary.year - 1
    return [
        {"name": "State or Territory: the largest", "params": {"jurisdiction": jurisdiction.pk}},
        {"name": "Staff: the busiest (primary or collaborating)", "params": {"staff": staff.pk}},
        {"name": "Completion status: open", "params": {"completion_status": "open"}},
        {
            "name": "Region IX + category 7 + status approved",
            "params": {
                "region": jurisdiction.region.__class__.objects.get(number=9).pk,
                "category": category.pk,
                "status": "approved",
            },
        },
        {
            "name": "Category 7 + its largest strategic area + type tailored",
            "params": {
                "category": category.pk,
                "strategic_area": area.pk,
                "activity_type": "tailored",
            },
        },
        {
            "name": f"Primary {scbc.code} + collaborating {other_center.code} + opened in {year}",
            "params": {
                "primary_center": scbc.pk,
                "collaborating_center": other_center.pk,
                "opened_from": f"{year}-01-01",
                "opened_to": f"{year}-12-31",
            },
        },
        {"name": "Text: “licensing”", "params": {"q": "licensing"}, "text": True},
        {
            "name": "Text “peer learning” + completion closed",
            "params": {"q": "peer learning", "completion_status": "closed"},
            "text": True,
        },
        {
            "name": f"Summary and response-note dates both in {month_start:%m/%Y}",
            "params": {
                "summary_from": month_start.isoformat(),
                "summary_to": month_end.isoformat(),
                "response_from": month_start.isoformat(),
                "response_to": month_end.isoformat(),
            },
        },
        {"name": "All activities, by the slowest column", "params": {}, "slowest_sort": True},
    ]


# --------------------------------------------------------------------------- timing


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def _time_page(client: Any, url: str, repeat: int) -> tuple[dict[str, float], int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    reset_queries()  # each request resets the log when it starts
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # now: the next request clears the log it reads
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    return _summary(samples), query_count


def _floor(params: dict[str, Any], sort: str, repeat: int) -> tuple[dict[str, float], int]:
    """The page's own search queries run alone: the count, then the first page of results
    (the same `SearchResults` the page uses), no request, no template. The connection is
    handled as a request handles it: with CONN_MAX_AGE 0 (the settings' choice for SQLite)
    every run opens a new one, whose page cache starts empty, as every request's does."""
    from django.db import connection

    from search.forms import SearchForm
    from search.selectors import SearchResults
    from search.views import PAGE_SIZE

    form = SearchForm({k: str(v) for k, v in params.items()})
    assert form.is_valid(), form.errors
    criteria = form.criteria()
    samples = []
    count = 0
    fresh = not connection.settings_dict.get("CONN_MAX_AGE")
    for run in range(repeat + 2):
        if fresh:
            connection.close()
        started = time.perf_counter()
        results = SearchResults(criteria, sort=sort)
        count = results.count()
        results[0:PAGE_SIZE]
        if run >= 2:
            samples.append(time.perf_counter() - started)
    return _summary(samples), count


def _slowest_sort(repeat: int) -> tuple[str, dict[str, float]]:
    from search.criteria import SORT_COLUMNS

    timings = {}
    for key in SORT_COLUMNS:
        for sort in (key, f"-{key}"):
            timings[sort] = _floor({}, sort, max(3, repeat // 5))[0]["median_ms"]
    slowest = max(timings, key=timings.get)
    return slowest, timings


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _export_child(rows: int, fmt: str) -> None:
    """In a fresh process: export about `rows` rows; print time and peak memory as JSON."""
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from activities.models import TAActivity

    newest = TAActivity.objects.order_by("-date_opened").values_list("date_opened", flat=True)
    since = newest[min(rows, TAActivity.objects.count()) - 1]
    params = {"opened_from": since.isoformat()}
    expected = TAActivity.objects.filter(date_opened__gte=since).count()
    client = Client()
    client.force_login(User.objects.filter(is_federal_viewer=True).first() or User.objects.first())
    url = reverse(f"search:export_{fmt}")
    # Warm up: imports, templates, connection — then the baseline. The peak is the kernel's
    # high-water mark of this process (VmHWM), reset here; getrusage's ru_maxrss would
    # carry the parent's peak over the exec.
    b"".join(client.get(url, {"record": "1"}).streaming_content)
    Path("/proc/self/clear_refs").write_text("5")
    baseline = _status_kb("VmRSS")
    started = time.perf_counter()
    response = client.get(url, params)
    size = 0
    lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    response.close()
    peak = _status_kb("VmHWM")
    print(
        json.dumps(
            {
                "format": fmt,
                "rows": expected,
                "csv_lines": lines - 1 if fmt == "csv" else None,
                "bytes": size,
                "seconds": elapsed,
                "baseline_mb": baseline / 1024,
                "peak_mb": peak / 1024,
            }
        )
    )


def _export(rows: int, fmt: str, sqlite_path: Path) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 # nosec B603 # our own script, fixed arguments
        [
            sys.executable,
            __file__,
            "--sqlite-path",
            str(sqlite_path),
            "--export-child",
            str(rows),
            "--format",
            fmt,
        ],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- main


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    data = _ensure_data(args.activities, args.rebuild, args.sqlite_path)
    print(f"data: {data}", flush=True)
    staff, staff_count = _busiest_staff()
    jurisdiction, jurisdiction_count = _largest_jurisdiction()
    heavy, heavy_notes, heavy_added = _heavy_activity()
    client = Client()
    client.force_login(staff)

    pages: list[dict[str, Any]] = []

    def page(name: str, url: str, **extra: Any) -> dict[str, Any]:
        timing, queries = _time_page(client, url, args.repeat)
        item = {"name": name, "url": url, "queries": queries, **timing, **extra}
        pages.append(item)
        print(f"{name}: {timing['median_ms']:.1f} ms median, {queries} queries", flush=True)
        return item

    page(
        f"Home of the busiest staff member ({staff_count:,} activities)",
        reverse("workspace:home"),
        rows=staff_count,
    )
    page(
        f"Jurisdiction page: {jurisdiction.name} ({jurisdiction_count:,} activities)",
        reverse("workspace:jurisdiction", kwargs={"code": jurisdiction.code}),
        rows=jurisdiction_count,
    )
    page(
        f"Activity record with {heavy_notes} notes ({heavy.record_number}"
        + (f"; {heavy_added} added by the benchmark" if heavy_added else "")
        + ")",
        reverse("activities:detail", kwargs={"pk": heavy.pk}),
    )
    slowest, sort_timings = _slowest_sort(args.repeat)
    for search in _searches(staff, jurisdiction):
        params = dict(search["params"])
        sort = slowest if search.get("slowest_sort") else "-date_opened"
        if sort != "-date_opened":
            params["sort"] = sort
        url = reverse("search:search") + ("?" + urlencode(params) if params else "")
        floor, rows = _floor(search["params"], sort, args.repeat)
        name = search["name"] + (f" (sort `{sort}`)" if search.get("slowest_sort") else "")
        item = page(f"Search: {name}", url, rows=rows, floor=floor, text=search.get("text", False))
        item["ratio"] = item["median_ms"] / floor["median_ms"] if floor["median_ms"] else None

    exports = []
    formats = ["csv"] + (["xlsx"] if args.xlsx else [])
    for fmt in formats:
        for rows in (10_000, 100_000):
            item = _export(rows, fmt, args.sqlite_path)
            exports.append(item)
            print(f"export {fmt} {rows}: {item}", flush=True)
    growth = {}
    for fmt in formats:
        small, large = [e for e in exports if e["format"] == fmt]
        growth[fmt] = large["peak_mb"] - small["peak_mb"]

    result = {
        "when": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": _machine(),
        "data": data,
        "repeat": args.repeat,
        "pages": pages,
        "slowest_sort": slowest,
        "sort_timings": sort_timings,
        "exports": exports,
        "export_growth_mb": growth,
    }
    (BENCH_DIR / f"results-{connection.vendor}.json").write_text(json.dumps(result, indent=2))
    write_report()
    print(f"wrote {BENCH_DIR / 'RESULTS.md'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--rebuild", action="store_true", help="Regenerate the data set.")
    parser.add_argument("--no-xlsx", dest="xlsx", action="store_false", help="CSV export only.")
    parser.add_argument("--sqlite-path", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--report-only", action="store_true", help="Rewrite RESULTS.md only.")
    parser.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--format", default="csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report_only:
        write_report()
        return
    _configure(args.sqlite_path)
    if args.export_child:
        _export_child(args.export_child, args.format)
        return
    run(args)


if __name__ == "__main__":
    main()
