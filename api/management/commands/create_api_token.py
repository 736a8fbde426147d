"""`manage.py create_api_token EMAIL --name … --expires YYYY-MM-DD` (issue #11): create a
personal API token for a person and print its secret once (it is stored only as a hash)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api import selectors, services
from api.forms import default_expiry


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Create a personal API token for EMAIL and print it (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The e-mail address of the token's owner.")
        parser.add_argument("--name", required=True, help="What will use the token.")
        parser.add_argument(
            "--expires",
            type=_date,
            default=None,
            help="The last day the token works (YYYY-MM-DD; default: in 90 days).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = selectors.user_by_email(options["email"])
        if owner is None:
            raise CommandError(f"No person has the e-mail address {options['email']!r}.")
        try:
            # The command runs with the server's own authority, as the owner would.
            token, secret = services.api_token_create(
                actor=owner,
                owner=owner,
                name=options["name"],
                expires_on=options["expires"] or default_expiry(),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"Created “{token.name}” for {owner.email}, expiring {token.expires_at:%Y-%m-%d}. "
            "Copy the token below now: it cannot be shown again."
        )
        self.stdout.write(secret)
