"""S3 export: CSV and XLSX of the current results — the same rows, in the same order, as
the pages on screen — streamed, with the latest summary and no query per row."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import DeliverySummary, TAActivity
from search.export import HEADINGS
from search.views import PAGE_SIZE
from tests.factories import TAActivityFactory, UserFactory
from tests.search.helpers import (
    SEARCH_URL,
    D,
    SearchWorld,
    _note,
    page_records,
)

CSV_URL = reverse("search:export_csv")
XLSX_URL = reverse("search:export_xlsx")


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ta-activities-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    assert isinstance(response, FileResponse)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book["TA activities"].iter_rows(values_only=True)]


def all_pages(client, params: dict) -> list[str]:
    records, page = [], 1
    while True:
        response = client.get(SEARCH_URL, {**params, "page": page})
        records += page_records(response)
        if not response.context["page_obj"].has_next():
            return records
        page += 1


def test_s3_csv_row_content(reader_client, world):
    rows = csv_rows(reader_client.get(CSV_URL, {"record": world.qris.pk}))
    assert rows[0] == HEADINGS
    assert rows[1] == [
        world.qris.record_number,
        "Goal-driven",
        "Illinois",
        "Region V",
        "7. Support continuous quality improvement",
        "Tiered QRIS",
        "QRIS program standards",
        "State Capacity Building Center (SCBC)",
        "Quality Assurance Center (ECQA)",
        "Alice Adams",
        "Bob Brown",
        "Tailored/individualized",
        "Approved",
        "Closed",
        "2025-01-10",
        "2025-03-31",
        "Not recorded",  # A7: entered without the approvals on record
        "",
        "",
        "",
        "",
        "",
        "2025-02-15",
        "State received an onsite visit on QRIS",
    ]
    on_demand = csv_rows(reader_client.get(CSV_URL, {"record": world.rates.pk}))[1]
    assert on_demand[1] == "On-demand"
    assert on_demand[5] == ""  # no strategic area
    assert on_demand[6] == "Market rate survey"


def test_s3_latest_summary_is_the_most_recent_delivery(reader_client, world):
    _note(DeliverySummary, world.rates, "Later delivery", D(2025, 8, 30))
    _note(DeliverySummary, world.rates, "Earlier delivery entered last", D(2025, 7, 1))
    row = csv_rows(reader_client.get(CSV_URL, {"record": world.rates.pk}))[1]
    assert row[-2:] == ["2025-08-30", "Later delivery"]


def _grow(world: SearchWorld, count: int) -> None:
    for number in range(count):
        activity = TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            primary_center=world.scbc,
            primary_staff=world.alice,
            date_opened=D(2024, 1, 1) + dt.timedelta(days=number % 7),
        )
        activity.collaborating_staff.set([world.bob, UserFactory()])
        activity.collaborating_centers.set([world.ecqa])
        _note(DeliverySummary, activity, f"Delivery {number}", D(2024, 6, 1))


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "staff"}, {"sort": "-date_closed"}, {"sort": "jurisdiction", "q": "delivery"}],
)
def test_s3_export_contents_equal_the_results_on_screen(reader_client, world, params):
    _grow(world, PAGE_SIZE + 7)
    on_screen = all_pages(reader_client, params)
    assert len(on_screen) > PAGE_SIZE
    csv_records = [row[0] for row in csv_rows(reader_client.get(CSV_URL, params))[1:]]
    xlsx_records = [row[0] for row in xlsx_rows(reader_client.get(XLSX_URL, params))[1:]]
    assert csv_records == on_screen
    assert xlsx_records == on_screen


def test_s3_export_of_contradictory_criteria_has_headings_only(reader_client, world):
    params = {"jurisdiction": world.guam.pk, "region": world.region_v.pk}
    assert csv_rows(reader_client.get(CSV_URL, params)) == [HEADINGS]
    assert xlsx_rows(reader_client.get(XLSX_URL, params)) == [HEADINGS]


def test_s3_xlsx_keeps_types_and_never_writes_formulas(reader_client, world):
    world.rates.other_focus_notes = "x"
    world.rates.save()
    _note(DeliverySummary, world.rates, '=HYPERLINK("http://evil")', D(2025, 12, 1))
    rows = xlsx_rows(reader_client.get(XLSX_URL, {"record": world.rates.pk}))
    assert rows[0] == HEADINGS
    assert rows[1][14] == dt.datetime(2025, 6, 1)  # a real date cell
    summary_column = HEADINGS.index("Latest summary of TA delivered")
    assert rows[1][summary_column] == '=HYPERLINK("http://evil")'  # text, not a formula
    book = openpyxl.load_workbook(
        io.BytesIO(
            b"".join(reader_client.get(XLSX_URL, {"record": world.rates.pk}).streaming_content)
        )
    )
    assert book["TA activities"].cell(row=2, column=summary_column + 1).data_type == "s"


def test_s3_csv_neutralises_spreadsheet_formulas(reader_client, world):
    _note(DeliverySummary, world.rates, "=1+2", D(2025, 12, 1))
    row = csv_rows(reader_client.get(CSV_URL, {"record": world.rates.pk}))[1]
    assert row[-1] == "'=1+2"


def _export_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content)
    return len(queries)


# Session, user, then the rows (one query: latest summary as subqueries) and one prefetch
# each for collaborating centers and staff per chunk of rows.
EXPORT_QUERIES = 5


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_s3_export_queries_do_not_grow_with_rows(reader_client, world, url):
    assert _export_queries(reader_client, url) == EXPORT_QUERIES
    _grow(world, 60)
    assert TAActivity.objects.count() == 63
    assert _export_queries(reader_client, url) == EXPORT_QUERIES
