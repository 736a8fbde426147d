"""What every router shares (issue #11): C1 versions in and ETags out, paging, history."""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse

from api.errors import IF_MATCH, IF_MATCH_INVALID, PreconditionRequired
from api.schemas import PageParams
from core.history import HistoryEntry

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


def etag(response: HttpResponse, record: Model) -> None:
    """C1: the record's version as its ETag (`"3"`)."""
    response["ETag"] = f'"{record.version}"'


def expected_version(request: HttpRequest, version: int | None) -> int:
    """C1: the version the caller edited, from `If-Match` (wins) or the body's `version`.

    None of either → 428. A stale one is refused by the service (ConflictError), answered
    412 for `If-Match` and 409 for the body's field.
    """
    header = request.headers.get("If-Match")
    if header:
        match = _ETAG.match(header)
        if not match:
            raise ValidationError({"If-Match": IF_MATCH_INVALID})
        request._api_precondition = IF_MATCH
        return int(match[1])
    if version is None:
        raise PreconditionRequired
    return version


def versioned_call(request: HttpRequest, version: int | None, service: Any, **kwargs: Any) -> Any:
    """C1: `service(actor=<the caller>, expected_version=<the version they edited>, **kwargs)`.

    The version comes from `If-Match` or the body's `version` (`expected_version`); it is
    read after the caller looked the record up, so an unknown id is a 404 before a missing
    version is a 428.
    """
    return service(
        actor=request.auth, expected_version=expected_version(request, version), **kwargs
    )


def paged(items: Any, params: PageParams, out: Any) -> dict[str, Any]:
    """One page of `items` as `{count, page, page_size, pages, results}`, each row `out(row)`."""
    meta, rows = page_of(items, params)
    return {**meta, "results": [out(row) for row in rows]}


def page_of(items: Any, params: PageParams) -> tuple[dict[str, Any], list[Any]]:
    """(meta, rows) of one page; a page past the last is a 404 naming the last page."""
    paginator = Paginator(items, params.page_size, allow_empty_first_page=True)
    try:
        page = paginator.page(params.page)
    except EmptyPage:
        raise Http404(
            f"There is no page {params.page}; the last page is {max(1, paginator.num_pages)}."
        ) from None
    meta = {
        "count": paginator.count,
        "page": page.number,
        "page_size": params.page_size,
        "pages": max(1, math.ceil(paginator.count / params.page_size)),
    }
    return meta, list(page.object_list)


def history_out(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {
            "when": entry.when,
            "who": str(entry.who) if entry.who is not None else None,
            "action": entry.action,
            "object_type": str(entry.object_type),
            "object_label": str(entry.object_label),
            "object_id": str(entry.object_id),
            "reason": entry.reason or "",
            "changes": [
                {"field": str(c.field), "old": str(c.old), "new": str(c.new)} for c in entry.changes
            ],
        }
        for entry in entries
    ]
