"""Site-wide guards: the Content-Security-Policy header and sign-in for every page.

Both are middleware so that no view can forget them: a new page is private and covered
by the policy the moment its URL exists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse

CSP_HEADER = "Content-Security-Policy"


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
