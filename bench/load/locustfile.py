"""Locust users of the TAT load test (issue #12; docs/reliability.md). Targets 127.0.0.1 only.

Each simulated person is one `load-N@load.tat.example` TA staff account (bench/load/
setup_load.py) and, after signing in, browses (home, records of the 200,000-activity data
set, their own record's tabs), searches (words in notes, criteria), adds TA response notes
and summaries of TA delivered to their own load-test record, and corrects a note — one time
in three with a stale version, which the app must refuse as a conflict (C1).

Every write the client saw succeed (a redirect after POST) is appended to the JSON-lines
file named by TAT_LOAD_LEDGER with its unique token; every stale edit the app refused is
recorded too. bench/load/run_load.py checks the database against that ledger afterwards.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import threading
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

USERS = json.loads(Path(os.environ["TAT_LOAD_USERS"]).read_text())
PASSWORD = os.environ["TAT_LOAD_PASSWORD"]
LEDGER = Path(os.environ["TAT_LOAD_LEDGER"])
WORDS = ["licensing", "workforce", "QRIS", "subsidy", "monitoring", "training", "data", "plan"]
_next_account = itertools.count()
_ledger_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ERROR = re.compile(r'class="usa-(?:error-message|alert__text)[^"]*"[^>]*>\s*([^<]{1,160})')


def why(response: Any) -> str:
    """The first error or alert the page shows (what a person would read)."""
    found = ERROR.search(response.text or "")
    return found.group(1).strip() if found else ""


def a_valid_day() -> str:
    """Yesterday (UTC): never "in the future" in the app's time zone (America/New_York by
    default, behind UTC), and after the load records' opening date."""
    return (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()


def record(kind: str, **fields: Any) -> None:
    with _ledger_lock, LEDGER.open("a") as ledger:
        ledger.write(json.dumps({"kind": kind, **fields}) + "\n")


@events.test_start.add_listener
def _check_target(environment: Any, **kwargs: Any) -> None:
    host = environment.host or ""
    if not host.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit(f"the load test targets 127.0.0.1 only, not {host!r}")


@events.request.add_listener
def _server_errors(name: str, response: Any = None, **kwargs: Any) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        record("server_error", name=name, status=response.status_code)


class TATStaff(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        account = USERS["users"][next(_next_account) % len(USERS["users"])]
        self.activity = account["activity"]
        self.note = account["note"]
        page = self.client.get("/accounts/login/", name="sign in (page)")
        token = self._csrf(page.text)
        self.client.post(
            "/accounts/login/",
            data={"username": account["email"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )

    # --- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _csrf(html: str) -> str:
        found = CSRF.search(html)
        return found.group(1) if found else ""

    def _post(self, path: str, data: dict[str, Any], name: str, referer: str) -> Any:
        return self.client.post(
            path,
            data=data,
            headers={"Referer": f"{self.host}{referer}"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    # --- browsing and searching -------------------------------------------------------------
    @task(4)
    def browse_record(self) -> None:
        pk = random.choice(USERS["browse"])
        self.client.get(f"/activities/{pk}/", name="record (any)")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def own_record_tabs(self) -> None:
        self.client.get(f"/activities/{self.activity}/tracking/", name="own record: tracking")
        self.client.get(f"/activities/{self.activity}/history/", name="own record: history")

    @task(3)
    def search_words(self) -> None:
        self.client.get(f"/search/?q={random.choice(WORDS)}", name="search: words")

    @task(1)
    def search_criteria(self) -> None:
        self.client.get("/search/?completion_status=open&sort=-date_opened", name="search: open")

    # --- writing ----------------------------------------------------------------------------
    @task(2)
    def add_response_note(self) -> None:
        tab = f"/activities/{self.activity}/notes/"
        token = self._csrf(self.client.get(tab, name="own record: notes").text)
        text = f"LOAD {uuid.uuid4().hex} response note"
        with self._post(
            f"/activities/{self.activity}/notes/add/",
            {"csrfmiddlewaretoken": token, "response-text": text},
            "add response note",
            tab,
        ) as response:
            if response.status_code == 302:
                record("response_note", text=text, activity=self.activity)
                response.success()
            else:
                response.failure(f"not saved: {response.status_code} {why(response)}")

    @task(1)
    def add_summary(self) -> None:
        tab = f"/activities/{self.activity}/tracking/"
        token = self._csrf(self.client.get(tab, name="own record: tracking").text)
        text = f"LOAD {uuid.uuid4().hex} summary of TA delivered"
        with self._post(
            f"/activities/{self.activity}/tracking/summaries/add/",
            {
                "csrfmiddlewaretoken": token,
                "summary-delivery_date": a_valid_day(),
                "summary-text": text,
            },
            "add summary",
            tab,
        ) as response:
            if response.status_code == 302:
                record("summary", text=text, activity=self.activity)
                response.success()
            else:
                response.failure(f"not saved: {response.status_code} {why(response)}")

    @task(2)
    def edit_note(self) -> None:
        """C1: correct the own note; one time in three with a stale version."""
        path = f"/activities/{self.activity}/response-notes/{self.note}/edit/"
        page = self.client.get(path, name="edit note (page)")
        token, found = self._csrf(page.text), VERSION.search(page.text)
        if not found:
            return
        version = int(found.group(1))
        stale = version > 1 and random.random() < 1 / 3
        text = f"LOAD {uuid.uuid4().hex} {'stale' if stale else 'fresh'} correction"
        data = {
            "csrfmiddlewaretoken": token,
            "note_date": a_valid_day(),
            "text": text,
            "version": version - 1 if stale else version,
        }
        name = "edit note (stale)" if stale else "edit note"
        with self._post(path, data, name, path) as response:
            if stale and response.status_code == 200 and "Someone else saved" in response.text:
                record("refused", text=text, note=self.note)
                response.success()
            elif not stale and response.status_code == 302:
                record("note_edit", text=text, note=self.note, version=version + 1)
                response.success()
            else:
                reason = why(response)
                response.failure(f"unexpected {response.status_code} (stale={stale}) {reason}")
