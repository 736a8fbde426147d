"""Bulk benchmark data (`manage.py generate_data`): the shared machinery of the generator.

Why `bulk_create` and not the services: a benchmark data set holds 200,000 activities and
2,000,000 notes (DESIGN §5); made through the services, one row at a time with history,
it would take hours. So this package writes with `bulk_create` ON PURPOSE. It bypasses
the service layer and django-simple-history: generated records have no history rows, no
status-change rows and no notifications; they are for measuring pages and queries at
scale, never for exercising the rules (the demo data of `seed_demo` goes through the
services, see `demo.scenario`).

It still keeps the invariants the database and the rules rely on: at most one current
final plan per activity (A6), tracking data only on activities with a final plan that
were approved (A9), closed activities with a completion date and outcome report,
cancelled ones without any summary (A12), summary due dates from
`core.businessdays.summary_due_date` (A10), late entries from
`core.businessdays.is_late_entry` (A2), and goals closed only when all their activities
are closed or cancelled (G4).

This module holds what every stage shares: the random source and clock, the reference
lists (`load_reference`), the fast row builder and the bulk-write settings. The stages
live beside it: `people`, `goals`, `activities`; `demo.bulk.BulkGenerator` runs them.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.businessdays import late_entry_deadline, summary_due_date
from demo import phrases as P
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
class GoalInfo:
    id: int
    jurisdiction_id: int
    category_id: int
    start: dt.date
    closed_on: dt.date | None
    strategic_area_ids: list[int]


@dataclass
class Pending:
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


class GeneratorBase:
    """State and helpers shared by the generator stages (one random source, one clock)."""

    # Set by the stages, in order, and read by the later ones.
    sss_by_jurisdiction: dict[int, list[int]]  # people
    admin_id: int
    federal_ids: list[int]
    staff_by_center: dict[int, list[int]]
    staff_name: dict[int, str]
    requesters_by_jurisdiction: dict[int, list[Requester]]
    requesters_by_region: dict[int, list[Requester]]
    goals: list[GoalInfo]  # goals
    open_goals: list[GoalInfo]

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
