"""The API object (issue #11): `/api/v1/`, its routers by resource, authentication, the rate
limit, the one error shape, and the OpenAPI document and docs page (served from
django-ninja's own static files: no CDN; the page's settings are JSON, not inline script,
so the site's Content-Security-Policy holds)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from api import errors
from api.auth import SessionAuth, TokenAuth, TokenRateThrottle
from api.routers import (
    activities,
    goals,
    join_requests,
    notes,
    reference,
    requesters,
    review,
    search,
)

AUTH = [TokenAuth(), SessionAuth()]


def _signed_in_only(view: Any) -> Any:
    """The OpenAPI document and docs page, like every page, are for signed-in people (a
    token or the session); the docs page sends anonymous visitors to sign in."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = None
        for auth in AUTH:
            try:
                user = auth(request)
            except Exception:  # noqa: BLE001 - a refused CSRF check etc.: not signed in
                user = None
            if user:
                break
        if not user:
            if request.path.endswith("openapi.json"):
                return errors.unauthorized()
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Technical Assistance Tracker API",
    version="1",
    description=(
        "The same services and permissions as the site's pages (issue #11). Authenticate "
        "with a personal API token (`Authorization: Bearer …`) or the signed-in session "
        "(send `X-CSRFToken` on changes). Errors: `{detail, errors: {field: [message]}}`."
    ),
    auth=AUTH,
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_signed_in_only,
)
errors.install(api)

api.add_router("/", reference.router)
api.add_router("/requesters", requesters.router)
api.add_router("/goals", goals.router)
api.add_router("/activities", activities.router)
api.add_router("/", notes.router)
api.add_router("/", join_requests.router)
api.add_router("/search", search.router)
api.add_router("/review", review.router)
