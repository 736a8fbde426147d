"""Sign-in: Django's auth views with an e-mail form that ignores the address's case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest


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
    form_class = SignInForm


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
