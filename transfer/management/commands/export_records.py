"""`manage.py export_records [--jurisdiction XX] [--output FILE.zip]` (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core import security_log
from reference.models import Jurisdiction
from transfer.exporter import export_records


class Command(BaseCommand):
    help = (
        "Write every record (or one State's or Territory's) as a zip of CSV files, one per "
        "kind, with a manifest of counts and SHA-256 checksums; importable by import_records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", metavar="XX", help="A State or Territory code.")
        parser.add_argument("--output", metavar="FILE.zip", help="Where to write the zip.")

    def handle(self, *args: Any, **options: Any) -> None:
        jurisdiction = None
        if options["jurisdiction"]:
            code = options["jurisdiction"].strip().upper()
            jurisdiction = Jurisdiction.objects.filter(code=code).first()
            if jurisdiction is None:
                raise CommandError(f"No State or Territory with code {code}.")
        output = Path(options["output"] or f"tat-export-{timezone.localdate():%Y%m%d}.zip")
        with output.open("wb") as handle:
            manifest = export_records(handle, jurisdiction=jurisdiction)
        # Issue #12: run on the server, by no signed-in person (user null in the log).
        security_log.export_event(
            actor=None,
            scope=jurisdiction.code if jurisdiction else "all",
            counts=manifest["counts"],
            file_format="zip",
        )
        for entry in manifest["files"]:
            self.stdout.write(f"  {entry['name']:<34} {entry['rows']:>8} rows")
        self.stdout.write(f"Wrote {output}.")
