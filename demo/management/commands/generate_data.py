"""`manage.py generate_data --activities N`: a large, believable data set for benchmarks.

Writes with bulk_create through `demo.bulk`, bypassing the services and history on purpose
(see `demo.bulk.base`); keeps A2, A6, A9, A10, A12 and G4 true of what it writes.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from demo.bulk import BulkGenerator, ReferenceDataMissing
from reference.models import GoalCategory, Jurisdiction

SEARCH_INDEX_COMMAND = "rebuild_search_index"
DASHBOARD_COMMAND = "refresh_dashboard_figures"


class Command(BaseCommand):
    help = (
        "Generate a bulk benchmark data set: staff, requesters, goals with strategic areas, "
        "N TA activities (about 85% goal-driven, 15% on-demand) and about 10 notes per "
        "activity. For speed it writes with bulk_create in large batches, one transaction "
        "per batch, and so BYPASSES the service layer and per-row history "
        "(django-simple-history) ON PURPOSE: generated records have no history, "
        "status-change rows or notifications. Use it for benchmarks, never for real data; "
        "use seed_demo for demo data made through the services. Loads the reference data "
        "first when its tables are empty, and rebuilds the search index at the end when a "
        f"{SEARCH_INDEX_COMMAND} command exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--activities",
            type=int,
            required=True,
            metavar="N",
            help="Number of TA activities to create (e.g. 200000).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed, for a repeatable data set."
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=5000,
            help="Activities written per transaction (default 5000).",
        )
        parser.add_argument(
            "--skip-search-index",
            action="store_true",
            help=f"Do not run {SEARCH_INDEX_COMMAND} at the end.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n = options["activities"]
        if n < 1:
            raise CommandError("--activities must be at least 1.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        verbose = options["verbosity"] >= 1
        started = time.monotonic()

        if not Jurisdiction.objects.exists() or not GoalCategory.objects.exists():
            if "load_reference_data" not in get_commands():
                raise CommandError("Reference data is missing and load_reference_data is absent.")
            self._say(verbose, "Reference tables are empty: loading reference data.")
            call_command("load_reference_data", verbosity=0)

        generator = BulkGenerator(
            activities=n,
            seed=options["seed"],
            batch=options["batch"],
            progress=(lambda line: self._say(verbose, line)),
        )
        self._say(verbose, f"Generating {n:,} TA activities on {connection.vendor}…")
        try:
            counts = generator.run()
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from None
        generated = time.monotonic() - started

        index_seconds = None
        if not options["skip_search_index"] and SEARCH_INDEX_COMMAND in get_commands():
            self._say(verbose, f"Running {SEARCH_INDEX_COMMAND}…")
            index_started = time.monotonic()
            call_command(SEARCH_INDEX_COMMAND, verbosity=options["verbosity"], stdout=self.stdout)
            index_seconds = time.monotonic() - index_started

        # The dashboard's per-State counts (reports) are kept by write signals, which
        # bulk_create bypasses: recompute them all once.
        if DASHBOARD_COMMAND in get_commands():
            self._say(verbose, f"Running {DASHBOARD_COMMAND} --all…")
            call_command(DASHBOARD_COMMAND, all=True, verbosity=0)

        elapsed = time.monotonic() - started
        if verbose:
            lines = [
                "Done.",
                f"  people: {counts.users:,}  requesters: {counts.requesters:,}",
                f"  goals: {counts.goals:,}  strategic areas: {counts.strategic_areas:,}"
                f"  goal notes: {counts.goal_notes:,}",
                f"  activities: {counts.activities:,}  "
                + "  ".join(f"{k}: {v:,}" for k, v in sorted(counts.by_completion.items())),
                "  activity status: "
                + "  ".join(f"{k}: {v:,}" for k, v in sorted(counts.by_status.items())),
                f"  notes: {counts.notes:,} (description {counts.description_notes:,}, "
                f"summaries {counts.summaries:,}, feedback {counts.feedback:,}, "
                f"response {counts.response_notes:,})",
                f"  many-to-many rows: {counts.m2m_rows:,}",
                f"  data generated in {generated:.1f} s",
            ]
            if index_seconds is not None:
                lines.append(f"  search index rebuilt in {index_seconds:.1f} s")
            lines.append(f"  elapsed: {elapsed:.1f} s")
            self.stdout.write("\n".join(lines))

    def _say(self, verbose: bool, line: str) -> None:
        if verbose:
            self.stdout.write(line)
            self.stdout.flush()
