"""SIGKILL gunicorn workers in the middle of writes (issue #12, faults): the database stays
consistent, the server recovers, and there are no partial records.

    .venv/bin/python -m bench.faults.kill_worker --engine sqlite|postgresql [--kills 6]

On a scratch database (demo data and load accounts): `--writers` signed-in clients add TA
response notes and summaries and correct a note as fast as they can while a worker of the
4-worker gunicorn is killed with SIGKILL every 2 s, `--kills` times. Afterwards:

- SQLite: `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
  PostgreSQL: every constraint is validated and no foreign key points nowhere;
- every write a client saw succeed is in the database, and every note, summary and
  activity has its history row (and every activity its requesters): nothing half-written;
- the server answers again and accepts a write within seconds of the last kill.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import sys
import threading
import time

from bench.faults.common import (
    Client,
    a_valid_day,
    csrf,
    django_setup,
    drop_scratch,
    load_users,
    scratch_database,
    version_of,
)
from bench.load.server import Server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--writers", type=int, default=6)
    args = parser.parse_args(argv)
    args.kills, args.writers = min(args.kills, 30), min(args.writers, 20)
    password = secrets.token_urlsafe(18)
    url = scratch_database(args.engine, "tat_fault_kill")
    server = None
    try:
        users = load_users(url, args.writers, password)["users"]
        server = Server(url, 8781).start()
        report = hammer(server, users, password, args.kills)
    finally:
        if server is not None:
            server.stop()
    report["engine"] = args.engine
    report.update(check_database(url, report.pop("_acknowledged")))
    drop_scratch(url)
    print(json.dumps(report, indent=2))
    return 0 if report["consistent"] and report["recovered"] else 1


def hammer(server: Server, users: list[dict], password: str, kills: int) -> dict:
    stop = threading.Event()
    acknowledged: list[tuple[str, str]] = []
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def writer(account: dict) -> None:
        client = Client(server.url, timeout=20)
        while not client.sign_in(account["email"], password) and not stop.is_set():
            time.sleep(0.5)
        activity, note = account["activity"], account["note"]
        while not stop.is_set():
            kind = random.choice(("note", "summary", "edit"))
            text = f"KILL {secrets.token_hex(8)} {kind}"
            if kind == "note":
                tab = f"/activities/{activity}/notes/"
                _, page = client.get(tab)
                status, _ = client.post(
                    f"/activities/{activity}/notes/add/",
                    {"csrfmiddlewaretoken": csrf(page), "response-text": text},
                    tab,
                )
            elif kind == "summary":
                tab = f"/activities/{activity}/tracking/"
                _, page = client.get(tab)
                status, _ = client.post(
                    f"/activities/{activity}/tracking/summaries/add/",
                    {
                        "csrfmiddlewaretoken": csrf(page),
                        "summary-delivery_date": a_valid_day(),
                        "summary-text": text,
                    },
                    tab,
                )
            else:
                path = f"/activities/{activity}/response-notes/{note}/edit/"
                _, page = client.get(path)
                status, _ = client.post(
                    path,
                    {
                        "csrfmiddlewaretoken": csrf(page),
                        "note_date": a_valid_day(),
                        "text": text,
                        "version": version_of(page) or 0,
                    },
                )
            with lock:
                outcomes[str(status)] = outcomes.get(str(status), 0) + 1
                if status == 302:
                    acknowledged.append((kind, text))

    threads = [threading.Thread(target=writer, args=(u,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    time.sleep(3)
    killed = []
    for _ in range(kills):
        workers = server.worker_pids()
        if workers:
            victim = random.choice(workers)
            os.kill(victim, signal.SIGKILL)  # a worker of the gunicorn this script started
            killed.append(victim)
        time.sleep(2)
    last_kill = time.monotonic()
    recovered_after = None
    probe = Client(server.url)
    probe.sign_in(users[0]["email"], password)
    while time.monotonic() - last_kill < 60:
        tab = f"/activities/{users[0]['activity']}/notes/"
        status, page = probe.get(tab)
        if status == 200:
            text = f"KILL {secrets.token_hex(8)} probe"
            status, _ = probe.post(
                f"/activities/{users[0]['activity']}/notes/add/",
                {"csrfmiddlewaretoken": csrf(page), "response-text": text},
                tab,
            )
            if status == 302:
                recovered_after = round(time.monotonic() - last_kill, 2)
                with lock:
                    acknowledged.append(("note", text))
                break
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(30)
    return {
        "workers_killed": len(killed),
        "writers": len(users),
        "responses": outcomes,
        "server_errors_5xx": sum(n for s, n in outcomes.items() if s.startswith("5")),
        "recovered": recovered_after is not None,
        "write_accepted_seconds_after_last_kill": recovered_after,
        "_acknowledged": acknowledged,
    }


def check_database(url: str, acknowledged: list[tuple[str, str]]) -> dict:
    django_setup(url)
    from django.db import connection

    from activities.models import DeliverySummary, ResponseNote, TAActivity

    problems: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            integrity = cursor.fetchone()[0]
            cursor.execute("PRAGMA foreign_key_check")
            orphans = cursor.fetchall()
            if integrity != "ok":
                problems.append(f"integrity_check: {integrity}")
            if orphans:
                problems.append(f"foreign_key_check: {orphans[:5]}")
            checks = {"integrity_check": integrity, "foreign_key_violations": len(orphans)}
        else:
            cursor.execute("SELECT count(*) FROM pg_constraint WHERE NOT convalidated")
            unvalidated = cursor.fetchone()[0]
            if unvalidated:
                problems.append(f"{unvalidated} constraints not validated")
            checks = {"constraints_not_validated": unvalidated}
    notes = [t for k, t in acknowledged if k == "note"]
    summaries = [t for k, t in acknowledged if k == "summary"]
    edits = [t for k, t in acknowledged if k == "edit"]
    found = {
        "notes": ResponseNote.objects.filter(text__in=notes).count(),
        "summaries": DeliverySummary.objects.filter(text__in=summaries).count(),
        "edits": ResponseNote.history.filter(text__in=edits).values("text").distinct().count(),
    }
    lost = (len(notes) - found["notes"]) + (len(summaries) - found["summaries"])
    lost += len(edits) - found["edits"]
    if lost:
        problems.append(f"{lost} acknowledged writes missing")
    partial = {
        "notes_without_history": ResponseNote.objects.exclude(
            pk__in=ResponseNote.history.filter(history_type="+").values("id")
        ).count(),
        "summaries_without_history": DeliverySummary.objects.exclude(
            pk__in=DeliverySummary.history.filter(history_type="+").values("id")
        ).count(),
        "activities_without_history": TAActivity.objects.exclude(
            pk__in=TAActivity.history.filter(history_type="+").values("id")
        ).count(),
        "activities_without_requesters": TAActivity.objects.filter(requesters__isnull=True).count(),
    }
    problems += [f"{name}: {n}" for name, n in partial.items() if n]
    return {
        "acknowledged_writes": len(acknowledged),
        "acknowledged_found": sum(found.values()),
        **checks,
        **partial,
        "problems": problems,
        "consistent": not problems,
    }


if __name__ == "__main__":
    sys.exit(main())
