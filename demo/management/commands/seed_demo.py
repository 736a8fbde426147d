"""`manage.py seed_demo`: demo people and believable demo records, made through the services.

The records come from `demo/data/scenario.toml`, replayed by `demo.scenario.ScenarioLoader`
through the goals and activities services, so they obey G1–G4 and A1–A14.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from demo.people import (
    demo_records_exist,
    ensure_demo_users,
    non_demo_data_exists,
    set_demo_passwords,
)
from demo.scenario import DEMO_DOMAIN, DEMO_PEOPLE, DemoPerson, DemoReferenceMissing, ScenarioLoader
from reference.models import GoalCategory, Jurisdiction

REFUSE_DEBUG_OFF = (
    "seed_demo refuses to run with DEBUG off: demo people and records do not belong in "
    "production. Use --force if this really is a demo or test database."
)
REFUSE_FOREIGN_DATA = (
    "This database already holds people or records that are not demo data; seed_demo "
    "will not mix demo data into it. Use --force if that is really what you want."
)


class Command(BaseCommand):
    help = (
        f"Create the demo people (e-mails @{DEMO_DOMAIN}, one per role) and believable demo "
        "goals, requesters and TA activities at every stage, through the service layer. "
        "Idempotent: a re-run creates nothing twice. Passwords are random and printed only "
        "when a person is created; --reset-passwords prints new random ones, --password sets "
        "one known password for every demo person. Refuses with DEBUG off, or on a database "
        "holding non-demo data, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        passwords = parser.add_mutually_exclusive_group()
        passwords.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give every demo person a new random password and print them.",
        )
        passwords.add_argument(
            "--password",
            metavar="PASSWORD",
            help="Set this password for every demo person (local use and browser tests).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off or on a database that holds non-demo data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        force = options["force"]
        if not settings.DEBUG and not force:
            raise CommandError(REFUSE_DEBUG_OFF)
        if options["password"] is not None and not options["password"].strip():
            raise CommandError("--password must not be empty.")

        seeded = demo_records_exist()
        # A database that already is a demo database may hold a developer's own account;
        # anything else with foreign data is refused before the first demo row is written.
        if not seeded and not force and non_demo_data_exists():
            raise CommandError(REFUSE_FOREIGN_DATA)
        if not Jurisdiction.objects.exists() or not GoalCategory.objects.exists():
            self.stdout.write("Reference tables are empty: loading reference data.")
            call_command("load_reference_data", verbosity=0)

        counts: dict[str, int] = {}
        try:
            with transaction.atomic():
                created = ensure_demo_users()
                if not seeded:
                    counts = ScenarioLoader().run()
        except DemoReferenceMissing as exc:
            raise CommandError(str(exc)) from None

        if seeded:
            self.stdout.write("Demo data is already present; nothing was duplicated.")
        else:
            self.stdout.write(
                f"Created demo data: {counts['goals']} goals, {counts['activities']} TA "
                f"activities, {counts['requesters']} requesters."
            )
        if created:
            self.stdout.write("Created demo people (passwords are shown only this once):")
            self._table([(person, password) for person, _user, password in created])

        if options["reset_passwords"] or options["password"] is not None:
            changed = set_demo_passwords(options["password"])
            if options["password"] is not None:
                self.stdout.write(f"Set the given password for {len(changed)} demo people.")
            else:
                self.stdout.write("New random passwords (shown only this once):")
                self._table([(person, password) for person, _user, password in changed])
        elif not created:
            self._sign_in_names()

    def _table(self, rows: list[tuple[DemoPerson, str]]) -> None:
        for person, password in rows:
            self.stdout.write(f"  {person.email:<32} {password:<20} {person.role_label}")

    def _sign_in_names(self) -> None:
        self.stdout.write("Demo sign-in e-mails:")
        for person in DEMO_PEOPLE:
            self.stdout.write(f"  {person.email:<32} {person.role_label}")
        self.stdout.write(
            "Passwords were shown when the demo people were created. For new random ones run "
            "`manage.py seed_demo --reset-passwords`; to set one known password for all of "
            "them run `manage.py seed_demo --password <password>`."
        )
