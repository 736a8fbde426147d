"""Run the TAT load test against gunicorn (4 workers, production settings) and check that
nothing a client saw saved was lost (issue #12; figures in docs/reliability.md).

    TAT_LOAD_PASSWORD=… .venv/bin/python -m bench.load.run_load \\
        --database-url sqlite:///var/bench/tat_bench.sqlite3 --users-file var/load/users.json \\
        --users 20 --seconds 60 [--ramp 20,40,80,160 --step-seconds 20]

Prints, and writes to var/load/, per request type the count, p50 and p95 (ms) and the
requests per second; server errors (5xx, must be 0); the writes the clients saw succeed and
how many of them the database holds (must be all); the stale edits refused (C1) and whether
any of their text reached the database (must not). With --ramp, each step's p95 and the
knee: the first user count at which the p95 of all requests passes 1 s.

Bounded: one locust run of --seconds (at most 300) plus --step-seconds per ramp step, all
against 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess  # nosec B404 # runs locust with fixed arguments
import sys
import time
from pathlib import Path
from typing import Any

from bench.load.server import ROOT, Server

OUT = ROOT / "var" / "load"


def run_locust(
    server: Server, users: int, seconds: int, users_file: Path, ledger: Path, prefix: Path
) -> dict[str, Any]:
    env = {
        **os.environ,
        "TAT_LOAD_USERS": str(users_file),
        "TAT_LOAD_LEDGER": str(ledger),
    }
    subprocess.run(  # noqa: S603 # nosec B603
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(5, users // 4)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            server.url,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env=env,
        cwd=ROOT,
        check=False,
        timeout=seconds + 120,
        stdout=subprocess.DEVNULL,
    )
    return read_stats(Path(f"{prefix}_stats.csv"), seconds)


def read_stats(path: Path, seconds: int) -> dict[str, Any]:
    rows = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": _num(row["50%"]),
                "p95_ms": _num(row["95%"]),
                "rps": round(float(row["Requests/s"]), 2),
            }
    return rows


def _num(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def check_ledger(database_url: str, ledger: Path) -> dict[str, Any]:
    """Every write the clients saw succeed is in the database; no refused edit is."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from activities.models import DeliverySummary, ResponseNote

    entries = (
        [json.loads(line) for line in ledger.read_text().splitlines()] if ledger.exists() else []
    )
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_kind.setdefault(entry["kind"], []).append(entry)

    def present(model: Any, texts: list[str], history: bool = False) -> int:
        found = 0
        manager = model.history if history else model.objects
        for start in range(0, len(texts), 500):
            chunk = texts[start : start + 500]
            found += len(set(manager.filter(text__in=chunk).values_list("text", flat=True)))
        return found

    notes = [e["text"] for e in by_kind.get("response_note", [])]
    summaries = [e["text"] for e in by_kind.get("summary", [])]
    edits = [e["text"] for e in by_kind.get("note_edit", [])]
    refused = [e["text"] for e in by_kind.get("refused", [])]
    result = {
        "server_errors": len(by_kind.get("server_error", [])),
        "notes_saved": len(notes),
        "notes_in_db": present(ResponseNote, notes),
        "summaries_saved": len(summaries),
        "summaries_in_db": present(DeliverySummary, summaries),
        "edits_saved": len(edits),
        "edits_in_history": present(ResponseNote, edits, history=True),
        "stale_edits_refused": len(refused),
        "stale_text_in_db": present(ResponseNote, refused, history=True),
    }
    result["nothing_lost"] = (
        result["notes_in_db"] == result["notes_saved"]
        and result["summaries_in_db"] == result["summaries_saved"]
        and result["edits_in_history"] == result["edits_saved"]
        and result["stale_text_in_db"] == 0
    )
    return result


def aggregated_p95(stats: dict[str, Any]) -> float | None:
    return (stats.get("Aggregated") or {}).get("p95_ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users-file", type=Path, required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ramp", default="", help="user counts, e.g. 20,40,80,160")
    parser.add_argument("--step-seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--label", default="run")
    args = parser.parse_args(argv)
    if not os.environ.get("TAT_LOAD_PASSWORD"):
        parser.error("set TAT_LOAD_PASSWORD (the password setup_load gave the load users)")
    if not 1 <= args.seconds <= 300 or not 1 <= args.step_seconds <= 120:
        parser.error("keep --seconds ≤ 300 and --step-seconds ≤ 120")
    OUT.mkdir(parents=True, exist_ok=True)
    ledger = OUT / f"ledger-{args.label}.jsonl"
    ledger.unlink(missing_ok=True)
    report: dict[str, Any] = {
        "label": args.label,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
    }
    server = Server(args.database_url, args.port).start()
    try:
        report["steady"] = {
            "users": args.users,
            "seconds": args.seconds,
            "stats": run_locust(
                server,
                args.users,
                args.seconds,
                args.users_file,
                ledger,
                OUT / f"{args.label}-steady",
            ),
        }
        ramp = []
        for users in [int(n) for n in args.ramp.split(",") if n.strip()]:
            stats = run_locust(
                server,
                users,
                args.step_seconds,
                args.users_file,
                ledger,
                OUT / f"{args.label}-ramp-{users}",
            )
            ramp.append(
                {
                    "users": users,
                    "p95_ms": aggregated_p95(stats),
                    "p50_ms": stats.get("Aggregated", {}).get("p50_ms"),
                    "rps": stats.get("Aggregated", {}).get("rps"),
                    "failures": stats.get("Aggregated", {}).get("failures"),
                }
            )
        report["ramp"] = ramp
        report["knee_users"] = next(
            (step["users"] for step in ramp if (step["p95_ms"] or 0) > 1000), None
        )
    finally:
        server.stop()
    report["load_average_after"] = os.getloadavg()
    report["ledger"] = check_ledger(args.database_url, ledger)
    path = OUT / f"results-{args.label}.json"
    path.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0 if report["ledger"]["nothing_lost"] and not report["ledger"]["server_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
