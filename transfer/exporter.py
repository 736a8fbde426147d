"""Exporting every record (issue 11): a zip of CSV files, one per kind of record, plus a JSON
manifest with each file's row count and SHA-256 checksum.

`records/*.csv` use exactly the import template's columns (`transfer.spec`), so an export
imports back with `import_records` (the round trip is tested). `history/*.csv` keep what the
services re-create on import rather than read from a file — who entered each record and
when, every status change, closure requests — so nothing is lost for an audit elsewhere.

Rows are read with `.iterator()` and written straight into the zip, which goes to a file
(a temporary one for the page): memory stays flat whatever the size of the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from activities.models import (
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.models import StatusChange
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
from reference.models import Jurisdiction
from transfer.spec import KINDS_BY_NAME, LIST_SEPARATOR, kind_columns

FORMAT_VERSION = 1
CHUNK = 2000


def requester_id(pk: int) -> str:
    return f"R-{pk}"


def goal_id(pk: int) -> str:
    return f"G-{pk}"


def activity_id(pk: int) -> str:
    return f"TA-{pk:06d}"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _ref(item: Any) -> str:
    return (getattr(item, "key", None) or item.name) if item is not None else ""


def _join(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(sorted(values))


# A cell a spreadsheet would run as a formula (or one that already starts with the quote that
# marks this) gets a leading apostrophe; `transfer.reading` takes exactly one off again, so an
# export still imports to the same text (issue #12: no formula runs when a file is opened).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def formula_safe(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


class _HashingWriter(io.RawIOBase):
    """Passes bytes to the zip entry while counting a SHA-256 of them."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha256.update(data)
        self.target.write(data)
        return len(data)


class Exporter:
    def __init__(self, *, jurisdiction: Jurisdiction | None = None) -> None:
        self.jurisdiction = jurisdiction
        self.files: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- querysets
    def _scope(self, qs: QuerySet, path: str) -> QuerySet:
        if self.jurisdiction is None:
            return qs
        return qs.filter(**{path: self.jurisdiction})

    def requesters(self) -> QuerySet:
        qs = Requester.objects.select_related("jurisdiction", "region", "created_by")
        if self.jurisdiction is not None:
            qs = qs.filter(jurisdiction=self.jurisdiction) | qs.filter(
                region_id=self.jurisdiction.region_id
            )
        return qs.order_by("pk")

    def goals(self) -> QuerySet:
        return self._scope(
            Goal.objects.select_related(
                "jurisdiction", "category", "related_category", "created_by"
            ),
            "jurisdiction",
        ).order_by("pk")

    def activities(self) -> QuerySet:
        return self._scope(
            TAActivity.objects.select_related(
                "jurisdiction",
                "goal",
                "strategic_area__item",
                "focus",
                "primary_center",
                "primary_staff",
                "created_by",
            ).prefetch_related(
                "requesters", "collaborating_centers", "collaborating_staff", "other_collaborators"
            ),
            "jurisdiction",
        ).order_by("pk")

    # ---------------------------------------------------------------- rows
    def requester_rows(self) -> Iterator[dict[str, str]]:
        for r in self.requesters().iterator(chunk_size=CHUNK):
            yield {
                "external_id": requester_id(r.pk),
                "name": r.name,
                "title": r.title,
                "email": r.email,
                "jurisdiction": r.jurisdiction.code if r.jurisdiction else "",
                "region": str(r.region.number) if r.region else "",
                "approved_by": r.approved_by,
                "approved_by_name": r.approved_by_name,
            }

    def _closure_notes(self) -> dict[int, GoalNote]:
        """The completion note `goal_close` wrote for each closed goal (its last one)."""
        notes: dict[int, GoalNote] = {}
        qs = self._scope(
            GoalNote.objects.filter(kind=GoalNote.Kind.COMPLETION, goal__status=Goal.Status.CLOSED),
            "goal__jurisdiction",
        ).order_by("created_at", "pk")
        for note in qs.iterator(chunk_size=CHUNK):
            notes[note.goal_id] = note
        return notes

    def goal_rows(self) -> Iterator[dict[str, str]]:
        closure = self._closure_notes()
        for g in self.goals().iterator(chunk_size=CHUNK):
            yield {
                "external_id": goal_id(g.pk),
                "jurisdiction": g.jurisdiction.code,
                "goal_category": str(g.category.number),
                "related_category": str(g.related_category.number) if g.related_category else "",
                "readiness": g.readiness,
                "start_date": _date(g.start_date),
                "start_date_is_approximate": _yes_no(g.start_date_is_approximate),
                "status": g.status,
                "closure_note": closure[g.pk].text if g.pk in closure else "",
            }

    def strategic_area_rows(self) -> Iterator[dict[str, str]]:
        qs = self._scope(StrategicArea.objects.select_related("item"), "goal__jurisdiction")
        for sa in qs.order_by("goal_id", "pk").iterator(chunk_size=CHUNK):
            yield {
                "external_id": f"SA-{sa.pk}",
                "goal_external_id": goal_id(sa.goal_id),
                "strategic_area": _ref(sa.item),
                "notes": sa.notes,
            }

    def goal_note_rows(self) -> Iterator[dict[str, str]]:
        skip = {note.pk for note in self._closure_notes().values()}
        qs = self._scope(GoalNote.objects.all(), "goal__jurisdiction")
        for n in qs.order_by("goal_id", "created_at", "pk").iterator(chunk_size=CHUNK):
            if n.pk in skip:
                continue
            yield {
                "external_id": f"GN-{n.pk}",
                "goal_external_id": goal_id(n.goal_id),
                "note_kind": n.kind,
                "note_date": _date(n.note_date),
                "text": n.text,
            }

    def activity_rows(self) -> Iterator[dict[str, str]]:
        cancel_reasons = {
            change.object_id: change.reason
            for change in StatusChange.objects.filter(
                content_type=ContentType.objects.get_for_model(TAActivity),
                field="completion_status",
                to_value=CompletionStatus.CANCELLED,
            ).order_by("changed_at", "pk")
        }
        for a in self.activities().iterator(chunk_size=CHUNK):
            yield {
                "external_id": activity_id(a.pk),
                "goal_external_id": goal_id(a.goal_id) if a.goal_id else "",
                "strategic_area": _ref(a.strategic_area.item) if a.strategic_area_id else "",
                "jurisdiction": a.jurisdiction.code,
                "focus": _ref(a.focus),
                "other_focus_notes": a.other_focus_notes,
                "date_opened": _date(a.date_opened),
                "priority": a.priority,
                "activity_type": a.activity_type,
                "status": a.status,
                "requester_emails": _join(r.email for r in a.requesters.all()),
                "primary_center": a.primary_center.code,
                "primary_staff_email": a.primary_staff.email,
                "collaborating_centers": _join(c.code for c in a.collaborating_centers.all()),
                "collaborating_staff_emails": _join(u.email for u in a.collaborating_staff.all()),
                "other_collaborators": _join(_ref(c) for c in a.other_collaborators.all()),
                "other_collaborators_details": a.other_collaborators_details,
                "outcome_plan": a.outcome_plan,
                "requested_by_ccdf_administrator": _yes_no(a.requested_by_ccdf_administrator),
                "requester_approver_role": a.requester_approver_role,
                "requester_approver_name": a.requester_approver_name,
                "requester_approval_date": _date(a.requester_approval_date),
                "cor_name": a.cor_name,
                "cor_approval_date": _date(a.cor_approval_date),
                "completion_status": a.completion_status,
                "completion_date": _date(a.completion_date),
                "outcome_report": a.outcome_report,
                "cancel_reason": (
                    cancel_reasons.get(a.pk, "")
                    if a.completion_status == CompletionStatus.CANCELLED
                    else ""
                ),
            }

    def _notes(self, model: type, prefix: str, extra: dict[str, str]) -> Iterator[dict[str, str]]:
        qs = self._scope(model.objects.all(), "activity__jurisdiction")
        if model is DeliverySummary:
            qs = qs.prefetch_related(Prefetch("delivery_methods"), Prefetch("ta_types"))
        for n in qs.order_by("activity_id", "created_at", "pk").iterator(chunk_size=CHUNK):
            row = {
                "external_id": f"{prefix}-{n.pk}",
                "activity_external_id": activity_id(n.activity_id),
                "note_date": _date(n.note_date),
                "text": n.text,
            }
            for column, attribute in extra.items():
                row[column] = getattr(n, attribute)
            if model is DeliverySummary:
                row["delivery_methods"] = _join(_ref(m) for m in n.delivery_methods.all())
                row["ta_types"] = _join(_ref(t) for t in n.ta_types.all())
            yield row

    # ---------------------------------------------------------------- history (read only)
    def entry_rows(self) -> Iterator[list[str]]:
        """Who entered each record and when (the import makes the importer its author)."""
        sources: list[tuple[str, QuerySet, str, Any]] = [
            ("requester", self.requesters(), "created_by", requester_id),
            ("goal", self.goals(), "created_by", goal_id),
            ("activity", self.activities(), "created_by", activity_id),
            ("goal_note", GoalNote.objects.all(), "author", lambda pk: f"GN-{pk}"),
            ("plan_note", DescriptionNote.objects.all(), "author", lambda pk: f"P-{pk}"),
            ("summary", DeliverySummary.objects.all(), "author", lambda pk: f"S-{pk}"),
            ("feedback", RequesterFeedback.objects.all(), "author", lambda pk: f"F-{pk}"),
            ("response_note", ResponseNote.objects.all(), "author", lambda pk: f"RN-{pk}"),
        ]
        for kind, qs, person, make_id in sources:
            if kind in ("goal_note",):
                qs = self._scope(qs, "goal__jurisdiction")
            elif kind.endswith("note") or kind in ("summary", "feedback"):
                qs = self._scope(qs, "activity__jurisdiction")
            qs = qs.order_by("pk").values_list("pk", f"{person}__email", "created_at")
            for pk, email, created_at in qs.iterator(chunk_size=CHUNK):
                yield [kind, make_id(pk), email or "", created_at.isoformat()]

    def status_change_rows(self) -> Iterator[list[str]]:
        kinds = {
            ContentType.objects.get_for_model(TAActivity).pk: ("activity", activity_id),
            ContentType.objects.get_for_model(Goal).pk: ("goal", goal_id),
        }
        activity_ids = set(self.activities().values_list("pk", flat=True))
        goal_ids = set(self.goals().values_list("pk", flat=True))
        qs = StatusChange.objects.filter(content_type_id__in=kinds).select_related("actor")
        for c in qs.order_by("changed_at", "pk").iterator(chunk_size=CHUNK):
            kind, make_id = kinds[c.content_type_id]
            if c.object_id not in (activity_ids if kind == "activity" else goal_ids):
                continue
            yield [
                kind,
                make_id(c.object_id),
                c.field,
                c.from_value,
                c.to_value,
                c.reason,
                c.actor.email,
                c.changed_at.isoformat(),
            ]

    def closure_request_rows(self) -> Iterator[list[str]]:
        qs = self._scope(
            GoalClosureRequest.objects.select_related("requested_by", "decided_by"),
            "goal__jurisdiction",
        )
        for r in qs.order_by("pk").iterator(chunk_size=CHUNK):
            yield [
                goal_id(r.goal_id),
                r.reason,
                r.requested_by.email,
                r.requested_at.isoformat(),
                r.status,
                r.decided_by.email if r.decided_by else "",
                r.decided_at.isoformat() if r.decided_at else "",
                r.decision_note,
            ]

    # ---------------------------------------------------------------- writing
    def _write(
        self,
        archive: zipfile.ZipFile,
        name: str,
        header: list[str],
        rows: Iterable[list[str]],
        importable: bool,
    ) -> None:
        count = 0
        with archive.open(name, "w", force_zip64=True) as raw:
            hashing = _HashingWriter(raw)
            text = io.TextIOWrapper(
                io.BufferedWriter(hashing), encoding="utf-8", newline="", write_through=False
            )
            writer = csv.writer(text)
            writer.writerow(header)
            for row in rows:
                writer.writerow([formula_safe(cell) for cell in row])
                count += 1
            text.flush()
            text.detach().flush()
        self.files.append(
            {
                "name": name,
                "rows": count,
                "sha256": hashing.sha256.hexdigest(),
                "importable": importable,
            }
        )

    def _records(
        self, archive: zipfile.ZipFile, kind_name: str, rows: Iterable[dict[str, str]]
    ) -> None:
        kind = KINDS_BY_NAME[kind_name]
        columns = kind_columns(kind)

        def lines() -> Iterator[list[str]]:
            for row in rows:
                row["kind"] = kind_name
                yield [row.get(column, "") for column in columns]

        self._write(archive, f"records/{kind.file_name}", list(columns), lines(), True)

    def write(self, target: IO[bytes]) -> dict[str, Any]:
        """Write the zip to `target`; returns the manifest (also stored in the zip)."""
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            self._records(archive, "requester", self.requester_rows())
            self._records(archive, "goal", self.goal_rows())
            self._records(archive, "strategic_area", self.strategic_area_rows())
            self._records(archive, "goal_note", self.goal_note_rows())
            self._records(archive, "activity", self.activity_rows())
            self._records(
                archive, "plan_note", self._notes(DescriptionNote, "P", {"stage": "stage"})
            )
            self._records(archive, "summary", self._notes(DeliverySummary, "S", {}))
            self._records(
                archive,
                "feedback",
                self._notes(
                    RequesterFeedback,
                    "F",
                    {"giver_name": "giver_name", "giver_title": "giver_title"},
                ),
            )
            self._records(archive, "response_note", self._notes(ResponseNote, "RN", {}))
            self._write(
                archive,
                "history/entries.csv",
                ["kind", "external_id", "entered_by_email", "entered_at"],
                self.entry_rows(),
                False,
            )
            self._write(
                archive,
                "history/status_changes.csv",
                [
                    "kind",
                    "external_id",
                    "field",
                    "from_value",
                    "to_value",
                    "reason",
                    "actor_email",
                    "changed_at",
                ],
                self.status_change_rows(),
                False,
            )
            self._write(
                archive,
                "history/closure_requests.csv",
                [
                    "goal_external_id",
                    "reason",
                    "requested_by_email",
                    "requested_at",
                    "status",
                    "decided_by_email",
                    "decided_at",
                    "decision_note",
                ],
                self.closure_request_rows(),
                False,
            )
            manifest = {
                "format": "tat-export",
                "format_version": FORMAT_VERSION,
                "generated_at": timezone.now().isoformat(),
                "jurisdiction": self.jurisdiction.code if self.jurisdiction else None,
                "import_with": "manage.py import_records <this zip> (records/*.csv)",
                "files": self.files,
                "counts": {f["name"]: f["rows"] for f in self.files},
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        return manifest


def export_records(
    target: IO[bytes], *, jurisdiction: Jurisdiction | None = None
) -> dict[str, Any]:
    """Write the export zip of every record (or one jurisdiction's) to `target`."""
    return Exporter(jurisdiction=jurisdiction).write(target)
