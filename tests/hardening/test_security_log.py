"""Issue #12, evidence in CI: the security-event log (core.security_log).

One JSON line per event on the `tat.security` logger, with the event, the outcome, the person,
the UTC time, the request id, the client address and the path; never a password, a token,
note text or search terms. Every logger is captured at DEBUG level so that "the password
appears nowhere" covers Django's, django-axes' and our own log lines alike.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.permissions import require
from core import security_log
from tests.factories import UserFactory
from tests.factories_activities import World

PASSWORD = "correct horse battery"  # tests/factories.py
WRONG_PASSWORD = "Tr0ub4dor&3-never-logged"
TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture(scope="module")
def _module_client() -> Client:
    """One test client for the module: a new one loads the middleware again, and WhiteNoise
    then re-scans every static file (seconds per test)."""
    return Client()


@pytest.fixture
def client(_module_client: Client, db: None) -> Client:
    """The module's client, signed out and without cookies."""
    _module_client.logout()
    _module_client.cookies.clear()
    return _module_client


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record at DEBUG, the security logger's included (it does not propagate)."""
    logger = logging.getLogger(security_log.LOGGER_NAME)
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger=security_log.LOGGER_NAME)
    yield caplog
    logger.removeHandler(caplog.handler)


def events(caplog: pytest.LogCaptureFixture, event: str | None = None) -> list[dict[str, Any]]:
    lines = [r.getMessage() for r in caplog.records if r.name == security_log.LOGGER_NAME]
    for line in lines:
        assert "\n" not in line, "one line per event"
    parsed = [json.loads(line) for line in lines]
    return [e for e in parsed if event is None or e["event"] == event]


def everything(caplog: pytest.LogCaptureFixture) -> str:
    """All captured text: messages, arguments and exception texts."""
    parts = []
    for record in caplog.records:
        parts += [record.getMessage(), repr(record.args), repr(record.__dict__)]
    return caplog.text + "\n".join(parts)


def assert_common(entry: dict[str, Any], *, path: str | None = None) -> None:
    assert set(entry) >= {
        "event", "outcome", "timestamp", "user_id", "user_email", "request_id", "client", "path"
    }  # fmt: skip
    assert entry["timestamp"].endswith("Z")
    stamp = dt.datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00"))
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=5)
    if path is not None:
        assert entry["path"] == path
        assert entry["client"] == "127.0.0.1"
        assert entry["request_id"]


# --- request id --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_id_is_generated_and_echoed(client: Client) -> None:
    response = client.get(reverse("login"))
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert client.get(reverse("login"))["X-Request-ID"] != response["X-Request-ID"]


@pytest.mark.django_db
def test_well_formed_incoming_request_id_is_kept(client: Client) -> None:
    incoming = "3f2b9c1e-7a4d-4e8b-9f00-1234567890ab"
    response = client.get(reverse("login"), headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming", ["short", "has space in it", "<script>alert(1)</script>", "x" * 200, "a\tb" * 5]
)
@pytest.mark.django_db
def test_malformed_incoming_request_id_is_replaced(client: Client, incoming: str) -> None:
    response = client.get(reverse("login"), headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


# --- sign-in and lockout -----------------------------------------------------------------------


def _sign_in(client: Client, email: str, password: str, **headers: str) -> Any:
    return client.post(reverse("login"), {"username": email, "password": password}, headers=headers)


@pytest.mark.django_db
def test_sign_in_success_is_logged_without_the_password(client: Client, captured) -> None:
    user = UserFactory(email="tara@example.org")
    captured.clear()  # factory_boy's own debug lines name the factory's password
    response = _sign_in(client, "tara@example.org", PASSWORD, **{"X-Request-ID": "req-abc-12345"})
    assert response.status_code == 302
    [entry] = events(captured, security_log.SIGN_IN)
    assert_common(entry, path=reverse("login"))
    assert entry["outcome"] == "success"
    assert entry["user_id"] == user.pk
    assert entry["user_email"] == "tara@example.org"
    assert entry["request_id"] == "req-abc-12345" == response["X-Request-ID"]
    assert PASSWORD not in everything(captured)


@pytest.mark.django_db
def test_sign_in_failure_is_logged_without_the_password(client: Client, captured) -> None:
    UserFactory(email="tara@example.org")
    captured.clear()
    response = _sign_in(client, "Tara@Example.org", WRONG_PASSWORD)
    assert response.status_code == 200
    [entry] = events(captured, security_log.SIGN_IN_FAILED)
    assert_common(entry, path=reverse("login"))
    assert entry["outcome"] == "failure"
    assert entry["user_id"] is None and entry["user_email"] is None
    assert entry["attempted_email"] == "tara@example.org"
    assert entry["request_id"] == response["X-Request-ID"]
    assert WRONG_PASSWORD not in everything(captured)


@pytest.mark.django_db
def test_password_typed_into_the_name_field_is_not_logged(client: Client, captured) -> None:
    _sign_in(client, WRONG_PASSWORD, WRONG_PASSWORD)
    [entry] = events(captured, security_log.SIGN_IN_FAILED)
    assert entry["attempted_email"] is None
    assert WRONG_PASSWORD not in "\n".join(json.dumps(e) for e in events(captured))


@pytest.mark.django_db
def test_lockout_is_logged(client: Client, captured, settings) -> None:
    UserFactory(email="tara@example.org")
    captured.clear()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _sign_in(client, "tara@example.org", WRONG_PASSWORD)
    lockouts = events(captured, security_log.LOCKOUT)
    assert lockouts, "the failure that crosses the limit logs a lockout"
    assert_common(lockouts[0], path=reverse("login"))
    assert lockouts[0]["outcome"] == "locked"
    assert lockouts[0]["attempted_email"] == "tara@example.org"
    assert len(events(captured, security_log.SIGN_IN_FAILED)) >= settings.AXES_FAILURE_LIMIT
    assert WRONG_PASSWORD not in everything(captured)


# --- permission denied -------------------------------------------------------------------------


@pytest.mark.django_db
def test_require_refusal_is_logged_with_permission_and_object(world: World, captured) -> None:
    with pytest.raises(PermissionDenied):
        require(world.federal, "goals.change_goal", world.goal)
    [entry] = events(captured, security_log.PERMISSION_DENIED)
    assert_common(entry)
    assert entry["outcome"] == "denied"
    assert entry["user_id"] == world.federal.pk
    assert entry["permission"] == "goals.change_goal"
    assert entry["object_type"] == "goals.Goal"
    assert entry["object_id"] == world.goal.pk


@pytest.mark.django_db
def test_refused_page_logs_one_event_with_the_request(
    client: Client, world: World, captured
) -> None:
    client.force_login(world.federal)
    url = reverse("goals:edit", kwargs={"pk": world.goal.pk})
    response = client.post(url, {"description": "changed"})
    assert response.status_code == 403
    [entry] = events(captured, security_log.PERMISSION_DENIED)
    assert_common(entry, path=url)
    assert entry["user_id"] == world.federal.pk
    assert entry["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_csrf_refusal_is_logged_as_a_403(captured) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@b.org", "password": PASSWORD})
    assert response.status_code == 403
    [entry] = events(captured, security_log.PERMISSION_DENIED)
    assert_common(entry, path=reverse("login"))
    assert entry["status"] == 403
    assert PASSWORD not in everything(captured)


# --- admin action, export, token use, import ---------------------------------------------------


@pytest.mark.django_db
def test_admin_action_is_logged_without_the_object_text(world: World, captured) -> None:
    LogEntry.objects.log_actions(
        user_id=world.admin.pk,
        queryset=[world.goal],
        action_flag=CHANGE,
        change_message="Changed description.",
        single_object=True,
    )
    [entry] = events(captured, security_log.ADMIN_ACTION)
    assert_common(entry)
    assert entry["user_id"] == world.admin.pk
    assert entry["action"] == "change"
    assert entry["object_type"] == "goals.goal"
    assert entry["object_id"] == str(world.goal.pk)
    assert str(world.goal) not in json.dumps(entry)


@pytest.mark.parametrize("name, content_type", [("csv", "text/csv"), ("xlsx", "spreadsheet")])
@pytest.mark.django_db
def test_export_is_logged_with_criteria_names_not_terms(
    client: Client, world: World, captured, name: str, content_type: str
) -> None:
    client.force_login(world.primary)
    url = reverse(f"search:export_{name}")
    response = client.get(url, {"q": "confidentialterm", "region": world.region.pk})
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    b"".join(response.streaming_content) if response.streaming else response.content
    [entry] = events(captured, security_log.EXPORT)
    assert_common(entry, path=url)
    assert entry["format"] == name
    assert entry["criteria"] == ["q", "region"]
    assert entry["user_email"] == world.primary.email
    assert "confidentialterm" not in everything(captured)


@pytest.mark.django_db
def test_token_use_and_import_redact_secrets_and_free_text(captured) -> None:
    security_log.security_event(
        security_log.TOKEN_USE, token=TOKEN, token_id=7, api_key=TOKEN, scope="read"
    )
    security_log.security_event(
        security_log.IMPORT, outcome="failure", rows=12, note_text="Confidential plan", file="x"
    )
    token_use, imported = events(captured)
    assert token_use["event"] == "token_use" and token_use["user_id"] is None
    assert token_use["token"] == token_use["api_key"] == "[redacted]"
    assert token_use["token_id"] == 7  # a token is named by id and name, never shown
    assert token_use["scope"] == "read"
    assert imported["rows"] == 12 and imported["note_text"] == "[redacted]"
    assert TOKEN not in everything(captured)
    assert "Confidential plan" not in everything(captured)


def test_unknown_event_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown security event"):
        security_log.security_event("sign_in_sucess")


def test_long_extra_values_are_cut() -> None:
    record = security_log.security_event(security_log.IMPORT, file="x" * 10_000)
    assert len(record["file"]) <= 201
