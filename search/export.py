"""S3: the current search results as CSV and XLSX, written row by row in constant memory.

Rows come from `activities_for_export(...).iterator(chunk_size=EXPORT_CHUNK)` as plain
values: the database hands them over a chunk at a time, and each chunk's collaborating
centers and staff take two queries, so memory does not grow with the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from activities.models import (
    ActivityStatus,
    ActivityType,
    CompletionStatus,
    RequesterApproverRole,
)
from search.criteria import DEFAULT_SORT, SearchCriteria, record_number
from search.selectors import EXPORT_COLUMNS, activities_for_export, collaborators_for

EXPORT_CHUNK = 2000

HEADINGS = [
    "TA record number",
    "Goal-driven or on-demand",
    "State or Territory",
    "Region",
    "Goal category",
    "Strategic area",
    "TA focus",
    "Primary center",
    "Collaborating centers",
    "Primary staff person",
    "Collaborating staff",
    "TA activity type",
    "TA activity status",
    "Completion status",
    "Date opened",
    "Date closed",
    "Requested directly by the CCDF Administrator or staff",
    "Activity approved by (CCDF Administrator or RPM)",
    "Approver's name",
    "Date approved by the CCDF Administrator or RPM",
    "COR's name",
    "COR approval date",
    "Latest summary of TA delivered: date",
    "Latest summary of TA delivered",
]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_ACTIVITY_TYPES = dict(ActivityType.choices)
_STATUSES = dict(ActivityStatus.choices)
_COMPLETION = dict(CompletionStatus.choices)
_APPROVER_ROLES = dict(RequesterApproverRole.choices)
_REQUESTED_DIRECTLY = {True: "Yes", False: "No", None: "Not recorded"}


def _title(focus_name: str, focus_is_other: bool, other_notes: str) -> str:
    """A1: the TA focus is the title; "Other" shows its notes (as TAActivity.title)."""
    if focus_is_other and other_notes:
        return f"Other: {other_notes[:80]}"
    return focus_name


def export_row(
    values: tuple[Any, ...], centers: dict[int, list[str]], staff: dict[int, list[str]]
) -> list[Any]:
    """One activity (a row of `EXPORT_COLUMNS`) as the export's cells."""
    row = dict(zip(EXPORT_COLUMNS, values, strict=True))
    pk = row["id"]
    return [
        record_number(pk),
        "Goal-driven" if row["goal_id"] else "On-demand",
        row["jurisdiction__name"],
        f"Region {row['jurisdiction__region__numeral']}",
        f"{row['goal_category__number']}. {row['goal_category__name']}"
        if row["goal_category__number"] is not None
        else "",
        row["strategic_area__item__name"] or "",
        _title(row["focus__name"], row["focus__is_other"], row["other_focus_notes"]),
        f"{row['primary_center__name']} ({row['primary_center__code']})",
        "; ".join(centers.get(pk, ())),
        row["primary_staff__full_name"],
        "; ".join(staff.get(pk, ())),
        _ACTIVITY_TYPES.get(row["activity_type"], row["activity_type"]),
        _STATUSES.get(row["status"], row["status"]),
        _COMPLETION.get(row["completion_status"], row["completion_status"]),
        row["date_opened"],
        row["completion_date"],
        _REQUESTED_DIRECTLY[row["requested_by_ccdf_administrator"]],
        _APPROVER_ROLES.get(row["requester_approver_role"], row["requester_approver_role"]),
        row["requester_approver_name"],
        row["requester_approval_date"],
        row["cor_name"],
        row["cor_approval_date"],
        row["latest_summary_date"],
        row["latest_summary_text"] or "",
    ]


def export_rows(
    criteria: SearchCriteria | None, *, sort: str = DEFAULT_SORT
) -> Iterator[list[Any]]:
    """The heading row, then one row per matching activity, in the page's order.

    `criteria` None stands for a search that matches nothing (contradictory criteria).
    Rows are read a chunk at a time; each chunk's collaborators take two queries.
    """
    yield HEADINGS
    if criteria is None:
        return
    chunk: list[tuple[Any, ...]] = []
    for values in activities_for_export(criteria, sort=sort).iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(values)
        if len(chunk) == EXPORT_CHUNK:
            yield from _chunk_rows(chunk)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk)


def _chunk_rows(chunk: list[tuple[Any, ...]]) -> Iterator[list[Any]]:
    centers, staff = collaborators_for([values[0] for values in chunk])
    for values in chunk:
        yield export_row(values, centers, staff)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    """A file-like object whose write() returns what it is given (csv → streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # byte-order mark: spreadsheet programs then read UTF-8 correctly
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def export_filename(extension: str) -> str:
    return f"ta-activities-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(
    criteria: SearchCriteria | None, *, sort: str = DEFAULT_SORT
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(export_rows(criteria, sort=sort)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename("csv")}"'
    return response


def write_xlsx(
    rows: Iterable[list[Any]], target: IO[bytes], *, sheet_title: str = "TA activities"
) -> None:
    """Write rows to an .xlsx file with openpyxl's write-only mode (rows go to disk as
    they come; strings are written inline, never as formulas)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text even when it starts with "="
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(target)


def xlsx_response(criteria: SearchCriteria | None, *, sort: str = DEFAULT_SORT) -> FileResponse:
    """Build the workbook in an anonymous temporary file, then stream that file."""
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(export_rows(criteria, sort=sort), target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=export_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
