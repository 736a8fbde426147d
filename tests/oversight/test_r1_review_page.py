"""R1 monthly review page: who sees it, the month in the URL, the rows and their flags on
real 2026 dates, and its query count."""

from __future__ import annotations

import datetime as dt

import pytest

from core.businessdays import summary_due_date
from oversight import services
from oversight.selectors import ReviewFilters, last_full_month, review_progress, row_flags
from tests.factories import SSSFactory, UserFactory
from tests.factories_activities import World, add_summary, today
from tests.oversight.conftest import NOVEMBER, summary_entered_on, trackable_activity

pytestmark = pytest.mark.django_db

URL = "/review/"


def rows_of(response) -> dict[int, object]:
    return {row.pk: row for group in response.context["groups"] for row in group.rows}


def kinds(row) -> set[str]:
    return {flag.kind for flag in row.flags}


# --- who sees the page --------------------------------------------------------------------


def test_r1_anonymous_is_sent_to_sign_in(client, world: World) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_r1_ta_staff_outsider_is_refused(client, world: World) -> None:
    client.force_login(world.other_staff)
    response = client.get(URL)
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["sss", "lead", "federal", "admin"])
def test_r1_reviewers_and_the_federal_viewer_read_the_page(
    client, world: World, reviewed_state, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    response = client.get(URL, {"month": "2026-11"})
    assert response.status_code == 200
    assert set(rows_of(response)) == {a.pk for a in reviewed_state.values()}


def test_r1_sss_of_another_state_sees_none_of_this_states_rows(
    client, world: World, reviewed_state
) -> None:
    other = SSSFactory(full_name="Flo Florida", jurisdictions=[world.neighbour])
    client.force_login(other)
    response = client.get(URL, {"month": "2026-11"})
    assert response.status_code == 200
    assert rows_of(response) == {}
    # Filtering on a State that is not theirs is a field error, not someone else's rows.
    response = client.get(URL, {"month": "2026-11", "jurisdiction": "GA"})
    assert response.status_code == 400
    assert "jurisdiction" in response.context["form"].errors


def test_r1_federal_viewer_reads_without_actions(client, world: World, reviewed_state) -> None:
    client.force_login(world.federal)
    response = client.get(URL, {"month": "2026-11"})
    assert b"Mark reviewed" not in response.content
    assert b"Send back" not in response.content


def test_r1_center_lead_marks_but_does_not_send_back(client, world: World, reviewed_state) -> None:
    client.force_login(world.lead)
    response = client.get(URL, {"month": "2026-11"})
    row = rows_of(response)[reviewed_state["late"].pk]
    assert row.can_review and not row.can_send_back


def test_r1_admin_filters_by_region_center_and_sss(client, world: World, reviewed_state) -> None:
    client.force_login(world.admin)
    every = {a.pk for a in reviewed_state.values()}
    for params, expected in (
        ({"region": "4"}, every),
        ({"region": "9"}, set()),
        ({"center": world.center.code}, every),
        ({"center": world.other_center.code}, set()),
        ({"sss": str(world.sss.pk)}, every),
        ({"jurisdiction": "FL"}, set()),
    ):
        response = client.get(URL, {"month": "2026-11", **params})
        assert response.status_code == 200, params
        assert set(rows_of(response)) == expected, params


# --- the month -----------------------------------------------------------------------------


def test_r1_default_month_is_the_last_full_month(client, world: World) -> None:
    client.force_login(world.sss)
    response = client.get(URL)
    assert response.context["month"] == last_full_month(today())
    assert last_full_month(dt.date(2026, 1, 15)) == dt.date(2025, 12, 1)


@pytest.mark.parametrize("bad", ["2026-13", "11/2026", "abc", "2026-00", "1999-12", "9999-01"])
def test_r1_bad_month_is_a_field_error_not_a_500(client, world: World, bad: str) -> None:
    client.force_login(world.sss)
    response = client.get(URL, {"month": bad})
    assert response.status_code == 400
    assert "month" in response.context["form"].errors


# --- rows and flags on real dates -----------------------------------------------------------


def test_r1_due_dates_follow_the_federal_calendar() -> None:
    # Thanksgiving (11/26/2026) falls in the ten business days: the month's end comes first.
    assert summary_due_date(dt.date(2026, 11, 20)) == dt.date(2026, 11, 30)
    # Early in the month, ten business days after delivery (Veterans Day 11/11 skipped).
    assert summary_due_date(dt.date(2026, 11, 2)) == dt.date(2026, 11, 17)


def test_r1_flags_on_november_2026(client, world: World, reviewed_state) -> None:
    client.force_login(world.sss)
    rows = rows_of(client.get(URL, {"month": "2026-11"}))
    on_time, late, quiet = (rows[reviewed_state[k].pk] for k in ("on_time", "late", "quiet"))
    assert "late_summary" not in kinds(on_time)
    assert "late_summary" in kinds(late)
    assert "11/30/2026" in " ".join(f.detail for f in late.flags)
    assert "missing" in kinds(quiet)
    # While November lasts the summary may still come; once it is over it is overdue.
    for day, label in (
        (dt.date(2026, 11, 30), "No summary yet"),
        (dt.date(2026, 12, 1), "Missing summary — overdue"),
    ):
        flags = row_flags(quiet, month=NOVEMBER, today=day)
        assert [f.label for f in flags if f.kind == "missing"] == [label]
    # Opened 10/01/2026 and entered in December: late entry (A2).
    assert "late_entry" in kinds(late)


def test_r1_documentation_findings_show_beside_the_row(client, world: World) -> None:
    activity = trackable_activity(world)
    add_summary(
        world,
        activity,
        delivery_date=dt.date(2026, 11, 12),
        text="SCBC held a call with the State. The State will draft its plan next month.",
        delivery_methods=[],
    )
    client.force_login(world.sss)
    response = client.get(URL, {"month": "2026-11"})
    row = rows_of(response)[activity.pk]
    codes = {f.code for item in row.findings for f in item.findings}
    assert "summary-future" in codes
    assert "Do not include things planned for the future" in response.content.decode()


def test_r1_a_summary_in_another_month_is_not_a_row(client, world: World) -> None:
    activity = trackable_activity(world)
    add_summary(world, activity, delivery_date=dt.date(2026, 10, 30))
    client.force_login(world.sss)
    assert rows_of(client.get(URL, {"month": "2026-11"})) == {}
    assert set(rows_of(client.get(URL, {"month": "2026-10"}))) == {activity.pk}


def test_r1_progress_counts_reviewed_rows(world: World, reviewed_state) -> None:
    services.review_mark(actor=world.sss, activity=reviewed_state["late"], month=NOVEMBER)
    progress = review_progress(user=world.sss, filters=ReviewFilters(month=NOVEMBER))
    assert (progress.reviewed, progress.total) == (1, 3)


def test_r1_page_shows_progress_and_status_filter(client, world: World, reviewed_state) -> None:
    services.review_mark(actor=world.sss, activity=reviewed_state["late"], month=NOVEMBER)
    client.force_login(world.sss)
    response = client.get(URL, {"month": "2026-11"})
    assert b"1 of 3 reviewed" in response.content
    reviewed = client.get(URL, {"month": "2026-11", "status": "reviewed"})
    assert set(rows_of(reviewed)) == {reviewed_state["late"].pk}
    waiting = client.get(URL, {"month": "2026-11", "status": "not_reviewed"})
    assert reviewed_state["late"].pk not in rows_of(waiting)


# --- query count ----------------------------------------------------------------------------


def _activities_with_summaries(world: World, count: int) -> None:
    for _ in range(count):
        activity = trackable_activity(world)
        summary_entered_on(world, activity, dt.date(2026, 11, 20), dt.date(2026, 12, 1))


@pytest.mark.parametrize("count", [3, 30])
def test_r1_query_count_does_not_grow_with_rows(
    client, world: World, count: int, django_assert_num_queries
) -> None:
    _activities_with_summaries(world, count)
    UserFactory(full_name="Someone Else")
    client.force_login(world.admin)
    client.get(URL, {"month": "2026-11"})  # warm the per-process caches
    with django_assert_num_queries(REVIEW_QUERIES):
        response = client.get(URL, {"month": "2026-11"})
    assert len(rows_of(response)) == count


# session, user, FieldHelp catalogue, jurisdictions, regions, centers, SSSs, the month's
# rows counted per jurisdiction (all, reviewed, kept by the status filter: the progress and
# the page come from it), the page's rows, review marks, send-backs; the month's notes of
# each kind (+ the summaries' delivery methods and TA types), for the R2 findings and the
# month's summaries; the names (staff, places, requesters). Whatever the number of rows.
REVIEW_QUERIES = 20
