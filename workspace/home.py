"""The role sections of the home page (issue 10, "Homes that fit each role").

A person may hold several roles; the home shows one section per role held, each read by
`workspace.home_selectors` (and `goals`, `reference` selectors) in a fixed number of
queries. What each role sees:

- TA staff (and center leads and SSSs, who may be primary staff too): the summaries of TA
  delivered they owe, overdue or coming due within 3 business days, above their table.
- Center lead: a second table of every activity whose primary center is theirs.
- SSS: their States and Territories with counts, and the monthly review's progress.
- Federal viewer: a read-only overview — the dashboard's figures for the region on their
  profile (`User.region`; the nation when none; `?region=`, the search page's value, for
  another), with the region's States and a link to the full dashboard — and recent
  approvals and closures. Nothing on it invites them to add.
- Administrator: closure requests waiting, requesters added this month, reference-list
  changes, and the administration pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone

from goals.selectors import pending_closure_requests
from reference.models import Jurisdiction
from reference.selectors import reference_changes_since
from reports.selectors import late_window_start
from workspace import home_selectors

CENTER_PAGE_PARAM = "center_page"
CENTER_PAGE_SIZE = 25
CLOSURE_REQUESTS_SHOWN = 5
REFERENCE_CHANGES_DAYS = 30
REFERENCE_CHANGES_SHOWN = 10
REGION_PARAM = "region"
REGION_INVALID = (
    "Region: choose a region from the list; the value in the address is not one of them."
)


@dataclass
class HomeSections:
    """What the role sections add to the home's context, and the page's HTTP status."""

    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def is_staff_role(user: Any) -> bool:
    """People who enter data and may be an activity's primary or collaborating staff."""
    return bool(user.is_ta_staff or user.is_center_lead or user.is_sss)


def home_sections(
    request: HttpRequest, *, today: dt.date, my_jurisdictions: list[Jurisdiction]
) -> HomeSections:
    user = request.user
    sections = HomeSections()
    staff = is_staff_role(user)
    sections.context["is_staff_role"] = staff
    sections.context["late_window_start"] = late_window_start(today)
    if staff:
        sections.context["summaries_owed"] = home_selectors.summaries_owed(user=user, today=today)
    if user.is_center_lead and user.center_id is not None:
        sections.context["lead_center"] = user.center
        sections.context["center_page"] = Paginator(
            home_selectors.center_activities(user.center), CENTER_PAGE_SIZE
        ).get_page(request.GET.get(CENTER_PAGE_PARAM))
        center_page = list(sections.context["center_page"])
        late = home_selectors.late_summary_ids([activity.pk for activity in center_page])
        for activity in center_page:
            activity.has_late_summary = activity.pk in late
        sections.context["center_rows"] = [
            (activity, activity.next_summary_due(today)) for activity in center_page
        ]
    if my_jurisdictions:
        sections.context["state_counts"] = home_selectors.state_counts(
            my_jurisdictions, today=today
        )
    if user.is_federal_viewer:
        _federal(request, sections, today=today)
    if user.is_admin:
        _administrator(request, sections, today=today)
    return sections


def _federal(request: HttpRequest, sections: HomeSections, *, today: dt.date) -> None:
    """The overview of the person's own region (`User.region`) unless the address names
    another (`?region=`; an empty value: every region); the whole nation when neither."""
    regions = home_selectors.regions()
    own_id = request.user.region_id  # type: ignore[union-attr]
    own_region = next((item for item in regions if item.pk == own_id), None)
    raw = request.GET.get(REGION_PARAM)
    region = None
    if raw is None:
        region = own_region
    else:
        try:
            region = home_selectors.region_by_param(raw)
        except ValueError:
            sections.status = 400
            sections.context["region_error"] = REGION_INVALID
    overview = home_selectors.overview(region=region, today=today)
    sections.context.update(
        region=region,
        own_region=own_region,
        region_param=REGION_PARAM,
        regions=regions,
        overview=overview,
        region_states=home_selectors.region_states(region=region, overview=overview),
        recent_decisions=home_selectors.recent_decisions(region=region),
    )


def _administrator(request: HttpRequest, sections: HomeSections, *, today: dt.date) -> None:
    month_start = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time.min))
    pending = pending_closure_requests()
    since = today - dt.timedelta(days=REFERENCE_CHANGES_DAYS)
    sections.context.update(
        closure_requests=list(pending[:CLOSURE_REQUESTS_SHOWN]),
        closure_request_count=pending.count(),
        month_start=month_start,
        requesters_added=home_selectors.requesters_added_since(month_start),
        reference_changes_from=since,
        reference_changes=reference_changes_since(since, limit=REFERENCE_CHANGES_SHOWN),
    )
