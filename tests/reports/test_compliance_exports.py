"""Issue 10, the monthly compliance report as CSV and XLSX: the page's numbers, table by
table, with the search export's writer (no cell runs as a formula)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CenterFactory
from tests.reports import compliance_data as data

CSV_URL = reverse("reports:compliance_csv")
XLSX_URL = reverse("reports:compliance_xlsx")
CENTER_HEADINGS = [
    "Primary center",
    "TA deliveries",
    "Summaries on time",
    "Summaries late",
    "On time (%)",
    "Summaries missing",
    "TA activities entered",
    "Entered late",
]


@pytest.fixture
def signed_in(client, world):
    data.build(world)
    client.force_login(world.federal)
    return client


def _sections(rows: list[list]) -> dict[str, list[list]]:
    """The rows under each one-cell title row ("By primary center", …), up to a blank row."""
    sections: dict[str, list[list]] = {}
    current = None
    for row in rows:
        cells = [cell for cell in row if cell not in (None, "")]
        if not cells:
            current = None
        elif len(cells) == 1 and current is None:
            current = str(cells[0])
            sections[current] = []
        elif current is not None:
            sections[current].append(list(row))
    return sections


def _numbers(row: list) -> tuple[int, ...]:
    cells = row[-7:]
    return tuple(int(cells[i]) for i in (0, 1, 2, 4, 5, 6))


def _check(sections: dict[str, list[list]]) -> None:
    centers = sections["By primary center"]
    assert [str(c) for c in centers[0]] == CENTER_HEADINGS
    by_center = {row[0]: _numbers(row) for row in centers[1:] if any(_numbers(row))}
    assert by_center == {
        "Quality Assurance Center": data.EXPECTED_BY_CENTER["ECQA"],
        "State Capacity Building Center": data.EXPECTED_BY_CENTER["SCBC"],
        "Total": data.EXPECTED_TOTAL,
    }
    states = sections["By State or Territory"]
    assert [str(c) for c in states[0][:2]] == ["State or Territory", "Region"]
    by_state = {row[0]: (row[1] or "", _numbers(row)) for row in states[1:]}
    assert by_state == {
        "Florida": ("Region IV", data.EXPECTED_BY_JURISDICTION["FL"]),
        "Georgia": ("Region IV", data.EXPECTED_BY_JURISDICTION["GA"]),
        "Guam": ("Region IX", data.EXPECTED_BY_JURISDICTION["GU"]),
        "Total": ("", data.EXPECTED_TOTAL),
    }
    definitions = {row[0]: row[1] for row in sections["Definitions"]}
    assert "72 business hours" in definitions["Entered late"]


def test_csv_has_the_pages_numbers(signed_in):
    response = signed_in.get(CSV_URL, {"month": "2025-11"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="compliance-report-2025-11.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Monthly compliance report: November 2025"]
    assert rows[1] == ["Month", "2025-11", "2025-11-01", "2025-11-30"]
    _check(_sections(rows))


def test_xlsx_has_the_pages_numbers(signed_in):
    response = signed_in.get(XLSX_URL, {"month": "2025-11"})
    assert response.status_code == 200
    assert 'filename="compliance-report-2025-11.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Compliance report"]
    rows = [list(row) for row in workbook["Compliance report"].iter_rows(values_only=True)]
    assert rows[0][0] == "Monthly compliance report: November 2025"
    _check(_sections(rows))


def test_filters_are_named_in_the_files(signed_in, world):
    response = signed_in.get(CSV_URL, {"month": "2025-11", "jurisdiction": world.faraway.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["State or Territory", "Guam"] in rows
    states = _sections(rows)["By State or Territory"]
    assert [row[0] for row in states[1:]] == ["Guam", "Total"]


def test_a_name_that_looks_like_a_formula_stays_text(client, world):
    CenterFactory(code="EVIL", name='=HYPERLINK("http://example.org")')
    client.force_login(world.federal)
    rows = list(csv.reader(io.StringIO(client.get(CSV_URL).content.decode("utf-8-sig"))))
    assert any(row and row[0] == '\'=HYPERLINK("http://example.org")' for row in rows)
    workbook = load_workbook(io.BytesIO(client.get(XLSX_URL).content))
    cells = [row[0] for row in workbook.active.iter_rows() if row and row[0].value]
    evil = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"
