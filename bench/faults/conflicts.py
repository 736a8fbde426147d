"""Two gunicorn instances on one PostgreSQL database, editing the same records at once
(issue #12, C1): every stale write is refused as a conflict, nothing is silently
overwritten.

    .venv/bin/python -m bench.faults.conflicts [--rounds 30] [--writers 8]

A scratch database `tat_fault_conflicts` (demo data and load accounts) is created and
dropped. Each round reads the version of one TA response note, then fires `--writers`
corrections with that same version at once, half through each instance. Exactly one must
be saved (a redirect) and all others refused with the conflict panel; the database must
hold the winner's text at version + 1, and no loser's text anywhere in its history.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import threading
import time

from bench.faults.common import (
    Client,
    a_valid_day,
    drop_scratch,
    load_users,
    scratch_database,
    version_of,
)
from bench.load.server import Server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    args.rounds, args.writers = min(args.rounds, 200), min(max(args.writers, 2), 32)
    password = secrets.token_urlsafe(18)
    url = scratch_database("postgresql", "tat_fault_conflicts")
    servers: list[Server] = []
    try:
        users = load_users(url, 2, password)
        account = users["users"][0]
        servers = [Server(url, 8771, workers=2).start(), Server(url, 8772, workers=2).start()]
        clients = []
        for i in range(args.writers):
            client = Client(servers[i % 2].url)
            assert client.sign_in(account["email"], password), "sign-in failed"
            clients.append(client)
        path = f"/activities/{account['activity']}/response-notes/{account['note']}/edit/"
        report = run_rounds(clients, path, args.rounds)
        report.update(check_database(url, account["note"], report.pop("_winners"), report))
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            drop_scratch(url)
    print(json.dumps(report, indent=2))
    ok = report["rounds_with_one_winner"] == args.rounds and report["silent_overwrites"] == 0
    return 0 if ok and report["db_consistent"] else 1


def run_rounds(clients: list[Client], path: str, rounds: int) -> dict:
    winners: list[tuple[int, str]] = []
    losers: list[str] = []
    one_winner = other = 0
    started = time.monotonic()
    for _ in range(rounds):
        status, page = clients[0].get(path)
        version = version_of(page)
        assert status == 200 and version is not None, status
        results: list[tuple[int, str, str]] = []
        barrier = threading.Barrier(len(clients))

        def edit(
            client: Client,
            version: int = version,
            barrier: threading.Barrier = barrier,
            results: list = results,
        ) -> None:
            _, page = client.get(path)
            text = f"CONFLICT {secrets.token_hex(8)}"
            data = {
                "csrfmiddlewaretoken": _token(page),
                "note_date": a_valid_day(),
                "text": text,
                "version": version,
            }
            barrier.wait(30)
            status, body = client.post(path, data)
            results.append((status, text, body))

        threads = [threading.Thread(target=edit, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        saved = [text for status, text, _ in results if status == 302]
        refused = [t for s, t, body in results if s == 200 and "Someone else saved" in body]
        if len(saved) == 1 and len(refused) == len(clients) - 1:
            one_winner += 1
        else:
            other += 1
        winners += [(version + 1, text) for text in saved]
        losers += refused
    return {
        "rounds": rounds,
        "writers_per_round": len(clients),
        "instances": 2,
        "seconds": round(time.monotonic() - started, 1),
        "rounds_with_one_winner": one_winner,
        "rounds_otherwise": other,
        "stale_writes_refused": len(losers),
        "_winners": winners,
        "_losers": losers,
    }


def _token(page: str) -> str:
    from bench.faults.common import csrf

    return csrf(page)


def check_database(url: str, note_pk: int, winners: list, report: dict) -> dict:
    from bench.faults.common import django_setup

    django_setup(url)
    from activities.models import ResponseNote

    losers = report.pop("_losers")
    history = ResponseNote.history.filter(id=note_pk)
    by_version = {row.version: row.text for row in history}
    winners_kept = sum(1 for version, text in winners if by_version.get(version) == text)
    losers_found = history.filter(text__in=losers).count() if losers else 0
    note = ResponseNote.objects.get(pk=note_pk)
    return {
        "winning_writes_in_history": f"{winners_kept}/{len(winners)}",
        "silent_overwrites": losers_found,
        "final_version": note.version,
        "db_consistent": winners_kept == len(winners) and not losers_found,
    }


if __name__ == "__main__":
    sys.exit(main())
