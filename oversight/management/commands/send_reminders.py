"""`manage.py send_reminders`: the daily reminders of R3 (see `oversight.reminders`)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.reminders import KindReport, build_message, plan_reminders, send_planned

CRONTAB_LINE = "15 6 * * * cd /srv/tat && .venv/bin/python manage.py send_reminders"
TODAY_FORMAT = "--today must be a date written YYYY-MM-DD, for example 2026-11-30."


class Command(BaseCommand):
    help = (
        "R3: e-mail reminders, and the matching in-app notifications, about summaries of TA "
        "delivered coming due (within 3 business days) or overdue (primary staff), last "
        "month's review (SSSs, after the 5th business day), open send-backs (primary staff) "
        "and goal closure requests waiting (administrators), following each person's "
        "preferences (immediately, daily digest, weekly digest on Mondays, off). Run it once "
        f"a day from cron, e.g. `{CRONTAB_LINE}`. Running it twice on one day sends nothing "
        "twice; --dry-run lists what would be sent and records nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the e-mails that would be sent; send and record nothing.",
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run as if today were this date (default: today in TIME_ZONE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._today(options.get("today"))
        dry_run = bool(options.get("dry_run"))
        started = time.monotonic()

        def progress(report: KindReport) -> None:
            self.stdout.write(report.line())

        run = plan_reminders(today=today, on_kind=progress)
        if dry_run:
            # Render every e-mail as a real run would (templates and links are checked, and
            # the time is representative), without sending or recording anything.
            for email in run.emails:
                build_message(email, today=today)
            for email in run.emails:
                self.stdout.write(
                    f"would send to {email.recipient.email}: {email.subject} "
                    f"({len(email.reminders)} reminder{'s' if len(email.reminders) != 1 else ''})"
                )
            self.stdout.write(
                f"Dry run for {today:%Y-%m-%d}: {len(run.emails)} e-mails, "
                f"{len(run.to_record)} reminders would be sent; nothing recorded "
                f"({time.monotonic() - started:.1f} s)."
            )
            return
        sent = send_planned(run)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent {sent} e-mails and {len(run.to_record)} in-app notifications for "
                f"{today:%Y-%m-%d} ({time.monotonic() - started:.1f} s)."
            )
        )

    @staticmethod
    def _today(raw: str | None) -> dt.date:
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandError(TODAY_FORMAT) from None
