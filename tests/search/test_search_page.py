"""The search page (S1, S3): the URL as the state of the page (criteria as removable chips,
the form filled from the URL, saved query strings that round-trip), sorting by each column,
pagination, and a pinned number of SQL queries that does not grow with the results."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import (
    ActivityType,
    DeliverySummary,
    TAActivity,
)
from search.views import COLUMNS, PAGE_SIZE
from tests.factories import TAActivityFactory
from tests.search.helpers import (
    SEARCH_URL,
    D,
    SearchWorld,
    _note,
    criteria_from,
    page_records,
)

# --- the URL, chips, sorting, pagination --------------------------------------------------


def test_s1_criteria_live_in_the_url_and_show_as_removable_chips(reader_client, world):
    params = {
        "jurisdiction": world.illinois.pk,
        "category": world.quality.pk,
        "strategic_area": world.tiered_qris.pk,
        "opened_from": "2025-01-01",
        "q": "tiered",
        "sort": "staff",
    }
    response = reader_client.get(SEARCH_URL, params)
    chips = {chip["name"]: chip for chip in response.context["chips"]}
    assert set(chips) == {"jurisdiction", "category", "strategic_area", "date_opened", "text"}
    assert chips["jurisdiction"]["value"] == "Illinois"
    assert chips["date_opened"]["value"] == "from 01/01/2025"
    without_place = parse_qs(chips["jurisdiction"]["remove_query"])
    assert "jurisdiction" not in without_place
    assert without_place["q"] == ["tiered"]
    assert without_place["sort"] == ["staff"]  # the order is kept
    # Removing the category removes the strategic area that needs it (S2).
    without_category = parse_qs(chips["category"]["remove_query"])
    assert "category" not in without_category and "strategic_area" not in without_category
    html = response.content.decode()
    assert "Remove </span>State or Territory: Illinois" in html
    # Following a chip's link runs the search without that criterion.
    wider = reader_client.get(SEARCH_URL + "?" + chips["text"]["remove_query"])
    assert page_records(wider) == [world.qris.record_number]


def test_s1_form_is_filled_from_the_url(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"jurisdiction": world.guam.pk, "q": "rates"})
    html = response.content.decode()
    assert f'<option value="{world.guam.pk}" selected>Guam</option>' in html
    assert 'value="rates"' in html


def _sort_value(activity: TAActivity, key: str):
    return {
        "record": activity.pk,
        "focus": activity.focus.name,
        "kind": 1 if activity.goal_id is None else 0,
        "jurisdiction": activity.jurisdiction.name,
        "category": activity.goal_category.number,
        "primary_center": activity.primary_center.name,
        "staff": activity.primary_staff.full_name,
        "activity_type": activity.activity_type,
        "status": activity.status,
        "completion_status": activity.completion_status,
        "date_opened": activity.date_opened,
        "date_closed": activity.completion_date or D.max,
    }[key]


@pytest.mark.parametrize("key", [key for key, _ in COLUMNS])
@pytest.mark.parametrize("descending", [False, True])
def test_s3_results_sort_by_each_column(reader_client, world, key, descending):
    response = reader_client.get(SEARCH_URL, {"sort": f"-{key}" if descending else key})
    shown = page_records(response)
    activities = [world.qris, world.rates, world.related]
    if key == "date_closed":  # empty dates come last in both directions
        dated = sorted(
            (a for a in activities if a.completion_date),
            key=lambda a: (a.completion_date, a.pk),
            reverse=descending,
        )
        expected = dated + [
            a
            for a in sorted(activities, key=lambda a: a.pk, reverse=descending)
            if not a.completion_date
        ]
    else:
        expected = sorted(activities, key=lambda a: (_sort_value(a, key), a.pk), reverse=descending)
    assert shown == [a.record_number for a in expected]
    sorted_header = [c for c in response.context["columns"] if c["aria_sort"]]
    assert [c["key"] for c in sorted_header] == [key]
    assert sorted_header[0]["aria_sort"] == ("descending" if descending else "ascending")


def test_s3_results_are_paginated_with_the_count_shown(reader_client, world):
    for day in range(PAGE_SIZE + 5):
        TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            primary_center=world.scbc,
            primary_staff=world.alice,
            date_opened=D(2024, 1, 1) + dt.timedelta(days=day),
        )
    total = 3 + PAGE_SIZE + 5
    first = reader_client.get(SEARCH_URL, {"sort": "record"})
    assert len(page_records(first)) == PAGE_SIZE
    assert (
        f"<strong>{total}</strong> TA activities found; showing 1–{PAGE_SIZE}."
        in first.content.decode()
    )
    second = reader_client.get(SEARCH_URL, {"sort": "record", "page": "2"})
    assert len(page_records(second)) == total - PAGE_SIZE
    assert set(page_records(first)).isdisjoint(page_records(second))
    # Page links keep the criteria and the sort.
    assert 'href="?sort=record&amp;page=2"' in first.content.decode()
    one = reader_client.get(SEARCH_URL, {"record": world.qris.pk})
    assert "<strong>1</strong> TA activity found." in one.content.decode()


def test_s3_sort_links_keep_the_criteria(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"region": world.region_ix.pk, "sort": "staff"})
    columns = {c["key"]: c for c in response.context["columns"]}
    assert parse_qs(columns["staff"]["query"]) == {
        "region": [str(world.region_ix.pk)],
        "sort": ["-staff"],
    }
    assert parse_qs(columns["jurisdiction"]["query"])["sort"] == ["jurisdiction"]


# --- the number of SQL queries does not grow with the data --------------------------------


def _queries_for(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return len(queries)


FULL_SEARCH = {
    "region": "",  # filled in by the test
    "category": "",
    "primary_center": "",
    "staff": "",
    "activity_type": "tailored",
    "opened_from": "2020-01-01",
    "summary_from": "2020-01-01",
    "q": "QRIS",
}


def _full_search(world: SearchWorld) -> dict:
    return {
        **FULL_SEARCH,
        "region": world.region_v.pk,
        "category": world.quality.pk,
        "primary_center": world.scbc.pk,
        "staff": world.alice.pk,
    }


def _grow(world: SearchWorld, count: int) -> None:
    for number in range(count):
        activity = TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            primary_center=world.scbc,
            primary_staff=world.alice,
            activity_type=ActivityType.TAILORED,
            date_opened=D(2024, 1, 1) + dt.timedelta(days=number),
        )
        activity.collaborating_staff.set([world.bob, world.carol])
        _note(DeliverySummary, activity, f"QRIS visit number {number}", D(2024, 6, 1))


# Session, user, FieldHelp catalogue, the criteria's nine choice lists, the person's saved
# searches, the count and the page of rows, and the count per State or Territory (one GROUP
# BY, then the names of the States found when there are several; issue 10).
QUERIES_NO_CRITERIA = 18  # + the header's unread-notification count (R3)
# Words alone: the count comes from the full-text index instead of the activities table;
# "QRIS" is found in one State only, so no names are looked up for a count per State.
QUERIES_TEXT_ONLY = QUERIES_NO_CRITERIA - 1
# …plus one look-up for each chosen region, category, center and staff member, the ids
# of the region's jurisdictions and of the goals related to the category, and the number
# of documents holding the words (which chooses how the page is read); its results lie in
# one State, so the count per State is the GROUP BY alone.
QUERIES_FULL_SEARCH = 24


def test_s3_search_page_queries_do_not_grow_with_results(reader_client, world):
    reader_client.get(SEARCH_URL)  # the page shell caches the jurisdiction picker per process
    assert _queries_for(reader_client, {}) == QUERIES_NO_CRITERIA
    assert _queries_for(reader_client, {"q": "QRIS"}) == QUERIES_TEXT_ONLY
    assert _queries_for(reader_client, _full_search(world)) == QUERIES_FULL_SEARCH
    _grow(world, 40)
    assert _queries_for(reader_client, {"q": "QRIS"}) == QUERIES_TEXT_ONLY
    assert _queries_for(reader_client, {}) == QUERIES_NO_CRITERIA
    assert _queries_for(reader_client, {"page": "2", "sort": "staff"}) == QUERIES_NO_CRITERIA
    assert _queries_for(reader_client, _full_search(world)) == QUERIES_FULL_SEARCH


def test_s1_saved_query_string_round_trips(world):
    from search.forms import criteria_query_string

    params = _full_search(world)
    criteria = criteria_from(params)
    again = criteria_from({k: v[0] for k, v in parse_qs(criteria_query_string(criteria)).items()})
    assert again == criteria
    assert urlencode({"q": "QRIS"}) in criteria_query_string(criteria)


@pytest.mark.parametrize("sort", [key for key, _ in COLUMNS] + [f"-{key}" for key, _ in COLUMNS])
def test_s3_pages_are_the_same_whichever_way_they_are_read(world, monkeypatch, sort):
    """Few results are all found then sorted; many are read in the sort's index order.
    Both give the same pages (the choice is only about speed)."""
    from search import selectors
    from search.selectors import SearchResults

    _grow(world, 30)
    for params in ({}, {"staff": world.alice.pk}, {"summary_from": "2024-01-01"}):
        criteria = criteria_from(params)
        few = SearchResults(criteria, sort=sort)
        expected = [a.pk for a in few[0:PAGE_SIZE]] + [a.pk for a in few[PAGE_SIZE : 2 * PAGE_SIZE]]
        monkeypatch.setattr(selectors, "FEW_RESULTS", 0)
        many = SearchResults(criteria, sort=sort)
        assert [a.pk for a in many[0:PAGE_SIZE]] + [
            a.pk for a in many[PAGE_SIZE : 2 * PAGE_SIZE]
        ] == expected
        monkeypatch.undo()
        assert len(expected) == few.count()
