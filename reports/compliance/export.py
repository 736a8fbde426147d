"""The compliance report as CSV and XLSX: the page's numbers, table by table, written with
the search export's writers (`search.export.csv_lines` and `write_xlsx`, which keep any
cell starting with "=", "+", "-" or "@" from running as a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse

from reports.compliance.figures import COLUMNS, ComplianceReport, Counts, ReportRow
from search.export import csv_lines, write_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _numbers(counts: Counts) -> list[Any]:
    return [value for _, value in counts.cells]


def _table(
    title: str, first_headings: list[str], rows: list[ReportRow], total: Counts, detail: bool
) -> Iterator[list[Any]]:
    yield [title]
    yield [*first_headings, *(column.heading for column in COLUMNS)]
    for row in rows:
        yield [row.label, *([row.detail] if detail else []), *_numbers(row.counts)]
    yield ["Total", *([""] if detail else []), *_numbers(total)]


def report_rows(report: ComplianceReport) -> Iterator[list[Any]]:
    """The report as rows of cells: a title and the filters, the table per primary center,
    the table per State or Territory (each with its totals), then each column's
    definition."""
    yield [f"Monthly compliance report: {report.first_day:%B %Y}"]
    yield ["Month", f"{report.first_day:%Y-%m}", report.first_day, report.last_day]
    for label, value in report.filters.describe() or [("Filters", "None")]:
        yield [label, value]
    if not report.month_is_over:
        yield ["Note", "The month is not over: the numbers may still change."]
    yield []
    yield from _table(
        "By primary center", ["Primary center"], report.by_center, report.total, detail=False
    )
    yield []
    yield from _table(
        "By State or Territory",
        ["State or Territory", "Region"],
        report.by_jurisdiction,
        report.total,
        detail=True,
    )
    yield []
    yield ["Definitions"]
    for column in COLUMNS:
        yield [column.heading, column.definition]


def _filename(report: ComplianceReport, extension: str) -> str:
    return f"compliance-report-{report.first_day:%Y-%m}.{extension}"


def csv_response(report: ComplianceReport) -> HttpResponse:
    response = HttpResponse(
        "".join(csv_lines(report_rows(report))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


def xlsx_response(report: ComplianceReport) -> HttpResponse:
    """A small workbook (a hundred rows at most), built in memory."""
    target = io.BytesIO()
    write_xlsx(report_rows(report), target, sheet_title="Compliance report")
    response = HttpResponse(target.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response
