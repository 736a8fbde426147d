"""Search (S1–S3): the search page's criteria (every one, ANDed), its contradiction
sentences, sort and paging — the same form, criteria and selectors as `/search/`."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router
from pydantic import Field, create_model

from api.common import page_of
from api.routers.activity_schemas import ActivityRowOut, activity_row
from api.schemas import LIST_ERRORS, WRITE_ERRORS, PageMeta, PageParams, responses
from search.contradictions import find_contradictions
from search.criteria import DEFAULT_SORT, clean_sort
from search.forms import SearchForm
from search.selectors import SearchResults

router = Router(tags=["search"])

QueryText = Annotated[str, Field(max_length=200)]
# Criteria other than words are ids, codes, numbers and dates: short, plain characters.
CODE = Annotated[str, Field(max_length=30, pattern=r"^[A-Za-z0-9_.:/ -]*$")]
FREE_TEXT = {"q", "cor_name"}

SearchParams = create_model(  # every field of the search page's form, as query parameters
    "SearchParams",
    __base__=PageParams,
    sort=(CODE | None, Field(None, description="A column key, `-` for descending.")),
    **{
        name: (
            (QueryText if name in FREE_TEXT else CODE) | None,
            Field(None, description=str(field.label or name)),
        )
        for name, field in SearchForm.base_fields.items()
    },
)


class SearchOut(PageMeta):
    sort: str
    contradictions: list[str]
    results: list[ActivityRowOut]


@router.get("", response=responses(200, SearchOut, {**LIST_ERRORS, 400: WRITE_ERRORS[400]}))
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    """S1: activities meeting every criterion; S2: contradictions explained (no results);
    S3: sorted (`sort`) and paginated (at most 100 a page)."""
    data = {
        name: value
        for name, value in params.dict().items()
        if value not in (None, "") and name in SearchForm.base_fields
    }
    form = SearchForm(data)
    if not form.is_valid():
        raise ValidationError(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    criteria = form.criteria()
    sort = clean_sort(params.sort)
    contradictions = [str(c) for c in find_contradictions(criteria)]
    if contradictions:
        rows: list[Any] = []
        meta = {"count": 0, "page": 1, "page_size": params.page_size, "pages": 1}
        if params.page != 1:
            raise Http404(f"There is no page {params.page}; the last page is 1.")
    else:
        meta, rows = page_of(SearchResults(criteria, sort=sort), params)
    return {
        **meta,
        "sort": sort or DEFAULT_SORT,
        "contradictions": contradictions,
        "results": [activity_row(a) for a in rows],
    }
