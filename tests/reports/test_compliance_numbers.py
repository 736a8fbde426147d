"""Issue 10, the monthly compliance report: its numbers against counts written out by hand
from the guide's rules (A10 due dates, A2 late entries, R1 missing summaries) on real dates
around Veterans Day and Thanksgiving 2025 (tests/reports/compliance_data.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.models import DeliverySummary
from reports.compliance.figures import ComplianceFilters, compliance_report
from tests.reports import compliance_data as data
from tests.reports.compliance_html import page_tables

TODAY = dt.date(2026, 12, 1)
URL = reverse("reports:compliance")


@pytest.fixture
def records(world):
    return data.build(world)


def _numbers(counts) -> tuple[int, ...]:
    return tuple(getattr(counts, name) for name in data.COLUMNS)


def _by_code(rows) -> dict[str, tuple[int, ...]]:
    """Rows by code; rows with nothing to count (other active centers) left out."""
    return {row.code: _numbers(row.counts) for row in rows if any(_numbers(row.counts))}


def test_a10_a2_the_dates_of_the_data_are_the_guides(records):
    """The data set is what its table says (due dates around the holidays, late flags)."""
    a1_summaries = {
        s.note_date: (s.due_date, s.is_late)
        for s in DeliverySummary.objects.filter(activity=records["a1"])
    }
    assert a1_summaries == {
        data.d(11, 3): (data.d(11, 18), False),  # Veterans Day moves the due date to 11/18
        data.d(11, 20): (data.d(11, 30), True),  # the month's end comes first
    }
    assert DeliverySummary.objects.get(activity=records["a5"]).is_late is False
    assert [records[k].is_late_entry for k in ("a1", "a2", "a3", "a5", "a6", "a7")] == [
        False, False, True, True, True, False,
    ]  # fmt: skip


def test_a10_a2_r1_numbers_per_center_match_independent_counts(records):
    report = compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    assert _by_code(report.by_center) == data.EXPECTED_BY_CENTER
    assert _numbers(report.total) == data.EXPECTED_TOTAL
    assert report.month_is_over


def test_a10_a2_r1_numbers_per_jurisdiction_match_independent_counts(records, world):
    report = compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    assert _by_code(report.by_jurisdiction) == data.EXPECTED_BY_JURISDICTION
    assert [row.detail for row in report.by_jurisdiction] == ["Region IV", "Region IV", "Region IX"]


def test_a10_on_time_rate_is_on_time_over_deliveries(records):
    report = compliance_report(ComplianceFilters(month=data.MONTH), today=TODAY)
    by_code = {row.code: row.counts for row in report.by_jurisdiction}
    assert by_code["GA"].on_time_percent == 33.3
    assert by_code["FL"].on_time_percent == 100.0
    assert by_code["GU"].on_time_percent is None  # nothing delivered: no rate
    assert report.total.on_time_percent == 50.0


def test_a2_entries_count_in_the_month_they_were_entered(records):
    """a6 (opened 11/20, entered 12/01) is December's entry, and late there; a7 (entered at
    11:30 p.m. on 11/30, local time) is November's."""
    december = compliance_report(ComplianceFilters(month=data.d(12, 1)), today=TODAY)
    assert (december.total.entered, december.total.entered_late) == (1, 1)
    assert (december.total.deliveries, december.total.missing) == (0, 0)
    october = compliance_report(ComplianceFilters(month=data.d(10, 1)), today=TODAY)
    assert _numbers(october.total) == (1, 1, 0, 0, 1, 0)  # a4: entered 10/01, summary 10/30


def test_filters_narrow_both_tables_and_the_totals(records, world):
    by_center = compliance_report(
        ComplianceFilters(month=data.MONTH, primary_center=world.other_center), today=TODAY
    )
    assert _by_code(by_center.by_center) == {"SCBC": data.EXPECTED_BY_CENTER["SCBC"]}
    assert _by_code(by_center.by_jurisdiction) == {
        "GA": (1, 0, 1, 0, 0, 0),
        "GU": (0, 0, 0, 1, 1, 0),
    }
    assert [row.code for row in by_center.by_jurisdiction] == ["FL", "GA", "GU"]  # zeros too
    region = compliance_report(
        ComplianceFilters(month=data.MONTH, region=world.region), today=TODAY
    )
    assert set(_by_code(region.by_jurisdiction)) == {"GA", "FL"}
    assert _numbers(region.total) == (4, 2, 2, 1, 4, 2)
    state = compliance_report(
        ComplianceFilters(month=data.MONTH, jurisdiction=world.faraway), today=TODAY
    )
    assert _by_code(state.by_jurisdiction) == {"GU": data.EXPECTED_BY_JURISDICTION["GU"]}
    assert _by_code(state.by_center) == {"SCBC": (0, 0, 0, 1, 1, 0)}
    assert {"ECQA", "SCBC"} <= {row.code for row in state.by_center}  # every active center


def _row_numbers(row: list[str]) -> tuple[int, ...]:
    # heading cell(s), then: deliveries, on time, late, on-time %, missing, entered, late
    cells = row[-7:]
    return tuple(int(cells[i]) for i in (0, 1, 2, 4, 5, 6))


def test_the_page_shows_the_same_numbers(client, world, records):
    client.force_login(world.federal)
    response = client.get(URL, {"month": "2025-11"})
    assert response.status_code == 200
    tables = page_tables(response.content.decode())
    centers = tables["by-center-table"]
    assert centers[0] == [
        "Primary center",
        "TA deliveries",
        "Summaries on time",
        "Summaries late",
        "On time (%)",
        "Summaries missing",
        "TA activities entered",
        "Entered late",
    ]
    shown = {row[0]: _row_numbers(row) for row in centers[1:] if any(_row_numbers(row))}
    assert shown == {
        "Quality Assurance Center (ECQA)": data.EXPECTED_BY_CENTER["ECQA"],
        "State Capacity Building Center (SCBC)": data.EXPECTED_BY_CENTER["SCBC"],
        "Total": data.EXPECTED_TOTAL,
    }
    states = tables["by-jurisdiction-table"]
    shown = {row[0]: (row[1], _row_numbers(row)) for row in states[1:]}
    assert shown == {
        "Florida": ("Region IV", data.EXPECTED_BY_JURISDICTION["FL"]),
        "Georgia": ("Region IV", data.EXPECTED_BY_JURISDICTION["GA"]),
        "Guam": ("Region IX", data.EXPECTED_BY_JURISDICTION["GU"]),
        "Total": ("", data.EXPECTED_TOTAL),
    }
    guam = next(row for row in states if row[0] == "Guam")
    assert guam[5] == "–none"  # no rate without deliveries (a dash, "none" to screen readers)
    assert "November 2025" in response.content.decode()


def test_r1_missing_summaries_are_the_monthly_reviews_flags(records):
    """The report's missing summaries are exactly the rows the review flags for the month."""
    from oversight.selectors import (
        EVERY_JURISDICTION,
        ReviewFilters,
        missing_summary_rows,
        review_queryset,
    )

    flagged = review_queryset(
        scope=EVERY_JURISDICTION, filters=ReviewFilters(month=data.MONTH), with_status=False
    ).filter(missing_summary=True)
    expected = {records["a2"].pk, records["a6"].pk}
    assert set(flagged.values_list("pk", flat=True)) == expected
    assert set(missing_summary_rows(month=data.MONTH).values_list("pk", flat=True)) == expected
