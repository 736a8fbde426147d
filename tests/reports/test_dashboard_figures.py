"""The dashboard's numbers (issue #10) against counts computed independently over the data
(plain ORM reads and Python), on the page's tables and in the CSV downloads."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from activities.models import CompletionStatus
from tests.factories_activities import World
from tests.reports import dashboard_data as data
from tests.reports.dashboard_data import URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(client, world: World):
    data.build(world)
    client.force_login(world.federal)
    return client


def figure(response, key: str):
    return response.context["board"].figure(key)


def table(response, key: str) -> dict[str, list]:
    return {row.label: row.values for row in figure(response, key).rows}


def download(client, chart: str, **params) -> list[list[str]]:
    response = client.get(URL, {"format": "csv", "chart": chart, **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"tat-dashboard-{chart}-" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_open_activities_by_status_match_independent_counts(board) -> None:
    response = board.get(URL)
    expected = data.open_by_status(data.activities())
    assert {k: v[0] for k, v in table(response, "open-by-status").items()} == expected
    rows = download(board, "open-by-status")
    assert rows[0] == ["TA activity status", "Open TA activities"]
    assert {r[0]: int(r[1]) for r in rows[1:]} == expected
    total = sum(expected.values())
    assert f"{total} open TA activities" in figure(response, "open-by-status").summary
    assert f"<strong>{total}</strong> of them open" in response.content.decode()


def test_activities_by_goal_category_match_independent_counts(board, world: World) -> None:
    response = board.get(URL)
    acts = data.activities()
    by_category = table(response, "by-category")
    for category in (world.category, world.other_category):
        mine = [a for a in acts if a.goal_category_id == category.pk]
        open_n = sum(a.completion_status == CompletionStatus.OPEN for a in mine)
        assert by_category[f"{category.number}. {category.name}"] == [
            open_n,
            len(mine) - open_n,
            len(mine),
        ]
    without = [a for a in acts if a.goal_category_id is None]
    assert without, "the data set has activities without a category"
    assert by_category["No goal category"][2] == len(without)
    rows = download(board, "by-category")
    assert rows[0] == ["Goal category", "Open", "Closed or cancelled", "All"]
    assert sum(int(r[3]) for r in rows[1:]) == len(acts)


def test_activities_by_primary_center_match_independent_counts(board, world: World) -> None:
    response = board.get(URL)
    acts = data.activities()
    by_center = table(response, "by-center")
    for center in (world.center, world.other_center):
        mine = [a for a in acts if a.primary_center_id == center.pk]
        open_n = sum(a.completion_status == CompletionStatus.OPEN for a in mine)
        assert by_center[f"{center.name} ({center.code})"] == [
            open_n,
            len(mine) - open_n,
            len(mine),
        ]
    html = response.content.decode()
    assert f"{world.center.name} ({world.center.code})" in html


def test_ta_delivered_per_month_by_method_match_independent_counts(board, world: World) -> None:
    response = board.get(URL)
    summaries = data.summaries_in_window(data.activities())
    assert summaries, "the data set has summaries in the 12 months"
    delivered = data.per_month([s.note_date for s in summaries])
    by_method = data.per_month(
        [s.note_date for s in summaries for m in s.delivery_methods.all() if m == world.method]
    )
    in_person = data.per_month(
        [s.note_date for s in summaries for m in s.delivery_methods.all() if m.name == "In person"]
    )
    fig = figure(response, "delivered-per-month")
    index = {name: i for i, name in enumerate(fig.columns)}
    rows = {row.label: row.values for row in fig.rows}
    assert list(rows) == [data.label(m) for m in data.months()]
    for month, count in delivered.items():
        assert rows[month][index["Summaries of TA delivered"]] == count
        assert rows[month][index[world.method.name]] == by_method[month]
        assert rows[month][index["In person"]] == in_person[month]
    csv_rows = download(board, "delivered-per-month")
    assert csv_rows[0][-1] == "Summaries of TA delivered"
    assert sum(int(r[-1]) for r in csv_rows[1:]) == len(summaries)


def test_on_time_rate_per_center_and_month_match_independent_counts(board, world: World) -> None:
    response = board.get(URL)
    cells = data.on_time_cells(data.activities())
    assert any(on < all_ for on, all_ in cells.values()), "some summaries are late"
    assert any(on for on, _ in cells.values()), "some summaries are on time"
    rows = download(board, "on-time-rate")
    assert rows[0] == [
        "Primary center",
        "Center code",
        "Month delivered",
        "Summaries",
        "On time",
        "Late",
        "On-time rate (%)",
    ]
    got = {(r[1], r[2]): (int(r[4]), int(r[3])) for r in rows[1:] if int(r[3])}
    assert got == cells
    fig = figure(response, "on-time-rate")
    row = next(r for r in fig.rows if r.label.endswith(f"({world.center.code})"))
    for month, text in zip(data.months(), row.cells, strict=True):
        on, all_ = cells.get((world.center.code, f"{month:%Y-%m}"), (0, 0))
        assert text == (f"{round(100 * on / all_)} % ({on} of {all_})" if all_ else "no summaries")


def test_opened_and_closed_per_month_match_independent_counts(board) -> None:
    response = board.get(URL)
    acts = data.activities()
    start = data.months()[0]
    opened = data.per_month([a.date_opened for a in acts if a.date_opened >= start])
    closed = data.per_month(
        [
            a.completion_date
            for a in acts
            if a.completion_status == CompletionStatus.CLOSED and a.completion_date >= start
        ]
    )
    assert table(response, "opened-closed") == {m: [opened[m], closed[m]] for m in opened}
    rows = download(board, "opened-closed")
    assert {r[0]: [int(r[1]), int(r[2])] for r in rows[1:]} == {
        m: [opened[m], closed[m]] for m in opened
    }


def test_map_counts_open_activities_and_late_summaries_per_state(board, world: World) -> None:
    acts = data.activities()
    open_counts = Counter(a.jurisdiction.code for a in acts if a.completion_status == "open")
    late_counts = Counter(
        s.activity.jurisdiction.code for s in data.summaries_in_window(acts) if s.is_late
    )
    response = board.get(URL)
    rows = table(response, "map")
    for place in (world.jurisdiction, world.neighbour, world.faraway):
        assert rows[f"{place.name} ({place.code})"] == [
            open_counts[place.code],
            late_counts[place.code],
        ]
    tiles = {tile.code: tile for tile in figure(response, "map").chart.tiles}
    assert tiles["GA"].value == open_counts["GA"]
    assert tiles["GA"].href == "/states/GA/"
    html = response.content.decode()
    assert f'aria-label="Georgia: {open_counts["GA"]} open TA activities"' in html
    late = board.get(URL, {"map": "late"})
    tiles = {tile.code: tile for tile in figure(late, "map").chart.tiles}
    assert tiles["GU"].value == late_counts["GU"]
    assert "Map of the States and Territories: late summaries" in late.content.decode()


def test_every_chart_has_title_summary_svg_table_and_csv_link(board) -> None:
    html = board.get(URL).content.decode()
    for key in (
        "open-by-status",
        "by-category",
        "by-center",
        "delivered-per-month",
        "on-time-rate",
        "opened-closed",
        "map",
    ):
        assert f'id="{key}-heading"' in html
        assert f'id="{key}-svg-title"' in html
        assert f"format=csv&amp;chart={key}" in html
    assert html.count('<svg class="tat-chart') == 7
    assert html.count("<table") == 7
    figures = html[html.index('<section class="tat-figure"') : html.rindex("</section>")]
    assert "<script" not in figures  # the charts need no JavaScript
