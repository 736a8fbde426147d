"""Importing legacy records through the services (issue 11; every rule G1–G4, A1–A14 applies).

`import_rows` takes the rows of an import file (`transfer.reading`) and replays each through
the same service a page would call — `requester_create`, `goal_create`, `goal_note_add`,
`activity_create`, `description_note_add`, `summary_add`, `feedback_add`,
`response_note_add`, `activity_set_status`, `activity_close`, `activity_cancel`,
`goal_close` — with the importing administrator as the actor. Nothing skips a rule: a row
a service refuses is reported with its row, column and message.

Dry run by default: everything runs in one transaction that is rolled back at the end, so
the report is exactly what a real run would meet. A real run (`commit=True`) uses the same
transaction and keeps it only when not one row failed: all or nothing.

Each imported row leaves an `ImportedRecord` (source, kind, external id → record, row hash):
a row met again with the same values is skipped ("unchanged"), so importing the same file
twice changes nothing; one met again with different values is an error (the importer adds,
it does not edit — corrections are made in the app, where C1 and history apply).

Rows are replayed in the order their rules need, whatever the file order: requesters, goals
(with their strategic areas), goal notes, activities, plan notes, summaries, response notes,
feedback, then each activity's final status and completion, then goal closures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

from accounts.models import User
from accounts.permissions import require
from activities import services as activity_services
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    PlanStage,
    Requester,
    TAActivity,
)
from activities.services import STATUS_TRANSITIONS
from goals import services as goal_services
from goals.models import Goal, GoalNote, StrategicArea
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
from transfer.models import ImportedRecord
from transfer.reading import Row
from transfer.spec import KINDS_BY_NAME, LIST_SEPARATOR

DEFAULT_SOURCE = "legacy"

# Messages of the importer itself (the services' own messages pass through unchanged).
UNKNOWN_KIND = "“{value}” is not a kind of row; use one of: {kinds}."
REQUIRED = "This column is required for a {kind} row."
EXTERNAL_ID_TWICE = "External ID “{value}” appears twice for {kind} rows (first on row {first})."
ALREADY_IMPORTED_CHANGED = (
    "External ID “{value}” was already imported from source “{source}” with different "
    "values. The importer adds records; it does not change them — correct the record in the "
    "app, or give the row a new external ID."
)
BAD_DATE = "“{value}” is not a date; write YYYY-MM-DD (or MM/DD/YYYY)."
BAD_BOOL = "“{value}” is not yes or no."
BAD_CHOICE = "“{value}” is not one of: {choices}."
UNKNOWN_REFERENCE = "No {what} “{value}” is on file."
UNKNOWN_PERSON = (
    "No person with sign-in e-mail “{value}” is on file. Add the person (Users in the "
    "administration) before importing; the importer does not create accounts."
)
UNKNOWN_REQUESTER = "No requester with e-mail “{value}” is on file or in this file."
UNKNOWN_PARENT = "No {kind} with external ID “{value}” is in this file or imported before."
PARENT_FAILED = "The {kind} “{value}” was not imported (see its own row), so this row waits."
GOAL_WITHOUT_AREAS = "A goal needs at least one strategic_area row naming it (G1)."
STRATEGIC_AREA_NOT_ON_GOAL = "The goal “{goal}” has no strategic area “{value}” in this file."
ONE_PLACE = "Give either jurisdiction or region, not both."
JURISDICTION_OR_GOAL = "Give goal_external_id (goal-driven) or jurisdiction (on-demand)."

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})

# Service field → template column, per kind (a field not listed keeps its name).
FIELD_COLUMNS: dict[str, dict[str, str]] = {
    "goal": {
        "category": "goal_category",
        "strategic_areas": "strategic_area",
        "note": "closure_note",
    },
    "goal_note": {"kind": "note_kind"},
    "activity": {
        "requesters": "requester_emails",
        "primary_staff": "primary_staff_email",
        "collaborating_staff": "collaborating_staff_emails",
        "reason": "cancel_reason",
        "tracking": "status",
    },
    "summary": {"delivery_date": "note_date", "tracking": "activity_external_id"},
    "feedback": {"feedback_date": "note_date", "tracking": "activity_external_id"},
    "response_note": {},
    "plan_note": {},
    "requester": {},
    "strategic_area": {"item": "strategic_area"},
}


@dataclass(frozen=True)
class RowError:
    source: str
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created_list(self) -> list[tuple[str, int]]:
        """(kind, count) pairs for templates (a Counter's `.items` is a key lookup there)."""
        return sorted(self.created.items())

    @property
    def unchanged_list(self) -> list[tuple[str, int]]:
        return sorted(self.unchanged.items())


class _RowFailed(Exception):
    """This row has errors (already recorded); go on with the next one."""


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def row_hash(row: Row) -> str:
    kind = KINDS_BY_NAME[row.get("kind").lower()]
    payload = {c: row.get(c) for c in kind.columns}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class _Lookup:
    """Reference items by key, code or exact name (case-insensitive), loaded once."""

    def __init__(self, model: type[models.Model], *fields: str) -> None:
        self.by_value: dict[str, Any] = {}
        for item in model.objects.all():
            for name in fields:
                value = getattr(item, name, None)
                if value not in (None, ""):
                    self.by_value.setdefault(str(value).strip().lower(), item)

    def get(self, value: str) -> Any | None:
        return self.by_value.get(value.strip().lower())


class Importer:
    """One import run; see the module docstring."""

    def __init__(
        self,
        *,
        actor: User,
        source: str = DEFAULT_SOURCE,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        require(actor, "transfer.import_records")
        self.actor = actor
        self.source = (source or DEFAULT_SOURCE).strip()[:80]
        self.progress = progress or (lambda n: None)
        self.result = ImportResult()
        self.objects: dict[tuple[str, str], Any] = {}  # (kind, external id) → record
        self.failed: set[tuple[str, str]] = set()
        self.fresh: set[tuple[str, str]] = set()  # made by this run (not "unchanged")
        self.new_records: list[ImportedRecord] = []

    # ------------------------------------------------------------------ reporting
    def error(self, row: Row, column: str, message: str) -> None:
        self.result.errors.append(RowError(row.source, row.number, column, message))

    def service_errors(self, row: Row, exc: ValidationError | PermissionDenied) -> None:
        kind = row.get("kind").lower()
        columns = FIELD_COLUMNS.get(kind, {})
        if isinstance(exc, PermissionDenied):
            self.error(row, "", str(exc) or "Not allowed.")
            return
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
                for message in messages:
                    self.error(row, column, message)
        else:
            for message in exc.messages:
                self.error(row, "", message)

    # ------------------------------------------------------------------ cells
    def text(
        self, row: Row, column: str, errors: list[tuple[str, str]], required: bool = False
    ) -> str:
        value = row.get(column).strip()
        if required and not value:
            errors.append((column, REQUIRED.format(kind=row.get("kind").lower())))
        return value

    def date(
        self, row: Row, column: str, errors: list[tuple[str, str]], required: bool = False
    ) -> dt.date | None:
        value = self.text(row, column, errors, required)
        if not value:
            return None
        try:
            return _parse_date(value)
        except ValueError:
            errors.append((column, BAD_DATE.format(value=value)))
            return None

    def boolean(self, row: Row, column: str, errors: list[tuple[str, str]]) -> bool | None:
        value = row.get(column).strip().lower()
        if not value:
            return None
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        errors.append((column, BAD_BOOL.format(value=row.get(column))))
        return None

    def choice(
        self,
        row: Row,
        column: str,
        choices: Iterable[str],
        errors: list[tuple[str, str]],
        required: bool = False,
        default: str = "",
    ) -> str:
        value = self.text(row, column, errors, required).lower().replace(" ", "_").replace("-", "_")
        if not value:
            return default
        choices = list(choices)
        if value not in choices:
            errors.append(
                (column, BAD_CHOICE.format(value=row.get(column), choices=", ".join(choices)))
            )
        return value

    def ref(
        self,
        row: Row,
        column: str,
        lookup: _Lookup,
        what: str,
        errors: list[tuple[str, str]],
        required: bool = False,
    ) -> Any | None:
        value = self.text(row, column, errors, required)
        if not value:
            return None
        item = lookup.get(value)
        if item is None:
            errors.append((column, UNKNOWN_REFERENCE.format(what=what, value=value)))
        return item

    def refs(
        self, row: Row, column: str, lookup: _Lookup, what: str, errors: list[tuple[str, str]]
    ) -> list[Any]:
        items = []
        for value in self._split(row.get(column)):
            item = lookup.get(value)
            if item is None:
                errors.append((column, UNKNOWN_REFERENCE.format(what=what, value=value)))
            else:
                items.append(item)
        return items

    @staticmethod
    def _split(value: str) -> list[str]:
        return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]

    def person(self, value: str, column: str, errors: list[tuple[str, str]]) -> User | None:
        user = self.users.get(value.strip().lower())
        if user is None:
            errors.append((column, UNKNOWN_PERSON.format(value=value)))
        return user

    def parent(
        self, row: Row, column: str, kind: str, errors: list[tuple[str, str]], required: bool = True
    ) -> Any | None:
        value = self.text(row, column, errors, required)
        if not value:
            return None
        key = (kind, value)
        if key in self.failed:
            errors.append((column, PARENT_FAILED.format(kind=kind.replace("_", " "), value=value)))
            return None
        record = self.objects.get(key) or self._imported_object(kind, value)
        if record is None:
            errors.append((column, UNKNOWN_PARENT.format(kind=kind.replace("_", " "), value=value)))
        return record

    def check(self, row: Row, errors: list[tuple[str, str]]) -> None:
        for column, message in errors:
            self.error(row, column, message)
        if errors:
            raise _RowFailed

    # ------------------------------------------------------------------ bookkeeping
    def _load(self) -> None:
        self.users = {u.email.lower(): u for u in User.objects.all()}
        self.requesters_by_email = {r.email.lower(): r for r in Requester.objects.all()}
        self.jurisdictions = _Lookup(Jurisdiction, "code", "name")
        self.regions = _Lookup(Region, "number")
        self.categories = _Lookup(GoalCategory, "number", "key", "name")
        self.items = defaultdict(dict)
        for item in StrategicAreaItem.objects.all():
            for value in (item.key, item.name):
                if value:
                    self.items[item.category_id].setdefault(value.strip().lower(), item)
        self.focus = _Lookup(FocusArea, "key", "name")
        self.centers = _Lookup(Center, "code", "key", "name")
        self.collaborator_types = _Lookup(CollaboratorType, "key", "name")
        self.methods = _Lookup(DeliveryMethod, "key", "name")
        self.ta_types = _Lookup(TAType, "key", "name")
        self.imported = {
            (r.kind, r.external_id): r for r in ImportedRecord.objects.filter(source=self.source)
        }

    def _imported_object(self, kind: str, external_id: str) -> Any | None:
        """The record an earlier import made from (kind, external id), loaded when needed."""
        record = self.imported.get((kind, external_id))
        if record is None:
            return None
        model = ContentType.objects.get_for_id(record.content_type_id).model_class()
        obj = model.objects.filter(pk=record.object_id).first()
        if obj is not None:
            self.objects[(kind, external_id)] = obj
        return obj

    def _remember(self, row: Row, obj: models.Model) -> None:
        kind, external_id = row.get("kind").lower(), row.get("external_id")
        self.objects[(kind, external_id)] = obj
        self.fresh.add((kind, external_id))
        # Written together at the end of the run (one INSERT per thousand rows).
        self.new_records.append(
            ImportedRecord(
                source=self.source,
                kind=kind,
                external_id=external_id,
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=obj.pk,
                row_hash=row_hash(row),
                imported_by=self.actor,
            )
        )
        self.result.created[kind] += 1

    def _already(self, row: Row) -> bool:
        """True when this row was imported before with the same values (skip it)."""
        kind, external_id = row.get("kind").lower(), row.get("external_id")
        record = self.imported.get((kind, external_id))
        if record is None:
            return False
        if record.row_hash != row_hash(row):
            self.error(
                row,
                "external_id",
                ALREADY_IMPORTED_CHANGED.format(value=external_id, source=self.source),
            )
            self.failed.add((kind, external_id))
            return True
        self.result.unchanged[kind] += 1
        return True

    def _do(self, row: Row, call: Callable[[], models.Model | None], remember: bool = True) -> Any:
        """Run one row's service calls; report and skip the row on refusal.

        No savepoint of its own: each service runs in its own (`transaction.atomic`), so a
        refusal leaves the import's transaction usable, and a run with any error is rolled
        back whole anyway.
        """
        kind, external_id = row.get("kind").lower(), row.get("external_id")
        try:
            obj = call()
            if remember and obj is not None:
                self._remember(row, obj)
            return obj
        except _RowFailed:
            pass
        except (ValidationError, PermissionDenied) as exc:
            self.service_errors(row, exc)
        self.failed.add((kind, external_id))
        return None

    # ------------------------------------------------------------------ the run
    def run(self, rows: list[Row], *, commit: bool = False) -> ImportResult:
        self.result.rows = len(rows)
        by_kind: dict[str, list[Row]] = defaultdict(list)
        first_seen: dict[tuple[str, str], int] = {}
        for row in rows:
            kind = row.get("kind").strip().lower()
            row.values["kind"] = kind
            row.values["external_id"] = row.get("external_id").strip()
            if kind not in KINDS_BY_NAME:
                self.error(
                    row,
                    "kind",
                    UNKNOWN_KIND.format(value=row.get("kind"), kinds=", ".join(KINDS_BY_NAME)),
                )
                continue
            external_id = row.get("external_id")
            if not external_id:
                self.error(row, "external_id", REQUIRED.format(kind=kind))
                continue
            key = (kind, external_id)
            if key in first_seen:
                self.error(
                    row,
                    "external_id",
                    EXTERNAL_ID_TWICE.format(value=external_id, kind=kind, first=first_seen[key]),
                )
                continue
            first_seen[key] = row.number
            by_kind[kind].append(row)

        done = 0

        def step(row: Row) -> None:
            nonlocal done
            done += 1
            self.progress(done)

        with transaction.atomic():
            self._load()
            for row in by_kind["requester"]:
                self._requester(row)
                step(row)
            areas_by_goal: dict[str, list[Row]] = defaultdict(list)
            for row in by_kind["strategic_area"]:
                areas_by_goal[row.get("goal_external_id").strip()].append(row)
            for row in by_kind["goal"]:
                area_rows = areas_by_goal.pop(row.get("external_id"), [])
                self._goal(row, area_rows)
                for counted in (row, *area_rows):
                    step(counted)
            for goal_id, area_rows in areas_by_goal.items():
                for row in area_rows:
                    self._strategic_area_alone(row, goal_id)
                    step(row)
            for row in by_kind["goal_note"]:
                self._goal_note(row)
                step(row)
            for row in by_kind["activity"]:
                self._activity(row)
                step(row)
            for row in by_kind["plan_note"]:
                self._plan_note(row)
                step(row)
            for row in by_kind["summary"]:
                self._summary(row)
                step(row)
            for row in by_kind["response_note"]:
                self._response_note(row)
                step(row)
            for row in by_kind["activity"]:
                self._activity_finish(row)
            for row in by_kind["feedback"]:
                self._feedback(row)
                step(row)
            for row in by_kind["goal"]:
                self._goal_finish(row)
            self.result.committed = commit and not self.result.errors
            if self.result.committed:
                ImportedRecord.objects.bulk_create(self.new_records, batch_size=500)
            else:
                transaction.set_rollback(True)
        self.result.errors.sort(key=lambda e: (e.source, e.row))
        return self.result

    # ------------------------------------------------------------------ kinds
    def _requester(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Requester:
            errors: list[tuple[str, str]] = []
            jurisdiction = self.ref(
                row, "jurisdiction", self.jurisdictions, "State or Territory", errors
            )
            region = self.ref(row, "region", self.regions, "Region", errors)
            approved_by = self.choice(row, "approved_by", Requester.ApprovedBy.values, errors)
            self.check(row, errors)
            requester = activity_services.requester_create(
                actor=self.actor,
                name=row.get("name"),
                title=row.get("title"),
                email=row.get("email"),
                jurisdiction=jurisdiction,
                region=region,
                approved_by=approved_by,
                approved_by_name=row.get("approved_by_name"),
            )
            self.requesters_by_email[requester.email.lower()] = requester
            return requester

        self._do(row, call)

    def _goal(self, row: Row, area_rows: list[Row]) -> None:
        if self._already(row):
            for area_row in area_rows:
                self._strategic_area_alone(area_row, row.get("external_id"))
            return

        def call() -> Goal:
            errors: list[tuple[str, str]] = []
            jurisdiction = self.ref(
                row, "jurisdiction", self.jurisdictions, "State or Territory", errors, True
            )
            category = self.ref(
                row, "goal_category", self.categories, "goal category", errors, True
            )
            related = self.ref(row, "related_category", self.categories, "goal category", errors)
            readiness = self.choice(row, "readiness", ["least", "somewhat", "most"], errors, True)
            start_date = self.date(row, "start_date", errors, True)
            approximate = self.boolean(row, "start_date_is_approximate", errors)
            self.choice(row, "status", Goal.Status.values, errors, default="open")
            if not area_rows:
                errors.append(("", GOAL_WITHOUT_AREAS))
            self.check(row, errors)
            chosen = []
            area_failed = False
            for area_row in area_rows:
                area_errors: list[tuple[str, str]] = []
                value = self.text(area_row, "strategic_area", area_errors, True)
                item = self.items[category.pk].get(value.lower()) if value else None
                if value and item is None:
                    area_errors.append(
                        (
                            "strategic_area",
                            UNKNOWN_REFERENCE.format(
                                what=f"strategic area of “{category}”", value=value
                            ),
                        )
                    )
                for column, message in area_errors:
                    self.error(area_row, column, message)
                area_failed = area_failed or bool(area_errors)
                if item is not None:
                    chosen.append((item, area_row.get("notes").strip()))
            if area_failed:
                raise _RowFailed
            goal = goal_services.goal_create(
                actor=self.actor,
                jurisdiction=jurisdiction,
                category=category,
                related_category=related,
                readiness=readiness,
                start_date=start_date,
                start_date_is_approximate=bool(approximate),
                strategic_areas=chosen,
                confirm_duplicate_category=True,  # G2's confirmation: the file is the record
            )
            by_item = {sa.item_id: sa for sa in goal.strategic_areas.all()}
            for area_row, (item, _notes) in zip(area_rows, chosen, strict=True):
                self._remember(area_row, by_item[item.pk])
            return goal

        if self._do(row, call) is None:
            for area_row in area_rows:
                self.failed.add(("strategic_area", area_row.get("external_id")))

    def _strategic_area_alone(self, row: Row, goal_id: str) -> None:
        """A strategic_area row whose goal is not a goal row of this file: an earlier import's
        goal gets the strategic area added (G1/G2's strategic_area_add)."""
        if self._already(row):
            return

        def call() -> StrategicArea:
            errors: list[tuple[str, str]] = []
            goal = self.parent(row, "goal_external_id", "goal", errors)
            value = self.text(row, "strategic_area", errors, True)
            self.check(row, errors)
            item = self.items[goal.category_id].get(value.lower())
            if item is None:
                errors.append(
                    (
                        "strategic_area",
                        UNKNOWN_REFERENCE.format(
                            what=f"strategic area of “{goal.category}”", value=value
                        ),
                    )
                )
                self.check(row, errors)
            return goal_services.strategic_area_add(
                actor=self.actor, goal=goal, item=item, notes=row.get("notes")
            )

        self._do(row, call)

    def _goal_note(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> GoalNote:
            errors: list[tuple[str, str]] = []
            goal = self.parent(row, "goal_external_id", "goal", errors)
            kind = self.choice(
                row, "note_kind", GoalNote.Kind.values, errors, default=GoalNote.Kind.UPDATE
            )
            note_date = self.date(row, "note_date", errors, True)
            text = self.text(row, "text", errors, True)
            self.check(row, errors)
            return goal_services.goal_note_add(
                actor=self.actor, goal=goal, text=text, note_date=note_date, kind=kind
            )

        self._do(row, call)

    def _activity(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> TAActivity:
            errors: list[tuple[str, str]] = []
            strategic_area = None
            jurisdiction = None
            if row.get("goal_external_id").strip():
                goal = self.parent(row, "goal_external_id", "goal", errors)
                value = self.text(row, "strategic_area", errors, True)
                if goal is not None and value:
                    item = self.items[goal.category_id].get(value.lower())
                    strategic_area = (
                        goal.strategic_areas.filter(item=item).first() if item is not None else None
                    )
                    if strategic_area is None:
                        errors.append(
                            (
                                "strategic_area",
                                STRATEGIC_AREA_NOT_ON_GOAL.format(
                                    goal=row.get("goal_external_id"), value=value
                                ),
                            )
                        )
            if row.get("jurisdiction").strip() or strategic_area is None:
                jurisdiction = self.ref(
                    row, "jurisdiction", self.jurisdictions, "State or Territory", errors
                )
                if (
                    jurisdiction is None
                    and not row.get("goal_external_id").strip()
                    and not row.get("jurisdiction").strip()
                ):
                    errors.append(("jurisdiction", JURISDICTION_OR_GOAL))
            focus = self.ref(row, "focus", self.focus, "TA focus", errors, True)
            date_opened = self.date(row, "date_opened", errors, True)
            priority = self.choice(row, "priority", ["low", "medium", "high"], errors, True)
            activity_type = self.choice(
                row, "activity_type", ["universal", "targeted", "tailored"], errors, True
            )
            final_status = self.choice(
                row, "status", ActivityStatus.values, errors, default=ActivityStatus.PLANNING
            )
            requesters = []
            for email in self._split(row.get("requester_emails")):
                requester = self.requesters_by_email.get(email.lower())
                if requester is None:
                    errors.append(("requester_emails", UNKNOWN_REQUESTER.format(value=email)))
                else:
                    requesters.append(requester)
            primary_center = self.ref(row, "primary_center", self.centers, "center", errors)
            staff_email = row.get("primary_staff_email").strip()
            primary_staff = (
                self.person(staff_email, "primary_staff_email", errors) if staff_email else None
            )
            collaborating_centers = self.refs(
                row, "collaborating_centers", self.centers, "center", errors
            )
            collaborating_staff = [
                u
                for u in (
                    self.person(e, "collaborating_staff_emails", errors)
                    for e in self._split(row.get("collaborating_staff_emails"))
                )
                if u
            ]
            others = self.refs(
                row, "other_collaborators", self.collaborator_types, "collaborator type", errors
            )
            requested_by_admin = self.boolean(row, "requested_by_ccdf_administrator", errors)
            approval_date = self.date(row, "requester_approval_date", errors)
            cor_date = self.date(row, "cor_approval_date", errors)
            self.choice(row, "completion_status", CompletionStatus.values, errors, default="open")
            self.date(row, "completion_date", errors)
            self.check(row, errors)
            # An activity approved at some point (the COR's approval is on record) starts
            # approved, so its tracking data can follow (A9); its last status comes at the end.
            start_status = (
                ActivityStatus.APPROVED
                if row.get("cor_name").strip() and cor_date is not None
                else final_status
            )
            return activity_services.activity_create(
                actor=self.actor,
                jurisdiction=jurisdiction,
                strategic_area=strategic_area,
                focus=focus,
                other_focus_notes=row.get("other_focus_notes"),
                date_opened=date_opened,
                priority=priority,
                activity_type=activity_type,
                requesters=requesters,
                primary_center=primary_center,
                primary_staff=primary_staff,
                collaborating_centers=collaborating_centers,
                collaborating_staff=collaborating_staff,
                other_collaborators=others,
                other_collaborators_details=row.get("other_collaborators_details"),
                outcome_plan=row.get("outcome_plan"),
                join_existing_confirmed=True,  # A16's confirmation: the file is the record
                status=start_status,
                requested_by_ccdf_administrator=requested_by_admin,
                requester_approver_role=row.get("requester_approver_role").strip().lower(),
                requester_approver_name=row.get("requester_approver_name"),
                requester_approval_date=approval_date,
                cor_name=row.get("cor_name"),
                cor_approval_date=cor_date,
            )

        self._do(row, call)

    def _activity_finish(self, row: Row) -> None:
        """The activity's last status (A7), outcome report and completion (A12)."""
        key = ("activity", row.get("external_id"))
        if key not in self.fresh:
            return
        final = row.get("status").strip().lower() or ActivityStatus.PLANNING
        started_approved = bool(row.get("cor_name").strip() and row.get("cor_approval_date"))
        if (
            (final == ActivityStatus.APPROVED or not started_approved)
            and row.get("completion_status").strip().lower() in ("", CompletionStatus.OPEN)
            and not row.get("outcome_report").strip()
        ):
            return  # created as it should end (the common case): nothing more to do
        activity = self.objects[key]

        def call() -> None:
            nonlocal activity
            activity.refresh_from_db()
            final_status = (
                row.get("status").strip().lower().replace(" ", "_") or ActivityStatus.PLANNING
            )
            completion = row.get("completion_status").strip().lower() or CompletionStatus.OPEN
            report = row.get("outcome_report").strip()
            if completion == CompletionStatus.CLOSED:
                activity_services.activity_close(
                    actor=self.actor,
                    activity=activity,
                    completion_date=_parse_date(row.get("completion_date"))
                    if row.get("completion_date").strip()
                    else None,
                    outcome_report=report,
                )
                return None
            if report and report != activity.outcome_report:
                activity = activity_services.activity_update(
                    actor=self.actor,
                    activity=activity,
                    expected_version=activity.version,
                    outcome_report=report,
                )
            if final_status != activity.status:
                if final_status not in STATUS_TRANSITIONS[activity.status]:
                    activity = activity_services.activity_set_status(
                        actor=self.actor,
                        activity=activity,
                        status=ActivityStatus.PLANNING,
                        reason="Imported",
                    )
                activity_services.activity_set_status(
                    actor=self.actor, activity=activity, status=final_status, reason="Imported"
                )
            if completion == CompletionStatus.CANCELLED:
                activity_services.activity_cancel(
                    actor=self.actor,
                    activity=activity,
                    reason=row.get("cancel_reason") or "Imported as cancelled.",
                )
            return None

        self._do(row, call, remember=False)

    def _note_parent(self, row: Row, errors: list[tuple[str, str]]) -> TAActivity | None:
        return self.parent(row, "activity_external_id", "activity", errors)

    def _plan_note(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            stage = self.choice(row, "stage", PlanStage.values, errors, True)
            note_date = self.date(row, "note_date", errors, True)
            text = self.text(row, "text", errors, True)
            self.check(row, errors)
            # An archived final plan was a final plan when written: adding plans in the order
            # they were written archives it again (A6).
            if stage == PlanStage.ARCHIVED_FINAL:
                stage = PlanStage.FINAL
            note, _archived = activity_services.description_note_add(
                actor=self.actor, activity=activity, stage=stage, text=text, note_date=note_date
            )
            return note

        self._do(row, call)

    def _summary(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            delivery_date = self.date(row, "note_date", errors, True)
            text = self.text(row, "text", errors, True)
            methods = self.refs(row, "delivery_methods", self.methods, "delivery method", errors)
            types = self.refs(row, "ta_types", self.ta_types, "TA type", errors)
            self.check(row, errors)
            return activity_services.summary_add(
                actor=self.actor,
                activity=activity,
                delivery_date=delivery_date,
                text=text,
                delivery_methods=methods,
                ta_types=types,
            )

        self._do(row, call)

    def _feedback(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            feedback_date = self.date(row, "note_date", errors, True)
            self.check(row, errors)
            return activity_services.feedback_add(
                actor=self.actor,
                activity=activity,
                feedback_date=feedback_date,
                giver_name=row.get("giver_name"),
                giver_title=row.get("giver_title"),
                text=row.get("text"),
            )

        self._do(row, call)

    def _response_note(self, row: Row) -> None:
        if self._already(row):
            return

        def call() -> Any:
            errors: list[tuple[str, str]] = []
            activity = self._note_parent(row, errors)
            note_date = self.date(row, "note_date", errors)
            text = self.text(row, "text", errors, True)
            self.check(row, errors)
            return activity_services.response_note_add(
                actor=self.actor, activity=activity, text=text, note_date=note_date
            )

        self._do(row, call)

    def _goal_finish(self, row: Row) -> None:
        """A closed goal is closed last, once its activities are (G4)."""
        key = ("goal", row.get("external_id"))
        if key not in self.fresh or row.get("status").strip().lower() != Goal.Status.CLOSED:
            return
        goal = self.objects[key]

        def call() -> None:
            goal_services.goal_close(actor=self.actor, goal=goal, note=row.get("closure_note"))
            return None

        self._do(row, call, remember=False)


def import_rows(
    rows: list[Row],
    *,
    actor: User,
    commit: bool = False,
    source: str = DEFAULT_SOURCE,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import `rows` as `actor` (dry run unless `commit`); see the module docstring."""
    return Importer(actor=actor, source=source, progress=progress).run(rows, commit=commit)
