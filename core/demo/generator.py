"""Bulk benchmark data (`manage.py generate_data`): many believable records, fast.

This module writes with `bulk_create` on purpose. It bypasses the service layer and
django-simple-history, so the generated records have no history rows, no status-change
rows and no notifications; they are for measuring pages and queries at scale, never for
exercising the rules (the demo data in `seed_demo` goes through the services).

It still keeps the invariants the database and the rules rely on: at most one current
final plan per activity, tracking data only on activities with a final plan that were
approved, closed activities with a completion date and outcome report, cancelled ones
without any summary, summary due dates from `core.businessdays.summary_due_date`, late
entries from `core.businessdays.is_late_entry`, and goals closed only when all their
activities are closed or cancelled.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone

from accounts.models import User
from activities.models import (
    ActivityStatus,
    ActivityType,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Priority,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.businessdays import late_entry_deadline, summary_due_date
from core.demo import phrases as P
from goals.models import Goal, GoalNote, Readiness, StrategicArea
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

FIRST_DAY = dt.date(2016, 1, 1)
EMAIL_DOMAIN = "generated.tat.example"
SHARE_GOAL_DRIVEN = 0.85
SHARE_LATE_ENTRY = 0.04
SHARE_LATE_SUMMARY = 0.12
OFFICE_TIMES = tuple(dt.time(hour, minute) for hour in range(8, 18) for minute in range(60))

# Activity plan-stage sequences; "archived" is a final plan replaced by a later one (A6).
FINAL_SEQUENCES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("final",), 25),
    (("initial", "final"), 30),
    (("initial", "intermediate", "final"), 30),
    (("intermediate", "final"), 7),
    (("initial", "archived", "intermediate", "final"), 5),
    (("archived", "final"), 3),
)
DRAFT_SEQUENCES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("initial",), 50),
    (("initial", "intermediate"), 40),
    (("intermediate",), 10),
)


class ReferenceDataMissing(Exception):
    """The reference lists a generated record needs are empty."""


@dataclass
class Counts:
    users: int = 0
    requesters: int = 0
    goals: int = 0
    strategic_areas: int = 0
    goal_notes: int = 0
    activities: int = 0
    description_notes: int = 0
    summaries: int = 0
    feedback: int = 0
    response_notes: int = 0
    m2m_rows: int = 0
    by_completion: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def notes(self) -> int:
        return self.description_notes + self.summaries + self.feedback + self.response_notes


@dataclass
class _GoalInfo:
    id: int
    jurisdiction_id: int
    category_id: int
    start: dt.date
    closed_on: dt.date | None
    strategic_area_ids: list[int]


@dataclass
class _Pending:
    """Rows that can only be written once their activity has a primary key."""

    requester_ids: list[int]
    center_ids: list[int]
    staff_ids: list[int]
    collaborator_type_ids: list[int]
    description_notes: list[DescriptionNote]
    summaries: list[tuple[DeliverySummary, list[int], list[int]]]
    feedback: list[RequesterFeedback]
    response_notes: list[ResponseNote]


class RowMaker:
    """Builds unsaved instances of `model` through Django's positional fast path.

    `Model(**kwargs)` resolves each keyword against each field; positional values in
    field order (the path `Model.from_db` takes) cost a fraction of that, which counts
    for millions of rows. The order comes from the model, so added fields are handled;
    a field not given gets its model default.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = model._meta.concrete_fields
        self.attnames = tuple(f.attname for f in fields)
        self.defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
        self._checked: set[frozenset[str]] = set()

    def __call__(self, **values: object) -> models.Model:
        keys = frozenset(values)
        if keys not in self._checked:
            unknown = keys.difference(self.attnames)
            if unknown:
                raise TypeError(f"{self.model.__name__} has no field {', '.join(sorted(unknown))}")
            self._checked.add(keys)
        defaults = self.defaults
        return self.model(*[values[a] if a in values else defaults[a] for a in self.attnames])


@contextlib.contextmanager
def historic_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created/updated times we set instead of "now".

    `auto_now`/`auto_now_add` fields overwrite any value in pre_save, also in bulk_create;
    generated records must look entered over the past years, so switch them off for the
    duration and restore them afterwards.
    """
    switched: list[tuple[models.Field, bool, bool]] = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@contextlib.contextmanager
def fast_bulk_writes() -> Iterator[None]:
    """Connection settings for writing millions of rows from one process.

    Under DEBUG Django keeps and renders every statement (on SQLite it even asks the
    database to quote each parameter): for millions of rows that costs minutes and
    hundreds of megabytes, so query logging is off for the run. On SQLite,
    `synchronous=OFF` skips the fsync at each WAL checkpoint; a machine crash mid-run may
    then damage the benchmark file, which is simply generated again.
    """
    debug = settings.DEBUG
    settings.DEBUG = False
    previous_sync = None
    # SQLite refuses to change it inside a transaction (e.g. when called from a test).
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            previous_sync = cursor.execute("PRAGMA synchronous").fetchone()[0]
            cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        settings.DEBUG = debug
        if previous_sync is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous={int(previous_sync)}")


class BulkGenerator:
    """Generates `activities` TA activities with staff, requesters, goals and ~10 notes each."""

    def __init__(
        self,
        *,
        activities: int,
        seed: int = 1,
        batch: int = 5000,
        progress: Callable[[str], None] = print,
    ) -> None:
        self.n_activities = activities
        self.batch = max(1, batch)
        self.rng = random.Random(seed)
        self.progress = progress
        self.counts = Counts()
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        # PostgreSQL has no parameter limit for Django's client-side binding; SQLite's
        # limit is applied by Django itself, so only PostgreSQL needs an explicit size.
        self.insert_batch = None if connection.vendor == "sqlite" else 2000
        self._due_dates: dict[dt.date, dt.date] = {}
        self._late_deadlines: dict[dt.date, dt.date] = {}
        self._weight_tables: dict[tuple, tuple[tuple, list[int]]] = {}
        self.make_activity = RowMaker(TAActivity)
        self.make_summary = RowMaker(DeliverySummary)
        self.note_makers = {
            m: RowMaker(m) for m in (DescriptionNote, RequesterFeedback, ResponseNote)
        }
        self.link_makers = {
            name: RowMaker(through)
            for name, through in (
                ("requesters", TAActivity.requesters.through),
                ("centers", TAActivity.collaborating_centers.through),
                ("staff", TAActivity.collaborating_staff.through),
                ("types", TAActivity.other_collaborators.through),
                ("methods", DeliverySummary.delivery_methods.through),
                ("ta_types", DeliverySummary.ta_types.through),
            )
        }

    # ----------------------------------------------------------------- helpers
    def _date_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def _moment(self, day: dt.date) -> dt.datetime:
        """A time during office hours on `day`, never in the future."""
        moment = dt.datetime.combine(day, self.rng.choice(OFFICE_TIMES), tzinfo=self.tz)
        return min(moment, self.now)

    def _due(self, delivered: dt.date) -> dt.date:
        due = self._due_dates.get(delivered)
        if due is None:
            due = self._due_dates[delivered] = summary_due_date(delivered)
        return due

    def _late_deadline(self, opened: dt.date) -> dt.date:
        deadline = self._late_deadlines.get(opened)
        if deadline is None:
            deadline = self._late_deadlines[opened] = late_entry_deadline(opened)
        return deadline

    def _weighted(self, options: tuple[tuple[object, int], ...]):
        table = self._weight_tables.get(options)
        if table is None:
            values, weights = zip(*options, strict=True)
            table = self._weight_tables[options] = (values, list(itertools.accumulate(weights)))
        values, cumulative = table
        return values[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def _person_name(self) -> str:
        return f"{self.rng.choice(P.FIRST_NAMES)} {self.rng.choice(P.LAST_NAMES)}"

    def _bulk(self, model: type[models.Model], objs: list) -> list:
        if objs:
            model.objects.bulk_create(objs, batch_size=self.insert_batch)
        return objs

    # ----------------------------------------------------------------- reference data
    def load_reference(self) -> None:
        self.jurisdictions = list(
            Jurisdiction.objects.values_list("id", "code", "kind", "region_id")
        )
        self.region_ids = list(Region.objects.values_list("id", flat=True))
        categories = list(GoalCategory.objects.filter(active=True).values_list("id", "number"))
        self.category_number = dict(categories)
        self.category_ids = [c for c, _ in categories]
        self.items_by_category: dict[int, list[int]] = {}
        for item_id, cat_id in StrategicAreaItem.objects.filter(active=True).values_list(
            "id", "category_id"
        ):
            self.items_by_category.setdefault(cat_id, []).append(item_id)
        self.focus_by_category: dict[int, list[int]] = {}
        self.focus_category: dict[int, int] = {}
        self.other_focus_id: int | None = None
        for focus_id, cat_id, is_other in FocusArea.objects.filter(active=True).values_list(
            "id", "category_id", "is_other"
        ):
            if is_other:
                self.other_focus_id = focus_id
            elif cat_id is not None:
                self.focus_by_category.setdefault(cat_id, []).append(focus_id)
                self.focus_category[focus_id] = cat_id
        centers = list(Center.objects.filter(active=True).values_list("id", "code"))
        self.center_ids = [c for c, _ in centers]
        self.center_code = dict(centers)
        self.scbc_id = next((c for c, code in centers if code.upper() == "SCBC"), None)
        types = list(CollaboratorType.objects.filter(active=True).values_list("id", "is_other"))
        self.collaborator_type_ids = [t for t, _ in types]
        self.other_collaborator_type_ids = {t for t, is_other in types if is_other}
        self.method_ids = list(
            DeliveryMethod.objects.filter(active=True).values_list("id", flat=True)
        )
        self.ta_type_ids = list(TAType.objects.filter(active=True).values_list("id", flat=True))

        missing = [
            name
            for name, values in (
                ("jurisdictions", self.jurisdictions),
                ("regions", self.region_ids),
                ("goal categories", self.category_ids),
                ("strategic areas", self.items_by_category),
                ("TA focus areas", self.focus_by_category),
                ("national centers", self.center_ids),
                ("other-collaborator types", self.collaborator_type_ids),
                ("delivery methods", self.method_ids),
                ("TA types", self.ta_type_ids),
            )
            if not values
        ]
        if missing:
            raise ReferenceDataMissing(
                "Reference data is missing: " + ", ".join(missing) + ". Run load_reference_data."
            )
        # Categories usable for goals need strategic areas and focus areas.
        self.goal_category_ids = [
            c
            for c in self.category_ids
            if self.items_by_category.get(c) and self.focus_by_category.get(c)
        ]
        self.all_focus_ids = list(self.focus_category)
        self.jurisdiction_by_id = {j[0]: j for j in self.jurisdictions}

    # ----------------------------------------------------------------- people
    def create_people(self) -> None:
        rng = self.rng
        n_staff = max(20, self.n_activities // 100)
        n_sss = max(3, min(28, n_staff // 10))
        n_federal = max(2, n_staff // 200)
        offset = (User.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        # One unusable password hash shared by all generated people: nobody signs in as them.
        unusable = make_password(None)
        joined = self._moment(FIRST_DAY)
        users: list[User] = []
        roles: list[str] = []

        def person(role: str, center_id: int | None, title: str, **flags: bool) -> None:
            first, last = rng.choice(P.FIRST_NAMES), rng.choice(P.LAST_NAMES)
            number = offset + len(users)
            users.append(
                User(
                    email=f"{first}.{last}.{number}@{EMAIL_DOMAIN}".lower().replace(" ", ""),
                    full_name=f"{first} {last}",
                    title=title,
                    center_id=center_id,
                    password=unusable,
                    date_joined=joined,
                    **flags,
                )
            )
            roles.append(role)

        sss_center = self.scbc_id or self.center_ids[0]
        person("admin", None, "TAT Administrator", is_tat_admin=True, is_staff=True)
        for _ in range(n_sss):
            person("sss", sss_center, "State Systems Specialist", is_sss=True, is_ta_staff=True)
        for center_id in self.center_ids:
            person("lead", center_id, "Center Lead", is_center_lead=True, is_ta_staff=True)
        for _ in range(n_federal):
            title = rng.choice(("Regional Program Manager", "Contracting Officer's Representative"))
            person("federal", None, title, is_federal_viewer=True)
        remaining = n_staff - len(users)
        for i in range(max(remaining, len(self.center_ids))):
            # SCBC carries about a third of the work; the other centers share the rest.
            if self.scbc_id and i % 3 == 0:
                center_id = self.scbc_id
            else:
                center_id = self.center_ids[i % len(self.center_ids)]
            person("staff", center_id, rng.choice(P.STAFF_TITLES), is_ta_staff=True)

        with transaction.atomic():
            self._bulk(User, users)
            through = User.sss_jurisdictions.through
            sss_ids = [u.pk for u, r in zip(users, roles, strict=True) if r == "sss"]
            self.sss_by_jurisdiction: dict[int, list[int]] = {}
            links = []
            for index, (jur_id, *_rest) in enumerate(self.jurisdictions):
                sss_id = sss_ids[index % len(sss_ids)]
                self.sss_by_jurisdiction.setdefault(jur_id, []).append(sss_id)
                links.append(through(user_id=sss_id, jurisdiction_id=jur_id))
            self._bulk(through, links)
            self.counts.m2m_rows += len(links)

        self.admin_id = next(u.pk for u, r in zip(users, roles, strict=True) if r == "admin")
        self.federal_ids = [u.pk for u, r in zip(users, roles, strict=True) if r == "federal"]
        self.staff_by_center: dict[int, list[int]] = {}
        self.staff_name: dict[int, str] = {}
        for user, role in zip(users, roles, strict=True):
            if role in ("staff", "lead", "sss") and user.center_id:
                self.staff_by_center.setdefault(user.center_id, []).append(user.pk)
                self.staff_name[user.pk] = user.full_name
        self.counts.users = len(users)

        requesters: list[Requester] = []
        per_jurisdiction = max(2, self.n_activities // 4000)
        for jur_id, code, _kind, _region in self.jurisdictions:
            for _ in range(per_jurisdiction):
                requesters.append(
                    self._requester(code.lower(), rng.choice(P.REQUESTER_TITLES), jur_id=jur_id)
                )
        for region_id in self.region_ids:
            for _ in range(2):
                requesters.append(
                    self._requester(
                        f"region{region_id}", rng.choice(P.REGIONAL_TITLES), region_id=region_id
                    )
                )
        with transaction.atomic():
            self._bulk(Requester, requesters)
        self.requesters_by_jurisdiction: dict[int, list[Requester]] = {}
        self.requesters_by_region: dict[int, list[Requester]] = {}
        for r in requesters:
            if r.jurisdiction_id:
                self.requesters_by_jurisdiction.setdefault(r.jurisdiction_id, []).append(r)
            else:
                self.requesters_by_region.setdefault(r.region_id, []).append(r)
        self.counts.requesters = len(requesters)

    def _requester(
        self, place: str, title: str, *, jur_id: int | None = None, region_id: int | None = None
    ) -> Requester:
        first, last = self.rng.choice(P.FIRST_NAMES), self.rng.choice(P.LAST_NAMES)
        self._requester_serial = getattr(self, "_requester_serial", 0) + 1
        stamp = self._moment(self._date_between(FIRST_DAY, self.today))
        return Requester(
            name=f"{first} {last}",
            title=title,
            # A serial keeps e-mails unique within the run; the run's first user id across runs.
            email=f"{first}.{last}.{self.admin_id}-{self._requester_serial}@{place}.gov.example".lower(),
            jurisdiction_id=jur_id,
            region_id=region_id,
            approved_by=self.rng.choice(Requester.ApprovedBy.values),
            approved_by_name=self._person_name(),
            created_by_id=self.admin_id,
            created_at=stamp,
            updated_at=stamp,
        )

    # ----------------------------------------------------------------- goals
    def create_goals(self) -> None:
        rng = self.rng
        n_goals = max(60, self.n_activities // 40)
        latest_start = self.today - dt.timedelta(days=14)
        goals: list[Goal] = []
        closed_on: list[dt.date | None] = []
        for i in range(n_goals):
            # Round robin over jurisdictions and categories: every pair is covered in turn.
            jur_id = self.jurisdictions[i % len(self.jurisdictions)][0]
            category_id = self.goal_category_ids[i % len(self.goal_category_ids)]
            start = self._date_between(FIRST_DAY, latest_start)
            age = (self.today - start).days
            p_closed = 0.8 if age > 3 * 365 else 0.45 if age > 550 else 0.08
            closed = None
            if rng.random() < p_closed and age > 200:
                closed = min(
                    self.today - dt.timedelta(days=1),
                    start + dt.timedelta(days=rng.randint(180, 4 * 365)),
                )
            related = None
            if rng.random() < 0.3:
                related = rng.choice([c for c in self.category_ids if c != category_id])
            created = self._moment(start)
            goals.append(
                Goal(
                    jurisdiction_id=jur_id,
                    category_id=category_id,
                    related_category_id=related,
                    start_date=start,
                    start_date_is_approximate=rng.random() < 0.15,
                    readiness=rng.choice(Readiness.values),
                    status=Goal.Status.CLOSED if closed else Goal.Status.OPEN,
                    closed_at=self._moment(closed) if closed else None,
                    closed_by_id=self.admin_id if closed else None,
                    created_by_id=rng.choice(self.sss_by_jurisdiction.get(jur_id, [self.admin_id])),
                    created_at=created,
                    updated_at=self._moment(closed) if closed else created,
                )
            )
            closed_on.append(closed)

        with transaction.atomic():
            self._bulk(Goal, goals)
            areas: list[StrategicArea] = []
            notes: list[GoalNote] = []
            for goal, closed in zip(goals, closed_on, strict=True):
                ctx = self._text_context(goal.jurisdiction_id, goal.category_id)
                items = self.items_by_category[goal.category_id]
                for item_id in rng.sample(items, rng.randint(1, min(4, len(items)))):
                    areas.append(
                        StrategicArea(
                            goal_id=goal.pk,
                            item_id=item_id,
                            notes=rng.choice(P.STRATEGIC_AREA_NOTES).format(**ctx),
                            created_at=goal.created_at,
                            updated_at=goal.created_at,
                        )
                    )
                end = closed or self.today
                for _ in range(rng.choice((0, 0, 1, 1, 2))):
                    day = self._date_between(goal.start_date, end)
                    notes.append(
                        self._goal_note(goal, GoalNote.Kind.UPDATE, day, P.GOAL_UPDATE_NOTES, ctx)
                    )
                if closed:
                    notes.append(
                        self._goal_note(
                            goal, GoalNote.Kind.COMPLETION, closed, P.GOAL_CLOSING_NOTES, ctx
                        )
                    )
            self._bulk(StrategicArea, areas)
            self._bulk(GoalNote, notes)

        by_goal: dict[int, list[int]] = {}
        for area in areas:
            by_goal.setdefault(area.goal_id, []).append(area.pk)
        self.goals = [
            _GoalInfo(g.pk, g.jurisdiction_id, g.category_id, g.start_date, closed, by_goal[g.pk])
            for g, closed in zip(goals, closed_on, strict=True)
        ]
        self.open_goals = [g for g in self.goals if g.closed_on is None]
        self.counts.goals = len(goals)
        self.counts.strategic_areas = len(areas)
        self.counts.goal_notes = len(notes)

    def _goal_note(
        self, goal: Goal, kind: str, day: dt.date, templates: tuple[str, ...], ctx: dict
    ) -> GoalNote:
        stamp = self._moment(day)
        author = self.admin_id if kind == GoalNote.Kind.COMPLETION else goal.created_by_id
        return GoalNote(
            goal_id=goal.pk,
            kind=kind,
            note_date=day,
            text=self.rng.choice(templates).format(date=day.strftime("%m/%d/%y"), **ctx),
            author_id=author,
            created_at=stamp,
            updated_at=stamp,
        )

    def _text_context(
        self, jur_id: int, category_id: int | None, center_ids: tuple[int, ...] = ()
    ) -> dict:
        rng = self.rng
        kind = (
            "Territory"
            if self.jurisdiction_by_id[jur_id][2] == Jurisdiction.Kind.TERRITORY
            else "State"
        )
        number = self.category_number.get(category_id or 0)
        topics = P.TOPICS_BY_CATEGORY.get(number) or rng.choice(list(P.TOPICS_BY_CATEGORY.values()))
        codes = [self.center_code[c] for c in center_ids] or [
            self.center_code[rng.choice(self.center_ids)]
        ]
        return {
            "kind": kind,
            "kind_cap": kind,
            "topic": rng.choice(topics),
            "topic2": rng.choice(topics),
            "center": codes[0],
            "center2": codes[1]
            if len(codes) > 1
            else self.center_code[rng.choice(self.center_ids)],
            "audience": rng.choice(P.AUDIENCES),
            "product": rng.choice(P.PRODUCTS),
            "season": rng.choice(P.SEASONS),
            "count": rng.choice((50, 75, 100, 150, 200, 300)),
        }

    # ----------------------------------------------------------------- activities
    def create_activities(self) -> None:
        started = time.monotonic()
        done = 0
        # The first activities of a run take every completion status and activity status,
        # so even a small data set shows each of them.
        forced = [
            (CompletionStatus.OPEN, ActivityStatus.PLANNING),
            (CompletionStatus.OPEN, ActivityStatus.APPROVED),
            (CompletionStatus.OPEN, ActivityStatus.ON_HOLD),
            (CompletionStatus.OPEN, ActivityStatus.DENIED),
            (CompletionStatus.CLOSED, ActivityStatus.APPROVED),
            (CompletionStatus.CANCELLED, ActivityStatus.DENIED),
        ]
        while done < self.n_activities:
            size = min(self.batch, self.n_activities - done)
            rows = [self._activity(forced.pop(0) if forced else None) for _ in range(size)]
            self._write_batch(rows)
            reset_queries()
            done += size
            self.progress(
                f"  {done:,}/{self.n_activities:,} activities, {self.counts.notes:,} notes "
                f"({time.monotonic() - started:.1f} s)"
            )

    def _write_batch(self, rows: list[tuple[TAActivity, _Pending]]) -> None:
        link = self.link_makers
        with transaction.atomic():
            activities = self._bulk(TAActivity, [activity for activity, _ in rows])
            requester_links, center_links, staff_links, type_links = [], [], [], []
            descriptions: list[models.Model] = []
            summaries: list[tuple[DeliverySummary, list[int], list[int]]] = []
            feedback: list[models.Model] = []
            responses: list[models.Model] = []
            for activity, (_, pending) in zip(activities, rows, strict=True):
                pk = activity.pk
                for r in pending.requester_ids:
                    requester_links.append(link["requesters"](taactivity_id=pk, requester_id=r))
                for c in pending.center_ids:
                    center_links.append(link["centers"](taactivity_id=pk, center_id=c))
                for u in pending.staff_ids:
                    staff_links.append(link["staff"](taactivity_id=pk, user_id=u))
                for t in pending.collaborator_type_ids:
                    type_links.append(link["types"](taactivity_id=pk, collaboratortype_id=t))
                for group, target in (
                    (pending.description_notes, descriptions),
                    (pending.feedback, feedback),
                    (pending.response_notes, responses),
                ):
                    for note in group:
                        note.activity_id = pk
                    target.extend(group)
                for summary, _methods, _types in pending.summaries:
                    summary.activity_id = pk
                summaries.extend(pending.summaries)
            self._bulk(TAActivity.requesters.through, requester_links)
            self._bulk(TAActivity.collaborating_centers.through, center_links)
            self._bulk(TAActivity.collaborating_staff.through, staff_links)
            self._bulk(TAActivity.other_collaborators.through, type_links)
            self._bulk(DescriptionNote, descriptions)
            self._bulk(DeliverySummary, [summary for summary, _, _ in summaries])
            method_links, ta_type_links = [], []
            for summary, methods, ta_types in summaries:
                for m in methods:
                    method_links.append(
                        link["methods"](deliverysummary_id=summary.pk, deliverymethod_id=m)
                    )
                for t in ta_types:
                    ta_type_links.append(
                        link["ta_types"](deliverysummary_id=summary.pk, tatype_id=t)
                    )
            self._bulk(DeliverySummary.delivery_methods.through, method_links)
            self._bulk(DeliverySummary.ta_types.through, ta_type_links)
            self._bulk(RequesterFeedback, feedback)
            self._bulk(ResponseNote, responses)
        c = self.counts
        c.activities += len(activities)
        c.m2m_rows += sum(
            map(
                len,
                (
                    requester_links,
                    center_links,
                    staff_links,
                    type_links,
                    method_links,
                    ta_type_links,
                ),
            )
        )
        c.description_notes += len(descriptions)
        c.summaries += len(summaries)
        c.feedback += len(feedback)
        c.response_notes += len(responses)
        for activity in activities:
            c.by_completion[activity.completion_status] = (
                c.by_completion.get(activity.completion_status, 0) + 1
            )
            c.by_status[activity.status] = c.by_status.get(activity.status, 0) + 1

    def _lifecycle(
        self, opened: dt.date, must_finish: bool, forced: tuple[str, str] | None
    ) -> tuple[str, str]:
        rng = self.rng
        if forced:
            return forced
        age = (self.today - opened).days
        finished = must_finish or rng.random() < (0.03 if age < 45 else min(0.93, 0.15 + age / 800))
        if finished:
            if rng.random() < 0.07:
                status = self._weighted(
                    (
                        (ActivityStatus.PLANNING, 30),
                        (ActivityStatus.DENIED, 40),
                        (ActivityStatus.ON_HOLD, 20),
                        (ActivityStatus.APPROVED, 10),
                    )
                )
                return CompletionStatus.CANCELLED, status
            return CompletionStatus.CLOSED, ActivityStatus.APPROVED
        if age < 60:
            weights = (
                (ActivityStatus.PLANNING, 55),
                (ActivityStatus.APPROVED, 35),
                (ActivityStatus.ON_HOLD, 5),
                (ActivityStatus.DENIED, 5),
            )
        else:
            weights = (
                (ActivityStatus.PLANNING, 15),
                (ActivityStatus.APPROVED, 65),
                (ActivityStatus.ON_HOLD, 12),
                (ActivityStatus.DENIED, 8),
            )
        return CompletionStatus.OPEN, self._weighted(weights)

    def _activity(self, forced: tuple[str, str] | None = None) -> tuple[TAActivity, _Pending]:
        rng = self.rng
        today = self.today
        goal = None
        wants_open = forced is not None and forced[0] == CompletionStatus.OPEN
        if rng.random() < SHARE_GOAL_DRIVEN:
            pool = self.open_goals if wants_open else self.goals
            goal = rng.choice(pool) if pool else None
        other_notes = ""
        if goal:
            jur_id, category_id = goal.jurisdiction_id, goal.category_id
            strategic_area_id = rng.choice(goal.strategic_area_ids)
            first, last = goal.start, goal.closed_on or today
            if self.other_focus_id and rng.random() < 0.02:
                focus_id = self.other_focus_id
                other_notes = rng.choice(P.OTHER_FOCUS_NOTES)
            else:
                focus_id = rng.choice(self.focus_by_category[category_id])
        else:
            jur_id = rng.choice(self.jurisdictions)[0]
            strategic_area_id = None
            focus_id = rng.choice(self.all_focus_ids)
            category_id = self.focus_category[focus_id]
            first, last = FIRST_DAY, today
        opened = self._date_between(first, last)
        completion, status = self._lifecycle(
            opened, goal is not None and goal.closed_on is not None, forced
        )

        # People and centers (A5).
        if self.scbc_id and rng.random() < 0.35:
            primary_center = self.scbc_id
        else:
            primary_center = rng.choice(self.center_ids)
        primary_staff = rng.choice(self.staff_by_center[primary_center])
        n_centers = self._weighted(((0, 45), (1, 40), (2, 15)))
        others = [c for c in self.center_ids if c != primary_center]
        collab_centers = rng.sample(others, min(n_centers, len(others)))
        collab_staff = {
            rng.choice(self.staff_by_center[c]) for c in collab_centers if rng.random() < 0.7
        }
        if rng.random() < 0.2:
            collab_staff.add(rng.choice(self.staff_by_center[primary_center]))
        collab_staff.discard(primary_staff)
        collab_types: list[int] = []
        details = ""
        if rng.random() < 0.25:
            collab_types = rng.sample(
                self.collaborator_type_ids, min(len(self.collaborator_type_ids), rng.randint(1, 2))
            )
            if self.other_collaborator_type_ids.intersection(collab_types) or rng.random() < 0.3:
                details = rng.choice(P.OTHER_COLLABORATOR_DETAILS).format(
                    person=self._person_name(), center=self.center_code[primary_center]
                )
        own = self.requesters_by_jurisdiction.get(jur_id, [])
        chosen = rng.sample(own, min(len(own), self._weighted(((1, 60), (2, 30), (3, 10)))))
        regional = self.requesters_by_region.get(self.jurisdiction_by_id[jur_id][3], [])
        if regional and (not chosen or rng.random() < 0.1):
            chosen.append(rng.choice(regional))
        ctx = self._text_context(jur_id, category_id, (primary_center, *collab_centers))
        writers = [primary_staff, *collab_staff]

        # Timeline: plan, approval, delivery, completion.
        if completion == CompletionStatus.CLOSED:
            end = min(last, opened + dt.timedelta(days=rng.randint(45, 600)))
        elif completion == CompletionStatus.CANCELLED:
            end = min(last, opened + dt.timedelta(days=rng.randint(10, 120)))
        else:
            end = last
        has_final = status == ActivityStatus.APPROVED or (
            status == ActivityStatus.ON_HOLD and rng.random() < 0.5
        )
        sequence = self._weighted(FINAL_SEQUENCES if has_final else DRAFT_SEQUENCES)
        plan_span = max(0, (end - opened).days * 3 // 10)
        offsets = sorted(rng.randint(0, plan_span) for _ in sequence)
        offsets[0] = 0
        entered = opened + dt.timedelta(
            days=rng.randint(4, 20) if rng.random() < SHARE_LATE_ENTRY else rng.randint(0, 2)
        )
        entered = min(entered, today)
        entered_at = self._moment(entered)
        sss = self.sss_by_jurisdiction.get(jur_id, [primary_staff])

        descriptions: list[DescriptionNote] = []
        for stage, offset in zip(sequence, offsets, strict=True):
            day = opened + dt.timedelta(days=offset)
            text = self._plan_text(ctx)
            stage_value = PlanStage.ARCHIVED_FINAL if stage == "archived" else stage
            author = rng.choice(sss) if stage == "initial" else primary_staff
            descriptions.append(
                self._note(DescriptionNote, day, text, author, entered, stage=stage_value)
            )
        plan_done = opened + dt.timedelta(days=offsets[-1])
        approval_day = min(end, plan_done + dt.timedelta(days=rng.randint(0, 10)))

        summaries: list[tuple[DeliverySummary, list[int], list[int]]] = []
        delivers = (
            has_final
            and completion != CompletionStatus.CANCELLED
            and status
            in (
                ActivityStatus.APPROVED,
                ActivityStatus.ON_HOLD,
            )
        )
        if delivers:
            months = (end - approval_day).days // 30 + 1
            if completion == CompletionStatus.CLOSED:
                n_summaries = rng.randint(1, min(6, months))
            elif status == ActivityStatus.ON_HOLD:
                n_summaries = rng.randint(0, min(2, months))
            else:
                n_summaries = rng.randint(0, min(6, months))
            for day in sorted(self._date_between(approval_day, end) for _ in range(n_summaries)):
                summaries.append(self._summary(day, ctx, primary_staff, writers))

        feedback: list[RequesterFeedback] = []
        if completion == CompletionStatus.CLOSED:
            n_feedback = self._weighted(((0, 20), (1, 55), (2, 25)))
        else:
            n_feedback = 1 if summaries and rng.random() < 0.3 else 0
        if summaries:
            for _ in range(n_feedback):
                day = self._date_between(summaries[0][0].note_date, end)
                if completion == CompletionStatus.CLOSED and rng.random() < 0.05:
                    day = self._date_between(end, today)  # A11: feedback after closing
                giver = rng.choice(chosen)
                quote = rng.choice(P.FEEDBACK_QUOTES).format(**ctx)
                text = f"{day:%m/%d/%y} received from {giver.name}, {giver.title}: “{quote}”"
                feedback.append(
                    self._note(
                        RequesterFeedback,
                        day,
                        text,
                        primary_staff,
                        day,
                        giver_name=giver.name,
                        giver_title=giver.title,
                    )
                )

        responses: list[ResponseNote] = []
        target = rng.randint(6, 14)
        for _ in range(max(0, target - len(descriptions) - len(summaries) - len(feedback))):
            day = self._date_between(opened, end)
            text = rng.choice(P.RESPONSE_TEMPLATES).format(
                date=f"{day:%m/%d/%y}",
                **{**ctx, "audience": rng.choice(P.AUDIENCES), "product": rng.choice(P.PRODUCTS)},
            )
            responses.append(self._note(ResponseNote, day, text, rng.choice(writers), day))

        # Closed: the day work ended; cancelled: the day it was cancelled (as activity_cancel).
        completion_date = None if completion == CompletionStatus.OPEN else end
        last_touch = max(
            [
                entered,
                *(d.note_date for d in descriptions),
                end if completion != CompletionStatus.OPEN else entered,
            ]
        )
        approved = status == ActivityStatus.APPROVED or (
            has_final and status == ActivityStatus.ON_HOLD
        )
        activity = self.make_activity(
            jurisdiction_id=jur_id,
            goal_id=goal.id if goal else None,
            strategic_area_id=strategic_area_id,
            goal_category_id=category_id,
            focus_id=focus_id,
            other_focus_notes=other_notes,
            date_opened=opened,
            is_late_entry=entered > self._late_deadline(opened),
            priority=self._weighted(
                ((Priority.LOW, 25), (Priority.MEDIUM, 45), (Priority.HIGH, 30))
            ),
            activity_type=self._weighted(
                (
                    (ActivityType.UNIVERSAL, 20),
                    (ActivityType.TARGETED, 45),
                    (ActivityType.TAILORED, 35),
                )
            ),
            status=status,
            approved_by_id=rng.choice(self.federal_ids) if approved else None,
            approved_at=self._moment(approval_day) if approved else None,
            primary_center_id=primary_center,
            primary_staff_id=primary_staff,
            other_collaborators_details=details,
            outcome_plan=rng.choice(P.OUTCOME_PLANS).format(
                year=opened.year + rng.randint(1, 2), **ctx
            ),
            outcome_report=(
                rng.choice(P.OUTCOME_REPORTS).format(**ctx)
                if completion == CompletionStatus.CLOSED
                else ""
            ),
            completion_status=completion,
            completion_date=completion_date,
            created_by_id=rng.choice((primary_staff, primary_staff, primary_staff, sss[0])),
            created_at=entered_at,
            updated_at=max(entered_at, self._moment(min(last_touch, today))),
        )
        pending = _Pending(
            requester_ids=[r.pk for r in chosen],
            center_ids=collab_centers,
            staff_ids=list(collab_staff),
            collaborator_type_ids=collab_types,
            description_notes=descriptions,
            summaries=summaries,
            feedback=feedback,
            response_notes=responses,
        )
        return activity, pending

    def _note(
        self, model: type, day: dt.date, text: str, author: int, entered: dt.date, **extra
    ) -> models.Model:
        stamp = self._moment(max(day, entered))
        return self.note_makers[model](
            note_date=day, text=text, author_id=author, created_at=stamp, updated_at=stamp, **extra
        )

    def _plan_text(self, ctx: dict) -> str:
        rng = self.rng
        local = {**ctx, "audience": rng.choice(P.AUDIENCES), "product": rng.choice(P.PRODUCTS)}
        opener = rng.choice(P.PLAN_OPENERS).format(**local)
        purpose = rng.choice(P.PLAN_PURPOSES).format(**local)
        role = rng.choice(P.PLAN_CENTER_ROLES).format(**local)
        return f"{opener} {purpose}. {role}".strip()

    def _summary(
        self, day: dt.date, ctx: dict, primary_staff: int, writers: list[int]
    ) -> tuple[DeliverySummary, list[int], list[int]]:
        rng = self.rng
        due = self._due(day)
        if rng.random() < SHARE_LATE_SUMMARY:
            entered = due + dt.timedelta(days=rng.randint(1, 25))
        else:
            entered = day + dt.timedelta(days=rng.randint(0, (due - day).days))
        entered = min(entered, self.today)
        roll = rng.random()
        if roll < 0.03:
            template = rng.choice(P.SUMMARY_FUTURE_TEMPLATES)
        elif roll < 0.05:
            template = rng.choice(P.SUMMARY_NAMED_TEMPLATES)
        else:
            template = rng.choice(P.SUMMARY_TEMPLATES)
        local = {
            **ctx,
            "audience": rng.choice(P.AUDIENCES),
            "product": rng.choice(P.PRODUCTS),
            "method": rng.choice(P.METHODS_PHRASES),
            "person": self.staff_name.get(primary_staff, "the specialist"),
        }
        local["action"] = rng.choice(P.ACTIONS_PAST).format(audience=local["audience"])
        text = template.format(date=f"{day:%m/%d/%y}", **local)
        stamp = self._moment(entered)
        summary = self.make_summary(
            note_date=day,
            text=text,
            author_id=primary_staff if rng.random() < 0.85 else rng.choice(writers),
            due_date=due,
            is_late=entered > due,
            created_at=stamp,
            updated_at=stamp,
        )
        # A few summaries lack delivery methods, so the monthly review (R2) can flag them.
        methods = (
            []
            if rng.random() < 0.03
            else rng.sample(
                self.method_ids, min(len(self.method_ids), self._weighted(((1, 7), (2, 3))))
            )
        )
        types = rng.sample(
            self.ta_type_ids, min(len(self.ta_type_ids), self._weighted(((1, 7), (2, 3))))
        )
        return summary, methods, types

    # ----------------------------------------------------------------- entry point
    def run(self) -> Counts:
        self.load_reference()
        with (
            fast_bulk_writes(),
            historic_timestamps(
                Requester,
                Goal,
                StrategicArea,
                GoalNote,
                TAActivity,
                DescriptionNote,
                DeliverySummary,
                RequesterFeedback,
                ResponseNote,
            ),
        ):
            self.create_people()
            self.create_goals()
            self.create_activities()
        return self.counts
