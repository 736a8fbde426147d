"""Issue 11: an export of the demo data imports back into an empty database, record for
record (`export_records` → `import_records`)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import User
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from goals.models import Goal, GoalNote
from transfer.exporter import export_records
from transfer.importer import import_rows
from transfer.models import ImportedRecord
from transfer.reading import read_rows


def _notes(qs: Any, *fields: str) -> list[tuple]:
    return sorted(tuple(str(getattr(n, f)) for f in ("note_date", "text", *fields)) for n in qs)


def snapshot() -> dict[str, Any]:
    """Every record by what it means (ids differ after a re-import; dates must not)."""
    requesters = sorted(
        (
            r.email,
            r.name,
            r.title,
            str(r.jurisdiction_id),
            str(r.region_id),
            r.approved_by,
            r.approved_by_name,
        )
        for r in Requester.objects.all()
    )
    goals = {}
    for g in Goal.objects.all():
        key = (g.jurisdiction.code, g.category.number, str(g.start_date), g.readiness)
        goals.setdefault(key, []).append(
            {
                "related": g.related_category_id,
                "approximate": g.start_date_is_approximate,
                "status": g.status,
                "areas": sorted((sa.item.key, sa.notes) for sa in g.strategic_areas.all()),
                # goal_close dates the closing note the day it runs (docs/import.md).
                "notes": sorted(
                    (n.kind, "" if n.kind == "completion" else str(n.note_date), n.text)
                    for n in g.notes.all()
                ),
            }
        )
    activities = []
    for a in TAActivity.objects.all():
        activities.append(
            (
                a.jurisdiction.code,
                a.goal.category.number if a.goal else None,
                a.strategic_area.item.key if a.strategic_area else None,
                a.focus.key,
                a.other_focus_notes,
                str(a.date_opened),
                a.priority,
                a.activity_type,
                a.status,
                a.primary_center.code,
                a.primary_staff.email,
                tuple(sorted(r.email for r in a.requesters.all())),
                tuple(sorted(c.code for c in a.collaborating_centers.all())),
                tuple(sorted(u.email for u in a.collaborating_staff.all())),
                tuple(sorted(c.key for c in a.other_collaborators.all())),
                a.other_collaborators_details,
                a.outcome_plan,
                a.outcome_report,
                a.requested_by_ccdf_administrator,
                a.requester_approver_role,
                a.requester_approver_name,
                str(a.requester_approval_date),
                a.cor_name,
                str(a.cor_approval_date),
                a.completion_status,
                # A cancelled activity's completion date is the day it was cancelled: the
                # service dates it (docs/import.md), so only closed ones keep theirs.
                str(a.completion_date) if a.completion_status != "cancelled" else "",
                tuple(_notes(DescriptionNote.objects.filter(activity=a), "stage")),
                tuple(
                    sorted(
                        (
                            str(s.note_date),
                            s.text,
                            str(s.due_date),
                            tuple(sorted(m.key for m in s.delivery_methods.all())),
                            tuple(sorted(t.key for t in s.ta_types.all())),
                        )
                        for s in DeliverySummary.objects.filter(activity=a)
                    )
                ),
                tuple(
                    _notes(
                        RequesterFeedback.objects.filter(activity=a), "giver_name", "giver_title"
                    )
                ),
                tuple(_notes(ResponseNote.objects.filter(activity=a))),
            )
        )
    return {"requesters": requesters, "goals": goals, "activities": sorted(activities, key=repr)}


def wipe_records() -> None:
    """An empty database but for the reference lists and the people."""
    for model in (TAActivity, GoalNote, Goal, Requester, ImportedRecord):
        model.objects.all().delete()


@pytest.mark.django_db(transaction=False)
def test_export_of_demo_data_imports_back_record_for_record(settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    before = snapshot()
    assert before["activities"], "the demo data should have activities"

    buffer = io.BytesIO()
    manifest = export_records(buffer)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    stored = json.loads(archive.read("manifest.json"))
    assert stored["counts"]["records/activities.csv"] == TAActivity.objects.count()
    import hashlib

    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]

    wipe_records()
    admin = User.objects.filter(is_tat_admin=True).first()
    rows = read_rows(io.BytesIO(buffer.getvalue()), "export.zip")
    result = import_rows(rows, actor=admin, commit=True)
    assert result.errors == []
    assert result.committed
    after = snapshot()
    assert after["requesters"] == before["requesters"]
    for key in before["goals"]:
        assert after["goals"].get(key) == before["goals"][key], key
    assert after["activities"] == before["activities"]
