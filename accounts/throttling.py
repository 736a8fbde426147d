"""Throttling (issue 12, doors 5 and 6): who the client is, how often it may ask.

- `client_address(request)`: the client's address as django-axes sees it — through
  django-ipware, behind `TRUSTED_PROXY_COUNT` proxies (settings, docs/proxy.md) — so sign-in
  throttling and the reset limits count the same person the same way.
- `rate_limit_hit(scope, value, limit=…, period=…)`: counts one request in a fixed window, in
  the database every web process shares, and says whether the limit is passed.
- `LoginThrottleHandler`: django-axes' database handler with two limits, one for a name at
  an address (`AXES_FAILURE_LIMIT`) and a higher one for the address alone
  (`LOGIN_ADDRESS_FAILURE_LIMIT`, against password spraying). Axes itself has one limit for
  every lockout parameter; a success clears the name's count, never the address's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import RateLimitCounter

ADDRESS_ONLY = "ip_address"


def client_address(request: HttpRequest) -> str:
    """The client's address: X-Forwarded-For read from the right past the trusted proxies."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or ""


def _counter_key(scope: str, value: str, window: int) -> str:
    return hashlib.sha256(f"{scope}\x00{value}\x00{window}".encode()).hexdigest()


def rate_limit_hit(scope: str, value: str, *, limit: int, period: dt.timedelta) -> bool:
    """Count one request for `value` in `scope`; True when this one is over `limit` for the
    current window of `period` (fixed windows: at most 2 × limit across a boundary)."""
    now = timezone.now()
    seconds = int(period.total_seconds())
    window = int(now.timestamp()) // seconds
    key = _counter_key(scope, value, window)
    with transaction.atomic():
        RateLimitCounter.objects.filter(expires_at__lt=now).delete()
        RateLimitCounter.objects.get_or_create(
            key=key, defaults={"expires_at": now + period + dt.timedelta(seconds=1)}
        )
        RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1)
        count = RateLimitCounter.objects.values_list("count", flat=True).get(key=key)
    return count > limit


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit for the address alone."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failures on the scale of `AXES_FAILURE_LIMIT`: the name at this address counts as
        is; the address alone is scaled so that it reaches the limit only at
        `LOGIN_ADDRESS_FAILURE_LIMIT` failures."""
        limit = get_failure_limit(request, credentials)
        address_limit = max(settings.LOGIN_ADDRESS_FAILURE_LIMIT, 1)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS_ONLY:
                failures = failures * limit // address_limit
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """On a successful sign-in, clear the name's failures only: one account a sprayer owns
        must not wipe the count of the address it sprays from."""
        count = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(
            parameters, self.filter_user_attempts(request, credentials), strict=True
        ):
            if parameter != ADDRESS_ONLY:
                count += _delete(attempts)
        return count


def _delete(attempts: QuerySet[Any]) -> int:
    deleted, _ = attempts.delete()
    return deleted
