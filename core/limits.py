"""Free-text limits (issue 12, door 8): one maximum for every text field, one message.

- `text_length_errors(instance)` / `check_text_lengths(instance)`: every `TextField` of a
  model instance holds at most `TAT_TEXT_MAX_LENGTH` characters (default 20,000). The service
  kit calls it on every save (`core.services.save_tracked`, `core.status.record_status_change`)
  so the web pages, the admin, commands and any future API are refused alike, naming the field.
- `RequestTooLargeMiddleware`: a form larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` gets a 413
  page that says so, instead of Django's bare 400.

The forms' half (a `maxlength` and a server-side check at the field, before the service is
called) is `core.forms.TextLimitMixin`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import capfirst

TEXT_TOO_LONG = "{label} can be at most {limit:,} characters (you entered {length:,})."
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def text_max_length() -> int:
    return int(settings.TAT_TEXT_MAX_LENGTH)


def too_long_message(label: str, length: int, limit: int | None = None) -> str:
    return TEXT_TOO_LONG.format(
        label=capfirst(label), limit=limit or text_max_length(), length=length
    )


def text_length_errors(instance: models.Model) -> dict[str, str]:
    """{field name: message} for each TextField of `instance` longer than the limit."""
    limit = text_max_length()
    errors: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.TextField):
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > limit:
            errors[field.name] = too_long_message(str(field.verbose_name), len(value), limit)
    return errors


def check_text_lengths(instance: models.Model) -> None:
    """Refuse (ValidationError naming each field) a text field over the limit."""
    errors = text_length_errors(instance)
    if errors:
        raise ValidationError(errors)


class RequestTooLargeMiddleware:
    """Read the form once, early: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is answered with
    a 413 page naming the limit (nothing was saved), never a 500 or a bare 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS:
            try:
                request.POST  # noqa: B018 (parsing the body is the point)
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
                html = render_to_string(
                    "413.html",
                    {
                        "limit_mb": f"{limit / (1024 * 1024):.1f}",
                        "text_limit": f"{text_max_length():,}",
                    },
                    request=request,
                )
                return HttpResponse(html, status=413)
        return self.get_response(request)
