"""Recompute the dashboard's precomputed counts (reports.dashboard.rollup).

Needed only after a bulk load that bypassed the services' signals (`generate_data`, a
restored backup); everyday writes keep the counts current by themselves.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports.dashboard import rollup


class Command(BaseCommand):
    help = (
        "Recompute the dashboard's counts: the stale States and Territories, or every one "
        "with --all (after a bulk load that bypassed the services)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Recompute every count.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["all"]:
            written = rollup.refresh_all()
            message = f"Recomputed every dashboard count: {written:,} rows"
        else:
            places = rollup.refresh_stale()
            message = f"Recomputed the counts of {places} stale States and Territories"
        self.stdout.write(f"{message} in {time.monotonic() - started:.1f} s.")
