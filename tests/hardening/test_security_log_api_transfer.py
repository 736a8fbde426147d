"""Issue #12, evidence in CI: the security events of the API and of import/export.

Each must write one structured line through core.security_log with the person, the UTC time
and the request id: an API request authenticated by a token (the token's id and name, never
the token), a token created or revoked, an import's dry run and commit (the file's name and
row counts), an export (its scope and counts). No secret and no note text appears in any log
line, ours or Django's.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api import services as api_services
from api.models import ApiToken
from core import security_log
from reference.models import Center
from tests.factories import AdminFactory, UserFactory
from tests.factories_activities import World
from tests.hardening.test_security_log import assert_common, events, everything
from transfer import templates as template_files
from transfer.models import PendingImport

STAFF_EMAIL = "staff.person@center.example.org"  # the template's primary staff person
# Free text of the import template's rows: never in a log line.
TEMPLATE_TEXTS = ("Three workgroup sessions", "The session was very helpful", "Workgroup formed")


@pytest.fixture(scope="module")
def _module_client() -> Client:
    """One test client for the module: a new one loads the middleware again, and WhiteNoise
    then re-scans every static file (seconds per test)."""
    return Client()


@pytest.fixture
def client(_module_client: Client, db: None) -> Client:
    _module_client.logout()
    _module_client.cookies.clear()
    return _module_client


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Any:
    """Every log record at DEBUG, the security logger's included (it does not propagate)."""
    import logging

    logger = logging.getLogger(security_log.LOGGER_NAME)
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger=security_log.LOGGER_NAME)
    yield caplog
    logger.removeHandler(caplog.handler)


def _token(user: Any, name: str = "Nightly sync") -> tuple[ApiToken, str]:
    return api_services.api_token_create(
        actor=user,
        owner=user,
        name=name,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )


# --- API tokens --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_use_is_logged_with_owner_and_token_name_never_the_token(
    client: Client, world: World, captured
) -> None:
    token, secret = _token(world.primary)
    captured.clear()
    response = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {secret}", "X-Request-ID": "req-api-0001"}
    )
    assert response.status_code == 200
    [entry] = events(captured, security_log.TOKEN_USE)
    assert_common(entry, path="/api/v1/me")
    assert entry["outcome"] == "success"
    assert entry["user_id"] == world.primary.pk
    assert entry["user_email"] == world.primary.email
    assert entry["token_id"] == token.pk
    assert entry["token_name"] == "Nightly sync"
    assert entry["request_id"] == "req-api-0001" == response["X-Request-ID"]
    assert secret not in everything(captured)
    assert secret[4:] not in everything(captured)  # not even without its visible prefix


@pytest.mark.django_db
def test_session_request_to_the_api_is_no_token_use(client: Client, world: World, captured):
    client.force_login(world.primary)
    assert client.get("/api/v1/me").status_code == 200
    assert events(captured, security_log.TOKEN_USE) == []


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
@pytest.mark.django_db
def test_refused_token_is_logged_as_a_failure_without_the_token(
    client: Client, world: World, captured, state: str
) -> None:
    token, secret = _token(world.primary)
    if state == "unknown":
        secret = secret[:-4] + "abcd"
    elif state == "revoked":
        api_services.api_token_revoke(actor=world.primary, token=token)
    else:
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    captured.clear()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    [entry] = events(captured, security_log.TOKEN_USE)
    assert_common(entry, path="/api/v1/me")
    assert entry["outcome"] == "failure"
    assert entry["user_id"] is None and "token_id" not in entry
    assert entry["request_id"] == response["X-Request-ID"]
    assert secret not in everything(captured)


@pytest.mark.django_db
def test_token_created_and_revoked_on_the_page_are_logged(
    client: Client, world: World, captured, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.primary)
    expires = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("api_tokens"), {"name": "Report script", "expires": expires})
    assert created.status_code == 200
    secret = created.context["secret"]
    assert secret and secret.startswith(api_services.TOKEN_PREFIX)
    token = ApiToken.objects.get(name="Report script")
    [entry] = events(captured, security_log.TOKEN_CREATED)
    assert_common(entry, path=reverse("api_tokens"))
    assert entry["user_id"] == world.primary.pk == entry["owner_id"]
    assert entry["token_id"] == token.pk and entry["token_name"] == "Report script"
    assert entry["expires"] == expires
    assert entry["request_id"] == created["X-Request-ID"]

    url = reverse("api_token_revoke", args=[token.pk])
    with django_capture_on_commit_callbacks(execute=True):
        revoked = client.post(url)
    assert revoked.status_code == 302
    [entry] = events(captured, security_log.TOKEN_REVOKED)
    assert_common(entry, path=url)
    assert entry["user_id"] == world.primary.pk
    assert entry["token_id"] == token.pk and entry["token_name"] == "Report script"
    assert entry["request_id"] == revoked["X-Request-ID"]
    assert secret not in everything(captured)


@pytest.mark.django_db
def test_token_created_by_the_command_is_logged(
    world: World, captured, django_capture_on_commit_callbacks, capsys
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_api_token", world.sss.email, "--name", "Data warehouse")
    secret = capsys.readouterr().out.strip()
    [entry] = events(captured, security_log.TOKEN_CREATED)
    assert_common(entry)
    assert entry["user_id"] == world.sss.pk and entry["token_name"] == "Data warehouse"
    assert entry["request_id"] is None  # no request: run on the server
    assert secret and secret not in everything(captured)


@pytest.mark.django_db
def test_rolled_back_token_creation_is_not_logged(world: World, captured) -> None:
    """Logged once committed: a creation undone by an outer transaction leaves no line."""
    _token(world.primary)  # the test's transaction is never committed
    assert events(captured, security_log.TOKEN_CREATED) == []


# --- import ------------------------------------------------------------------------------------


@pytest.fixture
def admin(reference_data: None) -> Any:
    UserFactory(email=STAFF_EMAIL, center=Center.objects.get(code="SCBC"))
    return AdminFactory(email="ada.admin@example.org")


def _upload(client: Client, data: bytes, name: str) -> Any:
    return client.post(
        reverse("transfer:import"), {"file": SimpleUploadedFile(name, data), "source": "legacy"}
    )


def _assert_no_file_text(captured: Any) -> None:
    text = everything(captured)
    for fragment in TEMPLATE_TEXTS:
        assert fragment not in text


@pytest.mark.django_db
def test_import_dry_run_and_commit_are_logged_with_file_name_and_counts(
    client: Client, admin: Any, captured
) -> None:
    client.force_login(admin)
    data = template_files.template_csv()
    response = _upload(client, data, "legacy-2024.csv")
    assert response.status_code == 200
    [dry] = events(captured, security_log.IMPORT)
    assert_common(dry, path=reverse("transfer:import"))
    assert dry["outcome"] == "success" and dry["mode"] == "dry_run"
    assert dry["user_id"] == admin.pk and dry["user_email"] == "ada.admin@example.org"
    assert dry["file_name"] == "legacy-2024.csv"
    assert dry["rows"] == 9 and dry["errors"] == 0 and dry["committed"] is False
    assert dry["request_id"] == response["X-Request-ID"]

    pending = PendingImport.objects.get()
    captured.clear()
    url = reverse("transfer:import_confirm", args=[pending.pk])
    done = client.post(url)
    assert done.status_code == 200
    [commit] = events(captured, security_log.IMPORT)
    assert_common(commit, path=url)
    assert commit["outcome"] == "success" and commit["mode"] == "commit"
    assert commit["committed"] is True and commit["file_name"] == "legacy-2024.csv"
    assert commit["rows"] == 9 and commit["errors"] == 0
    assert commit["created"]["activity"] == 1 and commit["created"]["feedback"] == 1
    assert sum(commit["created"].values()) == 9
    assert commit["request_id"] == done["X-Request-ID"]
    _assert_no_file_text(captured)


@pytest.mark.django_db
def test_import_with_errors_is_logged_as_a_failure(client: Client, admin: Any, captured) -> None:
    client.force_login(admin)
    data = template_files.template_csv().replace(b",somewhat,", b",very,")
    assert _upload(client, data, "broken.csv").status_code == 200
    [entry] = events(captured, security_log.IMPORT)
    assert entry["outcome"] == "failure" and entry["mode"] == "dry_run"
    assert entry["rows"] == 9 and entry["errors"] >= 1
    _assert_no_file_text(captured)


@pytest.mark.django_db
def test_unreadable_import_is_logged_without_its_content(
    client: Client, admin: Any, captured
) -> None:
    client.force_login(admin)
    data = b"Confidential plan for the State,second cell\nx,y\n"
    response = _upload(client, data, "notes.csv")
    assert response.status_code == 200
    [entry] = events(captured, security_log.IMPORT)
    assert entry["outcome"] == "failure" and entry["mode"] == "dry_run"
    assert entry["file_name"] == "notes.csv" and entry["reason"] == "unreadable file"
    assert "Confidential plan" not in everything(captured)


@pytest.mark.django_db
def test_import_command_logs_dry_run_and_commit(admin: Any, captured, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(template_files.template_csv())
    call_command("import_records", str(path), "--no-progress", stdout=io.StringIO())
    call_command("import_records", str(path), "--commit", "--no-progress", stdout=io.StringIO())
    dry, commit = events(captured, security_log.IMPORT)
    assert (dry["mode"], dry["committed"], dry["outcome"]) == ("dry_run", False, "success")
    assert (commit["mode"], commit["committed"], commit["outcome"]) == ("commit", True, "success")
    for entry in (dry, commit):
        assert_common(entry)
        assert entry["user_id"] == admin.pk and entry["file_name"] == "legacy.csv"
        assert entry["rows"] == 9 and entry["request_id"] is None
    _assert_no_file_text(captured)


# --- export ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code, scope", [("", "all"), ("GA", "GA")])
@pytest.mark.django_db
def test_export_is_logged_with_scope_and_counts(
    client: Client, world: World, captured, code: str, scope: str
) -> None:
    client.force_login(world.admin)
    url = reverse("transfer:export")
    response = client.get(url, {"download": "1", "jurisdiction": code})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [entry] = events(captured, security_log.EXPORT)
    assert_common(entry, path=url)
    assert entry["user_id"] == world.admin.pk
    assert entry["scope"] == scope and entry["format"] == "zip"
    assert entry["counts"]["records/goals.csv"] == 1
    assert entry["rows"] == sum(entry["counts"].values())
    assert entry["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_export_command_is_logged(world: World, captured, tmp_path: Path) -> None:
    output = tmp_path / "out.zip"
    call_command("export_records", "--output", str(output), stdout=io.StringIO())
    [entry] = events(captured, security_log.EXPORT)
    assert_common(entry)
    assert entry["user_id"] is None and entry["request_id"] is None
    assert entry["scope"] == "all" and entry["counts"]["records/goals.csv"] == 1


# --- what the log refuses to write -------------------------------------------------------------


def test_a_value_shaped_like_a_token_is_redacted_whatever_its_name() -> None:
    secret = api_services.TOKEN_PREFIX + "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"
    record = security_log.security_event(
        security_log.TOKEN_USE, token_name=f"copied {secret} here", label=secret, token_id=3
    )
    assert record["token_name"] == record["label"] == security_log.REDACTED
    assert record["token_id"] == 3


def test_counts_keep_numbers_and_redact_free_text_under_sensitive_names() -> None:
    record = security_log.security_event(
        security_log.EXPORT,
        counts={"records/feedback.csv": 3, "note": "Confidential plan", "plain": "x"},
    )
    assert record["counts"] == {
        "note": security_log.REDACTED,
        "plain": "x",
        "records/feedback.csv": 3,
    }


@pytest.mark.django_db
def test_every_real_token_has_the_shape_the_log_redacts(world: World) -> None:
    for _ in range(20):
        _token_row, secret = _token(world.primary)
        record = security_log.security_event(security_log.TOKEN_USE, label=secret)
        assert record["label"] == security_log.REDACTED
