"""Reading an import file (issue 11): a CSV, an XLSX workbook or a zip of CSVs (what
`export_records` writes) becomes a list of rows, each with the file or sheet it came from and
its spreadsheet row number. A file that is not one of these, is empty or has columns the
template does not know is refused with a sentence an administrator can act on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from transfer.spec import TEMPLATE_COLUMNS

MAX_ROWS = 200_000
# Sheets of the template that explain it rather than hold records.
IGNORED_SHEETS = frozenset({"instructions", "columns", "read me", "readme"})
EXPORT_RECORDS_FOLDER = "records/"

NOT_A_SPREADSHEET = (
    "The file is not a CSV file, an Excel workbook (.xlsx) or a zip of CSV files. Save the "
    "spreadsheet as CSV (UTF-8) or Excel workbook and upload it again."
)
EMPTY_FILE = "The file holds no rows: fill in the template below its header row."
NOT_UTF8 = "The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
TOO_MANY_ROWS = "The file has more than {limit:,} rows; split it into several files."
MISSING_COLUMN = "The header row of {source} has no “{column}” column; use the template's header."
UNKNOWN_COLUMN = "{source}: column “{column}” is not in the template."
DUPLICATE_COLUMN = "{source}: column “{column}” appears twice."
BROKEN_CSV = "{source} could not be read as CSV: {error}."


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


FORMULA_MARKED = "=+-@'\t\r"


@dataclass
class Row:
    source: str  # the file or sheet name
    number: int  # the spreadsheet row number (the header is row 1)
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # An exported cell that a spreadsheet would run as a formula carries one leading
    # apostrophe (transfer.exporter.formula_safe): take it off again.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_MARKED:
        return text[1:]
    return text


def _header(source: str, cells: list[Any]) -> list[str]:
    header = [_cell(c).strip().lower() for c in cells]
    while header and not header[-1]:
        header.pop()
    for required in ("kind", "external_id"):
        if required not in header:
            raise ImportFileError(MISSING_COLUMN.format(source=source, column=required))
    seen: set[str] = set()
    for column in header:
        if column and column not in TEMPLATE_COLUMNS:
            raise ImportFileError(UNKNOWN_COLUMN.format(source=source, column=column))
        if column in seen:
            raise ImportFileError(DUPLICATE_COLUMN.format(source=source, column=column))
        seen.add(column)
    return header


def _table(source: str, lines: Iterator[list[Any]], rows: list[Row]) -> None:
    header: list[str] | None = None
    for number, cells in enumerate(lines, start=1):
        if header is None:
            if not any(_cell(c) for c in cells):
                continue
            header = _header(source, list(cells))
            continue
        values = {
            column: _cell(cell) for column, cell in zip(header, cells, strict=False) if column
        }
        if not any(values.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(TOO_MANY_ROWS.format(limit=MAX_ROWS))
        rows.append(Row(source=source, number=number, values=values))


def _csv(source: str, data: bytes, rows: list[Row]) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(NOT_UTF8) from None
    if "\x00" in text:
        raise ImportFileError(NOT_A_SPREADSHEET)
    try:
        _table(source, csv.reader(io.StringIO(text, newline="")), rows)
    except csv.Error as exc:
        raise ImportFileError(BROKEN_CSV.format(source=source, error=exc)) from None


def _xlsx(data: bytes, rows: list[Row]) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise ImportFileError(NOT_A_SPREADSHEET) from None
    try:
        for sheet in workbook.worksheets:
            if sheet.title.strip().lower() in IGNORED_SHEETS:
                continue
            _table(sheet.title, (list(r) for r in sheet.iter_rows(values_only=True)), rows)
    finally:
        workbook.close()


def _zip(archive: zipfile.ZipFile, rows: list[Row]) -> None:
    names = sorted(
        n for n in archive.namelist() if n.lower().endswith(".csv") and not n.endswith("/")
    )
    # An export holds records/*.csv (importable) and history/*.csv (for reading only).
    if any(n.startswith(EXPORT_RECORDS_FOLDER) for n in names):
        names = [n for n in names if n.startswith(EXPORT_RECORDS_FOLDER)]
    if not names:
        raise ImportFileError(NOT_A_SPREADSHEET)
    for name in names:
        _csv(name, archive.read(name), rows)


def read_rows(handle: IO[bytes], name: str = "") -> list[Row]:
    """Every non-empty row of the file, in file order; ImportFileError if it cannot be read."""
    data = handle.read()
    if not data.strip():
        raise ImportFileError(EMPTY_FILE)
    rows: list[Row] = []
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            raise ImportFileError(NOT_A_SPREADSHEET) from None
        if "[Content_Types].xml" in names:
            _xlsx(data, rows)
        else:
            _zip(archive, rows)
    else:
        _csv(name or "file", data, rows)
    if not rows:
        raise ImportFileError(EMPTY_FILE)
    return rows
