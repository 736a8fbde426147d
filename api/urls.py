"""URLs of the API (`/api/v1/…`) and of the token pages (issue #11).

The API answers for itself (401 in the error shape, never the sign-in page), so its views
are exempt from the site's sign-in redirect; the docs page still requires sign-in.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from api import errors, views
from api.api import api

# The OpenAPI document and the docs page decide for themselves (api.api._signed_in_only).
DOCS_NAMES = {"openapi-json", "openapi-view"}


def _credentials_first(view: Any) -> Any:
    """Nobody without credentials learns anything, not even which methods a path takes
    (ninja would answer 405 before authenticating): 401 in the error shape."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if "HTTP_AUTHORIZATION" not in request.META and not (user and user.is_authenticated):
            return errors.unauthorized()
        return view(request, *args, **kwargs)

    guarded.csrf_exempt = True  # ninja's session authentication checks CSRF itself
    return guarded


def _answer_for_themselves(patterns: list[Any]) -> list[Any]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _answer_for_themselves(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            if entry.name not in DOCS_NAMES:
                entry.callback = _credentials_first(entry.callback)
            entry.callback.login_required = False
    return patterns


_api_patterns, _app_name, _namespace = api.urls
_answer_for_themselves(_api_patterns)

urlpatterns = [
    path("v1/", include((_api_patterns, _app_name), namespace=_namespace)),
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
