"""`manage.py import_records FILE [--commit] [--errors-csv OUT]` (issue 11).

Dry run by default: every row goes through the services in a transaction that is rolled
back, and every error is printed (and written to --errors-csv) with its row, column and
message. `--commit` keeps the import only when not one row failed (all or nothing).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from accounts.models import User
from core import security_log
from transfer.importer import DEFAULT_SOURCE, ImportResult, import_rows
from transfer.reading import ImportFileError, read_rows

ERROR_COLUMNS = ["file", "row", "column", "message"]
NO_ADMIN = (
    "Name the administrator the records are imported as with --actor EMAIL (there is not "
    "exactly one active administrator to choose)."
)


def write_errors_csv(result: ImportResult, handle: Any) -> None:
    writer = csv.writer(handle)
    writer.writerow(ERROR_COLUMNS)
    for error in result.errors:
        writer.writerow([error.source, error.row, error.column, error.message])


class RowRate(TextColumn):
    """Rows per second."""

    def __init__(self) -> None:
        super().__init__("")

    def render(self, task: Any) -> Any:
        from rich.text import Text

        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "– rows/s")


class Command(BaseCommand):
    help = (
        "Import legacy goals, activities and their notes from a CSV, XLSX or export zip that "
        "follows the template (docs/import.md). Dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV, XLSX or zip of CSV files.")
        parser.add_argument(
            "--commit", action="store_true", help="Save the records (all or nothing)."
        )
        parser.add_argument("--errors-csv", metavar="OUT", help="Write the errors to this CSV.")
        parser.add_argument(
            "--actor", metavar="EMAIL", help="The administrator the records are imported as."
        )
        parser.add_argument(
            "--source",
            default=DEFAULT_SOURCE,
            help="Name of the legacy system; external IDs are unique within it.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def _actor(self, email: str | None) -> User:
        admins = User.objects.filter(is_active=True, is_tat_admin=True)
        if email:
            actor = User.objects.filter(email__iexact=email, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active person with e-mail {email}.")
            return actor
        if admins.count() != 1:
            raise CommandError(NO_ADMIN)
        return admins.get()

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        actor = self._actor(options["actor"])
        try:
            with path.open("rb") as handle:
                rows = read_rows(handle, path.name)
        except ImportFileError as exc:
            security_log.import_event(
                actor=actor, file_name=path.name, commit=options["commit"], error="unreadable file"
            )
            raise CommandError(str(exc)) from None

        show = not options["no_progress"] and options["verbosity"] > 0
        progress = Progress(
            TextColumn("[bold]Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            RowRate(),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            disable=not show,
            transient=False,
        )
        try:
            with progress:
                task = progress.add_task("import", total=len(rows))
                result = import_rows(
                    rows,
                    actor=actor,
                    commit=options["commit"],
                    source=options["source"],
                    progress=lambda done: progress.update(task, completed=done),
                )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        security_log.import_event(
            actor=actor, file_name=path.name, commit=options["commit"], result=result
        )

        if options["errors_csv"]:
            with open(options["errors_csv"], "w", newline="", encoding="utf-8") as handle:
                write_errors_csv(result, handle)
        for error in result.errors:
            where = f"{error.source} row {error.row}"
            column = f", column {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        created = ", ".join(f"{n} {k}" for k, n in sorted(result.created.items())) or "nothing"
        unchanged = sum(result.unchanged.values())
        if result.committed:
            self.stdout.write(f"Imported {result.rows} rows: {created}; {unchanged} unchanged.")
        elif result.errors:
            self.stdout.write(
                f"{len(result.errors)} errors in {result.rows} rows; nothing was saved."
            )
            raise CommandError("Import refused: fix the errors listed and run it again.")
        else:
            self.stdout.write(
                f"Dry run: {result.rows} rows would import cleanly ({created}; {unchanged} "
                "unchanged). Nothing was saved; run again with --commit to save them."
            )
