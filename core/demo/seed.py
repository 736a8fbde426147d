"""Believable demo data (`manage.py seed_demo`), made through the service layer.

Every goal, requester, activity, note and status change below is made by calling
`goals.services` and `activities.services` as the demo person who would do it, so the
demo obeys every rule and carries history, status-change rows and notifications like
real data.

The demo tells the story of work done over the past months, entered as it happened.
The services take "today" from the clock: they date notes, flag entries made more than
72 business hours late (A2) and summaries entered after their due date (A10), and stamp
history and creation times. So each step runs with the clock set to its own moment
(`clock_at`), relative to the real today: the demo always looks current, and only the
records meant to be late (one late entry, one late summary) are flagged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from activities import services as activity_services
from activities.models import (
    ActivityStatus,
    ActivityType,
    PlanStage,
    Priority,
    Requester,
    TAActivity,
)
from goals import services as goal_services
from goals.models import Goal, Readiness
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

DEMO_DOMAIN = "demo.tat.example"


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    full_name: str
    title: str
    center_code: str | None = None
    roles: tuple[str, ...] = ()
    sss_region: int | None = None  # an SSS covers every State/Territory of this region

    @property
    def role_label(self) -> str:
        return ", ".join(ROLE_LABELS[r] for r in self.roles)


ROLE_LABELS = {
    "is_tat_admin": "TAT administrator",
    "is_sss": "State Systems Specialist",
    "is_center_lead": "center lead",
    "is_ta_staff": "TA staff",
    "is_federal_viewer": "federal viewer",
}

DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "admin",
        f"admin@{DEMO_DOMAIN}",
        "Morgan Ellis",
        "TAT Administrator",
        None,
        ("is_tat_admin",),
    ),
    DemoPerson(
        "sss_southeast",
        f"sss.region4@{DEMO_DOMAIN}",
        "Denise Okafor",
        "State Systems Specialist",
        "SCBC",
        ("is_sss",),
        sss_region=4,
    ),
    DemoPerson(
        "sss_pacific",
        f"sss.region9@{DEMO_DOMAIN}",
        "Kalani Nakamura",
        "State Systems Specialist",
        "SCBC",
        ("is_sss",),
        sss_region=9,
    ),
    DemoPerson(
        "lead",
        f"lead.ecqa@{DEMO_DOMAIN}",
        "Rafael Ortega",
        "Center Lead",
        "ECQA",
        ("is_center_lead", "is_ta_staff"),
    ),
    DemoPerson(
        "staff_scbc",
        f"staff.scbc@{DEMO_DOMAIN}",
        "Priya Patel",
        "Technical Assistance Specialist",
        "SCBC",
        ("is_ta_staff",),
    ),
    DemoPerson(
        "staff_ecqa",
        f"staff.ecqa@{DEMO_DOMAIN}",
        "Marcus Greene",
        "Senior Technical Assistance Specialist",
        "ECQA",
        ("is_ta_staff",),
    ),
    DemoPerson(
        "staff_ncsia",
        f"staff.ncsia@{DEMO_DOMAIN}",
        "Lucia Romero",
        "Policy Analyst",
        "NCSIA",
        ("is_ta_staff",),
    ),
    DemoPerson(
        "federal",
        f"federal@{DEMO_DOMAIN}",
        "Helen Whitaker",
        "Regional Program Manager",
        None,
        ("is_federal_viewer",),
    ),
)


class DemoReferenceMissing(Exception):
    """A reference item the demo relies on is not in the database."""


def demo_users() -> Any:
    return User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")


def non_demo_data_exists() -> bool:
    """Any person or record that the demo did not make (e.g. real or generated data)."""
    demo = demo_users()
    if User.objects.exclude(pk__in=demo.values("pk")).exists():
        return True
    foreign = ~Q(created_by__in=demo.values("pk"))
    return (
        Goal.objects.filter(foreign).exists()
        or TAActivity.objects.filter(foreign).exists()
        or Requester.objects.filter(foreign).exists()
    )


def demo_records_exist() -> bool:
    return Goal.objects.filter(created_by__in=demo_users().values("pk")).exists()


def new_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_demo_users() -> list[tuple[DemoPerson, User, str]]:
    """Create the demo people who are missing; return them with their one-time passwords.

    Passwords are random and only their hashes are stored.
    """
    created = []
    for person in DEMO_PEOPLE:
        if User.objects.filter(email__iexact=person.email).exists():
            continue
        password = new_password()
        center = Center.objects.get(code=person.center_code) if person.center_code else None
        user = User.objects.create_user(
            person.email,
            password,
            full_name=person.full_name,
            title=person.title,
            center=center,
            is_staff="is_tat_admin" in person.roles,
            **{role: True for role in person.roles},
        )
        if person.sss_region:
            user.sss_jurisdictions.set(
                Jurisdiction.objects.filter(region__number=person.sss_region)
            )
        created.append((person, user, password))
    return created


def set_demo_passwords(password: str | None) -> list[tuple[DemoPerson, User, str]]:
    """Give every demo person a new password: `password`, or a new random one each."""
    changed = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            continue
        value = password if password is not None else new_password()
        user.set_password(value)
        user.save(update_fields=["password"])
        changed.append((person, user, value))
    return changed


@contextlib.contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run the enclosed service calls as if it were `moment` (see the module docstring)."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


class DemoSeeder:
    """Makes the demo goals, requesters and activities, each step at its own moment."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.real_now = timezone.now()
        self.people = {p.key: User.objects.get(email__iexact=p.email) for p in DEMO_PEOPLE}
        self.requesters: dict[str, Requester] = {}

    # ---------------------------------------------------------------- look-ups
    def _get(self, model: type, **lookup: Any) -> Any:
        try:
            return model.objects.get(**lookup)
        except model.DoesNotExist:
            raise DemoReferenceMissing(
                f"{model._meta.verbose_name} {lookup} is missing; run load_reference_data."
            ) from None

    def item(self, key: str) -> StrategicAreaItem:
        return self._get(StrategicAreaItem, key=key)

    def focus(self, key: str) -> FocusArea:
        return self._get(FocusArea, key=key)

    def center(self, code: str) -> Center:
        return self._get(Center, code=code)

    def place(self, code: str) -> Jurisdiction:
        return self._get(Jurisdiction, code=code)

    def methods(self, *keys: str) -> list[DeliveryMethod]:
        return [self._get(DeliveryMethod, key=k) for k in keys]

    def ta_types(self, *keys: str) -> list[TAType]:
        return [self._get(TAType, key=k) for k in keys]

    def category(self, number: int) -> GoalCategory:
        return self._get(GoalCategory, number=number)

    # ---------------------------------------------------------------- time
    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 10) -> Any:
        """The clock `days_ago` days back at `hour` (never later than the real now)."""
        moment = timezone.make_aware(dt.datetime.combine(self.day(days_ago), dt.time(hour, 0)))
        return clock_at(min(moment, self.real_now - dt.timedelta(minutes=1)))

    def step(self, days_ago: int, call: Callable[..., Any], hour: int = 10, **kwargs: Any) -> Any:
        with self.at(days_ago, hour):
            return call(**kwargs)

    # ---------------------------------------------------------------- story
    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self._requesters()
            goals = self._goals()
            self._activities(goals)
            self._goal_closures(goals)
        return {
            "goals": Goal.objects.filter(created_by__in=self.people.values()).count(),
            "activities": TAActivity.objects.filter(created_by__in=self.people.values()).count(),
            "requesters": Requester.objects.filter(created_by__in=self.people.values()).count(),
        }

    def _requesters(self) -> None:
        p = self.people
        rows = (
            # key, name, title, e-mail, place (State code or region number), approved by, actor
            (
                "ga_admin",
                "Angela Brooks",
                "CCDF Administrator",
                "GA",
                "ccdf_administrator",
                "sss_southeast",
            ),
            (
                "ga_qris",
                "Victor Hale",
                "QRIS Coordinator",
                "GA",
                "ccdf_administrator",
                "sss_southeast",
            ),
            (
                "nc_admin",
                "Teresa Lawson",
                "CCDF Administrator",
                "NC",
                "ccdf_administrator",
                "sss_southeast",
            ),
            (
                "tn_licensing",
                "Samuel Reyes",
                "Licensing Director",
                "TN",
                "ccdf_administrator",
                "sss_southeast",
            ),
            (
                "fl_admin",
                "Naomi Torres",
                "CCDF Administrator",
                "FL",
                "ccdf_administrator",
                "sss_southeast",
            ),
            (
                "region4_rpm",
                "Yolanda Washington",
                "Regional Program Manager",
                4,
                "rpm",
                "sss_southeast",
            ),
            (
                "gu_admin",
                "Leilani Santos",
                "CCDF Administrator",
                "GU",
                "ccdf_administrator",
                "sss_pacific",
            ),
            (
                "ca_consumer",
                "Diego Fernandez",
                "Consumer Education Coordinator",
                "CA",
                "rpm",
                "sss_pacific",
            ),
            (
                "hi_integrity",
                "Keanu Kahale",
                "Program Integrity Manager",
                "HI",
                "ccdf_administrator",
                "sss_pacific",
            ),
            ("region9_rpm", "Grace Kim", "Regional Program Manager", 9, "rpm", "sss_pacific"),
        )
        for key, name, title, place, approved_by, actor in rows:
            first, last = name.lower().split(" ", 1)
            if isinstance(place, int):
                where = {"region": self._get(Region, number=place)}
                domain = f"region{place}.acf.example"
            else:
                where = {"jurisdiction": self.place(place)}
                domain = f"{place.lower()}.gov.example"
            self.requesters[key] = self.step(
                650,
                activity_services.requester_create,
                actor=p[actor],
                name=name,
                title=title,
                email=f"{first}.{last.replace(' ', '')}@{domain}",
                approved_by=approved_by,
                approved_by_name=(
                    "Yolanda Washington" if place in (4, "GA", "NC", "TN", "FL") else "Grace Kim"
                ),
                **where,
            )

    def _goal(self, days_ago: int, actor: str, code: str, category: int, **kwargs: Any) -> Goal:
        return self.step(
            days_ago,
            goal_services.goal_create,
            actor=self.people[actor],
            jurisdiction=self.place(code),
            category=self.category(category),
            start_date=self.day(days_ago),
            **kwargs,
        )

    def _goals(self) -> dict[str, Goal]:
        goals = {
            "ga_quality": self._goal(
                400,
                "sss_southeast",
                "GA",
                7,
                readiness=Readiness.MOST,
                related_category=self.category(4),
                strategic_areas=[
                    (
                        self.item("quality-tiered-qris"),
                        (
                            "State wants to revise QRIS program standards and align incentives "
                            "with tiered reimbursement."
                        ),
                    ),
                    (
                        self.item("quality-infant-toddler"),
                        "Focus on infant and toddler specialist network capacity.",
                    ),
                    (self.item("quality-evaluation"), ""),
                ],
                update_note=(
                    "Goal developed with the Lead Agency and the Regional Office during annual TA"
                    " planning."
                ),
            ),
            "ga_assistance": self._goal(
                300,
                "sss_southeast",
                "GA",
                3,
                readiness=Readiness.SOMEWHAT,
                strategic_areas=[
                    (
                        self.item("assistance-application-redetermination"),
                        "Continuity of care at redetermination.",
                    ),
                    self.item("assistance-twelve-month"),
                ],
            ),
            "nc_workforce": self._goal(
                350,
                "sss_southeast",
                "NC",
                6,
                readiness=Readiness.SOMEWHAT,
                related_category=self.category(7),
                strategic_areas=[
                    (
                        self.item("workforce-registry"),
                        "Registry data to inform compensation strategies.",
                    ),
                    (self.item("workforce-compensation"), ""),
                ],
            ),
            "tn_safety": self._goal(
                250,
                "sss_southeast",
                "TN",
                5,
                readiness=Readiness.LEAST,
                strategic_areas=[
                    (
                        self.item("safety-background-checks"),
                        "Interstate background check requests are backlogged.",
                    ),
                    self.item("safety-monitoring"),
                ],
            ),
            "fl_leadership": self._goal(
                500,
                "sss_southeast",
                "FL",
                1,
                readiness=Readiness.MOST,
                strategic_areas=[
                    (
                        self.item("leadership-disaster"),
                        "Statewide child care emergency preparedness and response plan.",
                    )
                ],
            ),
            "gu_cross": self._goal(
                280,
                "sss_pacific",
                "GU",
                9,
                readiness=Readiness.LEAST,
                start_date_is_approximate=True,
                strategic_areas=[
                    (
                        self.item("cross-integrated-data"),
                        "Link licensing, subsidy and workforce data.",
                    ),
                    self.item("cross-governance"),
                ],
            ),
            "ca_family": self._goal(
                200,
                "sss_pacific",
                "CA",
                2,
                readiness=Readiness.SOMEWHAT,
                strategic_areas=[(self.item("family-consumer-website"), "")],
            ),
            "hi_integrity": self._goal(
                600,
                "sss_pacific",
                "HI",
                8,
                readiness=Readiness.MOST,
                strategic_areas=[
                    (self.item("integrity-improper-payments"), "Error rate review preparation."),
                    self.item("integrity-fraud"),
                ],
            ),
        }
        self.step(
            200,
            goal_services.goal_note_add,
            actor=self.people["sss_southeast"],
            goal=goals["ga_quality"],
            text=f"{self.day(200):%m/%d/%y} – State no longer wants to work on school-age QRIS "
            "standards and will focus on infant and toddler standards first. Goal updated to "
            "reflect this change.",
            note_date=self.day(200),
        )
        self.step(
            120,
            goal_services.goal_note_add,
            actor=self.people["sss_southeast"],
            goal=goals["nc_workforce"],
            text=f"{self.day(120):%m/%d/%y} – New CCDF Administrator confirmed the goal remains a "
            "priority; timeline extended by six months.",
            note_date=self.day(120),
        )
        return goals

    def _sa(self, goal: Goal, key: str) -> Any:
        return goal.strategic_areas.get(item__key=key)

    def _create(self, days_ago: int, actor: str, **kwargs: Any) -> TAActivity:
        kwargs.setdefault("date_opened", self.day(days_ago))
        return self.step(
            days_ago,
            activity_services.activity_create,
            hour=9,
            actor=self.people[actor],
            **kwargs,
        )

    def _plan(self, days_ago: int, actor: str, activity: TAActivity, stage: str, text: str) -> None:
        self.step(
            days_ago,
            activity_services.description_note_add,
            actor=self.people[actor],
            activity=activity,
            stage=stage,
            text=text,
            note_date=self.day(days_ago),
        )

    def _status(
        self, days_ago: int, actor: str, activity: TAActivity, status: str, reason: str = ""
    ) -> TAActivity:
        return self.step(
            days_ago,
            activity_services.activity_set_status,
            hour=11,
            actor=self.people[actor],
            activity=activity,
            status=status,
            reason=reason,
        )

    def _summary(
        self,
        delivered_days_ago: int,
        actor: str,
        activity: TAActivity,
        text: str,
        methods: tuple[str, ...],
        types: tuple[str, ...],
        entered_days_ago: int | None = None,
    ) -> None:
        """A summary entered the day of delivery (on time) unless `entered_days_ago` says."""
        delivered = self.day(delivered_days_ago)
        self.step(
            delivered_days_ago if entered_days_ago is None else entered_days_ago,
            activity_services.summary_add,
            hour=16,
            actor=self.people[actor],
            activity=activity,
            delivery_date=delivered,
            text=f"{delivered:%m/%d/%y}: {text}",
            delivery_methods=self.methods(*methods),
            ta_types=self.ta_types(*types),
        )

    def _feedback(
        self, days_ago: int, actor: str, activity: TAActivity, requester: str, quote: str
    ) -> None:
        giver = self.requesters[requester]
        day = self.day(days_ago)
        self.step(
            days_ago,
            activity_services.feedback_add,
            hour=14,
            actor=self.people[actor],
            activity=activity,
            feedback_date=day,
            giver_name=giver.name,
            giver_title=giver.title,
            text=f"{day:%m/%d/%y} received from {giver.name}, {giver.title}: “{quote}”",
        )

    def _response(self, days_ago: int, actor: str, activity: TAActivity, text: str) -> None:
        day = self.day(days_ago)
        self.step(
            days_ago,
            activity_services.response_note_add,
            hour=15,
            actor=self.people[actor],
            activity=activity,
            text=f"({day:%m/%d/%y}): {text}",
            note_date=day,
        )

    def _activities(self, goals: dict[str, Goal]) -> None:
        p = self.people
        r = self.requesters

        # 1. Initial plan only: the SSS enters the request with the plan discussed with
        #    the State; SCBC staff will lead.
        a1 = self._create(
            6,
            "sss_southeast",
            strategic_area=self._sa(goals["ga_quality"], "quality-infant-toddler"),
            focus=self.focus("quality-infant-toddler-specialists"),
            priority=Priority.MEDIUM,
            activity_type=ActivityType.TARGETED,
            requesters=[r["ga_qris"]],
            primary_center=self.center("SCBC"),
            primary_staff=p["staff_scbc"],
            outcome_plan=(
                "State will launch an infant and toddler specialist network in three regions by "
                f"fall {self.today.year + 1}."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Gather and share information about other States' infant and toddler "
                        "specialist networks; SCBC to facilitate a planning session with the QRIS"
                        " Coordinator and the quality workgroup."
                    ),
                )
            ],
        )
        self._response(
            4,
            "staff_scbc",
            a1,
            (
                "Scheduled the planning session with the QRIS Coordinator; SCBC is compiling "
                "examples from three States."
            ),
        )

        # 2. Intermediate plan: ECQA refines the SSS's initial plan; SCBC collaborates.
        a2 = self._create(
            40,
            "sss_southeast",
            strategic_area=self._sa(goals["nc_workforce"], "workforce-registry"),
            focus=self.focus("workforce-registry-implementation"),
            priority=Priority.HIGH,
            activity_type=ActivityType.TAILORED,
            requesters=[r["nc_admin"]],
            primary_center=self.center("ECQA"),
            primary_staff=p["staff_ecqa"],
            collaborating_centers=[self.center("SCBC")],
            collaborating_staff=[p["staff_scbc"]],
            outcome_plan=(
                "State will require registry participation for lead teachers by summer "
                f"{self.today.year + 1}."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Provide a review of the State's workforce registry data elements and "
                        "propose changes to support a participation requirement."
                    ),
                )
            ],
        )
        self._plan(
            25,
            "staff_ecqa",
            a2,
            PlanStage.INTERMEDIATE,
            (
                "ECQA to provide a crosswalk of registry data elements against three States' "
                "registries and facilitate two work sessions with the professional development "
                "workgroup; SCBC to coordinate with the Regional Office."
            ),
        )
        self._response(
            20,
            "staff_ecqa",
            a2,
            (
                "Held planning call with the professional development workgroup on registry data "
                "elements. ECQA and SCBC participated in planning."
            ),
        )

        # 3. Final plan, still planning: waiting for the COR's approval.
        a3 = self._create(
            60,
            "lead",
            strategic_area=self._sa(goals["tn_safety"], "safety-background-checks"),
            focus=self.focus("safety-background-check-implementation"),
            priority=Priority.HIGH,
            activity_type=ActivityType.TAILORED,
            requesters=[r["tn_licensing"]],
            primary_center=self.center("ECQA"),
            primary_staff=p["lead"],
            outcome_plan=(
                "State will clear its interstate background check backlog and process new "
                "requests within 45 days."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Provide a detailed review of the State's background check procedures and"
                        " propose changes to reduce processing time."
                    ),
                )
            ],
        )
        self._plan(
            20,
            "lead",
            a3,
            PlanStage.FINAL,
            (
                "ECQA to map the State's interstate background check workflow, compare it with "
                "two States that meet the 45-day requirement, and facilitate a work session with "
                "the licensing unit on the changes."
            ),
        )

        # 4. Approved with summaries (one late), a revised final plan and other collaborators.
        a4 = self._create(
            150,
            "staff_ecqa",
            strategic_area=self._sa(goals["ga_quality"], "quality-tiered-qris"),
            focus=self.focus("quality-qris-standards"),
            priority=Priority.HIGH,
            activity_type=ActivityType.TAILORED,
            requesters=[r["ga_qris"], r["ga_admin"]],
            primary_center=self.center("ECQA"),
            primary_staff=p["staff_ecqa"],
            collaborating_centers=[self.center("SCBC"), self.center("NCSIA")],
            collaborating_staff=[p["staff_scbc"], p["staff_ncsia"]],
            other_collaborators=[
                self._get(CollaboratorType, key="center-consultant"),
                self._get(CollaboratorType, key="other"),
            ],
            other_collaborators_details=(
                "Jordan Lee, Senior Consultant, Early Learning Policy Group, working on behalf of"
                " ECQA; the State university's early childhood research center."
            ),
            outcome_plan=(
                "State will publish revised QRIS program standards by spring "
                f"{self.today.year + 1}."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Provide a compilation of research and best practice on QRIS program "
                        "standards and facilitate a discussion with the quality workgroup."
                    ),
                )
            ],
        )
        self._plan(
            130,
            "staff_ecqa",
            a4,
            PlanStage.INTERMEDIATE,
            (
                "ECQA to draft a crosswalk of current standards against research; NCSIA to model "
                "the cost of each tier."
            ),
        )
        self._plan(
            120,
            "staff_ecqa",
            a4,
            PlanStage.FINAL,
            (
                "ECQA to deliver a standards crosswalk and two facilitated work sessions; NCSIA "
                "to deliver a cost model of each tier; SCBC to coordinate with the Regional "
                "Office."
            ),
        )
        a4 = self._status(118, "federal", a4, ActivityStatus.APPROVED, "Approved by the COR.")
        self._summary(
            110,
            "staff_ecqa",
            a4,
            (
                "State received a standards crosswalk and a remote consultation on QRIS program "
                "standards."
            ),
            ("remote-virtual",),
            ("information-product", "consultation"),
        )
        self._response(
            100,
            "staff_scbc",
            a4,
            "Coordinated with the Regional Office on timing of the onsite work session.",
        )
        self._summary(
            80,
            "staff_ecqa",
            a4,
            (
                "State received a two-day onsite work session with the quality workgroup on "
                "revising QRIS program standards."
            ),
            ("onsite",),
            ("meeting-facilitation", "training"),
        )
        self._plan(
            75,
            "staff_ecqa",
            a4,
            PlanStage.FINAL,
            (
                "Revised final plan: ECQA to add a third work session on family child care "
                "standards at the State's request; NCSIA cost model unchanged."
            ),
        )
        self._summary(
            45,
            "staff_ncsia",
            a4,
            "State received a cost model of each QRIS tier from NCSIA, in collaboration with ECQA.",
            ("email", "phone"),
            ("data-analysis",),
            entered_days_ago=20,
        )
        self._summary(
            12,
            "staff_ecqa",
            a4,
            (
                "State participated in a peer-to-peer call with two States on family child care "
                "QRIS standards."
            ),
            ("peer-to-peer",),
            ("peer-learning",),
        )
        self._response(
            10,
            "staff_ecqa",
            a4,
            (
                "ECQA drafted the agenda for the family child care work session; shared with "
                "NCSIA for review."
            ),
        )

        # 5. With feedback from the requesters.
        a5 = self._create(
            100,
            "staff_ncsia",
            strategic_area=self._sa(
                goals["ga_assistance"], "assistance-application-redetermination"
            ),
            focus=self.focus("assistance-continuity-redetermination"),
            priority=Priority.MEDIUM,
            activity_type=ActivityType.TARGETED,
            requesters=[r["ga_admin"]],
            primary_center=self.center("NCSIA"),
            primary_staff=p["staff_ncsia"],
            outcome_plan=(
                "State will adopt a redetermination policy that keeps children enrolled through "
                "temporary changes in work."
            ),
            description_notes=[
                (
                    PlanStage.FINAL,
                    (
                        "Gather and share information about other States' continuity-of-care "
                        "practice; determine next steps for absence days, redetermination period "
                        "and authorization of care."
                    ),
                )
            ],
        )
        self._status(95, "federal", a5, ActivityStatus.APPROVED, "Approved by the COR.")
        self._summary(
            70,
            "staff_ncsia",
            a5,
            "State received a scan of continuity-of-care policies in eight States.",
            ("email",),
            ("research-compilation",),
        )
        self._summary(
            35,
            "staff_ncsia",
            a5,
            (
                "State received remote consultation on redetermination notices; next month NCSIA "
                "will plan a webinar for eligibility workers."
            ),
            ("remote-virtual",),
            ("consultation",),
        )
        self._feedback(
            30,
            "staff_ncsia",
            a5,
            "ga_admin",
            "Thanks! This is exactly the kind of information we were looking for.",
        )
        self._feedback(
            8,
            "staff_ncsia",
            a5,
            "ga_qris",
            "This will be so helpful as we draft our response to the Governor's request.",
        )

        # 6. On hold after a first delivery.
        a6 = self._create(
            90,
            "sss_pacific",
            strategic_area=self._sa(goals["gu_cross"], "cross-integrated-data"),
            focus=self.focus("cross-data-integration"),
            priority=Priority.MEDIUM,
            activity_type=ActivityType.TAILORED,
            requesters=[r["gu_admin"]],
            primary_center=self.center("SCBC"),
            primary_staff=p["staff_scbc"],
            outcome_plan=(
                "Territory will sign a data sharing agreement linking licensing, subsidy and "
                "workforce data."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Support the Territory in assessing its licensing, subsidy and workforce "
                        "data systems."
                    ),
                )
            ],
        )
        self._plan(
            60,
            "staff_scbc",
            a6,
            PlanStage.FINAL,
            (
                "SCBC to facilitate a data mapping session and provide a draft data sharing "
                "agreement template."
            ),
        )
        self._status(58, "federal", a6, ActivityStatus.APPROVED, "Approved by the COR.")
        self._summary(
            50,
            "staff_scbc",
            a6,
            (
                "Territory received a remote data mapping session with its licensing and subsidy "
                "staff."
            ),
            ("remote-virtual",),
            ("meeting-facilitation", "data-analysis"),
        )
        self._status(
            20,
            "staff_scbc",
            a6,
            ActivityStatus.ON_HOLD,
            "Territory paused the work while it procures a new subsidy system.",
        )
        self._response(
            19,
            "staff_scbc",
            a6,
            (
                "No activity this month; the Territory paused the work while leadership reviews "
                "the subsidy system procurement."
            ),
        )

        # 7. Denied ("Other" TA focus).
        a7 = self._create(
            45,
            "staff_scbc",
            strategic_area=self._sa(goals["ca_family"], "family-consumer-website"),
            focus=self.focus("other"),
            other_focus_notes="Parent-facing explainer videos for the consumer education website.",
            priority=Priority.LOW,
            activity_type=ActivityType.UNIVERSAL,
            requesters=[r["ca_consumer"]],
            primary_center=self.center("SCBC"),
            primary_staff=p["staff_scbc"],
            outcome_plan=(
                "State will publish three explainer videos on its consumer education website."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Provide examples of parent-facing videos from other States and review "
                        "the State's scripts."
                    ),
                )
            ],
        )
        self._status(
            30,
            "staff_scbc",
            a7,
            ActivityStatus.DENIED,
            (
                "The RPM found the request duplicates work funded through the State's Preschool "
                "Development Grant."
            ),
        )

        # 8. Closed with outcome report; feedback received after closing (A11).
        a8 = self._create(
            420,
            "staff_scbc",
            strategic_area=self._sa(goals["fl_leadership"], "leadership-disaster"),
            focus=self.focus("leadership-emergency-plan"),
            priority=Priority.HIGH,
            activity_type=ActivityType.TAILORED,
            requesters=[r["fl_admin"], r["region4_rpm"]],
            primary_center=self.center("SCBC"),
            primary_staff=p["staff_scbc"],
            collaborating_centers=[self.center("NCECHW")],
            outcome_plan=(
                "State will adopt a statewide child care emergency preparedness and response plan."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    (
                        "Provide a review of the State's emergency preparedness requirements and "
                        "examples of statewide plans."
                    ),
                )
            ],
        )
        self._plan(
            400,
            "staff_scbc",
            a8,
            PlanStage.FINAL,
            (
                "SCBC to facilitate three planning sessions with the Lead Agency and emergency "
                "management partners; NCECHW to contribute health and safety content."
            ),
        )
        self._status(398, "federal", a8, ActivityStatus.APPROVED, "Approved by the COR.")
        self._summary(
            380,
            "staff_scbc",
            a8,
            "State received a facilitated planning session with emergency management partners.",
            ("onsite",),
            ("meeting-facilitation",),
        )
        self._summary(
            340,
            "staff_scbc",
            a8,
            "State received a template and examples of statewide emergency plans.",
            ("email",),
            ("information-product",),
        )
        self._summary(
            300,
            "staff_scbc",
            a8,
            (
                "State received remote consultation on its draft plan's continuity-of-operations "
                "section."
            ),
            ("remote-virtual",),
            ("consultation", "document-review"),
        )
        self._feedback(
            290,
            "staff_scbc",
            a8,
            "fl_admin",
            "The facilitation kept the workgroup focused and we reached agreement on next steps.",
        )
        self._response(
            285,
            "staff_scbc",
            a8,
            "Closing note: the State adopted the plan; all response activities are complete.",
        )
        self.step(
            280,
            activity_services.activity_close,
            hour=16,
            actor=p["staff_scbc"],
            activity=a8,
            completion_date=self.day(280),
            outcome_report=(
                "State adopted a statewide child care emergency preparedness and response plan "
                "and trained 120 providers on it."
            ),
        )
        self._feedback(
            200,
            "staff_scbc",
            a8,
            "fl_admin",
            "The plan guided our response to the hurricane season; thank you again.",
        )

        # 9. Cancelled before any TA was delivered.
        a9 = self._create(
            35,
            "staff_ecqa",
            strategic_area=self._sa(goals["tn_safety"], "safety-monitoring"),
            focus=self.focus("safety-inspection-monitoring"),
            priority=Priority.LOW,
            activity_type=ActivityType.TARGETED,
            requesters=[r["tn_licensing"]],
            primary_center=self.center("ECQA"),
            primary_staff=p["staff_ecqa"],
            outcome_plan="State will pilot a differential monitoring tool.",
            description_notes=[
                (
                    PlanStage.INITIAL,
                    "Provide examples of differential monitoring tools from other States.",
                )
            ],
        )
        self.step(
            28,
            activity_services.activity_cancel,
            actor=p["staff_ecqa"],
            activity=a9,
            reason=(
                "Requester no longer requires TA; State leadership changed priorities before "
                "planning began."
            ),
        )

        # 10. On-demand (no goal), requested through the Regional Program Manager; its
        #     summary lacks delivery methods, which the monthly review flags (R2).
        a10 = self._create(
            25,
            "staff_ncsia",
            jurisdiction=self.place("AZ"),
            focus=self.focus("access-market-rate-survey"),
            priority=Priority.MEDIUM,
            activity_type=ActivityType.TARGETED,
            requesters=[r["region9_rpm"]],
            primary_center=self.center("NCSIA"),
            primary_staff=p["staff_ncsia"],
            outcome_plan=(
                "State will use an alternative methodology to set payment rates in its next CCDF "
                "Plan."
            ),
            description_notes=[
                (
                    PlanStage.FINAL,
                    (
                        "NCSIA to review the State's market rate survey design and present "
                        "options for an alternative methodology."
                    ),
                )
            ],
        )
        self._status(24, "federal", a10, ActivityStatus.APPROVED, "Approved by the COR.")
        self._summary(
            12,
            "staff_ncsia",
            a10,
            "State received a review of its market rate survey design.",
            (),
            ("document-review",),
        )
        self._response(
            5,
            "staff_ncsia",
            a10,
            "NCSIA gathered cost estimation models from two States ahead of the next call.",
        )

        # 11. A late entry: requested 30 days ago, entered 18 days ago (A2).
        self._create(
            18,
            "lead",
            date_opened=self.day(30),
            strategic_area=self._sa(goals["nc_workforce"], "workforce-compensation"),
            focus=self.focus("workforce-compensation-strategies"),
            priority=Priority.MEDIUM,
            activity_type=ActivityType.TARGETED,
            requesters=[r["nc_admin"]],
            primary_center=self.center("ECQA"),
            primary_staff=p["lead"],
            outcome_plan=(
                "State will design a wage supplement pilot for infant and toddler teachers."
            ),
            description_notes=[
                (
                    PlanStage.INITIAL,
                    "Provide a compilation of compensation strategies in other States.",
                )
            ],
        )

        # 12. The closed goal's activities: one closed, one cancelled.
        a12 = self._create(
            560,
            "staff_ncsia",
            strategic_area=self._sa(goals["hi_integrity"], "integrity-improper-payments"),
            focus=self.focus("integrity-error-rate"),
            priority=Priority.HIGH,
            activity_type=ActivityType.TAILORED,
            requesters=[r["hi_integrity"]],
            primary_center=self.center("NCSIA"),
            primary_staff=p["staff_ncsia"],
            outcome_plan=(
                "State will complete its improper payments review with an error rate below the "
                "federal threshold."
            ),
            description_notes=[
                (
                    PlanStage.FINAL,
                    (
                        "Provide a detailed review of the State's payment policies and procedures"
                        " and propose changes to enhance fraud prevention."
                    ),
                )
            ],
        )
        self._status(555, "federal", a12, ActivityStatus.APPROVED, "Approved by the COR.")
        self._summary(
            530,
            "staff_ncsia",
            a12,
            "State received a review of payment policies and a mock case review.",
            ("onsite",),
            ("document-review", "training"),
        )
        self._summary(
            500,
            "staff_ncsia",
            a12,
            "State received remote consultation on its corrective action plan.",
            ("remote-virtual",),
            ("consultation",),
        )
        self._feedback(
            495,
            "staff_ncsia",
            a12,
            "hi_integrity",
            "Our staff appreciated the examples from other States; we are adapting two of them.",
        )
        self.step(
            480,
            activity_services.activity_close,
            hour=16,
            actor=p["staff_ncsia"],
            activity=a12,
            completion_date=self.day(480),
            outcome_report=(
                "State completed the review with an error rate below the threshold and adopted "
                "revised payment procedures."
            ),
        )
        a13 = self._create(
            470,
            "staff_ncsia",
            strategic_area=self._sa(goals["hi_integrity"], "integrity-fraud"),
            focus=self.focus("integrity-fraud-payment-policy"),
            priority=Priority.LOW,
            activity_type=ActivityType.TARGETED,
            requesters=[r["hi_integrity"]],
            primary_center=self.center("NCSIA"),
            primary_staff=p["staff_ncsia"],
            outcome_plan="State will adopt fraud referral procedures.",
            description_notes=[
                (PlanStage.INITIAL, "Provide examples of fraud referral procedures.")
            ],
        )
        self.step(
            460,
            activity_services.activity_cancel,
            actor=p["staff_ncsia"],
            activity=a13,
            reason="Request combined with the error rate review activity; no work was done.",
        )

    def _goal_closures(self, goals: dict[str, Goal]) -> None:
        p = self.people
        request = self.step(
            60,
            goal_services.goal_request_closure,
            actor=p["sss_pacific"],
            goal=goals["hi_integrity"],
            reason="All TA activities complete. No further TA requested.",
        )
        self.step(
            55,
            goal_services.goal_close,
            actor=p["admin"],
            goal=goals["hi_integrity"],
            closure_request=request,
            note=f"{self.day(55):%m/%d/%y} – all TA activities complete. No further TA requested.",
        )
        # Waiting in the administrators' queue.
        self.step(
            5,
            goal_services.goal_request_closure,
            actor=p["sss_southeast"],
            goal=goals["fl_leadership"],
            reason="State adopted its emergency plan; no further TA requested.",
        )
