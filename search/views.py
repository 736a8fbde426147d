"""The search tab (S1–S3): criteria in the URL, results sorted and paginated, exports, and
saved searches. Views only translate: form → selector or service → page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core import security_log
from core.templatetags.uswds import field_help_for_request
from search import export, services
from search import selectors as search_selectors
from search.contradictions import find_contradictions
from search.criteria import DEFAULT_SORT, SearchCriteria, clean_sort
from search.forms import DATE_RANGES, SearchForm, criteria_chips, criteria_query_string
from search.models import SavedSearch
from search.selectors import SearchResults, saved_searches_for

PAGE_SIZE = 25

# Result columns: (sort key, heading). Every column sorts (S3).
COLUMNS = (
    ("record", "TA record #"),
    ("focus", "TA focus"),
    ("kind", "Goal-driven or on-demand"),
    ("jurisdiction", "State or Territory"),
    ("category", "Goal category"),
    ("primary_center", "Primary center"),
    ("staff", "Primary staff"),
    ("activity_type", "TA activity type"),
    ("status", "TA activity status"),
    ("completion_status", "Completion status"),
    ("date_opened", "Date opened"),
    ("date_closed", "Date closed"),
)
# The results table's compact two-line rows (issue 10: twelve columns did not fit the page):
# each cell shows two of the columns above, one per line, and its heading sorts by either.
COLUMN_PAIRS = (
    ("record", "kind"),
    ("focus", "category"),
    ("jurisdiction", "primary_center"),
    ("staff", "activity_type"),
    ("status", "completion_status"),
    ("date_opened", "date_closed"),
)

# Field → FieldHelp key (the guide's definitions of the search criteria, HL1).
HELP_KEYS = {
    "record": "search.record_number",
    "jurisdiction": "search.jurisdiction",
    "region": "search.region",
    "category": "search.goal_category",
    "strategic_area": "search.strategic_area",
    "primary_center": "search.primary_center",
    "collaborating_center": "search.collaborating_center",
    "staff": "search.staff",
    "activity_type": "search.activity_type",
    "status": "search.activity_status",
    "completion_status": "search.completion_status",
    "other_collaborator": "search.other_collaborators",
}
# The guide's "TA response note" and "Summary of TA delivered" definitions ("… entered
# during that timeframe") belong to the entry-date ranges; the note-date ranges say theirs.
RANGE_HELP_KEYS = {
    "date_opened": ("Date opened", "search.date_opened"),
    "date_closed": ("Date closed", "search.date_closed"),
    "response_note_entered": ("TA response note: date entered", "search.response_note_date"),
    "summary_entered": ("Summary of TA delivered: date entered", "search.summary_date"),
    "response_note_date": ("TA response note: date of the note", ""),
    "summary_date": ("Summary of TA delivered: delivery date", ""),
    "cor_approval_date": ("COR approval date", ""),
}
RANGE_HINTS = {
    "response_note_date": "Finds TA activities with a TA response note dated in the range "
    "(the date the note speaks of), whenever it was entered.",
    "summary_date": "Finds TA activities with a summary of TA delivered whose delivery date "
    "is in the range, whenever the summary was entered.",
    "cor_approval_date": "Finds TA activities the COR approved in the range (the COR approval "
    "date recorded when the activity was marked approved).",
}
REQUESTED_DIRECTLY_HINT = (
    "The guide: the CCDF Administrator or the RPM must approve all activities that are not "
    "directly requested by the CCDF Administrator or his or her staff. “Not recorded”: "
    "activities entered before the question was asked."
)
COR_NAME_HINT = "Part of the name of the COR who approved the activity."
FOCUS_HINT = "The activity's title. Combine with a goal category for narrower results."
TEXT_HINT = (
    "Finds activities whose TA focus notes, description notes, summaries of TA delivered, "
    "requester feedback or TA response notes contain every word you enter."
)
SAVED = "Saved this search as “{name}”. Run it again from your home page."
DELETED = "Deleted the saved search “{name}”."
SAVED_QUERY_INVALID = "This search has errors; correct them before saving it."


class SaveSearchForm(forms.Form):
    name = forms.CharField(label="Name this search", max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


def _date_ranges(request: HttpRequest, form: SearchForm) -> list[dict[str, Any]]:
    ranges = []
    for name, start, end in DATE_RANGES:
        legend, key = RANGE_HELP_KEYS[name]
        entry = field_help_for_request(request, key) if key else None
        ranges.append(
            {
                "name": name,
                "legend": legend,
                "hint": entry.definition if entry else RANGE_HINTS.get(name, ""),
                "start": form[start],
                "end": form[end],
            }
        )
    return ranges


def _join(*parts: str) -> str:
    return "&".join(part for part in parts if part)


def _columns(sort: str, criteria_query: str) -> list[dict[str, Any]]:
    columns = []
    current, descending = sort.lstrip("-"), sort.startswith("-")
    for key, heading in COLUMNS:
        is_sorted = key == current
        next_sort = f"-{key}" if is_sorted and not descending else key
        query = _join(criteria_query, urlencode({"sort": next_sort}))
        columns.append(
            {
                "key": key,
                "heading": heading,
                "query": query,
                "aria_sort": ("descending" if descending else "ascending") if is_sorted else "",
            }
        )
    return columns


def _column_pairs(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key = {column["key"]: column for column in columns}
    pairs = []
    for first, second in COLUMN_PAIRS:
        lines = [by_key[first], by_key[second]]
        sorted_line = next((line for line in lines if line["aria_sort"]), None)
        pairs.append({"lines": lines, "aria_sort": sorted_line["aria_sort"] if sorted_line else ""})
    return pairs


def _jurisdiction_counts(
    results: SearchResults, criteria: SearchCriteria, criteria_query: str
) -> list[dict[str, Any]] | None:
    """The count per State or Territory of a search that spans several, each a link to the
    same search narrowed to it (empty when the search names one State or Territory; None
    when there are too many results to count them with the page)."""
    if criteria.jurisdiction or criteria.record is not None:
        return []
    if not results.can_count_by_jurisdiction:
        return None
    counts = results.count_by_jurisdiction()
    if len(counts) < 2:
        return []
    return [
        {
            "name": row.name,
            "count": row.count,
            "query": _join(criteria_query, urlencode({"jurisdiction": row.pk})),
        }
        for row in counts
    ]


def _search_page(
    request: HttpRequest, data: QueryDict, save_form: SaveSearchForm | None = None
) -> HttpResponse:
    form = SearchForm(data)
    sort = clean_sort(data.get("sort"))
    sort_query = "" if sort == DEFAULT_SORT else urlencode({"sort": sort})
    criteria: SearchCriteria | None = form.criteria() if form.is_valid() else None
    contradictions = find_contradictions(criteria) if criteria is not None else []
    page = None
    page_range: list[int | str] = []
    by_jurisdiction: list[dict[str, Any]] | None = []
    criteria_query = ""
    chips: list[dict[str, str]] = []
    if criteria is not None:
        criteria_query = criteria_query_string(criteria)
        chips = criteria_chips(criteria, {"sort": sort} if sort_query else {})
        if not contradictions:
            results = SearchResults(criteria, sort=sort)
            paginator = Paginator(results, PAGE_SIZE)
            page = paginator.get_page(data.get("page"))
            page_range = list(paginator.get_elided_page_range(page.number, on_ends=1))
            if paginator.count:
                by_jurisdiction = _jurisdiction_counts(results, criteria, criteria_query)
    if save_form is None:
        save_form = SaveSearchForm(initial={"query": criteria_query})
    columns = _columns(sort, criteria_query)
    context = {
        "form": form,
        "help_keys": HELP_KEYS,
        "date_ranges": _date_ranges(request, form),
        "text_hint": TEXT_HINT,
        "focus_hint": FOCUS_HINT,
        "requested_directly_hint": REQUESTED_DIRECTLY_HINT,
        "cor_name_hint": COR_NAME_HINT,
        "criteria_open": not chips or bool(form.errors) or bool(contradictions),
        "criteria": criteria,
        "chips": chips,
        "contradictions": contradictions,
        "page_obj": page,
        "page_range": page_range,
        "columns": columns,
        "column_pairs": _column_pairs(columns),
        "by_jurisdiction": by_jurisdiction,
        "breakdown_max": search_selectors.BREAKDOWN_MAX,
        "sort": sort,
        "criteria_query": criteria_query,
        "page_query": _join(criteria_query, sort_query),
        "save_form": save_form,
        "saved_searches": saved_searches_for(request.user),
    }
    return render(request, "search/search.html", context)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search page: every criterion of the guide (S1), contradictions explained (S2),
    results sorted, paginated and counted (S3)."""
    return _search_page(request, request.GET)


def _export(request: HttpRequest, respond: Any, file_format: str) -> HttpResponseBase:
    form = SearchForm(request.GET)
    if not form.is_valid():  # the page shows what to correct
        return _search_page(request, request.GET)
    criteria: SearchCriteria | None = form.criteria()
    if find_contradictions(criteria):
        criteria = None  # matches nothing, as on screen: the headings alone
    # The security log names the criteria used, never their values (free text among them).
    used = sorted({name for name, value in request.GET.items() if value and name in form.fields})
    security_log.security_event(security_log.EXPORT, format=file_format, criteria=used)
    return respond(criteria, sort=clean_sort(request.GET.get("sort")))


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    """S3: the current results as CSV, streamed row by row."""
    return _export(request, export.csv_response, "csv")


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """S3: the current results as an Excel workbook, written in constant memory."""
    return _export(request, export.xlsx_response, "xlsx")


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    save_form = SaveSearchForm(request.POST)
    query = request.POST.get("query", "")
    data = QueryDict(query)
    if not save_form.is_valid():
        return _search_page(request, data, save_form)
    search_form = SearchForm(data)
    if not search_form.is_valid():
        save_form.add_error("name", SAVED_QUERY_INVALID)
        return _search_page(request, data, save_form)
    canonical = criteria_query_string(search_form.criteria())
    sort = clean_sort(data.get("sort"))
    if sort != DEFAULT_SORT:
        canonical = _join(canonical, urlencode({"sort": sort}))
    try:
        saved = services.saved_search_create(
            actor=request.user, name=save_form.cleaned_data["name"], query_string=canonical
        )
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            for message in field_errors:
                save_form.add_error(field if field in save_form.fields else "name", message)
        return _search_page(request, data, save_form)
    messages.success(request, SAVED.format(name=saved.name))
    return redirect(f"{reverse('search:search')}?{canonical}" if canonical else "search:search")


@login_required
@require_GET
def saved_search_run(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    url = reverse("search:search")
    return redirect(f"{url}?{saved.query_string}" if saved.query_string else url)


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    services.saved_search_delete(actor=request.user, saved_search=saved)
    messages.success(request, DELETED.format(name=saved.name))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("search:search")
