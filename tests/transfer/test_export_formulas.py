"""Issue #12: the records export neutralises spreadsheet formulas (like the search and report
exports), and the import takes the mark off again, so the round trip keeps the text."""

from __future__ import annotations

import csv
import io

import pytest

from transfer.exporter import formula_safe
from transfer.reading import read_rows

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "'=already quoted"]


@pytest.mark.parametrize("text", HOSTILE)
def test_export_cells_that_would_run_as_formulas_get_a_leading_apostrophe(text: str) -> None:
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain note.", "Georgia", "", "2026-11-02", "don't"])
def test_ordinary_cells_are_written_as_they_are(text: str) -> None:
    assert formula_safe(text) == text


def test_an_exported_file_reads_back_to_the_original_text() -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["kind", "external_id", "text"])
    for number, text in enumerate(HOSTILE, start=1):
        writer.writerow(["goal_note", f"N-{number}", formula_safe(text)])
    data = buffer.getvalue().encode("utf-8")
    rows = read_rows(io.BytesIO(data), "response_notes.csv")
    assert [row.get("text") for row in rows] == HOSTILE
