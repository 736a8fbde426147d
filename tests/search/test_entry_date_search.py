"""S1 (the guide's search table): the "TA response note" and "Summary of TA delivered" date
ranges find activities with a note *entered* during that timeframe (its creation, whole
days in the site's time zone); the note's own date (the delivery date of a summary, the date
of a response note) is a separate, clearly labelled criterion, which old links and saved
searches (`summary_from`, `response_from`) keep meaning. S2 explains reversed ranges; odd
values are field errors, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import DeliverySummary, ResponseNote, TAActivity
from search.criteria import CRITERION_LABELS
from search.forms import SearchForm, criteria_query_string
from search.selectors import activities_for_search
from tests.factories_activities import (
    World,
    add_summary,
    build_world,
    create_activity,
    make_trackable,
)

SEARCH_URL = reverse("search:search")


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in the site's time zone (America/New_York by default)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def a_world(db: None) -> World:
    # The activities world (the search folder's `world` is a different, larger data set).
    return build_world()


@pytest.fixture
def late_summary(a_world: World) -> TAActivity:
    """TA delivered on 02/10/2025, its summary entered late, at 11:30 p.m. on 03/03/2025
    (04:30 on 03/04 in UTC); a response note dated 02/12/2025 entered on 02/20/2025."""
    activity = make_trackable(a_world, create_activity(a_world, date_opened=dt.date(2025, 1, 6)))
    summary = add_summary(a_world, activity, delivery_date=dt.date(2025, 2, 10))
    DeliverySummary.objects.filter(pk=summary.pk).update(created_at=_at(2025, 3, 3, 23, 30))
    note = services.response_note_add(
        actor=a_world.primary,
        activity=activity,
        text="Call with the State's QRIS lead.",
        note_date=dt.date(2025, 2, 12),
    )
    ResponseNote.objects.filter(pk=note.pk).update(created_at=_at(2025, 2, 20, 9))
    return activity


def _found(params: dict) -> set[int]:
    form = SearchForm(params)
    assert form.is_valid(), form.errors
    return set(activities_for_search(form.criteria()).values_list("pk", flat=True))


def test_s1_summary_entered_in_range_is_found_though_delivered_earlier(late_summary):
    pk = late_summary.pk
    march_3 = {"summary_entered_from": "2025-03-03", "summary_entered_to": "2025-03-03"}
    assert _found(march_3) == {pk}  # 11:30 p.m. local is still March 3
    assert _found({"summary_entered_from": "2025-03-04"}) == set()  # not the UTC date
    assert _found({"summary_entered_from": "2025-02-01", "summary_entered_to": "2025-02-28"}) == (
        set()
    )  # delivered in February, but entered in March


def test_s1_summary_delivery_date_is_its_own_criterion(late_summary):
    pk = late_summary.pk
    february = {"summary_from": "2025-02-01", "summary_to": "2025-02-28"}
    assert _found(february) == {pk}  # old links keep meaning the delivery date
    assert _found({"summary_from": "2025-03-01", "summary_to": "2025-03-31"}) == set()
    labels = (CRITERION_LABELS["summary_entered"], CRITERION_LABELS["summary_date"])
    assert labels == (
        "Summary of TA delivered: date entered",
        "Summary of TA delivered: delivery date",
    )


def test_s1_response_note_entered_and_dated_are_separate_criteria(late_summary):
    pk = late_summary.pk
    assert _found({"response_entered_from": "2025-02-20", "response_entered_to": "2025-02-20"}) == {
        pk
    }
    assert _found({"response_entered_to": "2025-02-19"}) == set()
    assert _found({"response_from": "2025-02-12", "response_to": "2025-02-12"}) == {pk}
    assert _found({"response_from": "2025-02-13", "response_to": "2025-02-20"}) == set()


def test_s1_entry_date_ranges_survive_saved_searches_and_links(late_summary):
    form = SearchForm({"summary_entered_from": "03/03/2025", "response_from": "2025-02-12"})
    assert form.is_valid()
    query = criteria_query_string(form.criteria())
    assert query == "summary_entered_from=2025-03-03&response_from=2025-02-12"


def test_s1_entry_date_search_page_and_export(client, a_world, late_summary):
    client.force_login(a_world.federal)
    params = {"summary_entered_from": "2025-03-03", "summary_entered_to": "2025-03-03"}
    response = client.get(SEARCH_URL, params)
    html = response.content.decode()
    assert late_summary.record_number in html
    assert "Summary of TA delivered: date entered: 03/03/2025 to 03/03/2025" in html
    export = client.get(reverse("search:export_csv"), params)
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert late_summary.record_number in body
    none = client.get(reverse("search:export_csv"), {"summary_entered_from": "2025-03-04"})
    assert late_summary.record_number not in b"".join(none.streaming_content).decode()


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("summary_entered_from", "summary_entered_to", "summary of TA delivered (date entered)"),
        ("response_entered_from", "response_entered_to", "TA response note (date entered)"),
    ],
)
def test_s2_reversed_entry_date_range_is_explained(client, a_world, start, end, label):
    client.force_login(a_world.federal)
    response = client.get(SEARCH_URL, {start: "2025-03-04", end: "2025-01-02"})
    assert response.status_code == 200
    assert (
        f"The {label} range ends on 01/02/2025, before it starts on 03/04/2025"
        in response.content.decode()
    )


@pytest.mark.parametrize(
    "params",
    [
        {"summary_entered_from": "2025-02-30"},
        {"summary_entered_to": "13/45/2025"},
        {"response_entered_from": "tomorrow"},
        {"response_entered_to": "2025-1-"},
        {"summary_entered_from": "2025-03-03\x00"},
    ],
)
def test_s1_odd_entry_date_values_are_field_errors(client, a_world, params):
    client.force_login(a_world.federal)
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    assert set(params) <= set(response.context["form"].errors)


@pytest.mark.parametrize(
    "params",
    [
        {"summary_entered_from": "0001-01-01", "summary_entered_to": "9999-12-31"},
        {"response_entered_from": "9999-12-31"},
        {"response_entered_to": "0001-01-01"},
    ],
)
def test_s1_extreme_entry_dates_answer_without_error(client, a_world, late_summary, params):
    client.force_login(a_world.federal)
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    assert not response.context["form"].errors


def test_s1_entry_date_ranges_carry_the_guides_definitions(client, reference_data, viewer):
    client.force_login(viewer)
    html = client.get(SEARCH_URL).content.decode()
    # HL1: the guide's definitions are the hints of the entry-date ranges.
    assert "with a summary of TA delivered note that was entered during that timeframe" in html
    assert "with a TA response note that was entered during that timeframe" in html
    assert "whose delivery date is in the range, whenever the summary was entered" in html
