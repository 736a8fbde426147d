"""Shared pieces of the fault scripts (issue #12; docs/reliability.md): scratch databases
seeded with the demo data and load-test accounts, and a small signed-in HTTP client.

Every script works on its own scratch database (a SQLite file under var/load/ or a
`tat_fault_*` PostgreSQL database it creates and drops), never on the bench or demo data,
and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import subprocess  # nosec B404 # our own manage.py and setup script, fixed arguments
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.load.server import ROOT

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def manage(database_url: str, *args: str) -> None:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url}
    subprocess.run(  # noqa: S603 # nosec B603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def scratch_database(engine: str, name: str) -> str:
    """A fresh database with the demo data; returns its DATABASE_URL."""
    if engine == "sqlite":
        path = ROOT / "var" / "load" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER}/{name}"
    manage(url, "migrate", "-v", "0")
    manage(url, "load_reference_data", "-v", "0")
    manage(url, "seed_demo")
    return url


def drop_scratch(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        assert name.startswith("tat_fault_"), name  # never anything else
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_users(url: str, count: int, password: str) -> dict[str, Any]:
    out = ROOT / "var" / "load" / f"users-{secrets.token_hex(4)}.json"
    env = {**os.environ, "DATABASE_URL": url, "TAT_LOAD_PASSWORD": password}
    subprocess.run(  # noqa: S603 # nosec B603
        [
            sys.executable,
            "-m",
            "bench.load.setup_load",
            "--users",
            str(count),
            "--output",
            str(out),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = json.loads(out.read_text())
    out.unlink()
    return data


class Client:
    """A browser-like session: cookies, CSRF token from the page, Referer on POST."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        assert base.startswith("http://127.0.0.1:"), base
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path: str, data: dict[str, Any], referer: str | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, headers={"Referer": self.base + (referer or path)}
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:  # nosec B310
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as exc:
            return 0, str(exc)

    def sign_in(self, email: str, password: str) -> bool:
        _, page = self.get("/accounts/login/")
        token = csrf(page)
        status, _ = self.post(
            "/accounts/login/",
            {"username": email, "password": password, "csrfmiddlewaretoken": token},
        )
        return status == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def a_valid_day() -> str:
    """Yesterday (UTC): never "in the future" in the app's time zone, which is behind UTC."""
    import datetime as dt

    return (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()


def csrf(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


def version_of(page: str) -> int | None:
    found = VERSION.search(page)
    return int(found.group(1)) if found else None


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
