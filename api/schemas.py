"""Shared pieces of the API's schemas (issue #11): ids and text that cannot break the
database (DESIGN §5), strict input (unknown fields refused), paging, the version (C1) and
the list of responses every operation documents."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.conf import settings
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from api.errors import ConflictOut, ErrorOut

MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
TEXT_MAX = int(getattr(settings, "TAT_TEXT_MAX_LENGTH", 20_000))
NO_CONTROL = "Remove the control characters (such as NUL) from this text."
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9999, 12, 31)


def _clean_text(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError(NO_CONTROL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("The text is not valid Unicode.") from None
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# No control characters but tab and line breaks (stated in the schema, and checked).
NO_CONTROL_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text = Annotated[
    str, Field(max_length=TEXT_MAX, pattern=NO_CONTROL_PATTERN), AfterValidator(_clean_text)
]
ShortText = Annotated[
    str, Field(max_length=150, pattern=NO_CONTROL_PATTERN), AfterValidator(_clean_text)
]


def _iso_date(value: object) -> object:
    """Dates as YYYY-MM-DD text only: not numbers read as timestamps (0 is not 1970)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Enter a date as YYYY-MM-DD.")
    return value


# From 1900 on (stated as a pattern, as JSON Schema has no date bounds, and checked).
DATE_PATTERN = r"^(19\d\d|[2-9]\d\d\d)-\d\d-\d\d$"
Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    Field(ge=EARLIEST, le=LATEST, json_schema_extra={"pattern": DATE_PATTERN}),
]


class Input(Schema):
    """Every request body: unknown fields are refused (422), not ignored."""

    model_config = ConfigDict(extra="forbid")


class VersionedInput(Input):
    """C1: the version the caller edited; or send the ETag as `If-Match`."""

    version: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


class PageParams(Schema):
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE


class PageMeta(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class HistoryChangeOut(Schema):
    field: str
    old: str
    new: str


class HistoryEntryOut(Schema):
    when: dt.datetime
    who: str | None
    action: str
    object_type: str
    object_label: str
    object_id: str
    reason: str
    changes: list[HistoryChangeOut]


READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LIST_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorOut}  # an unknown id in a filter
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
}
UPDATE_ERRORS: dict[int, Any] = {
    **WRITE_ERRORS,
    409: ConflictOut,
    412: ConflictOut,
    428: ErrorOut,
}


def responses(ok: int, schema: Any, errors: dict[int, Any]) -> dict[int, Any]:
    return {ok: schema, **errors, 429: ErrorOut}
