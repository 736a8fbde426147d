"""The person's API token page (issue #11): list their tokens (name, created, expires, last
used, revoked), create one (its secret shown once, on the answer page only), revoke one.
Thin: form → service → page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import ApiTokenForm, default_expiry
from core.forms import apply_service_errors

REVOKED = "The token “{name}” was revoked; requests with it are now refused."


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = services.api_token_create(
                    actor=request.user,
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    expires_on=form.cleaned_data["expires"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                form = ApiTokenForm(initial={"expires": default_expiry()})
                context = {
                    "form": form,
                    "tokens": selectors.tokens_of(request.user),
                    "new_token": token,
                    "secret": secret,
                }
                return render(request, "api/tokens.html", context)
    else:
        form = ApiTokenForm(initial={"expires": default_expiry()})
    context = {"form": form, "tokens": selectors.tokens_of(request.user), "secret": None}  # nosec B105 # no secret: shown only once, on creation
    return render(request, "api/tokens.html", context)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_of(request.user, pk)
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, REVOKED.format(name=token.name))
    return redirect("api_tokens")
