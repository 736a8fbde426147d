"""The import template files the Help page offers (issue 11): a CSV and an XLSX with the
template's header row and one example row per kind. The XLSX explains every column twice: a
note on each header cell and an "Instructions" sheet (which the importer skips)."""

from __future__ import annotations

import csv
import io

from transfer.spec import COLUMNS, KINDS, TEMPLATE_COLUMNS


def _example_rows() -> list[list[str]]:
    return [
        [{"kind": kind.name, **kind.example}.get(column, "") for column in TEMPLATE_COLUMNS]
        for kind in KINDS
    ]


def template_csv() -> bytes:
    """The template as CSV (UTF-8 with a BOM, so spreadsheets open it as UTF-8)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(_example_rows())
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The template as an Excel workbook: Records (header + examples) and Instructions."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Records"
    sheet.append(list(TEMPLATE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.comment = Comment(COLUMNS[cell.value].meaning, "TAT")
    for row in _example_rows():
        sheet.append(row)
    sheet.freeze_panes = "C2"

    notes = workbook.create_sheet("Instructions")
    notes.append(["Technical Assistance Tracker import template"])
    notes.append(["One row per record; the kind column says what it is. Delete the example rows."])
    notes.append(["Dates as YYYY-MM-DD. Lists separated by ;. People are matched by e-mail."])
    notes.append([])
    notes.append(["kind", "columns it uses", "required"])
    for kind in KINDS:
        notes.append([kind.name, ", ".join(kind.columns), ", ".join(kind.required)])
    notes.append([])
    notes.append(["column", "meaning"])
    for name in TEMPLATE_COLUMNS:
        notes.append([name, COLUMNS[name].meaning])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
