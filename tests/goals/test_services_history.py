"""Goals service layer, the record of changes: the history of goal changes (AU1), stale
versions refused as conflicts (C1), the goal selectors' fixed query counts (H2), and the
admin pages, which show the goal with its history and correct it as a versioned change."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.concurrency import ConflictError
from goals import selectors, services
from goals.models import Goal, Readiness
from tests.factories import TAActivityFactory
from tests.goals.helpers import TODAY, _create

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------ AU1


def test_au1_goal_history_names_who_what_when(sss, admin, goal, other_category):
    before = timezone.now()
    services.goal_update(
        actor=sss,
        goal=goal,
        expected_version=1,
        readiness=Readiness.MOST,
        related_category=other_category,
    )
    services.goal_close(actor=admin, goal=goal, note="All TA complete.")

    entries = selectors.goal_history(goal)

    goal_entries = [e for e in entries if e.object_type == "Goal"]
    assert [e.action for e in goal_entries] == ["changed", "changed", "created"]
    closing, editing, creating = goal_entries
    assert closing.who == admin
    assert ("Status", "Open", "Closed") in closing.changes
    assert closing.reason == "Goal closed"
    assert editing.who == sss
    assert editing.when >= before
    assert ("Readiness to implement", "Somewhat ready", "Most ready") in editing.changes
    assert ("Related goal category", "—", str(other_category)) in editing.changes
    assert creating.who == sss
    assert ("Jurisdiction", "", "Kansas") in creating.changes
    note_entry = next(e for e in entries if e.object_type == "Goal note")
    assert (note_entry.who, note_entry.action) == (admin, "created")
    assert ("Text", "", "All TA complete.") in note_entry.changes


def test_au1_strategic_area_removal_and_note_correction_in_history(sss, goal):
    area = goal.strategic_areas.last()
    services.strategic_area_remove(actor=sss, strategic_area=area)
    note = services.goal_note_add(actor=sss, goal=goal, text="Frist wording")
    services.goal_note_update(
        actor=sss, note=note, text="First wording", note_date=note.note_date, expected_version=1
    )

    entries = selectors.goal_history(goal)

    removed = next(e for e in entries if e.action == "deleted")
    assert (removed.object_type, removed.object_label, removed.who) == (
        "Strategic area",
        area.item.name,
        sss,
    )
    corrected = next(e for e in entries if e.object_type == "Goal note" and e.action == "changed")
    assert corrected.changes == [("Text", "Frist wording", "First wording")]
    assert corrected.who == sss


# ------------------------------------------------------------------------------- C1


def test_c1_stale_goal_update_refused_then_fresh_succeeds(sss, admin, goal):
    services.goal_update(actor=admin, goal=goal, expected_version=1, readiness=Readiness.MOST)

    with pytest.raises(ConflictError) as error:
        services.goal_update(actor=sss, goal=goal, expected_version=1, readiness=Readiness.LEAST)
    assert error.value.current.readiness == Readiness.MOST
    assert "version" in error.value.message_dict
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.MOST, 2)

    saved = services.goal_update(
        actor=sss, goal=goal, expected_version=2, readiness=Readiness.LEAST
    )
    assert (saved.readiness, saved.version) == (Readiness.LEAST, 3)


def test_c1_stale_strategic_area_notes_refused(sss, admin, goal):
    area = goal.strategic_areas.first()
    services.strategic_area_update_notes(
        actor=admin, strategic_area=area, notes="Admin's notes", expected_version=1
    )
    with pytest.raises(ConflictError):
        services.strategic_area_update_notes(
            actor=sss, strategic_area=area, notes="Mine", expected_version=1
        )
    area.refresh_from_db()
    assert (area.notes, area.version) == ("Admin's notes", 2)
    services.strategic_area_update_notes(
        actor=sss, strategic_area=area, notes="Mine", expected_version=2
    )
    area.refresh_from_db()
    assert area.notes == "Mine"


def test_c1_stale_note_update_refused(sss, admin, goal):
    note = services.goal_note_add(actor=sss, goal=goal, text="Original")
    services.goal_note_update(
        actor=admin, note=note, text="By admin", note_date=TODAY(), expected_version=1
    )
    with pytest.raises(ConflictError):
        services.goal_note_update(
            actor=sss, note=note, text="By author", note_date=TODAY(), expected_version=1
        )
    note.refresh_from_db()
    assert note.text == "By admin"


def test_c1_close_with_stale_version_refused(sss, admin, goal):
    services.goal_update(actor=sss, goal=goal, expected_version=1, readiness=Readiness.MOST)
    with pytest.raises(ConflictError):
        services.goal_close(actor=admin, goal=goal, note="Done.", expected_version=1)
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.notes.count() == 0


# ------------------------------------------------------------------------- selectors


def test_h2_goals_for_jurisdiction_in_fixed_queries(
    admin, state, category, other_category, items, other_items, django_assert_num_queries
):
    _create(admin, state, category, items, strategic_areas=items)
    _create(admin, state, other_category, other_items, related_category=category)
    closed = _create(admin, state, category, items, confirm_duplicate_category=True)
    services.goal_close(actor=admin, goal=closed, note="Done.")

    with django_assert_num_queries(2):
        goals = list(selectors.goals_for_jurisdiction(state))
        rows = [
            (
                g.category.number,
                g.status,
                g.related_category,
                [sa.item.name for sa in g.strategic_areas.all()],
            )
            for g in goals
        ]
    assert [row[:2] for row in rows] == [(6, "open"), (7, "open"), (7, "closed")]
    assert rows[0][2] == category
    assert rows[1][3] == [item.name for item in items]


def test_h2_goal_with_details_loads_everything(sss, admin, goal, django_assert_max_num_queries):
    TAActivityFactory(strategic_area=goal.strategic_areas.first())
    services.goal_note_add(actor=sss, goal=goal, text="Update")
    services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    with django_assert_max_num_queries(5):
        loaded = selectors.goal_with_details(goal.pk)
        _ = [
            loaded.jurisdiction.region,
            loaded.category,
            loaded.created_by,
            [sa.item.name for sa in loaded.strategic_areas.all()],
            [n.author.full_name for n in loaded.notes.all()],
            [r.requested_by.full_name for r in loaded.closure_requests.all()],
            [(a.title, a.primary_staff.full_name) for a in loaded.activities.all()],
        ]
    with pytest.raises(Goal.DoesNotExist):
        selectors.goal_with_details(goal.pk + 1000)


# ----------------------------------------------------------------------------- admin


def test_au1_goal_admin_pages_show_goal_inlines_and_history(client, admin, sss, goal):
    admin.is_superuser = True
    admin.save()
    services.goal_note_add(actor=sss, goal=goal, text="An update")
    request = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    client.force_login(admin)

    pages = [
        "/admin/goals/goal/",
        f"/admin/goals/goal/{goal.pk}/change/",
        f"/admin/goals/goal/{goal.pk}/history/",
        "/admin/goals/goalclosurerequest/",
        f"/admin/goals/goalclosurerequest/{request.pk}/change/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    change_page = client.get(f"/admin/goals/goal/{goal.pk}/change/").content.decode()
    assert "An update" in change_page
    assert "Tiered QRIS" in change_page
    # Goals are added through goal_create; closure decisions through the services.
    assert client.get("/admin/goals/goal/add/").status_code == 403
    assert client.get("/admin/goals/goalclosurerequest/add/").status_code == 403


def test_c1_admin_correction_bumps_versions_and_names_the_admin(client, admin, sss, goal):
    admin.is_superuser = True
    admin.save()
    note = services.goal_note_add(actor=sss, goal=goal, text="Typo here")
    areas = list(goal.strategic_areas.all())
    client.force_login(admin)
    data = {
        "jurisdiction": goal.jurisdiction_id,
        "category": goal.category_id,
        "related_category": "",
        "readiness": Readiness.MOST,
        "start_date": goal.start_date.isoformat(),
        "strategic_areas-TOTAL_FORMS": len(areas),
        "strategic_areas-INITIAL_FORMS": len(areas),
        "notes-TOTAL_FORMS": 1,
        "notes-INITIAL_FORMS": 1,
    }
    for i, area in enumerate(areas):
        data |= {
            f"strategic_areas-{i}-id": area.pk,
            f"strategic_areas-{i}-goal": goal.pk,
            f"strategic_areas-{i}-item": area.item_id,
            f"strategic_areas-{i}-notes": area.notes,
        }
    data |= {
        "notes-0-id": note.pk,
        "notes-0-goal": goal.pk,
        "notes-0-note_date": note.note_date.isoformat(),
        "notes-0-kind": note.kind,
        "notes-0-text": "Typo fixed",
    }

    response = client.post(f"/admin/goals/goal/{goal.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    note.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.MOST, 2)
    assert (note.text, note.version, note.author) == ("Typo fixed", 2, sss)
    assert goal.history.first().history_user == admin
    assert note.history.first().history_user == admin
    with pytest.raises(ConflictError):
        services.goal_update(actor=sss, goal=goal, expected_version=1, readiness="least")
