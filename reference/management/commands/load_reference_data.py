"""`manage.py load_reference_data [--file PATH]`: load or update the default reference lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reference.services import (
    DEFAULT_DATA_FILE,
    ReferenceDataError,
    reference_data_load,
    reference_data_read,
)


class Command(BaseCommand):
    help = (
        "Create or update regions, jurisdictions, the reference lists and field help from "
        "the reference data file. Safe to re-run: items are matched by key and updated; "
        "items no longer in the file are deactivated, never deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_DATA_FILE,
            help="Reference data file (JSON); defaults to the one shipped in reference/data/.",
        )

    def handle(self, *args: Any, file: Path, verbosity: int, **options: Any) -> None:
        try:
            data = reference_data_read(path=file)
            report = reference_data_load(data=data)
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded: {exc}") from exc
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
