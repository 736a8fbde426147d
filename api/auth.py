"""Who is calling (issue #11): a personal API token (`Authorization: Bearer …`) or, for the
browser, the signed-in session with its CSRF token on every change; and the rate limit per
token (ninja's throttling on a cache every web process shares).

A token stands for its owner: `request.user` becomes the owner, and every permission is
checked by the same services and `require()` as on the pages, so a token can do exactly
what its owner can, no more.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from api import selectors
from api.services import hash_secret
from core import security_log

CSRF_FAILED = (
    "The session's CSRF token is missing or wrong: send it as the X-CSRFToken header, "
    "or use a personal API token instead."
)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
THROTTLE_CACHE = "api"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tat_…`: a usable token of an active person, else 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Every bearer token tried is a security event (issue #12): its id and name, or a
        failure; never the token itself."""
        found = None
        if token and len(token) <= 200:
            found = selectors.user_for_token(token, hash_secret(token))
        if found is None:
            security_log.token_used(request, None)
            return None
        user, api_token = found
        request.user = user
        request.api_token = api_token
        security_log.token_used(request, api_token)
        return user


def _csrf_ok(request: HttpRequest) -> bool:
    def _view(_request: HttpRequest) -> None:  # pragma: no cover - never called
        return None

    check = CsrfViewMiddleware(lambda _r: None)  # type: ignore[arg-type, return-value]
    check.process_request(request)
    return check.process_view(request, _view, (), {}) is None


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; changes need the CSRF token (`X-CSRFToken`).

    Not signed in → None (401 from the API). Signed in but a change without a good CSRF
    token → 403. A request carrying `Authorization` is judged by its token alone.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and not _csrf_ok(request):
            raise HttpError(403, CSRF_FAILED)
        return user


class TokenRateThrottle(SimpleRateThrottle):
    """At most `API_RATE_LIMIT` requests (e.g. "600/min") per token, or per signed-in
    person for the session; counted in the `api` cache (a database table every process
    shares, see config/settings.py and docs/api.md)."""

    scope = "api"
    cache = caches[THROTTLE_CACHE]

    def __init__(self) -> None:  # the rate is read per request, so settings may change
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "API_RATE_LIMIT", "600/min")
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"session-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
