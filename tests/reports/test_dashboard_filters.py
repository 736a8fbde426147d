"""The dashboard's filters in the URL (issue #10): the search page's parameters and
meaning, the map's shading, bad values named on the page (never a 500), who may see it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from activities.models import CompletionStatus
from tests.factories_activities import World
from tests.reports import dashboard_data as data
from tests.reports.dashboard_data import URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(client, world: World):
    data.build(world)
    client.force_login(world.primary)
    return client


def open_counts(response) -> dict[str, int]:
    return {r.label: r.values[0] for r in response.context["board"].figure("open-by-status").rows}


def test_region_filter_counts_only_the_regions_states(board, world: World) -> None:
    response = board.get(URL, {"region": world.region.pk})
    assert response.status_code == 200
    expected = data.open_by_status(data.activities(jurisdiction__region=world.region))
    assert open_counts(response) == expected
    assert sum(expected.values()) < sum(data.open_by_status(data.activities()).values())
    tiles = {t.code: t for t in response.context["board"].figure("map").chart.tiles}
    assert tiles["GU"].value is None  # Guam is in another region: outside the filters
    assert tiles["FL"].value is not None
    assert "Guam: outside the filters" in response.content.decode()


def test_jurisdiction_center_and_category_filters(board, world: World) -> None:
    response = board.get(URL, {"jurisdiction": world.neighbour.pk})
    assert open_counts(response) == data.open_by_status(
        data.activities(jurisdiction=world.neighbour)
    )
    response = board.get(URL, {"primary_center": world.other_center.pk})
    assert open_counts(response) == data.open_by_status(
        data.activities(primary_center=world.other_center)
    )
    response = board.get(URL, {"category": world.category.pk})
    assert open_counts(response) == data.open_by_status(
        data.activities(goal_category=world.category)
    )


def test_date_range_filters_by_date_opened_as_the_search_does(board) -> None:
    start, end = data.today() - dt.timedelta(days=200), data.today() - dt.timedelta(days=60)
    response = board.get(URL, {"opened_from": start.isoformat(), "opened_to": f"{end:%m/%d/%Y}"})
    assert response.status_code == 200
    acts = data.activities(date_opened__gte=start, date_opened__lte=end)
    assert response.context["board"].activity_count == len(acts)
    assert open_counts(response) == data.open_by_status(acts)
    # the 12 months end with the filter's last month
    assert response.context["board"].months[-1] == end.replace(day=1)
    # the link to the search carries the same parameters
    html = response.content.decode()
    assert f"/search/?opened_from={start.isoformat()}&amp;opened_to={end.isoformat()}" in html


def test_filtered_csv_has_the_filtered_numbers(board, world: World) -> None:
    response = board.get(URL, {"format": "csv", "chart": "by-center", "region": world.region.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    acts = data.activities(jurisdiction__region=world.region)
    assert sum(int(r[3]) for r in rows[1:]) == len(acts)
    assert sum(int(r[1]) for r in rows[1:]) == sum(
        a.completion_status == CompletionStatus.OPEN for a in acts
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "abc"}, "Region: Choose one region from the list"),
        ({"region": "999999"}, "Region: Choose one region from the list"),
        ({"jurisdiction": "GA"}, "State or Territory: Choose one State or Territory"),
        ({"category": "-1"}, "Goal category or related goal category: Choose a goal category"),
        ({"primary_center": "x"}, "Primary center: Choose one center"),
        ({"opened_from": "2026-02-30"}, "Date opened: from: Enter a real date"),
        ({"opened_to": "yesterday"}, "Date opened: to: Enter a real date"),
        ({"opened_from": "0001-01-01"}, "Date opened: from: Enter a date between"),
        (
            {"opened_from": "2026-06-01", "opened_to": "2026-05-01"},
            "Date opened: to: The “to” date is before the “from” date",
        ),
        ({"map": "purple"}, "Shade the map by: Choose what shades the map"),
        ({"format": "pdf", "chart": "map"}, "Download format: Choose “csv”"),
        ({"format": "csv"}, "Chart to download: Choose which chart to download"),
        ({"format": "csv", "chart": "pie"}, "Chart to download: Choose a chart from the list"),
    ],
)
def test_bad_values_are_named_on_the_page(client, world: World, params, message) -> None:
    client.force_login(world.federal)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert "<title>Error: Dashboard" in html
    assert 'class="tat-figure"' not in html


def test_anonymous_visitor_is_sent_to_sign_in(client, world: World) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["primary", "collaborator", "sss", "lead", "federal", "admin", "other_staff"]
)
def test_every_signed_in_role_reads_the_dashboard(client, world: World, persona: str) -> None:
    client.force_login(getattr(world, persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "<h1>Dashboard</h1>" in response.content.decode()


def test_post_is_refused(client, world: World) -> None:
    client.force_login(world.federal)
    assert client.post(URL).status_code == 405


def test_header_links_to_the_dashboard(client, world: World) -> None:
    client.force_login(world.federal)
    html = client.get("/").content.decode()
    assert 'href="/reports/dashboard/"' in html
    page = client.get(URL).content.decode()
    assert 'aria-current="page"><span>Dashboard</span>' in page
