"""Issue 10, rough edges: search results in compact two-line rows (six cells, each showing two
of the twelve columns, every column still sortable), and the count per State or Territory
when a search spans several — one GROUP BY, whatever the number of results."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import TAActivity
from search.views import COLUMN_PAIRS, COLUMNS
from tests.factories import TAActivityFactory
from tests.search.helpers import SEARCH_URL, page_records


def _header_cells(html: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head
    return re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", head.group(1), re.S)


def test_s3_results_fit_in_six_two_line_cells_and_every_column_sorts(reader_client, world):
    html = reader_client.get(SEARCH_URL, {"sort": "staff"}).content.decode()
    cells = _header_cells(html)
    assert len(cells) == 6
    headings = dict(COLUMNS)
    for cell, pair in zip(cells, COLUMN_PAIRS, strict=True):
        links = re.findall(r'<a class="tat-sort-link" href="\?([^"]*)">([^<]*)<', cell)
        assert [text for _, text in links] == [headings[key] for key in pair]
    # Every one of the twelve columns still has its sort link, and the pair that holds the
    # sorted column carries aria-sort.
    sort_targets = re.findall(r'class="tat-sort-link" href="\?([^"]*)"', html)
    assert sorted(parse_qs(q)["sort"][0].lstrip("-") for q in sort_targets) == sorted(
        key for key, _ in COLUMNS
    )
    assert re.findall(r'<th scope="col" aria-sort="(\w+)">', html) == ["ascending"]
    sorted_cell = next(c for c in cells if "Primary staff" in c)
    assert "(sorted ascending; select to sort descending)" in sorted_cell
    # Each row: the record number, then five cells of two lines each.
    rows = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)[0].split("<tr>")[1:]
    assert len(rows) == 3
    for row in rows:
        assert row.count("<td>") == 5
        assert row.count('class="tat-cell-line') == 11
    assert page_records(reader_client.get(SEARCH_URL, {"sort": "record"})) == [
        a.record_number
        for a in sorted([world.qris, world.rates, world.related], key=lambda a: a.pk)
    ]


def _counts(html: str) -> dict[str, int]:
    found = re.search(r'<details class="tat-by-jurisdiction"[^>]*>(.*?)</details>', html, re.S)
    if not found:
        return {}
    return {
        name: int(count.replace(",", ""))
        for name, count in re.findall(
            r'<a class="usa-link" href="[^"]*">([^<]+)</a> '
            r'<span class="tat-by-jurisdiction__count">([\d,]+)</span>',
            found.group(1),
        )
    }


def test_s3_count_per_state_when_the_search_spans_several(reader_client, world):
    for _ in range(3):
        TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            primary_center=world.scbc,
            primary_staff=world.alice,
        )
    expected = Counter(TAActivity.objects.values_list("jurisdiction__name", flat=True))
    response = reader_client.get(SEARCH_URL)
    html = response.content.decode()
    assert _counts(html) == dict(expected)
    assert list(_counts(html)) == ["Illinois", "California", "Guam"]  # most first, then name
    # Each State links to the same search narrowed to it.
    link = re.search(r'<a class="usa-link" href="\?([^"]*)">Guam</a>', html).group(1)
    narrowed = reader_client.get(SEARCH_URL + "?" + link.replace("&amp;", "&"))
    assert page_records(narrowed) == [world.rates.record_number]


def test_s3_no_count_per_state_for_one_state_or_an_empty_result(reader_client, world):
    one_state = reader_client.get(SEARCH_URL, {"jurisdiction": world.illinois.pk})
    assert 'class="tat-by-jurisdiction"' not in one_state.content.decode()
    in_region = reader_client.get(SEARCH_URL, {"region": world.region_v.pk})
    assert 'class="tat-by-jurisdiction"' not in in_region.content.decode()
    nothing = reader_client.get(SEARCH_URL, {"q": "nosuchwordanywhere"})
    assert 'class="tat-by-jurisdiction"' not in nothing.content.decode()


@pytest.mark.parametrize("params", [{}, {"q": "QRIS"}, {"region": "ix"}])
def test_s3_count_per_state_adds_the_same_queries_whatever_the_results(
    reader_client, world, params
):
    if params.get("region"):
        params = {"region": world.region_ix.pk}
    reader_client.get(SEARCH_URL)  # the page shell caches the picker list per process

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reader_client.get(SEARCH_URL, params).status_code == 200
        return len(captured)

    before = queries()
    for jurisdiction in (world.illinois, world.guam, world.california):
        for _ in range(4):
            TAActivityFactory(
                jurisdiction=jurisdiction,
                strategic_area=None,
                goal=None,
                goal_category=world.quality,
                focus=world.qris_focus,
                primary_center=world.scbc,
                primary_staff=world.alice,
            )
    assert queries() == before


def test_s3_count_per_state_skipped_when_costly_and_said_so(reader_client, world, monkeypatch):
    from search import selectors

    monkeypatch.setattr(selectors, "BREAKDOWN_MAX", 0)
    # A criterion the jurisdiction index cannot answer alone, over more results than the cap:
    # no GROUP BY; the page says how to see the counts.
    html = reader_client.get(SEARCH_URL, {"primary_center": world.scbc.pk}).content.decode()
    assert 'class="tat-by-jurisdiction"' not in html
    assert "The count per State or Territory is shown for searches of up to 0 results" in html
    # No criteria, or a region alone, are answered from the index: always counted.
    assert _counts(reader_client.get(SEARCH_URL).content.decode())
    region = reader_client.get(SEARCH_URL, {"region": world.region_ix.pk}).content.decode()
    assert _counts(region) == {"California": 1, "Guam": 1}
