"""bench/RESULTS.md, written from every bench/results-<vendor>.json present (see
bench_search.py for how the numbers are measured)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
TARGET_PAGE_MS = 150.0
TARGET_TEXT_MS = 200.0
TARGET_RATIO = 3.0
TARGET_EXPORT_GROWTH_MB = 20.0
TARGET_REVIEW_MS = 200.0
TARGET_REMINDERS_S = 60.0


def _ok(passed: bool) -> str:
    return "yes" if passed else "**NO**"


def _section(result: dict[str, Any]) -> str:
    m = result["machine"]
    size = result["data"]
    lines = [
        f"## {m['database']}",
        "",
        f"Run {result['when']} — {m['cpu']}, {m['cores']} cores, {m['memory']} RAM; "
        f"{m['os']}; Python {m['python']}, Django {m['django']}.",
        "",
        f"Data: {size['activities']:,} TA activities, {size['notes']:,} notes "
        f"({', '.join(f'{k} {v:,}' for k, v in size['notes_by_kind'].items())}), "
        f"{size['people']:,} people. {result['repeat']} timed requests per page after 2 "
        "warm-up requests; the test client in-process, DEBUG off.",
        "",
        "### Pages",
        "",
        "| page | rows | SQL queries | median ms | p95 ms | floor median ms | page − floor ms "
        "| page ÷ floor | median < 150 ms | ratio ≤ 3 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for page in result["pages"]:
        rows = f"{page['rows']:,}" if page.get("rows") is not None else ""
        floor, ratio = page.get("floor"), page.get("ratio")
        target = TARGET_TEXT_MS if page.get("text") else TARGET_PAGE_MS
        fast = _ok(page["median_ms"] < target) + (" (text: < 200 ms)" if page.get("text") else "")
        lines.append(
            f"| {page['name']} | {rows} | {page['queries']} | {page['median_ms']:.1f} "
            f"| {page['p95_ms']:.1f} | {floor['median_ms']:.1f} "
            f"| {page['median_ms'] - floor['median_ms']:.1f} | {ratio:.2f} | {fast} "
            f"| {_ok(ratio <= TARGET_RATIO)} |"
            if floor and ratio is not None
            else f"| {page['name']} | {rows} | {page['queries']} | {page['median_ms']:.1f} "
            f"| {page['p95_ms']:.1f} | – | – | – | {fast} | – |"
        )
    lines += [
        "",
        f"Slowest sort of the whole result set: `{result['slowest_sort']}` "
        "(floor medians of every sort, ms: "
        + ", ".join(f"{k} {v:.0f}" for k, v in sorted(result["sort_timings"].items()))
        + ").",
        "",
        "### Export (each in a fresh process)",
        "",
        "| format | rows | seconds | MB written | baseline RSS MB | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for item in result["exports"]:
        lines.append(
            f"| {item['format'].upper()} | {item['rows']:,} | {item['seconds']:.1f} "
            f"| {item['bytes'] / 1e6:.1f} | {item['baseline_mb']:.0f} | {item['peak_mb']:.0f} |"
        )
    for fmt, growth in result["export_growth_mb"].items():
        verdict = _ok(growth < TARGET_EXPORT_GROWTH_MB)
        target = f" — target < {TARGET_EXPORT_GROWTH_MB:.0f} MB: {verdict}" if fmt == "csv" else ""
        lines += [
            "",
            f"{fmt.upper()} peak memory growth from the small to the large export: "
            f"{growth:.1f} MB{target}.",
        ]
    return "\n".join(lines)


def _review_section(result: dict[str, Any]) -> str:
    """Issue 9: the monthly review page and `send_reminders` (bench_review.py)."""
    m = result["machine"]
    size = result["data"]
    load = ", ".join(f"{x:.1f}" for x in result.get("load_average", []))
    lines = [
        f"### {m['database']}",
        "",
        f"Run {result['when']} — {m['cpu']}, {m['cores']} cores, {m['memory']} RAM"
        + (f"; load average {load} during the run" if load else "")
        + f". Data: {size['activities']:,} TA activities, {size['notes']:,} notes. Month "
        f"{result['month'][:7]} ({result['month_summaries']:,} summaries). "
        f"{result['rounds']} rounds of {result['repeat']} timed requests per page after 2 "
        "warm-up requests; the round with the lowest median is shown, with every round's "
        "median.",
        "",
        "| review state | page | rows of the month (reviewed) | SQL queries | median ms "
        "| p95 ms | CPU median ms | round medians ms | median < 200 ms |",
        "|---|---|---:|---:|---:|---:|---:|---|:-:|",
    ]
    for state in result["states"]:
        for page in state["pages"]:
            cpu = f"{page['cpu_median_ms']:.0f}" if "cpu_median_ms" in page else "–"
            lines.append(
                f"| {state['state']} | {page['name']} | {page['rows']:,} ({page['reviewed']:,}) "
                f"| {page['queries']} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {cpu} "
                f"| {', '.join(f'{x:.0f}' for x in page['round_medians_ms'])} "
                f"| {_ok(page['median_ms'] < TARGET_REVIEW_MS)} |"
            )
    lines += [
        "",
        "`send_reminders --dry-run` (in-process; every e-mail rendered, nothing sent or recorded):",
        "",
        "| review state | day | best s | median s | SQL queries | e-mails | under 60 s |",
        "|---|---|---:|---:|---:|---:|:-:|",
    ]
    for state in result["states"]:
        r = state["reminders"]
        lines.append(
            f"| {state['state']} | {r['today']} | {r['best_s']:.1f} | {r['median_s']:.1f} "
            f"| {r['queries']} | {r['emails']:,} | {_ok(r['median_s'] < TARGET_REMINDERS_S)} |"
        )
    lines += [
        "",
        "Per kind: reminders found and SQL queries (the collector and its “already sent” "
        "read), on the run's day and a week earlier — the same number of queries whatever "
        "is found:",
        "",
        "| review state | kind | found | queries | found a week earlier | queries |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for state in result["states"]:
        r = state["reminders"]
        for kind, item in r["kinds"].items():
            other = r["other_day_kinds"][kind]
            lines.append(
                f"| {state['state']} | {kind} | {item['found']:,} | {item['queries']} "
                f"| {other['found']:,} | {other['queries']} |"
            )
    return "\n".join(lines)


def write_report() -> None:
    results = []
    reviews = []
    for path in sorted(BENCH_DIR.glob("results-*.json")):
        if path.name.startswith("results-review-"):
            reviews.append(json.loads(path.read_text()))
        else:
            results.append(json.loads(path.read_text()))
    header = [
        "# Search and page benchmark",
        "",
        "Written by `bench/bench_search.py` (see its docstring for how to run it). Targets "
        "(issue 5) at 200,000 activities: every page's median under 150 ms; no search's "
        "page ÷ floor ratio above 3 (floor: the page's count and rows queries run alone, on a "
        "connection handled as a request handles it); text search median under 200 ms; CSV "
        "export peak-memory growth from 10,000 to 100,000 rows under 20 MB.",
        "",
    ]
    notes_path = BENCH_DIR / "NOTES.md"
    body = [_section(r) for r in results]
    if reviews:
        body.append(
            "\n".join(
                [
                    "## Monthly review and reminders (issue 9)",
                    "",
                    "Written by `bench/bench_review.py` (see its docstring). Targets at "
                    "200,000 activities: the review page of the busiest State Systems "
                    "Specialist (all their States and Territories, one month) and of an "
                    "administrator (every jurisdiction, first page) answer with a median "
                    "under 200 ms; `send_reminders` over the whole data set finishes in under "
                    "60 s with a constant number of queries per kind.",
                ]
            )
        )
        body += [_review_section(r) for r in reviews]
    text = "\n".join(header) + "\n" + "\n\n".join(body) + "\n"
    if notes_path.exists():
        text += "\n" + notes_path.read_text()
    (BENCH_DIR / "RESULTS.md").write_text(text)
