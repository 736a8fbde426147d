"""One import run: bookkeeping of external ids, the order rows are replayed in, the one
transaction (rolled back on a dry run or any error), and `import_rows`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from accounts.models import User
from accounts.permissions import require
from activities.models import (
    Requester,
)
from core.services import batched_saves
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
from reports.dashboard.rollup import stale_marks_deferred
from search.services import search_index_deferred
from transfer.importer.cells import CellReader, _Lookup, row_hash
from transfer.importer.kinds import KindImporters
from transfer.importer.messages import (
    ALREADY_IMPORTED_CHANGED,
    DEFAULT_SOURCE,
    EXTERNAL_ID_TWICE,
    REQUIRED,
    UNKNOWN_KIND,
)
from transfer.importer.results import ImportResult, _RowFailed
from transfer.models import ImportedRecord
from transfer.reading import Row
from transfer.spec import KINDS_BY_NAME


class Importer(CellReader, KindImporters):
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
        self.areas: dict[tuple[int, int], Any] = {}  # (goal, item) → strategic area

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
            # Each touched activity's search document is rewritten once, at the end, inside
            # this transaction (not once per note): search.services.search_index_deferred.
            # The history rows are written together at the end too, validation skips the
            # queries the run already made (core.services.batched_saves) and each touched
            # State's dashboard figures are marked stale once (ADR 0014).
            with search_index_deferred(), stale_marks_deferred(), batched_saves():
                self._replay(by_kind, step)
            self.result.committed = commit and not self.result.errors
            if self.result.committed:
                ImportedRecord.objects.bulk_create(self.new_records, batch_size=500)
            else:
                transaction.set_rollback(True)
        self.result.errors.sort(key=lambda e: (e.source, e.row))
        return self.result

    def _replay(self, by_kind: dict[str, list[Row]], step: Callable[[Row], None]) -> None:
        """Every row through its service, in the order the rules need (module docstring)."""
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
