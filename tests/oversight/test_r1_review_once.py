"""R1 review page, issue 9 "Speed": the month's rows are read once per request (the
progress, the page count and the page come from one list), the SQL queries per page do not
grow with the rows whatever the person and the status filter, pages keep the jurisdiction
order, and the reads take an explicit scope (every jurisdiction, or an SSS's) instead of a
stand-in person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from activities.models import TAActivity
from oversight import services, views
from oversight.forms import SendBackForm
from oversight.selectors import (
    EVERY_JURISDICTION,
    NO_JURISDICTION,
    STATUS_CHOICES,
    STATUS_FLAGGED,
    STATUS_REVIEWED,
    ReviewFilters,
    ReviewScope,
    review_page,
    review_progress,
    review_queryset,
    review_row,
    unreviewed_per_jurisdiction,
)
from tests.factories import SSSFactory
from tests.factories_activities import World, create_activity, make_trackable
from tests.oversight.conftest import NOVEMBER, summary_entered_on, trackable_activity

pytestmark = pytest.mark.django_db

URL = "/review/"
STATUSES = [value for value, _ in STATUS_CHOICES]


def rows_of(response) -> list[int]:
    return [row.pk for group in response.context["groups"] for row in group.rows]


def florida_activity(world: World) -> TAActivity:
    """An on-demand Florida activity with a late November 2026 summary."""
    activity = create_activity(
        world,
        jurisdiction=world.neighbour,
        strategic_area=None,
        requesters=[world.neighbour_requester],
        date_opened=dt.date(2026, 10, 1),
    )
    make_trackable(world, activity)
    summary_entered_on(world, activity, dt.date(2026, 11, 20), dt.date(2026, 12, 1))
    return activity


def georgia_activities(world: World, count: int) -> list[TAActivity]:
    made = []
    for _ in range(count):
        activity = trackable_activity(world)
        summary_entered_on(world, activity, dt.date(2026, 11, 20), dt.date(2026, 12, 1))
        made.append(activity)
    return made


def _queries_of_page(client, params: dict[str, str]) -> tuple[int, list[int]]:
    client.get(URL, params)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), rows_of(response)


# --- queries per page ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sss", "admin"])
@pytest.mark.parametrize("status", STATUSES)
def test_r1_queries_per_page_do_not_grow_with_the_month(
    client, world: World, persona: str, status: str
) -> None:
    """Same number of queries with 2 rows and with 12 (marks and a send-back among them),
    for the SSS and the administrator, under every status filter."""
    client.force_login(getattr(world, persona))
    params = {"month": "2026-11", "status": status}
    rows = georgia_activities(world, 2)
    services.review_mark(actor=world.sss, activity=rows[0], month=NOVEMBER)
    _send_back(world, rows[1])
    small, _ = _queries_of_page(client, params)
    rows += georgia_activities(world, 10)
    for activity in rows[2:6]:
        services.review_mark(actor=world.sss, activity=activity, month=NOVEMBER)
    _send_back(world, rows[7])
    large, shown = _queries_of_page(client, params)
    assert len(shown) > 1  # every status filter keeps some of these rows
    assert large == small == REVIEW_QUERIES[persona]


def _send_back(world: World, activity: TAActivity) -> None:
    services.send_back_create(
        actor=world.sss,
        activity=activity,
        month=NOVEMBER,
        comment="Name the center.",
        about="summary",
    )


# See tests/oversight/test_r1_review_page.py: the month's rows once, then the page's rows
# and what they show. The SSS's page reads no region, center and SSS filter options.
REVIEW_QUERIES = {"admin": 20, "sss": 18}


def test_r1_month_rows_are_read_once_per_request(client, monkeypatch, world: World) -> None:
    """The month's rows (the UNION of the month across every jurisdiction) are read by one
    query, not once for the count, once for the page and once for the progress: counted
    per jurisdiction (no row of the month is sent to Python); the page's rows are then read
    from the jurisdictions the page falls in only."""
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    georgia_activities(world, 3)
    florida_activity(world)
    client.force_login(world.admin)
    client.get(URL, {"month": "2026-11"})
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"month": "2026-11"})
    union_reads = [
        q["sql"]
        for q in queries.captured_queries
        if " UNION " in q["sql"].upper() and "oversight_reviewmark" in q["sql"]
    ]
    month_reads = [sql for sql in union_reads if " GROUP BY " in sql.upper()]
    page_reads = [sql for sql in union_reads if " LIMIT " in sql.upper()]
    assert len(month_reads) == 1 and len(page_reads) == 1 and len(union_reads) == 2
    assert f'"jurisdiction_id" IN ({world.neighbour.pk})' in page_reads[0]  # Florida only


# --- what the page shows ---------------------------------------------------------------------


def test_r1_progress_counts_every_row_while_the_status_filter_narrows_the_page(
    client, world: World, reviewed_state
) -> None:
    services.review_mark(actor=world.sss, activity=reviewed_state["late"], month=NOVEMBER)
    client.force_login(world.sss)
    response = client.get(URL, {"month": "2026-11", "status": STATUS_REVIEWED})
    assert rows_of(response) == [reviewed_state["late"].pk]
    assert b"1 of 3 reviewed" in response.content
    progress = response.context["progress"]
    assert (progress.reviewed, progress.total) == (1, 3)


def test_r1_pages_keep_the_jurisdiction_order(client, world: World, monkeypatch) -> None:
    """Florida before Georgia, record numbers ascending, across pages of 2; a page number
    past the end shows the last page and a word the first."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    florida = florida_activity(world)
    georgia = georgia_activities(world, 3)
    expected = [florida.pk] + sorted(a.pk for a in georgia)
    client.force_login(world.admin)
    first = client.get(URL, {"month": "2026-11"})
    second = client.get(URL, {"month": "2026-11", "page": "2"})
    assert rows_of(first) + rows_of(second) == expected
    assert [g.jurisdiction.name for g in first.context["groups"]] == ["Florida", "Georgia"]
    assert b"1 of 4 reviewed" not in first.content  # nothing reviewed yet
    assert b"0 of 4 reviewed" in second.content
    assert rows_of(client.get(URL, {"month": "2026-11", "page": "99"})) == rows_of(second)
    assert rows_of(client.get(URL, {"month": "2026-11", "page": "abc"})) == rows_of(first)


@pytest.mark.parametrize("status", STATUSES)
def test_r1_review_page_keeps_the_same_rows_as_the_queryset(
    world: World, reviewed_state, status: str
) -> None:
    services.review_mark(actor=world.sss, activity=reviewed_state["late"], month=NOVEMBER)
    services.send_back_create(
        actor=world.sss,
        activity=reviewed_state["on_time"],
        month=NOVEMBER,
        comment="Add the delivery method.",
        about="summary",
    )
    florida_activity(world)
    filters = ReviewFilters(month=NOVEMBER, status=status)
    for person in (world.sss, world.admin, world.federal):
        result = review_page(user=person, filters=filters, number=1, per_page=50)
        expected = list(review_queryset(user=person, filters=filters).values_list("pk", flat=True))
        assert [row.pk for row in result.rows] == expected
        assert result.page.paginator.count == len(expected)
        assert result.progress == review_progress(user=person, filters=filters)
        if status == STATUS_FLAGGED:
            assert all(
                row.missing_summary or row.has_late_summary or row.is_late_entry
                for row in result.rows
            )


# --- scope -------------------------------------------------------------------------------------


def test_r1_every_jurisdiction_scope_needs_no_person(world: World, reviewed_state) -> None:
    florida = florida_activity(world)
    filters = ReviewFilters(month=NOVEMBER)
    everywhere = set(
        review_queryset(scope=EVERY_JURISDICTION, filters=filters).values_list("pk", flat=True)
    )
    assert everywhere == {a.pk for a in reviewed_state.values()} | {florida.pk}
    mine = set(review_queryset(user=world.sss, filters=filters).values_list("pk", flat=True))
    assert mine == {a.pk for a in reviewed_state.values()}
    assert ReviewScope.of(world.sss) == ReviewScope(specialist_id=world.sss.pk)
    assert ReviewScope.of(world.admin) == EVERY_JURISDICTION
    assert ReviewScope.of(world.primary) == NO_JURISDICTION
    assert not review_queryset(scope=NO_JURISDICTION, filters=filters).exists()
    progress = review_progress(scope=EVERY_JURISDICTION, filters=filters)
    assert (progress.reviewed, progress.total) == (0, 4)


def test_r1_scope_is_the_person_or_an_explicit_scope_not_both(world: World) -> None:
    filters = ReviewFilters(month=NOVEMBER)
    with pytest.raises(TypeError):
        review_queryset(user=world.admin, scope=EVERY_JURISDICTION, filters=filters)
    with pytest.raises(TypeError):
        review_progress(filters=filters)


def test_r3_unreviewed_rows_are_counted_per_jurisdiction(world: World, reviewed_state) -> None:
    florida_activity(world)
    services.review_mark(actor=world.sss, activity=reviewed_state["late"], month=NOVEMBER)
    counts = unreviewed_per_jurisdiction(month=NOVEMBER, scope=EVERY_JURISDICTION)
    assert counts == {world.jurisdiction.pk: 2, world.neighbour.pk: 1}
    sss_counts = unreviewed_per_jurisdiction(month=NOVEMBER, scope=ReviewScope.of(world.sss))
    assert sss_counts == {world.jurisdiction.pk: 2}


def test_r1_one_row_is_read_for_that_activity_only(world: World, reviewed_state) -> None:
    florida = florida_activity(world)
    late = reviewed_state["late"]
    with CaptureQueriesContext(connection) as queries:
        row = review_row(user=world.admin, activity_id=late.pk, month=NOVEMBER)
    assert row is not None and row.pk == late.pk and row.has_late_summary
    assert not any(" UNION " in q["sql"].upper() for q in queries.captured_queries)
    assert review_row(user=world.sss, activity_id=florida.pk, month=NOVEMBER) is None
    other_sss = SSSFactory(full_name="Flo Florida", jurisdictions=[world.neighbour])
    assert review_row(user=other_sss, activity_id=florida.pk, month=NOVEMBER).pk == florida.pk
    assert review_row(user=world.admin, activity_id=late.pk, month=dt.date(2026, 9, 1)) is None


# --- the rows' send-back forms ---------------------------------------------------------------


def test_r1_each_rows_send_back_fields_carry_its_own_ids(
    client, rf, world: World, reviewed_state
) -> None:
    """The empty send-back fields are rendered once per page and given each row's prefix:
    the same markup as rendering the row's own form, ids unique per row."""
    client.force_login(world.sss)
    html = client.get(URL, {"month": "2026-11"}).content.decode()
    for activity in reviewed_state.values():
        assert html.count(f'id="id_sb{activity.pk}-about"') == 1
        assert html.count(f'name="sb{activity.pk}-comment"') == 1
    assert views._ROW_PREFIX not in html
    request = rf.get(URL)
    request.user = world.sss
    pk = reviewed_state["late"].pk
    own = render_to_string(
        "oversight/_send_back_fields.html",
        {"form": SendBackForm(prefix=f"sb{pk}")},
        request=request,
    )
    assert views._stamped(views._blank_send_back_fields(request), pk) == own


def test_r1_a_refused_send_back_keeps_its_errors_in_the_row(
    client, world: World, reviewed_state
) -> None:
    """A bound form (errors) is rendered on its own, not from the page's empty fields."""
    client.force_login(world.sss)
    pk = reviewed_state["late"].pk
    response = client.post(
        f"/review/{pk}/send-back/",
        {"month": "2026-11", f"sb{pk}-about": "summary", f"sb{pk}-comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_sb{pk}-comment"' in html
    assert "usa-input--error" in html or "usa-error-message" in html
