"""Project-wide pytest set-up.

Browser tests (marked `browser`) need Debian's Chromium; where it is absent they skip.
PostgreSQL-only tests (marked `postgres`) skip unless the default database is PostgreSQL.
"""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright

CHROMIUM = os.environ.get("TAT_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
HAVE_CHROMIUM = os.path.exists(CHROMIUM)


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_browser = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "browser" in item.keywords and not HAVE_CHROMIUM:
            item.add_marker(skip_browser)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
