"""Stop the database under the running app (issue #12, faults): pages answer with the 503
page, not a traceback, and the app recovers by itself when the database returns.

    .venv/bin/python -m bench.faults.outage --engine sqlite|postgresql [--seconds 10]

On a scratch database (demo data, one load account) behind gunicorn (4 workers):

- PostgreSQL: the app reaches the server through a TCP relay this script runs on
  127.0.0.1; "stopping the database" closes the relay and every connection through it
  (the machine's PostgreSQL server itself is never stopped). It returns when the relay
  listens again.
- SQLite: the database file (with its -wal and -shm) is moved aside and a directory takes
  its place, so no connection can open it; it returns when the file is moved back.

During the outage a signed-in page and the sign-in page are requested repeatedly: every
answer must be 503 with the outage page (no 500, no traceback, no error text). Then the
seconds until a signed-in page answers 200 again are measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

from bench.faults.common import Client, drop_scratch, load_users, scratch_database
from bench.load.server import Server

PG_PORT = 5432


class Relay:
    """A TCP relay 127.0.0.1:port → 127.0.0.1:5432 that can be cut and restored."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.listener is not listener:  # cut meanwhile: nothing gets through
                client.close()
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", PG_PORT))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            for sock in self.connections:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.connections = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args(argv)
    seconds = min(args.seconds, 60)
    password = secrets.token_urlsafe(18)
    url = scratch_database(args.engine, "tat_fault_outage")
    users = load_users(url, 1, password)["users"]
    relay = None
    served_url = url
    if args.engine == "postgresql":
        relay = Relay(15432)
        relay.start()
        served_url = url.replace(f":{PG_PORT}/", f":{relay.port}/")
    server = Server(served_url, 8791).start()
    try:
        report = outage(server, users[0], password, seconds, args.engine, url, relay)
    finally:
        server.stop()
        if relay is not None:
            relay.cut()
        drop_scratch(url)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


def outage(
    server: Server, account: dict, password: str, seconds: int, engine: str, url: str, relay
) -> dict:
    client = Client(server.url, timeout=30)
    assert client.sign_in(account["email"], password)
    record = f"/activities/{account['activity']}/"
    before = client.get(record)[0]
    path = Path(url.removeprefix("sqlite:///")) if engine == "sqlite" else None
    aside = Path(f"{path}.away") if path else None

    # --- stop the database ------------------------------------------------------------------
    if relay is not None:
        relay.cut()
    else:
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                shutil.move(f"{path}{suffix}", f"{aside}{suffix}")
        path.mkdir()
    statuses: dict[str, int] = {}
    leaks = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        for target in (record, "/", "/accounts/login/"):
            status, body = client.get(target)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status == 503 and "briefly unavailable" not in body:
                leaks += 1
            if "Traceback" in body or "OperationalError" in body:
                leaks += 1
        time.sleep(0.2)

    # --- bring it back ------------------------------------------------------------------------
    if relay is not None:
        relay.start()
    else:
        path.rmdir()
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{aside}{suffix}").exists():
                shutil.move(f"{aside}{suffix}", f"{path}{suffix}")
    back = time.monotonic()
    recovered = None
    while time.monotonic() - back < 60:
        if client.get(record)[0] == 200:
            recovered = round(time.monotonic() - back, 2)
            break
        time.sleep(0.1)
    during = sum(statuses.values())
    return {
        "engine": engine,
        "before": before,
        "outage_seconds": seconds,
        "requests_during_outage": during,
        "statuses_during_outage": statuses,
        "tracebacks_or_error_text": leaks,
        "recovered_seconds": recovered,
        "ok": before == 200
        and statuses.get("503", 0) == during
        and leaks == 0
        and recovered is not None,
    }


if __name__ == "__main__":
    sys.exit(main())
