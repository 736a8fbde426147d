"""Pages of the monthly review (R1): the review page, mark reviewed / undo, send back, and
mark a send-back addressed.

Views stay thin: reads through `oversight.selectors`, writes through `oversight.services`.
Each action works as a plain form POST (redirect back to the page) and, with htmx, swaps
the one row (and the progress line) in place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from activities.documentation import names_for_request
from activities.models import TAActivity
from core.forms import apply_service_errors
from oversight import selectors, services
from oversight.forms import AddressForm, ReviewFilterForm, SendBackForm, parse_month

PAGE_SIZE = 50
MARKED = "{record} marked reviewed for {month:%B %Y}."
UNMARKED = "Review mark of {record} for {month:%B %Y} removed."
SENT_BACK = "{record} sent back to {staff}."
SEND_BACK_ERRORS = "Not sent back: correct the fields below."
ADDRESSED = "Send-back of {record} marked addressed."
BAD_MONTH = "Month: {error}"


def _today() -> dt.date:
    return timezone.localdate()


def _activity(pk: int) -> TAActivity:
    activity = selectors.activity_for_review(pk)
    if activity is None:
        raise Http404("No TA activity has this record number.")
    return activity


def _review_url(month: dt.date | None = None, query: str = "") -> str:
    url = reverse("oversight:review")
    if query:
        return f"{url}?{query}"
    return f"{url}?{urlencode({'month': f'{month:%Y-%m}'})}" if month else url


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The page to return to (`next`): a path on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return fallback


def _filter_form(request: HttpRequest, data: QueryDict) -> ReviewFilterForm:
    return ReviewFilterForm(data, today=_today(), **selectors.filter_objects(request.user))


def _decorate(
    request: HttpRequest,
    row: TAActivity,
    month: dt.date,
    today: dt.date,
    perms: dict[tuple[int, int], tuple[bool, bool]],
) -> Any:
    """What a row needs besides the record: flags, the month's mark, what the viewer may do,
    and its own send-back form (ids prefixed by the record, so they stay unique)."""
    user = request.user
    row.flags = selectors.row_flags(row, month=month, today=today)
    row.mark = row.month_marks[0] if row.month_marks else None
    # Both rules depend only on the row's jurisdiction and primary center: asked once per
    # pair on a page (`perms`), not twice per row.
    key = (row.jurisdiction_id, row.primary_center_id)
    if key not in perms:
        perms[key] = (
            user.has_perm("oversight.review_activity", row),
            user.has_perm("oversight.send_back", row),
        )
    row.can_review, row.can_send_back = perms[key]
    row.addressed_this_month = [
        s for s in row.review_send_backs if not s.is_open and s.month == month
    ]
    if not hasattr(row, "send_back_form"):
        row.send_back_form = SendBackForm(prefix=f"sb{row.pk}")
    return row


def _decorate_all(
    request: HttpRequest, rows: list[TAActivity], month: dt.date, today: dt.date
) -> list[TAActivity]:
    findings = selectors.documentation_findings(rows, month=month, names=names_for_request(request))
    blank_fields = None
    perms: dict[tuple[int, int], tuple[bool, bool]] = {}
    for row in rows:
        row.findings = findings[row.pk]
        _decorate(request, row, month, today, perms)
        if row.can_send_back and not row.send_back_form.is_bound:
            if blank_fields is None:
                blank_fields = _blank_send_back_fields(request)
            row.send_back_fields = _stamped(blank_fields, row.pk)
    return rows


_ROW_PREFIX = "sbROWPK"


def _blank_send_back_fields(request: HttpRequest) -> str:
    """The fields of an empty send-back form, rendered once per page for a stand-in prefix:
    every row's empty form is the same markup but for the prefix of its names and ids, and
    rendering 50 rows' fields one by one was most of the page's time (issue 9, "Speed")."""
    form = SendBackForm(prefix=_ROW_PREFIX)
    return render_to_string("oversight/_send_back_fields.html", {"form": form}, request=request)


def _stamped(fields_html: str, pk: int) -> str:
    """The page's empty send-back fields with the row's own prefix (`sb<pk>`)."""
    return mark_safe(fields_html.replace(f"{_ROW_PREFIX}-", f"sb{pk}-"))  # noqa: S308 # nosec B308 B703 # rendered by our template


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """R1: the month's activities in the person's jurisdictions, grouped by jurisdiction,
    with their flags, the progress and the actions."""
    require(request.user, "oversight.view_review")
    form = _filter_form(request, request.GET)
    context: dict[str, Any] = {"form": form, "groups": [], "page": None, "progress": None}
    if not form.is_valid():
        return render(request, "oversight/review.html", context, status=400)
    filters = form.filters()
    today = _today()
    result = selectors.review_page(
        user=request.user, filters=filters, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    decorated = _decorate_all(request, result.rows, filters.month, today)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "filters": filters,
            "month": filters.month,
            "progress": result.progress,
            "groups": selectors.group_by_jurisdiction(decorated),
            "page": result.page,
            # Elided ("1 2 … 9 10 11 … 412 413"): an administrator's month has hundreds of
            # pages, and linking each one was a tenth of the page's time (issue 9, "Speed").
            "page_range": list(
                result.page.paginator.get_elided_page_range(result.page.number, on_ends=1)
            ),
            "page_query": query.urlencode(),
            "return_url": request.get_full_path(),
            "previous_month": (filters.month - dt.timedelta(days=1)).replace(day=1),
            "next_month": _next_month(filters.month, today),
            "scope_is_all": selectors.sees_all_jurisdictions(request.user),
        }
    )
    return render(request, "oversight/review.html", context)


def _next_month(month: dt.date, today: dt.date) -> dt.date | None:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following if following <= today.replace(day=1) else None


def _posted_month(request: HttpRequest) -> dt.date | None:
    try:
        return parse_month(request.POST.get("month"), today=_today())
    except ValueError as error:
        messages.error(request, BAD_MONTH.format(error=error))
        return None


def _row_response(
    request: HttpRequest,
    activity_id: int,
    month: dt.date,
    *,
    message: str = "",
    form: SendBackForm | None = None,
) -> HttpResponse:
    """The htmx answer: the one row again, and the progress line out of band."""
    row = selectors.review_row(user=request.user, activity_id=activity_id, month=month)
    next_url = _safe_next(request, _review_url(month))
    query = urlsplit(next_url).query
    filter_form = _filter_form(request, QueryDict(query))
    progress = None
    if filter_form.is_valid() and filter_form.cleaned_data["month"] == month:
        progress = selectors.review_progress(user=request.user, filters=filter_form.filters())
    if row is not None:
        if form is not None:
            row.send_back_form = form
            row.send_back_open = True
        _decorate_all(request, [row], month, _today())
    # htmx swaps only 2xx answers: a refused send-back comes back as 200 with its errors.
    return render(
        request,
        "oversight/_row_update.html",
        {
            "row": row,
            "month": month,
            "progress": progress,
            "return_url": next_url,
            "row_message": message,
        },
    )


@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """R1: mark the activity reviewed for the posted month."""
    return _mark_or_unmark(request, pk, undo=False)


@require_POST
def unmark(request: HttpRequest, pk: int) -> HttpResponse:
    """R1: take back the review mark for the posted month."""
    return _mark_or_unmark(request, pk, undo=True)


def _mark_or_unmark(request: HttpRequest, pk: int, *, undo: bool) -> HttpResponse:
    activity = _activity(pk)
    require(request.user, "oversight.review_activity", activity)
    month = _posted_month(request)
    if month is None:
        return redirect(_safe_next(request, _review_url()))
    try:
        if undo:
            services.review_unmark(actor=request.user, activity=activity, month=month)
        else:
            services.review_mark(actor=request.user, activity=activity, month=month)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_safe_next(request, _review_url(month)))
    text = UNMARKED if undo else MARKED
    if request.htmx:
        message = text.format(record=activity.record_number, month=month)
        return _row_response(request, activity.pk, month, message=message)
    messages.success(request, text.format(record=activity.record_number, month=month))
    return redirect(_safe_next(request, _review_url(month)))


@require_http_methods(["GET", "POST"])
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    """R1: send the activity back to its primary staff with a comment. The row's form posts
    here (htmx swaps the row); this page is the same form on its own (no JavaScript, or to
    correct an error)."""
    activity = _activity(pk)
    require(request.user, "oversight.send_back", activity)
    source = request.POST if request.method == "POST" else request.GET
    try:
        month = parse_month(source.get("month"), today=_today())
    except ValueError as error:
        month = None
        month_error = str(error)
    else:
        month_error = ""
    prefix = f"sb{activity.pk}"
    form = SendBackForm(request.POST or None, prefix=prefix)
    if request.method == "POST" and month is not None and form.is_valid():
        try:
            services.send_back_create(
                actor=request.user,
                activity=activity,
                month=month,
                comment=form.cleaned_data["comment"],
                about=form.cleaned_data["about"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = SENT_BACK.format(record=activity.record_number, staff=activity.primary_staff)
            if request.htmx:
                return _row_response(request, activity.pk, month, message=message)
            messages.success(request, message)
            return redirect(_safe_next(request, _review_url(month)))
    if request.htmx and month is not None:
        return _row_response(request, activity.pk, month, form=form, message=SEND_BACK_ERRORS)
    status = 400 if (request.method == "POST" or month_error) else 200
    return render(
        request,
        "oversight/send_back.html",
        {
            "activity": activity,
            "form": form,
            "month": month,
            "month_error": month_error,
            "return_url": _safe_next(request, _review_url(month)),
        },
        status=status,
    )


@require_POST
def address(request: HttpRequest, pk: int) -> HttpResponse:
    """R1: the primary staff marks a send-back addressed, with an optional reply."""
    item = selectors.send_back_by_id(pk)
    if item is None:
        raise Http404("No such send-back.")
    require(request.user, "oversight.address_send_back", item)
    form = AddressForm(request.POST, prefix=f"reply{item.pk}")
    fallback = services.send_back_url(item)
    if form.is_valid():
        try:
            services.send_back_address(
                actor=request.user, send_back=item, reply=form.cleaned_data["reply"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ADDRESSED.format(record=item.activity.record_number))
    else:
        messages.error(request, "Reply: " + " ".join(form.errors.get("reply", [])))
    return redirect(_safe_next(request, fallback))
