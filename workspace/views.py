"""Pages of the workspace: home (H1), the State/Territory page (H2), the jurisdiction picker
and "Find a TA record by ID" (A15), notifications (G3), and Help and Resources (HL2).

Views stay thin: reads go through selectors (workspace, reference, activities, search) and
writes through services (`core.notifications`)."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from activities.selectors import activity_by_record_number
from core.businessdays import summary_due_date
from core.notifications import notifications_mark_read
from oversight.selectors import open_send_backs_for, progress_for_home
from reference.selectors import assigned_jurisdictions, jurisdiction_by_code, jurisdiction_choices
from reference.standard_lists import help_catalogue, help_csv, help_pdf
from search.selectors import saved_searches_for
from workspace import selectors
from workspace.home import CENTER_PAGE_PARAM, home_sections

PICK_JURISDICTION_MISSING = "Choose a State or Territory from the list, then select Go."
HELP_FILE_NAME = "tat-standard-categories"
HOME_PAGE_SIZE = 25
ON_DEMAND_PAGE_SIZE = 25
RECORD_NOT_FOUND = "No TA record has the number “{text}”. Check the number and try again."
NOTIFICATIONS_ALL_READ = "All your notifications are marked as read."


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """H1 and issue 10 ("Homes that fit each role"): the signed-in person's TA activities
    (primary or collaborating), sortable and paginated, with their unread notifications and
    saved searches; then one section per role they hold (`workspace.home`)."""
    user = request.user
    sort, descending = selectors.parse_sort(
        request.GET.get("sort"), selectors.HOME_SORTS, selectors.HOME_DEFAULT_SORT
    )
    activities = selectors.activities_for_home(user=user, sort=sort, descending=descending)
    page = Paginator(activities, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(activity, activity.next_summary_due(today)) for activity in page]
    context = {
        "rows": rows,
        "page": page,
        "page_links": _page_links(request, page),
        "columns": _sort_columns(request, sort, descending),
        "sort_value": f"{'-' if descending else ''}{sort}",
        "summary_due_today": summary_due_date(today),
        "notifications": selectors.notifications_unread(user=user),
        "saved_searches": saved_searches_for(user),
        "my_jurisdictions": assigned_jurisdictions(user=user),
        # R1: an SSS's review progress (this month and last); my open send-backs.
        "review_progress": progress_for_home(user=user, today=today),
        "open_send_backs": open_send_backs_for(user=user),
        # rules directly: no object, and Django's model permissions cost two queries.
        "can_review": rules.has_perm("oversight.view_review", user),
    }
    sections = home_sections(request, today=today, my_jurisdictions=context["my_jurisdictions"])
    context.update(sections.context)
    if "center_page" in context:  # a center lead's second table, paginated on its own
        context["center_page_links"] = _page_links(
            request, context["center_page"], param=CENTER_PAGE_PARAM
        )
    return render(request, "workspace/home.html", context, status=sections.status)


def _query(request: HttpRequest, **changes: Any) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return f"?{params.urlencode()}" if params else "?"


def _sort_columns(request: HttpRequest, sort: str, descending: bool) -> list[dict[str, Any]]:
    """Header links: the sorted column says so with aria-sort; a click flips its order."""
    columns = []
    for key, (_expressions, label) in selectors.HOME_SORTS.items():
        current = key == sort
        next_value = key if (not current or descending) else f"-{key}"
        columns.append(
            {
                "key": key,
                "label": label,
                "url": _query(request, sort=next_value, page=None),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return columns


def _page_links(request: HttpRequest, page: Any, *, param: str = "page") -> list[dict[str, Any]]:
    """USWDS pagination: numbered links with ellipses, keeping the sort and the other
    parameters (`param` names the page number's parameter)."""
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append(
                {
                    "number": number,
                    "url": _query(request, **{param: number}),
                    "current": number == page.number,
                }
            )
    return links


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the signed-in person's notifications as read (someone else's: 404)."""
    notification = selectors.notification_of(user=request.user, pk=pk)
    if notification is None:
        raise Http404("No such notification.")
    notifications_mark_read(actor=request.user, notification_ids=[notification.pk])
    return redirect("workspace:home")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all of the signed-in person's notifications as read."""
    notifications_mark_read(actor=request.user)
    messages.success(request, NOTIFICATIONS_ALL_READ)
    return redirect("workspace:home")


@require_GET
def find_record(request: HttpRequest) -> HttpResponse:
    """A15 "Find a TA record by ID": open the record, or say clearly why not."""
    text = request.GET.get("record", "")
    try:
        activity = activity_by_record_number(text)
    except ValueError as error:
        return render(
            request,
            "workspace/find_record.html",
            {"message": str(error), "record": text},
            status=400,
        )
    if activity is None:
        return render(
            request,
            "workspace/find_record.html",
            {"message": RECORD_NOT_FOUND.format(text=text.strip()[:40]), "record": text},
            status=404,
        )
    return redirect("activities:detail", pk=activity.pk)


@require_GET
def jurisdiction(request: HttpRequest, code: str) -> HttpResponse:
    """H2: one State or Territory: open goals by category with their strategic areas and
    activities, closed goals, and on-demand activities."""
    item = jurisdiction_by_code(code)
    if item is None:
        raise Http404("No such State or Territory.")
    groups = selectors.open_goals_by_category(item)
    on_demand = Paginator(selectors.on_demand_activities(item), ON_DEMAND_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    user = request.user
    return render(
        request,
        "workspace/jurisdiction.html",
        {
            "jurisdiction": item,
            "groups": groups,
            "open_goal_count": sum(len(group.goals) for group in groups),
            "closed_goals": list(selectors.closed_goals(item)),
            "on_demand": on_demand,
            "on_demand_links": _page_links(request, on_demand),
            "can_add_goal": user.has_perm("goals.add_goal", item),
            "can_add_activity": user.has_perm("activities.add_taactivity", item),
        },
    )


@require_GET
def pick_jurisdiction(request: HttpRequest) -> HttpResponse:
    """The header's "View/Add/Edit State TA for" picker (a plain GET form, no JavaScript)."""
    code = request.GET.get("jurisdiction", "").strip().upper()
    if code and any(choice.code == code for choice in jurisdiction_choices()):
        return redirect("workspace:jurisdiction", code=code)
    messages.error(request, PICK_JURISDICTION_MISSING)
    return redirect("workspace:home")


@login_not_required
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """HL2: the standard lists and the field definitions; public."""
    return render(request, "workspace/help.html", {"catalogue": help_catalogue()})


@login_not_required
@require_GET
def help_csv_download(request: HttpRequest) -> HttpResponse:
    """HL2: the standard lists as a CSV file (with a BOM so spreadsheets read UTF-8); public."""
    text = help_csv(help_catalogue(include_fields=False))
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{HELP_FILE_NAME}.csv"'
    return response


@login_not_required
@require_GET
def help_pdf_download(request: HttpRequest) -> HttpResponse:
    """HL2: the standard lists as a PDF, dated today; public."""
    pdf = help_pdf(help_catalogue(include_fields=False), generated_on=timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{HELP_FILE_NAME}.pdf"'
    return response
