"""Issue 10, the monthly compliance report page: who reads it, its default month, bad input
(a clear error naming the field, never a 500), the definitions, and a number of SQL queries
that does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.selectors import last_full_month
from tests.reports import compliance_data as data

URL = reverse("reports:compliance")
# session, user, the form's option lists and checks, the report's four (stale check, the
# month's precomputed counts, centers, States), the header's unread count
MAX_QUERIES = 12


def test_anonymous_is_sent_to_sign_in(client, db):
    for url in (URL, reverse("reports:compliance_csv"), reverse("reports:compliance_xlsx")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["primary", "other_staff", "sss", "lead", "federal", "admin"])
def test_every_signed_in_person_reads_the_report(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Monthly compliance report" in response.content


def test_only_get(client, world):
    client.force_login(world.federal)
    assert client.post(URL).status_code == 405


def test_default_month_is_the_last_full_month(client, world):
    client.force_login(world.federal)
    response = client.get(URL)
    default = last_full_month(timezone.localdate())
    assert response.context["report"].first_day == default
    assert f"Monthly compliance report: {default:%B %Y}" in response.content.decode()


def test_this_month_says_it_is_not_over(client, world):
    client.force_login(world.federal)
    this_month = timezone.localdate().replace(day=1)
    response = client.get(URL, {"month": f"{this_month:%Y-%m}"})
    assert response.status_code == 200
    assert "is not over" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "label", "message"),
    [
        ({"month": "2025-13"}, "Month", "Enter the month as YYYY-MM"),
        ({"month": "November"}, "Month", "Enter the month as YYYY-MM"),
        ({"month": "1999-12"}, "Month", "Enter the month as YYYY-MM"),
        ({"month": "9999-01"}, "Month", "a month to come"),
        ({"month": "x" * 500}, "Month", "Ensure this value has at most 20 characters"),
        ({"region": "999"}, "Region", "Choose one region from the list"),
        ({"jurisdiction": "abc"}, "State or Territory", "Choose one State or Territory"),
        ({"primary_center": "-1"}, "Primary center", "Choose one center from the list"),
    ],
)
def test_bad_input_is_an_error_naming_the_field(client, world, params, label, message):
    client.force_login(world.federal)
    for url in (URL, reverse("reports:compliance_csv"), reverse("reports:compliance_xlsx")):
        response = client.get(url, params)
        assert response.status_code == 400
        text = response.content.decode()
        assert f"{label}: " in text and message in text, text[:2000]
        assert response.context["report"] is None


def test_a_state_outside_the_region_is_explained(client, world):
    client.force_login(world.federal)
    response = client.get(URL, {"region": world.region.pk, "jurisdiction": world.faraway.pk})
    assert response.status_code == 400
    assert "Guam is in Region IX, not Region IV" in response.content.decode()


def test_each_column_is_defined_in_the_guides_words(client, world):
    client.force_login(world.federal)
    text = client.get(URL).content.decode()
    assert "What each column counts" in text
    assert "within 10 business days of TA delivery or by the last day of the calendar month" in text
    assert "enter all requests within 72 business hours of receipt" in text
    assert "If no active TA was delivered during the month, no TA summary is required" in text


def test_links_to_downloads_and_other_months_keep_the_filters(client, world):
    client.force_login(world.federal)
    response = client.get(URL, {"month": "2025-11", "region": world.region.pk})
    text = response.content.decode()
    query = f"month=2025-11&amp;region={world.region.pk}"
    assert f"{reverse('reports:compliance_csv')}?{query}" in text
    assert f"{reverse('reports:compliance_xlsx')}?{query}" in text
    assert f"?month=2025-10&amp;region={world.region.pk}" in text
    assert f"?month=2025-12&amp;region={world.region.pk}" in text
    assert "Region: Region IV" in text


def test_queries_per_page_do_not_grow_with_the_data(
    client, world, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(world.federal)
    params = {"month": "2025-11", "region": world.region.pk, "primary_center": world.center.pk}
    client.get(URL, params)  # warm-up: per-process caches (field help) load once
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(URL, params).status_code == 200
    small_count = len(small.captured_queries)  # now: the log is a bounded deque
    data.build(world)
    for day in (3, 4, 5, 6):  # more entries, summaries and notes in the month
        extra = data.new_activity(
            world, opened=data.d(11, day), entered=data.d(11, day), approved=True
        )
        data.summary(world, extra, delivered=data.d(11, day), entered=data.d(11, day + 1))
        data.response_note(world, extra, dated=data.d(11, day), entered=data.d(11, day))
    client.force_login(world.federal)
    client.get(URL, params)  # the writes marked States stale: this request refreshes them
    with django_assert_num_queries(small_count):
        response = client.get(URL, params)
    assert response.context["report"].total.deliveries == 7
    for file_url in (reverse("reports:compliance_csv"), reverse("reports:compliance_xlsx")):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(file_url, params).status_code == 200


def test_unknown_parameters_are_ignored(client, world):
    client.force_login(world.federal)
    response = client.get(URL, {"month": "2025-11", "sort": "x", "page": "9"})
    assert response.status_code == 200
    assert response.context["report"].first_day == dt.date(2025, 11, 1)
