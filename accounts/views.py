"""Sign-in and password reset: Django's auth views with an e-mail form that ignores the
address's case, and reset requests limited per e-mail address and per client address."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.sessions import SAVED_FORM, SESSION_ENDED
from accounts.throttling import client_address, rate_limit_hit

SESSION_ENDED_MESSAGES = {
    "idle": "You were signed out after {minutes} minutes without activity.",
    "absolute": "You were signed out: a session lasts at most {hours:g} hours.",
}

logger = logging.getLogger(__name__)

RESET_PERIOD = dt.timedelta(hours=1)


def normalize_email(value: str | None) -> str:
    """Addresses are stored in lower case (accounts.models.User.save)."""
    return (value or "").strip().lower()


class SignInForm(AuthenticationForm):
    """E-mail and password; "Jane.Doe@State.gov" signs in the account jane.doe@state.gov."""

    username = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "username", "spellcheck": "false"}
        ),
    )

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data.get("username"))


class SignInView(LoginView):
    """Sign in; after a session ended, say why (and that a form sent meanwhile is kept)."""

    form_class = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        why = self.request.session.get(SESSION_ENDED)
        if why in SESSION_ENDED_MESSAGES:
            context["session_ended"] = SESSION_ENDED_MESSAGES[why].format(
                minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES,
                hours=round(settings.SESSION_COOKIE_AGE / 3600, 1),
            )
            context["form_kept"] = SAVED_FORM in self.request.session
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        self.request.session.pop(SESSION_ENDED, None)
        return super().form_valid(form)


class ThrottledPasswordResetView(PasswordResetView):
    """Issue 12, door 5: at most PASSWORD_RESET_LIMIT_PER_EMAIL e-mails an hour to one
    address and PASSWORD_RESET_LIMIT_PER_CLIENT requests an hour from one client address.

    Past a limit the person sees the same "check your e-mail" page as always and no e-mail
    is sent, so the answer never tells whether an account exists (nor that a limit was hit).
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = normalize_email(form.cleaned_data.get("email"))
        over_email = rate_limit_hit(
            "password-reset-email",
            email,
            limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            period=RESET_PERIOD,
        )
        over_client = rate_limit_hit(
            "password-reset-client",
            client_address(self.request),
            limit=settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
            period=RESET_PERIOD,
        )
        if over_email or over_client:
            logger.warning(
                "Password reset refused: limit per %s reached.",
                "e-mail address" if over_email else "client address",
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The name django-axes counts failures under, whichever way it is handed over.

    Axes asks with its own credentials (keyed by the user model's USERNAME_FIELD, "email")
    when checking a lock, and with Django's (keyed "username") when recording a failure:
    both must give the same name, and case variants of an address are one account.
    """
    sources = (credentials or {}, getattr(request, "POST", None) or {})
    for source in sources:
        for key, value in source.items():
            if str(key) in ("username", "email") and value:
                return normalize_email(str(value))
    return ""
