"""`manage.py restore FILE [--yes]`: restore a backup made by `manage.py backup` (issue #12).

The checksum is verified before anything is touched; a target that holds data is refused
unless `--yes`; afterwards every table's row count and content digest is checked against
the backup and the counts are reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import BackupError, restore


class Command(BaseCommand):
    # A backup or a restore after a disaster must not wait on unrelated system checks.
    requires_system_checks: list[str] = []
    help = "Restore a backup into an empty database, verify it and report row counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an archive written by manage.py backup")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace everything in a target database that already holds data",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        db = connection.settings_dict
        connection.close()  # the restore works on its own connections
        try:
            manifest = restore(db, Path(options["file"]), replace=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        width = max((len(name) for name in manifest.tables), default=10)
        for name, table in sorted(manifest.tables.items()):
            self.stdout.write(f"  {name:<{width}}  {table.rows:>10,}")
        self.stdout.write(
            f"Restored and verified {len(manifest.tables)} tables, {manifest.total_rows:,} rows "
            f"(backup of {manifest.created}, SHA-256 {manifest.sha256})."
        )
