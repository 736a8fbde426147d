"""Writes for personal API tokens (issue #11): create (the secret is shown once), revoke.

Keyword-only, one transaction, `require()` first, `ValidationError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from api.models import ApiToken
from core import security_log
from core.services import FieldErrors, save_tracked

TOKEN_PREFIX = "tat_"  # noqa: S105 # nosec B105 # a visible prefix, not a secret
NAME_REQUIRED = "Give the token a name, such as the script or system that will use it."
EXPIRY_PAST = "The expiry date must be after today."
EXPIRY_TOO_FAR = "A token may last at most {days} days."
ALREADY_REVOKED = "This token was already revoked."
OWNER_INACTIVE = "This person's account is deactivated; their tokens cannot be used."


def hash_secret(secret: str) -> str:
    """The stored form of a token's secret (see api.models for why SHA-256)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def max_token_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


@transaction.atomic
def api_token_create(
    *, actor: User, owner: User, name: str, expires_on: dt.date
) -> tuple[ApiToken, str]:
    """Create a token for `owner` (the owner, or an administrator for anyone).

    Returns the token and its secret: the secret is never stored and cannot be shown again.
    The token expires at the end of `expires_on` (local time), at most
    `API_TOKEN_MAX_DAYS` days ahead.
    """
    require(actor, "api.manage_token", owner)
    errors = FieldErrors()
    name = (name or "").strip()
    if not name:
        errors.add("name", NAME_REQUIRED)
    today = timezone.localdate()
    if expires_on is None or expires_on <= today:
        errors.add("expires", EXPIRY_PAST)
    elif expires_on > today + dt.timedelta(days=max_token_days()):
        errors.add("expires", EXPIRY_TOO_FAR.format(days=max_token_days()))
    if not owner.is_active:
        errors.add(None, OWNER_INACTIVE)
    errors.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    end_of_day = dt.datetime.combine(expires_on, dt.time.max)
    token = ApiToken(
        user=owner,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_secret(secret),
        expires_at=timezone.make_aware(end_of_day),
    )
    save_tracked(token, actor=actor, full_clean=False)
    security_log.token_changed(security_log.TOKEN_CREATED, actor=actor, token=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once: every later request with it is refused (401)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    require(actor, "api.manage_token", token.user)
    if token.revoked_at is not None:
        raise ValidationError({"token": ALREADY_REVOKED})
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    save_tracked(token, actor=actor, reason="Token revoked", full_clean=False)
    security_log.token_changed(security_log.TOKEN_REVOKED, actor=actor, token=token)
    return token
