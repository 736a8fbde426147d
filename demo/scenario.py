"""The demo scenario (`demo/data/scenario.toml`) and its loader, behind `manage.py seed_demo`.

The scenario file holds the data: people, requesters, goals with strategic areas, goal
notes, activities with their steps (plans, status changes, summaries, feedback, response
notes, closing, cancelling) and goal closures. This module only reads it and replays it:
every record is made by calling `goals.services`, `activities.services` and
`oversight.services` (the monthly review, R1) as the demo
person who would do it, so the demo obeys every rule (G1–G4, A1–A14) and carries
history, status-change rows and notifications like real data.

The services take "today" from the clock: they date notes, flag entries made more than
72 business hours late (A2) and summaries entered after their due date (A10), and stamp
history and creation times. So each step runs with the clock set to its own moment
(`clock_at`): `days_ago` calendar days before the real today, at the hour its kind of
step is done (`HOURS`), never later than the real now. The demo always looks current,
and only the records meant to be late (one late entry, one late summary) are flagged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from activities import services as activity_services
from activities.models import Requester, TAActivity
from goals import services as goal_services
from goals.models import Goal, GoalClosureRequest
from oversight import services as oversight_services
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
    TAType,
)

SCENARIO_FILE = Path(__file__).resolve().parent / "data" / "scenario.toml"

# The hour of the day each kind of step is done (activities are entered first thing).
HOURS = {"create": 9, "status": 11, "feedback": 14, "response": 15, "summary": 16, "close": 16}
DEFAULT_HOUR = 10

ROLE_LABELS = {
    "is_tat_admin": "TAT administrator",
    "is_sss": "State Systems Specialist",
    "is_center_lead": "center lead",
    "is_ta_staff": "TA staff",
    "is_federal_viewer": "federal viewer",
}


@cache
def read_scenario(path: Path = SCENARIO_FILE) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    full_name: str
    title: str
    center_code: str | None = None
    roles: tuple[str, ...] = ()
    sss_region: int | None = None  # an SSS covers every State/Territory of this region
    region: int | None = None  # the region a federal viewer follows (their home's figures)

    @property
    def role_label(self) -> str:
        return ", ".join(ROLE_LABELS[r] for r in self.roles)


DEMO_DOMAIN: str = read_scenario()["domain"]
DEMO_PEOPLE: tuple[DemoPerson, ...] = tuple(
    DemoPerson(
        key=row["key"],
        email=f"{row['email']}@{DEMO_DOMAIN}",
        full_name=row["full_name"],
        title=row["title"],
        center_code=row.get("center"),
        roles=tuple(row["roles"]),
        sss_region=row.get("sss_region"),
        region=row.get("region"),
    )
    for row in read_scenario()["people"]
)


class DemoReferenceMissing(Exception):
    """A reference item the demo relies on is not in the database."""


@contextlib.contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run the enclosed service calls as if it were `moment` (see the module docstring)."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


class ScenarioLoader:
    """Replays the scenario through the services, each step at its own moment."""

    def __init__(self, scenario: dict[str, Any] | None = None) -> None:
        self.scenario = scenario if scenario is not None else read_scenario()
        self.today = timezone.localdate()
        self.real_now = timezone.now()
        self.people = {p.key: User.objects.get(email__iexact=p.email) for p in DEMO_PEOPLE}
        self.requesters: dict[str, Requester] = {}
        self.goals: dict[str, Goal] = {}
        self.closure_requests: dict[str, GoalClosureRequest] = {}
        self.activities: dict[str, TAActivity] = {}

    # ---------------------------------------------------------------- look-ups
    def ref(self, model: type[models.Model], **lookup: Any) -> Any:
        try:
            return model.objects.get(**lookup)
        except model.DoesNotExist:
            raise DemoReferenceMissing(
                f"{model._meta.verbose_name} {lookup} is missing; run load_reference_data."
            ) from None

    def refs(self, model: type[models.Model], keys: list[str], field: str = "key") -> list:
        return [self.ref(model, **{field: key}) for key in keys]

    # ---------------------------------------------------------------- time and text
    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def step(self, days_ago: int, kind: str, call: Callable[..., Any], **kwargs: Any) -> Any:
        """Call a service as `kwargs["actor"]` would have, `days_ago` at the step's hour."""
        hour = HOURS.get(kind, DEFAULT_HOUR)
        moment = timezone.make_aware(dt.datetime.combine(self.day(days_ago), dt.time(hour)))
        with clock_at(min(moment, self.real_now - dt.timedelta(minutes=1))):
            return call(**kwargs)

    def text(self, template: str, days_ago: int, **extra: str) -> str:
        day = f"{self.day(days_ago):%m/%d/%y}"
        return template.format(date=day, next_year=self.today.year + 1, **extra)

    # ---------------------------------------------------------------- story
    def run(self) -> dict[str, int]:
        with transaction.atomic():
            for row in self.scenario["requesters"]:
                self.requester(row)
            for row in self.scenario["goals"]:
                self.goal(row)
            for row in self.scenario["goal_notes"]:
                self.goal_note(row)
            for row in self.scenario["activities"]:
                self.activity(row)
            for row in self.scenario.get("reviews", []):
                self.review(row)
            for row in self.scenario["goal_closures"]:
                self.goal_closure(row)
        people = self.people.values()
        return {
            "goals": Goal.objects.filter(created_by__in=people).count(),
            "activities": TAActivity.objects.filter(created_by__in=people).count(),
            "requesters": Requester.objects.filter(created_by__in=people).count(),
        }

    def requester(self, row: dict[str, Any]) -> None:
        if "region" in row:
            where = {"region": self.ref(Region, number=row["region"])}
        else:
            where = {"jurisdiction": self.ref(Jurisdiction, code=row["jurisdiction"])}
        self.requesters[row["key"]] = self.step(
            row["days_ago"],
            "requester",
            activity_services.requester_create,
            actor=self.people[row["actor"]],
            name=row["name"],
            title=row["title"],
            email=row["email"],
            approved_by=row["approved_by"],
            approved_by_name=row["approved_by_name"],
            **where,
        )

    def goal(self, row: dict[str, Any]) -> None:
        related = row.get("related_category")
        self.goals[row["key"]] = self.step(
            row["days_ago"],
            "goal",
            goal_services.goal_create,
            actor=self.people[row["actor"]],
            jurisdiction=self.ref(Jurisdiction, code=row["jurisdiction"]),
            category=self.ref(GoalCategory, number=row["category"]),
            related_category=self.ref(GoalCategory, number=related) if related else None,
            start_date=self.day(row["days_ago"]),
            start_date_is_approximate=row.get("start_date_is_approximate", False),
            readiness=row["readiness"],
            strategic_areas=[
                (self.ref(StrategicAreaItem, key=area["item"]), area["notes"])
                for area in row["strategic_areas"]
            ],
            update_note=row.get("update_note", ""),
        )

    def goal_note(self, row: dict[str, Any]) -> None:
        self.step(
            row["days_ago"],
            "goal_note",
            goal_services.goal_note_add,
            actor=self.people[row["actor"]],
            goal=self.goals[row["goal"]],
            text=self.text(row["text"], row["days_ago"]),
            note_date=self.day(row["days_ago"]),
        )

    def goal_closure(self, row: dict[str, Any]) -> None:
        goal, actor, days_ago = self.goals[row["goal"]], self.people[row["actor"]], row["days_ago"]
        if row["action"] == "request":
            self.closure_requests[row["goal"]] = self.step(
                days_ago,
                "closure",
                goal_services.goal_request_closure,
                actor=actor,
                goal=goal,
                reason=row["reason"],
            )
        else:
            self.step(
                days_ago,
                "closure",
                goal_services.goal_close,
                actor=actor,
                goal=goal,
                closure_request=self.closure_requests.get(row["goal"]),
                note=self.text(row["note"], days_ago),
            )

    def activity(self, row: dict[str, Any]) -> None:
        days_ago = row["days_ago"]
        if "goal" in row:
            goal = self.goals[row["goal"]]
            where = {"strategic_area": goal.strategic_areas.get(item__key=row["strategic_area"])}
        else:
            where = {"jurisdiction": self.ref(Jurisdiction, code=row["jurisdiction"])}
        activity = self.step(
            days_ago,
            "create",
            activity_services.activity_create,
            actor=self.people[row["actor"]],
            date_opened=self.day(row.get("opened_days_ago", days_ago)),
            focus=self.ref(FocusArea, key=row["focus"]),
            other_focus_notes=row.get("other_focus_notes", ""),
            priority=row["priority"],
            activity_type=row["activity_type"],
            requesters=[self.requesters[key] for key in row["requesters"]],
            primary_center=self.ref(Center, code=row["primary_center"]),
            primary_staff=self.people[row["primary_staff"]],
            collaborating_centers=self.refs(Center, row.get("collaborating_centers", []), "code"),
            collaborating_staff=[self.people[key] for key in row.get("collaborating_staff", [])],
            other_collaborators=self.refs(CollaboratorType, row.get("other_collaborators", [])),
            other_collaborators_details=row.get("other_collaborators_details", ""),
            outcome_plan=self.text(row["outcome_plan"], days_ago),
            description_notes=[(note["stage"], note["text"]) for note in row["description_notes"]],
            **self.requester_approval(row),
            **where,
        )
        self.activities[row["key"]] = activity
        for step in row.get("steps", []):
            self.activity_step(activity, step)

    def requester_approval(self, row: dict[str, Any]) -> dict[str, Any]:
        """A7: requested directly by the CCDF Administrator or staff, or who approved it."""
        fields: dict[str, Any] = {
            "requested_by_ccdf_administrator": row.get("requested_by_ccdf_administrator")
        }
        approval = row.get("requester_approval")
        if approval:
            fields.update(
                requester_approver_role=approval["role"],
                requester_approver_name=approval["name"],
                requester_approval_date=self.day(approval["days_ago"]),
            )
        return fields

    def review(self, row: dict[str, Any]) -> None:
        """R1: the SSS marks an activity reviewed for a month, or sends it back."""
        common = {
            "actor": self.people[row["actor"]],
            "activity": self.activities[row["activity"]],
            "month": self.day(row["month_days_ago"]).replace(day=1),
        }
        if row["action"] == "mark":
            self.step(row["days_ago"], "review", oversight_services.review_mark, **common)
        elif row["action"] == "send_back":
            self.step(
                row["days_ago"],
                "review",
                oversight_services.send_back_create,
                comment=row["comment"],
                about=row["about"],
                **common,
            )
        else:
            raise ValueError(f"Unknown review action {row['action']!r} in {SCENARIO_FILE.name}.")

    def activity_step(self, activity: TAActivity, row: dict[str, Any]) -> None:
        action, days_ago = row["action"], row["days_ago"]
        common = {"actor": self.people[row["actor"]], "activity": activity}
        if action == "plan":
            self.step(
                days_ago,
                action,
                activity_services.description_note_add,
                stage=row["stage"],
                text=row["text"],
                note_date=self.day(days_ago),
                **common,
            )
        elif action == "status":
            self.step(
                days_ago,
                action,
                activity_services.activity_set_status,
                status=row["status"],
                reason=row["reason"],
                cor_name=row.get("cor_name", ""),
                cor_approval_date=(
                    self.day(row.get("cor_days_ago", days_ago)) if "cor_name" in row else None
                ),
                **common,
            )
        elif action == "summary":
            self.step(
                row.get("entered_days_ago", days_ago),
                action,
                activity_services.summary_add,
                delivery_date=self.day(days_ago),
                text=self.text(row["text"], days_ago),
                delivery_methods=self.refs(DeliveryMethod, row["methods"]),
                ta_types=self.refs(TAType, row["types"]),
                **common,
            )
        elif action == "feedback":
            giver = self.requesters[row["requester"]]
            self.step(
                days_ago,
                action,
                activity_services.feedback_add,
                feedback_date=self.day(days_ago),
                giver_name=giver.name,
                giver_title=giver.title,
                text=self.text(
                    row["text"], days_ago, giver_name=giver.name, giver_title=giver.title
                ),
                **common,
            )
        elif action == "response":
            self.step(
                days_ago,
                action,
                activity_services.response_note_add,
                text=self.text(row["text"], days_ago),
                note_date=self.day(days_ago),
                **common,
            )
        elif action == "close":
            self.step(
                days_ago,
                action,
                activity_services.activity_close,
                completion_date=self.day(days_ago),
                outcome_report=row["outcome_report"],
                **common,
            )
        elif action == "cancel":
            self.step(
                days_ago, action, activity_services.activity_cancel, reason=row["reason"], **common
            )
        else:
            raise ValueError(f"Unknown activity step {action!r} in {SCENARIO_FILE.name}.")
