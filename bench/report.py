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


def write_report() -> None:
    results = []
    for path in sorted(BENCH_DIR.glob("results-*.json")):
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
    text = "\n".join(header) + "\n" + "\n\n".join(body) + "\n"
    if notes_path.exists():
        text += "\n" + notes_path.read_text()
    (BENCH_DIR / "RESULTS.md").write_text(text)
