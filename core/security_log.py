"""The security-event log (issue #12): one JSON line per event on the `tat.security` logger.

Events: sign-in success and failure, lockout, permission denied, API token use, creation and
revocation, admin action, import (dry run and commit) and export. Each line carries the
event, the outcome, the person (id and e-mail, or null), the UTC time (ISO 8601 with `Z`),
the request id, the client address and the path.

What is never written: passwords, tokens, note text, search terms. `security_event` accepts
only short extra fields (scalars, lists, small dicts of counts) and redacts any whose name
suggests a secret or free text, and any value that looks like an API token's secret, so a
careless caller cannot leak one. A token is named by its id and name only (`token_id`,
`token_name`: the only names with "token" in them that are written). The path is logged
without its query string.

The request id comes from a well-formed incoming `X-Request-ID` header (else a new one) and
is echoed in the response (`core.middleware.RequestIdMiddleware`); the current request is
kept in a context variable so services deep below a view log with it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

LOGGER_NAME = "tat.security"
logger = logging.getLogger(LOGGER_NAME)

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and a few separators: a UUID, a proxy's trace id. Anything else (spaces,
# newlines, quotes, a megabyte of text) is replaced by our own id.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

# The events of the log. The API (api.auth, api.services) logs token use, creation and
# revocation; the import and export (transfer views, services and commands) log theirs with
# `import_event` / `export_event` below; the search page logs its CSV/XLSX export.
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
LOCKOUT = "lockout"
PERMISSION_DENIED = "permission_denied"
TOKEN_USE = "token_use"  # noqa: S105 # nosec B105 # an event name
TOKEN_CREATED = "token_created"  # noqa: S105 # nosec B105 # an event name
TOKEN_REVOKED = "token_revoked"  # noqa: S105 # nosec B105 # an event name
ADMIN_ACTION = "admin_action"
IMPORT = "import"
EXPORT = "export"
EVENTS = frozenset(
    {
        SIGN_IN,
        SIGN_IN_FAILED,
        LOCKOUT,
        PERMISSION_DENIED,
        TOKEN_USE,
        TOKEN_CREATED,
        TOKEN_REVOKED,
        ADMIN_ACTION,
        IMPORT,
        EXPORT,
    }
)

# Extra field names that could carry a secret or free text: their value is never written.
_SENSITIVE = re.compile(
    r"pass|pwd|token|secret|key|auth|cookie|session|csrf|text|note|summary|feedback|query|"
    r"search|term|comment|body|content|message|description|repr",
    re.IGNORECASE,
)
# A token's id and name identify it without revealing it (its secret is never logged).
_SAFE_NAMES = frozenset({"token_id", "token_name"})
# The shape of an API token's secret (api.services.TOKEN_PREFIX and 32 random bytes in
# URL-safe base64): any extra value containing one is redacted, whatever its field's name.
_SECRET_VALUE = re.compile(r"tat_[A-Za-z0-9_-]{16,}")
REDACTED = "[redacted]"
_MAX_EXTRA_LENGTH = 200
_MAX_LIST_LENGTH = 50

_current_request: ContextVar[HttpRequest | None] = ContextVar("tat_security_request", default=None)


def request_id_from(value: str | None) -> str:
    """The incoming request id when well-formed, else a new random one."""
    if value and _WELL_FORMED_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


@contextmanager
def bound_request(request: HttpRequest) -> Iterator[None]:
    """Make `request` the one events are logged against while the block runs."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def utc_timestamp() -> str:
    """Now, in UTC, ISO 8601 with milliseconds and a `Z`."""
    now = dt.datetime.now(dt.UTC)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def client_address(request: HttpRequest) -> str | None:
    """The client address as django-axes sees it (its proxy settings apply), else REMOTE_ADDR."""
    try:
        from axes.helpers import get_client_ip_address

        return get_client_ip_address(request)
    except Exception:  # a misconfigured proxy setting must not stop the log line
        return request.META.get("REMOTE_ADDR")


def _safe_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_safe_value(item) for item in list(items)[:_MAX_LIST_LENGTH]]
    if isinstance(value, dict):  # counts by kind ("feedback": 3): numbers are kept, any
        # other value under a name that suggests a secret or free text is not
        pairs = sorted(value.items(), key=lambda pair: str(pair[0]))[:_MAX_LIST_LENGTH]
        return {
            str(_safe_value(key)): _safe_value(item)
            if isinstance(item, int | float) or not _SENSITIVE.search(str(key))
            else REDACTED
            for key, item in pairs
        }
    text = str(value)
    if _SECRET_VALUE.search(text):
        return REDACTED
    return text if len(text) <= _MAX_EXTRA_LENGTH else text[:_MAX_EXTRA_LENGTH] + "…"


def _person(user: Any) -> tuple[int | None, str | None]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, None
    return getattr(user, "pk", None), getattr(user, "email", None) or None


def security_event(
    event: str,
    *,
    outcome: str = "success",
    user: Any = None,
    request: HttpRequest | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Write one security event and return it (as written).

    `user` defaults to the request's signed-in person; `request` to the one being served.
    `extra` holds short, safe facts (ids, a permission name, a format); a field whose name
    suggests a secret or free text is written as "[redacted]".
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown security event {event!r}; add it to core.security_log.EVENTS")
    request = request if request is not None else _current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user_id, user_email = _person(user)
    record: dict[str, Any] = {
        "event": event,
        "outcome": outcome,
        "timestamp": utc_timestamp(),
        "user_id": user_id,
        "user_email": user_email,
        "request_id": getattr(request, "request_id", None) if request is not None else None,
        "client": client_address(request) if request is not None else None,
        "method": request.method if request is not None else None,
        "path": request.path if request is not None else None,
    }
    for name, value in extra.items():
        if name in record:
            name = f"extra_{name}"
        sensitive = name not in _SAFE_NAMES and _SENSITIVE.search(name)
        record[name] = REDACTED if sensitive else _safe_value(value)
    logger.info(json.dumps(record, ensure_ascii=True, default=str))
    if event == PERMISSION_DENIED and request is not None:
        request._security_denied_logged = True  # the 403 response is not logged twice
    return record


def log_denied_response(request: HttpRequest, status: int) -> None:
    """A 403 answered without a `require()` refusal logged first (a view's own check, CSRF)."""
    if getattr(request, "_security_denied_logged", False):
        return
    security_event(PERMISSION_DENIED, outcome="denied", request=request, status=status)


# --- the API's tokens, import and export (called by the api and transfer apps) ---------------


def token_used(request: HttpRequest, token: Any | None) -> None:
    """An API request carrying a bearer token: the token's owner, id and name when it is
    usable, else a failure (unknown, expired or revoked: which one is not told)."""
    if token is None:
        security_event(TOKEN_USE, outcome="failure", request=request)
        return
    security_event(
        TOKEN_USE,
        user=token.user,
        request=request,
        token_id=token.pk,
        token_name=token.name,
    )


def token_changed(event: str, *, actor: Any, token: Any) -> None:
    """A token created or revoked (`TOKEN_CREATED` / `TOKEN_REVOKED`), once the change is
    committed; by `actor`, for the token's owner."""
    from django.db import transaction

    request = _current_request.get()  # the request of the change, whenever it commits

    def write() -> None:
        security_event(
            event,
            user=actor,
            request=request,
            token_id=token.pk,
            token_name=token.name,
            owner_id=token.user_id,
            expires=timezone.localtime(token.expires_at).date().isoformat(),
        )

    transaction.on_commit(write)


def import_event(
    *, actor: Any, file_name: str, commit: bool, result: Any = None, error: str | None = None
) -> None:
    """An import's dry run or commit (`commit`): the file's name and the row counts of the
    `result` (transfer.importer.ImportResult), or why it could not be read (`error`: a fixed
    phrase, never the file's content)."""
    facts: dict[str, Any] = {"mode": "commit" if commit else "dry_run", "file_name": file_name}
    if result is None:
        security_event(IMPORT, outcome="failure", user=actor, reason=error, **facts)
        return
    ok = result.committed if commit else not result.errors
    security_event(
        IMPORT,
        outcome="success" if ok else "failure",
        user=actor,
        rows=result.rows,
        created=dict(result.created),
        unchanged=sum(result.unchanged.values()),
        errors=len(result.errors),
        committed=bool(result.committed),
        **facts,
    )


def export_event(*, actor: Any, scope: str, counts: dict[str, int], file_format: str) -> None:
    """An export of records: its scope ("all" or a State's code), the rows per file and in
    all, the format."""
    security_event(
        EXPORT,
        user=actor,
        scope=scope,
        format=file_format,
        rows=sum(counts.values()),
        counts=counts,
    )


# --- receivers (connected by core.apps.CoreConfig.ready) --------------------------------------

_EMAIL_LIKE = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}")


def _on_signed_in(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **_: Any
) -> None:
    security_event(SIGN_IN, user=user, request=request)


def _on_sign_in_failed(
    sender: Any,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **_: Any,
) -> None:
    # The name typed is kept only when it looks like an address: a password typed into the
    # name field must not reach the log.
    typed = str((credentials or {}).get("username") or (credentials or {}).get("email") or "")
    attempted = typed.strip().lower() if _EMAIL_LIKE.fullmatch(typed.strip()) else None
    security_event(SIGN_IN_FAILED, outcome="failure", request=request, attempted_email=attempted)


def _on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **_: Any
) -> None:
    typed = str(username or "")
    attempted = typed.strip().lower() if _EMAIL_LIKE.fullmatch(typed.strip()) else None
    security_event(LOCKOUT, outcome="locked", request=request, attempted_email=attempted)


def _on_permission_refused(
    sender: Any, user: Any = None, perm: str = "", obj: Any = None, **_: Any
) -> None:
    meta = getattr(obj, "_meta", None)
    security_event(
        PERMISSION_DENIED,
        outcome="denied",
        user=user,
        permission=perm,
        object_type=meta.label if meta is not None else None,
        object_id=getattr(obj, "pk", None) if meta is not None else None,
    )


_ADMIN_ACTIONS = {1: "addition", 2: "change", 3: "deletion"}


def _on_admin_log_entry(sender: Any, instance: Any, created: bool = False, **_: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    security_event(
        ADMIN_ACTION,
        user=instance.user,
        action=_ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else None,
        object_id=str(instance.object_id) if instance.object_id is not None else None,
    )


def connect_receivers() -> None:
    """Listen to Django's sign-in signals, axes' lockout, `require()` refusals and the admin's
    log entries. Safe to call more than once (each receiver has a dispatch uid)."""
    from axes.signals import user_locked_out
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.signals import user_logged_in, user_login_failed
    from django.db.models.signals import post_save

    from accounts.permissions import permission_refused

    user_logged_in.connect(_on_signed_in, dispatch_uid="tat.security.sign_in")
    user_login_failed.connect(_on_sign_in_failed, dispatch_uid="tat.security.sign_in_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="tat.security.lockout")
    permission_refused.connect(_on_permission_refused, dispatch_uid="tat.security.denied")
    post_save.connect(_on_admin_log_entry, sender=LogEntry, dispatch_uid="tat.security.admin")
