"""One error shape for every refusal of the API (issue #11; DESIGN §5: never a 500):

    {"detail": "a sentence", "errors": {"field": ["message", ...]}}

Request-shape problems (wrong types, unknown fields, bad values) are 422; a rule refusal
from a service (`ValidationError` naming the field) is 400; bad JSON 400; no or bad
credentials 401; a permission refusal 403 (the `require()` sentence); unknown ids 404; a
stale version 409 (`version` field) or 412 (`If-Match`); no version at all 428; a body over
DATA_UPLOAD_MAX_MEMORY_SIZE 413; too many requests 429.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from core.concurrency import ConflictError

NON_FIELD = "__all__"
INPUT_INVALID = "The request has errors; see `errors` for each field."
RULE_REFUSED = "The request was refused; see `errors` for each field."
BAD_JSON = "The request body is not valid JSON."
TOO_LARGE = "The request body is larger than the {limit} bytes the API accepts."
UNAUTHORIZED = (
    "Sign in, or send a valid personal API token as `Authorization: Bearer <token>`. "
    "Revoked and expired tokens, and tokens of deactivated accounts, are refused."
)
NOT_FOUND = "Not found."
NOT_FOUND_ADDRESS = "Not found: no record has this address (ids are whole numbers from 1)."
THROTTLED = "Too many requests with this token; wait {wait} seconds and try again."
PRECONDITION_REQUIRED = (
    "Send the version you edited: the record's ETag as `If-Match`, or a `version` field."
)
NOT_JSON = "Send the request body as JSON (Content-Type: application/json)."
IF_MATCH_INVALID = '`If-Match` must be the record\'s ETag, such as "3".'

# The precondition source an update used, kept on the request for the conflict answer.
IF_MATCH = "if-match"


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class ConflictOut(ErrorOut):
    current_version: int


class PreconditionRequired(Exception):
    """An update arrived without a version (C1)."""


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "errors": errors or {}, **extra}, status=status
    )


def unauthorized() -> JsonResponse:
    """401 in the error shape with the Bearer challenge, for answers given outside ninja's
    handlers (no credentials at all; the OpenAPI document)."""
    response = JsonResponse({"detail": UNAUTHORIZED, "errors": {}}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _ninja_field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    # ("body", "payload", "name") → "name"; ("query", "page") → "page"
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if parts and parts[0] in {"payload", "data", "filters", "params"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD


def _ninja_validation(
    api: NinjaAPI, request: HttpRequest, exc: NinjaValidationError
) -> HttpResponse:
    if any(list(error.get("loc", ()))[:1] == ["path"] for error in exc.errors):
        # `/goals/abc`: no record has that address, as for an id that does not exist.
        return error_response(api, request, 404, NOT_FOUND_ADDRESS)
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field = _ninja_field(list(error.get("loc", ())))
        message = str(error.get("msg", "Invalid value."))
        if error.get("type") == "extra_forbidden":
            message = "Unknown field: remove it."
        elif error.get("type") == "missing":
            message = "This field is required."
        errors.setdefault(field, []).append(message)
    return error_response(api, request, 422, INPUT_INVALID, errors)


def _django_validation(
    api: NinjaAPI, request: HttpRequest, exc: DjangoValidationError
) -> HttpResponse:
    if isinstance(exc, ConflictError):
        status = 412 if getattr(request, "_api_precondition", None) == IF_MATCH else 409
        errors = {"version": [m for m in exc.messages]}
        response = error_response(
            api, request, status, exc.messages[0], errors, current_version=exc.current.version
        )
        response["ETag"] = f'"{exc.current.version}"'
        return response
    if hasattr(exc, "error_dict"):
        errors = {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    else:
        errors = {NON_FIELD: [str(m) for m in exc.messages]}
    first = next((m for messages in errors.values() for m in messages), RULE_REFUSED)
    return error_response(api, request, 400, first, errors)


def _http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _too_large(api, request, exc.__cause__)
    if isinstance(exc, AuthenticationError):
        response = error_response(api, request, 401, UNAUTHORIZED)
        response["WWW-Authenticate"] = unauthorized()["WWW-Authenticate"]
        return response
    if isinstance(exc, Throttled):
        wait = int(exc.wait or 1)
        return error_response(api, request, 429, THROTTLED.format(wait=wait))
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = BAD_JSON
    return error_response(api, request, exc.status_code, detail)


def _too_large(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return error_response(api, request, 413, TOO_LARGE.format(limit=limit))


def install(api: NinjaAPI) -> None:
    """Put every handler on `api` (more specific classes win in ninja's lookup)."""

    def bind(handler: Any) -> Any:
        return lambda request, exc: handler(api, request, exc)

    api.add_exception_handler(NinjaValidationError, bind(_ninja_validation))
    api.add_exception_handler(DjangoValidationError, bind(_django_validation))
    api.add_exception_handler(HttpError, bind(_http_error))
    api.add_exception_handler(RequestDataTooBig, bind(_too_large))
    # A form or multipart body (read as a form before the API sees it) is not JSON.
    api.add_exception_handler(
        RawPostDataException, bind(lambda a, r, e: error_response(a, r, 415, NOT_JSON))
    )
    api.add_exception_handler(
        PermissionDenied,
        bind(lambda a, r, e: error_response(a, r, 403, str(e) or "You do not have permission.")),
    )
    api.add_exception_handler(
        Http404, bind(lambda a, r, e: error_response(a, r, 404, str(e) or NOT_FOUND))
    )
    api.add_exception_handler(
        PreconditionRequired,
        bind(lambda a, r, e: error_response(a, r, 428, PRECONDITION_REQUIRED)),
    )
