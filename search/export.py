"""S3: the current search results as CSV and XLSX, written row by row in constant memory.

Rows come from `activities_for_export(...).iterator(chunk_size=EXPORT_CHUNK)`: the database
hands them over a chunk at a time, with the collaborating centers and staff prefetched per
chunk, so memory does not grow with the number of rows.
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

from activities.models import TAActivity
from search.criteria import DEFAULT_SORT, SearchCriteria
from search.selectors import activities_for_export

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
    "Latest summary of TA delivered: date",
    "Latest summary of TA delivered",
]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_row(activity: TAActivity) -> list[Any]:
    """One activity as the export's cells (strings and dates)."""
    return [
        activity.record_number,
        "Goal-driven" if activity.is_goal_driven else "On-demand",
        activity.jurisdiction.name,
        activity.jurisdiction.region.short_name,
        str(activity.goal_category) if activity.goal_category_id else "",
        activity.strategic_area.item.name if activity.strategic_area_id else "",
        activity.title,
        str(activity.primary_center),
        "; ".join(str(c) for c in activity.collaborating_centers.all()),
        activity.primary_staff.full_name,
        "; ".join(u.full_name for u in activity.collaborating_staff.all()),
        activity.get_activity_type_display(),
        activity.get_status_display(),
        activity.get_completion_status_display(),
        activity.date_opened,
        activity.completion_date,
        activity.latest_summary_date,
        activity.latest_summary_text or "",
    ]


def export_rows(
    criteria: SearchCriteria | None, *, sort: str = DEFAULT_SORT
) -> Iterator[list[Any]]:
    """The heading row, then one row per matching activity, in the page's order.

    `criteria` None stands for a search that matches nothing (contradictory criteria).
    """
    yield HEADINGS
    if criteria is None:
        return
    for activity in activities_for_export(criteria, sort=sort).iterator(chunk_size=EXPORT_CHUNK):
        yield export_row(activity)


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


def write_xlsx(rows: Iterable[list[Any]], target: IO[bytes]) -> None:
    """Write rows to an .xlsx file with openpyxl's write-only mode (rows go to disk as
    they come; strings are written inline, never as formulas)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("TA activities")
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
