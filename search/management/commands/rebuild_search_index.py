"""Rebuild every activity's search document and the full-text index in one pass.

Bulk loads (`generate_data`, imports using bulk_create) bypass the signals that keep the
index current; they call this command at the end.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connections

from search import fulltext

# After a bulk load the planner's statistics describe another database: refresh them.
ANALYZE = {"sqlite": "ANALYZE", "postgresql": "ANALYZE"}


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of TA activity notes, then refresh the "
        "database's planner statistics."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, database: str = "default", **options: Any) -> None:
        started = time.perf_counter()
        connection = connections[database]
        count = fulltext.rebuild(connection)
        if connection.vendor in ANALYZE:
            with connection.cursor() as cursor:
                cursor.execute(ANALYZE[connection.vendor])
        elapsed = time.perf_counter() - started
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Indexed {count:,} TA activities in {elapsed:.1f} s.")
            )
