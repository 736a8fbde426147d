"""Load-test accounts and records (issue #12, docs/reliability.md): run once per database.

    DATABASE_URL=… .venv/bin/python -m bench.load.setup_load --users 160 --password-file F

Creates (or reuses) TA staff accounts `load-N@load.tat.example` with one known password, a
federal viewer `load-approver@load.tat.example`, and for every account one TA activity it is
the primary staff of — copied from an existing open goal-driven activity, entered through
the services, with a final plan, approved, and one TA response note to edit. The load test
writes only to these activities; the rest of the data set is read. Every record it makes is
marked "LOAD TEST" (outcome plan, notes) so it can be told apart.

Prints a JSON line: {"users": […, {"email", "activity", "note"}]} for the locustfile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import django

LOAD_DOMAIN = "load.tat.example"
MARK = "LOAD TEST"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--password", default=os.environ.get("TAT_LOAD_PASSWORD", ""))
    parser.add_argument("--output", type=Path, required=True, help="JSON file for the locustfile")
    args = parser.parse_args(argv)
    if len(args.password) < 12:
        parser.error("give --password (or TAT_LOAD_PASSWORD) of at least 12 characters")
    # The real settings (Argon2 hashes, as the production server under test checks them).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    django.setup()
    users = ensure(args.users, args.password)
    from activities.models import TAActivity

    browse = list(TAActivity.objects.order_by("?").values_list("pk", flat=True)[:3000])
    args.output.write_text(json.dumps({"users": users, "browse": browse}))
    print(f"{len(users)} load users ready in {args.output}")
    return 0


def ensure(count: int, password: str) -> list[dict[str, Any]]:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from activities import services
    from activities.models import ActivityStatus, PlanStage, ResponseNote, TAActivity

    template = (
        TAActivity.objects.open()
        .filter(strategic_area__isnull=False, goal__status="open")
        .exclude(outcome_plan__startswith=MARK)
        .select_related("strategic_area", "focus", "primary_center")
        .order_by("pk")
        .first()
    )
    if template is None:
        raise SystemExit("no open goal-driven activity to copy: load the bench data first")
    requesters = list(template.requesters.all()[:2])
    approver, _ = User.objects.get_or_create(
        email=f"load-approver@{LOAD_DOMAIN}",
        defaults={"full_name": "Load Approver", "is_federal_viewer": True, "is_ta_staff": False},
    )
    today = timezone.localdate()
    rows = []
    for n in range(1, count + 1):
        email = f"load-{n}@{LOAD_DOMAIN}"
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": f"Load Tester {n}",
                    "title": MARK,
                    "center": template.primary_center,
                    "is_ta_staff": True,
                },
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.save()
            activity = (
                TAActivity.objects.filter(primary_staff=user, outcome_plan__startswith=MARK)
                .order_by("pk")
                .first()
            )
            if activity is None:
                activity = services.activity_create(
                    actor=user,
                    strategic_area=template.strategic_area,
                    focus=template.focus,
                    other_focus_notes=template.other_focus_notes or "",
                    date_opened=today - dt.timedelta(days=30),
                    priority=template.priority,
                    activity_type=template.activity_type,
                    requesters=requesters,
                    primary_center=template.primary_center,
                    primary_staff=user,
                    outcome_plan=f"{MARK}: activity of {email}.",
                    join_existing_confirmed=True,
                    requested_by_ccdf_administrator=True,
                )
                services.description_note_add(
                    actor=user, activity=activity, stage=PlanStage.FINAL, text=f"{MARK}: plan."
                )
                activity = services.activity_set_status(
                    actor=approver,
                    activity=activity,
                    status=ActivityStatus.APPROVED,
                    cor_name="Load Approver",
                    cor_approval_date=today,
                )
            note = (
                ResponseNote.objects.filter(activity=activity, author=user).order_by("pk").first()
            )
            if note is None:
                note = services.response_note_add(
                    actor=user, activity=activity, text=f"{MARK}: the note edited under load."
                )
        rows.append({"email": email, "activity": activity.pk, "note": note.pk})
    return rows


if __name__ == "__main__":
    sys.exit(main())
