"""Site-wide guards: the Content-Security-Policy header, sign-in for every page, the admin
site for administrators only, the idle and absolute session limits, and no caching of
anything a signed-in person sees (issue #12, doors 2, 3 and 10).

All are middleware so that no view can forget them: a new page is private, uncached and
covered by the policy the moment its URL exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.sessions import LAST_SEEN, SAVED_FORM, SESSION_ENDED, SIGNED_IN_AT

CSP_HEADER = "Content-Security-Policy"


class RequestIdMiddleware:
    """Give each request an id (issue #12): a well-formed incoming `X-Request-ID`, else a new
    one; echo it in the response and bind the request for the security-event log, which also
    records a 403 answer that no `require()` refusal logged already (a view's own check, CSRF).

    First in `MIDDLEWARE`, so every response, redirects and refusals included, carries it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from core import security_log

        request.request_id = security_log.request_id_from(
            request.headers.get(security_log.REQUEST_ID_HEADER)
        )
        with security_log.bound_request(request):
            response = self.get_response(request)
            if response.status_code == 403:
                security_log.log_denied_response(request, response.status_code)
        response[security_log.REQUEST_ID_HEADER] = request.request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Send `settings.CONTENT_SECURITY_POLICY` with every response.

    All assets are served by the application itself, so the policy allows nothing inline
    and nothing from another origin. A view that needs a different policy sets the
    header itself; it is then left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and CSP_HEADER not in response:
            response[CSP_HEADER] = self.policy
        return response


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's sign-in guard (views opt out with `login_not_required`), htmx-aware.

    A partial request from htmx whose session expired would otherwise swap the sign-in
    page into a fragment of the page; `HX-Redirect` makes htmx load it as a whole page.
    """

    def handle_no_permission(self, request: HttpRequest, view_func: Callable) -> HttpResponse:
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            htmx_response = HttpResponse(status=204)
            htmx_response["HX-Redirect"] = response["Location"]
            return htmx_response
        return response


# --- Issue #12: admin site for superusers only (issue 10), idle timeout, no caching --------

# Refreshing the idle clock on every request would write the session every time; a minute
# of slack costs little against a 30-minute limit.
LAST_SEEN_RESOLUTION_SECONDS = 60
NOT_SAVED_FIELDS = ("csrfmiddlewaretoken",)


def _is_superuser(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


class AdminOnlyMiddleware:
    """The stock admin site (at `settings.ADMIN_PATH`) exists only for superusers (door 10).

    TAT administrators keep the reference lists on the product's own pages
    (`/administration/`, issue 10); the stock admin, with its technical sections, is for
    superusers. Everyone else, administrators and anonymous visitors included, gets the
    site's 404 page: the admin's own sign-in page is never shown, so its path reveals nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefix) and not _is_superuser(
            getattr(request, "user", None)
        ):
            raise Http404("No page here.")
        return self.get_response(request)


def _now() -> int:
    """Seconds since the epoch (a function, so tests can move the clock)."""
    return int(time.time())


def start_session_clocks(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver (core.apps): both session clocks start at sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = _now()


def idle_timeout_seconds() -> int:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds before the signed-in session ends, idle or absolute limit, whichever is first."""
    now = _now()
    session = request.session
    last_seen = session.get(LAST_SEEN, now)
    signed_in_at = session.get(SIGNED_IN_AT, now)
    left = min(
        last_seen + idle_timeout_seconds() - now,
        signed_in_at + settings.SESSION_COOKIE_AGE - now,
    )
    return max(0, int(left))


def _same_site_path(request: HttpRequest, url: str) -> str | None:
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SessionTimeoutMiddleware:
    """Idle and absolute session limits (issue #12, door 2); nothing typed is lost.

    A signed-in session ends after `SESSION_IDLE_TIMEOUT_MINUTES` without a request, and
    `SESSION_COOKIE_AGE` seconds after sign-in whatever happens (the session cookie itself
    ends with the browser). The page warns shortly before (static/js/session.js, which reads
    the time left from `core.views.session_status` without counting as activity).

    A form sent after the end is not lost: when its CSRF token is good, its fields (not its
    files, not passwords, at most `SESSION_SAVED_FORM_MAX_BYTES`) are kept in the new
    session with the form's address, and the person is sent to sign in, then back to the
    page the form was on. That page puts what was typed back into the form (not sent: the
    person checks and saves, with a fresh CSRF token).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = _now()
        session = request.session
        session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        idle = now - last_seen >= idle_timeout_seconds()
        if idle or now - session[SIGNED_IN_AT] >= settings.SESSION_COOKIE_AGE:
            return self._end(request, "idle" if idle else "absolute")
        if not self._is_status_check(request) and (
            LAST_SEEN not in session or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS
        ):
            session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _is_status_check(request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and request.path_info == reverse("session_status")

    def _end(self, request: HttpRequest, why: str) -> HttpResponse:
        saved = self._form_to_keep(request)
        logout(request)
        request.session[SESSION_ENDED] = why
        if saved is None:
            return self.get_response(request)  # the sign-in guard (or a public page) answers
        request.session[SAVED_FORM] = saved
        response = redirect_to_login(saved["page"], settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":  # runs before django-htmx's middleware
            htmx_response = HttpResponse(status=204)
            htmx_response["HX-Redirect"] = response["Location"]
            return htmx_response
        return response

    def _form_to_keep(self, request: HttpRequest) -> dict[str, Any] | None:
        if request.method != "POST" or request.path_info in {
            reverse("login"),
            reverse("logout"),
            reverse("session_status"),
        }:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length > settings.SESSION_SAVED_FORM_MAX_BYTES:
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
            return None
        # Keep only what the person's own page sent: a forged form must not fill theirs.
        if CsrfViewMiddleware(self.get_response).process_view(request, _keep, (), {}):
            return None
        data = {
            name: request.POST.getlist(name)
            for name in request.POST
            if name not in NOT_SAVED_FIELDS and "password" not in name.lower()
        }
        if not data:
            return None
        page = _same_site_path(request, request.META.get("HTTP_REFERER", ""))
        return {"action": request.path, "page": page or request.get_full_path(), "data": data}


def _keep(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise AssertionError("only passed to the CSRF check")


def saved_form_for(request: HttpRequest) -> dict[str, Any] | None:
    """The form kept when the session ended, once, on the page it came from (door 2)."""
    session = getattr(request, "session", None)
    if session is None or request.method != "GET" or getattr(request, "htmx", False):
        return None
    if not request.user.is_authenticated:
        return None
    saved = session.get(SAVED_FORM)
    if not saved or saved.get("page") != request.get_full_path():
        return None
    del session[SAVED_FORM]
    return saved


class PrivateCacheMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in person (door 3).

    Pages, exports and htmx fragments carry names and e-mail addresses: no browser or proxy
    may keep a copy. Static files are answered by WhiteNoise before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


DATABASE_DOWN = "_tat_database_unavailable"
DATABASE_RETRY_AFTER_SECONDS = 30


def _note_database_down(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """`got_request_exception` receiver: mark the request when the database is unreachable."""
    import sys

    from django.db import InterfaceError, OperationalError

    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OperationalError | InterfaceError):
        setattr(request, DATABASE_DOWN, True)


class DatabaseUnavailableMiddleware:
    """A database outage answers with the 503 page, not a traceback (issue #12, faults).

    Django turns an exception anywhere below into a 500 response before an outer middleware
    could catch it, so a `got_request_exception` receiver marks the request when the error
    was the database's (`OperationalError`, `InterfaceError`: refused connection, locked or
    unreadable file), and this middleware, first in the list, swaps that 500 for the 503 page
    with `Retry-After`. The page is rendered without the request: no context processor may
    query the database that is down. Nothing else changes, so the next request after the
    database returns is served as usual (docs/reliability.md has the measurements).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(
            _note_database_down, dispatch_uid="core.middleware.database_unavailable"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, DATABASE_DOWN, False):
            from django.template.loader import render_to_string

            body = render_to_string("503.html", {"request_id": getattr(request, "request_id", "")})
            outage = HttpResponse(body, status=503)
            for header, value in response.items():  # CSP and the other security headers
                if header.lower() not in ("content-type", "content-length"):
                    outage[header] = value
            response = outage
            response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
            response["Cache-Control"] = "no-store"
        return response
