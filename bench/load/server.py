"""Start and stop the app under gunicorn with production settings, on 127.0.0.1 only
(issue #12: the load and fault scripts, docs/reliability.md).

DEBUG off, a fresh 64-character SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, and plain HTTP:
SECURE_COOKIES and SECURE_SSL_REDIRECT off (nothing else differs from production).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess  # nosec B404 # starts our own gunicorn and manage.py, fixed arguments
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("TAT_TESTING", "TAT_ALLOW_INSECURE_KEY", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS=HOST,
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        LOG_LEVEL="ERROR",
        SECURITY_LOG_LEVEL="WARNING",
        AXES_ENABLED="false",  # every load user signs in from one address
    )
    env.update(extra)
    return env


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 # nosec B603
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


@dataclass
class Server:
    database_url: str
    port: int
    workers: int = 4
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, *, static: bool = True, timeout: float = 60) -> Server:
        env = production_env(self.database_url, **self.extra_env)
        if static and not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
            collect_static(env)
        self.log = ROOT / "var" / "load" / f"gunicorn-{self.port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 # nosec B603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> float:
        """Seconds until the sign-in page answers 200."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if status(self.url + "/accounts/login/") == 200:
                return time.monotonic() - start
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.url} did not answer within {timeout} s")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        pid = self.process.pid
        out = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # only the gunicorn this script started
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def status(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 # nosec B310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0
