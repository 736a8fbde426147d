"""Issue 11: `import_records` — dry run by default, every error with row, column and message,
all or nothing, a second import changes nothing, CSV and XLSX alike, bad files refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from accounts.models import User
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from goals.models import Goal, GoalNote, StrategicArea
from reference.models import Center
from tests.factories import AdminFactory, UserFactory
from transfer import templates as template_files
from transfer.importer import import_rows
from transfer.models import ImportedRecord
from transfer.reading import ImportFileError, read_rows
from transfer.spec import KINDS, TEMPLATE_COLUMNS

STAFF_EMAIL = "staff.person@center.example.org"
MODELS = (
    Requester,
    Goal,
    StrategicArea,
    GoalNote,
    TAActivity,
    DescriptionNote,
    DeliverySummary,
    RequesterFeedback,
    ResponseNote,
    ImportedRecord,
)


@pytest.fixture
def importer(reference_data: None) -> User:
    """An administrator, and the staff person the template's example names."""
    UserFactory(email=STAFF_EMAIL, center=Center.objects.get(code="SCBC"))
    return AdminFactory(email="admin.importer@example.org")


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def csv_bytes(rows: Iterable[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def xlsx_bytes(rows: Iterable[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Records"
    sheet.append(list(TEMPLATE_COLUMNS))
    for row in rows:
        sheet.append([row.get(c, "") for c in TEMPLATE_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def example_rows() -> list[dict[str, str]]:
    """The template's own example rows: one per kind, a whole activity's life."""
    return [{"kind": kind.name, **kind.example} for kind in KINDS]


def run(data: bytes, actor: User, *, commit: bool = False, name: str = "f.csv") -> Any:
    return import_rows(read_rows(io.BytesIO(data), name), actor=actor, commit=commit)


def test_template_example_rows_import_cleanly(importer: User) -> None:
    result = run(template_files.template_csv(), importer)
    assert result.errors == []
    assert sum(result.created.values()) == len(KINDS)


def test_dry_run_saves_nothing(importer: User) -> None:
    before = counts()
    result = run(csv_bytes(example_rows()), importer)
    assert result.ok and not result.committed
    assert result.created["activity"] == 1
    assert counts() == before


def test_commit_saves_everything_through_the_services(importer: User) -> None:
    result = run(csv_bytes(example_rows()), importer, commit=True)
    assert result.committed, result.errors
    activity = TAActivity.objects.get()
    assert activity.status == "approved"
    assert activity.created_by == importer  # the importing administrator is the actor
    assert activity.history.exists()  # AU1: made by the services, with history
    assert activity.description_notes.get().note_date.isoformat() == "2025-10-07"
    assert activity.summaries.get().note_date.isoformat() == "2025-10-20"
    assert activity.feedback.count() == activity.response_notes.count() == 1
    assert Goal.objects.get().strategic_areas.get().notes == "Revise QRIS standards."
    assert GoalNote.objects.get().note_date.isoformat() == "2025-11-15"
    assert ImportedRecord.objects.count() == len(KINDS)


def test_second_import_of_the_same_file_changes_nothing(importer: User) -> None:
    data = csv_bytes(example_rows())
    assert run(data, importer, commit=True).committed
    before = counts()
    history = TAActivity.history.count()
    again = run(data, importer, commit=True)
    assert again.errors == []
    assert sum(again.created.values()) == 0
    assert sum(again.unchanged.values()) == len(KINDS)
    assert counts() == before
    assert TAActivity.history.count() == history


def test_changed_row_with_an_imported_external_id_is_an_error(importer: User) -> None:
    assert run(csv_bytes(example_rows()), importer, commit=True).committed
    rows = example_rows()
    rows[0]["title"] = "Deputy Administrator"
    result = run(csv_bytes(rows), importer, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "external_id")]
    assert Requester.objects.get().title == "CCDF Administrator"


def test_xlsx_imports_like_csv(importer: User) -> None:
    result = run(xlsx_bytes(example_rows()), importer, commit=True, name="f.xlsx")
    assert result.committed, result.errors
    assert TAActivity.objects.count() == 1


def test_template_xlsx_has_notes_and_an_instructions_sheet_the_importer_skips(
    importer: User,
) -> None:
    data = template_files.template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Records", "Instructions"]
    assert workbook["Records"]["A1"].comment is not None
    assert run(data, importer, name="t.xlsx").ok


def test_an_error_in_every_kind_of_field_is_reported_and_nothing_saved(importer: User) -> None:
    rows = example_rows()
    by_kind = {row["kind"]: row for row in rows}
    by_kind["requester"]["jurisdiction"] = "ZZ"  # unknown reference value
    by_kind["goal"]["goal_category"] = "Not a category"  # unknown reference by name
    by_kind["goal"]["readiness"] = "very"  # not a choice
    by_kind["goal"]["start_date"] = "31/31/2025"  # not a date
    by_kind["goal"]["start_date_is_approximate"] = "maybe"  # not yes or no
    by_kind["goal_note"]["text"] = ""  # required text
    by_kind["plan_note"]["stage"] = "draft"
    by_kind["summary"]["delivery_methods"] = "Carrier pigeon"  # unknown list item
    by_kind["feedback"]["note_date"] = "2999-01-01"  # a service's rule (A11: not future)
    by_kind["response_note"]["activity_external_id"] = "A-404"  # unknown parent
    activity = by_kind["activity"]
    activity["primary_staff_email"] = "nobody@example.org"  # unknown person
    activity["focus"] = "no-such-focus"
    rows.append({"kind": "milestone", "external_id": "M-1"})  # unknown kind
    rows.append({"kind": "goal", "external_id": ""})  # no external id
    before = counts()
    result = run(csv_bytes(rows), importer, commit=True)
    assert not result.committed
    assert counts() == before
    found = {(e.row, e.column) for e in result.errors}
    expected = {
        (2, "jurisdiction"),
        (3, "goal_category"),
        (3, "readiness"),
        (3, "start_date"),
        (3, "start_date_is_approximate"),
        (5, "text"),
        (9, "activity_external_id"),
        (6, "focus"),
        (6, "primary_staff_email"),
        (7, "stage"),
        (10, "activity_external_id"),
        (11, "kind"),
        (12, "external_id"),
    }
    assert expected <= found, sorted(found)
    assert all(e.message for e in result.errors)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "ZZ" in messages[(2, "jurisdiction")]
    assert "Not a category" in messages[(3, "goal_category")]
    assert "nobody@example.org" in messages[(6, "primary_staff_email")]


def test_service_rules_apply_to_valid_looking_rows(importer: User) -> None:
    """A row that parses but breaks a rule is refused by the service, naming its column."""
    rows = example_rows()
    by_kind = {row["kind"]: row for row in rows}
    by_kind["activity"]["outcome_plan"] = ""  # A8: required at creation
    by_kind["activity"]["date_opened"] = "2999-01-01"  # A2: not in the future
    result = run(csv_bytes(rows), importer)
    columns = {e.column for e in result.errors if e.row == 6}
    assert {"outcome_plan", "date_opened"} <= columns
    # The activity's notes wait for it, each saying why.
    waiting = [e for e in result.errors if e.column == "activity_external_id"]
    assert len(waiting) == 4


def test_summary_before_approval_is_refused_by_a9(importer: User) -> None:
    rows = example_rows()
    by_kind = {row["kind"]: row for row in rows}
    by_kind["activity"].update(status="planning", cor_name="", cor_approval_date="")
    result = run(csv_bytes(rows), importer)
    assert {(e.row, e.column) for e in result.errors} >= {(8, "activity_external_id")}


def test_duplicate_external_id_in_one_file(importer: User) -> None:
    rows = example_rows()
    rows.append(dict(rows[0]))
    result = run(csv_bytes(rows), importer)
    assert [(e.row, e.column) for e in result.errors] == [(11, "external_id")]


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "f.csv", "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "f.png", "UTF-8"),
        (b"PK\x03\x04not really a zip", "f.xlsx", "not a CSV file"),
        (b"name,email\nA,a@example.org\n", "f.csv", "kind"),
        (b"kind,external_id,colour\ngoal,G-1,red\n", "f.csv", "colour"),
        (b"kind,external_id\n", "f.csv", "no rows"),
    ],
)
def test_bad_files_get_a_clear_error(data: bytes, name: str, fragment: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(io.BytesIO(data), name)
    assert fragment in str(caught.value)


def test_command_dry_run_commit_and_errors_csv(importer: User, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(example_rows()))
    out = io.StringIO()
    call_command("import_records", str(good), "--no-progress", stdout=out)
    assert "Dry run" in out.getvalue()
    assert TAActivity.objects.count() == 0
    call_command("import_records", str(good), "--commit", "--no-progress", stdout=io.StringIO())
    assert TAActivity.objects.count() == 1

    rows = example_rows()
    rows[1]["readiness"] = "very"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(rows))
    errors = tmp_path / "errors.csv"
    with pytest.raises(CommandError):
        call_command(
            "import_records",
            str(bad),
            "--source",
            "other",
            "--errors-csv",
            str(errors),
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    lines = list(csv.reader(errors.open(encoding="utf-8")))
    assert lines[0] == ["file", "row", "column", "message"]
    assert ["bad.csv", "3", "readiness"] in [line[:3] for line in lines]
    # Under a new source the same requester e-mail is refused by A4, naming the column.
    assert ["bad.csv", "2", "email"] in [line[:3] for line in lines]


def test_command_refuses_a_bad_file(importer: User, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="no rows"):
        call_command("import_records", str(path), stdout=io.StringIO())
