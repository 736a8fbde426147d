"""`manage.py backup [--output FILE]`: a checksummed backup of the database (issue #12).

SQLite is copied with the online backup API while the app runs; PostgreSQL with
`pg_dump --format=custom`. See `core.backup` for the archive's format.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import BackupError, backup


class Command(BaseCommand):
    # A backup or a restore after a disaster must not wait on unrelated system checks.
    requires_system_checks: list[str] = []
    help = "Back up the database into one checksummed archive (SQLite or PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help="the archive to write (default: var/backups/tat-<UTC time>.tatbackup)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        db = connections[options["database"]].settings_dict
        output = Path(options["output"] or self._default_output())
        try:
            manifest = backup(db, output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backed up {len(manifest.tables)} tables, {manifest.total_rows:,} rows "
            f"({manifest.engine}) to {output}\nSHA-256 {manifest.sha256} ({manifest.size:,} bytes)"
        )

    @staticmethod
    def _default_output() -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return Path(settings.BASE_DIR) / "var" / "backups" / f"tat-{stamp}.tatbackup"
