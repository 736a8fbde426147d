"""Goal pages, the goal itself (G1–G3): creating and editing a goal, its strategic areas and
notes through the pages (errors named at the field, nothing typed lost), the duplicate
category choice, and who may add a goal, with the State's SSS notified on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from goals import services
from goals.forms import CONFIRM_SECOND_GOAL_REQUIRED, RELATED_SAME
from goals.models import Goal, GoalNote, Readiness
from tests.factories import TAActivityFactory
from tests.goals import helpers
from tests.goals.helpers import _create_data, _create_url, _edit_data, _errors

pytestmark = pytest.mark.django_db

goal = helpers.page_goal
other_items = helpers.page_other_items


# ----------------------------------------------------------------------------------- G1


def test_g1_sss_creates_goal_with_two_strategic_areas_notes_and_update_note(
    client, sss, state, category, items, other_category
):
    client.force_login(sss)
    response = client.get(_create_url())
    assert response.status_code == 200
    data = _create_data(
        category,
        items[:2],
        related_category=str(other_category.pk),
        start_date_is_approximate="on",
        update_note="Goal agreed with the Lead Agency.",
        **{f"notes_{items[0].pk}": "Infant and toddler programs first."},
    )
    response = client.post(_create_url(), data)
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:detail", args=[goal.pk])
    assert goal.jurisdiction == state
    assert goal.related_category == other_category
    assert goal.readiness == Readiness.MOST
    assert goal.start_date_is_approximate
    areas = {sa.item.name: sa.notes for sa in goal.strategic_areas.all()}
    assert areas == {
        "Tiered QRIS": "Infant and toddler programs first.",
        "Evaluating program quality": "",
    }
    note = goal.notes.get()
    assert note.text == "Goal agreed with the Lead Agency."
    assert note.note_date == timezone.localdate()


def test_g1_related_category_equal_to_category_refused_at_field_keeping_input(
    client, sss, category, items
):
    client.force_login(sss)
    data = _create_data(
        category,
        items[:1],
        related_category=str(category.pk),
        update_note="Typed words survive.",
        **{f"notes_{items[0].pk}": "My careful notes."},
    )
    response = client.post(_create_url(), data)
    assert response.status_code == 200
    assert _errors(response, "related_category") == [RELATED_SAME]
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "My careful notes." in html
    assert "Typed words survive." in html
    assert Goal.objects.count() == 0


def test_g1_strategic_area_required_named_at_field(client, sss, category, items):
    client.force_login(sss)
    response = client.post(_create_url(), _create_data(category, []))
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    assert 'href="#id_strategic_areas_0"' in response.content.decode()
    assert Goal.objects.count() == 0


def test_g1_strategic_area_from_another_category_refused(client, sss, category, items, other_items):
    client.force_login(sss)
    data = _create_data(category, items[:1])
    data["strategic_areas"].append(str(other_items[0].pk))
    response = client.post(_create_url(), data)
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    assert Goal.objects.count() == 0


def test_g1_service_errors_are_named_at_the_field(client, sss, category, items):
    client.force_login(sss)
    far = (timezone.localdate() + dt.timedelta(days=800)).isoformat()
    response = client.post(_create_url(), _create_data(category, items[:1], start_date=far))
    assert response.status_code == 200
    assert "more than a year in the future" in _errors(response, "start_date")[0]
    assert Goal.objects.count() == 0


def test_g1_strategic_area_list_follows_category_without_reload(
    client, sss, category, items, other_items
):
    client.force_login(sss)
    form_html = client.get(_create_url()).content.decode()
    assert 'hx-get="/goals/strategic-area-options/"' in form_html
    assert 'hx-target="#strategic-area-options"' in form_html
    response = client.get(
        reverse("goals:strategic_area_options"),
        {"category": other_items[0].category_id},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Credentials" in html and "Compensation" in html
    assert "Tiered QRIS" not in html
    assert "<html" not in html  # a fragment


def test_g1_strategic_area_list_works_without_javascript(client, sss, category, items):
    client.force_login(sss)
    html = client.get(_create_url()).content.decode()
    assert 'name="show_areas"' in html and "data-tat-no-js" in html
    assert "Tiered QRIS" not in html
    response = client.post(
        _create_url(),
        {"show_areas": "1", "category": str(category.pk), "readiness": Readiness.LEAST},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiered QRIS" in html and "Accreditation supports" in html
    assert 'id="error-summary"' not in html  # not yet a save: no complaints
    assert (
        'value="least" checked' in html
        or 'checked value="least"' in html
        or (response.context["form"]["readiness"].value() == "least")
    )
    assert Goal.objects.count() == 0


def test_g1_edit_goal_fields(client, goal, sss, other_category):
    client.force_login(sss)
    response = client.get(reverse("goals:edit", args=[goal.pk]))
    assert response.status_code == 200
    assert f'name="version" value="{goal.version}"' in response.content.decode()
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        _edit_data(goal, readiness=Readiness.MOST, related_category=str(other_category.pk)),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.readiness == Readiness.MOST
    assert goal.related_category == other_category
    assert goal.version == 2


def test_g1_edit_category_change_replaces_strategic_areas(
    client, goal, sss, other_category, other_items
):
    client.force_login(sss)
    url = reverse("goals:edit", args=[goal.pk])
    response = client.post(url, _edit_data(goal, category=str(other_category.pk)))
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    response = client.post(
        url,
        _edit_data(
            goal,
            category=str(other_category.pk),
            strategic_areas=[str(other_items[1].pk)],
            **{f"notes_{other_items[1].pk}": "Wage supplements."},
        ),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.category == other_category
    assert [(sa.item.name, sa.notes) for sa in goal.strategic_areas.all()] == [
        ("Compensation", "Wage supplements.")
    ]


def test_g1_edit_category_locked_once_activities_exist(client, goal, sss, other_category):
    TAActivityFactory(strategic_area=goal.strategic_areas.get())
    client.force_login(sss)
    url = reverse("goals:edit", args=[goal.pk])
    html = client.get(url).content.decode()
    assert "The goal category cannot change" in html
    response = client.post(url, _edit_data(goal, category=str(other_category.pk)))
    assert response.status_code == 302  # the disabled field keeps the stored category
    goal.refresh_from_db()
    assert goal.category.number == 7


def test_g1_add_strategic_areas_to_goal(client, goal, sss, items):
    client.force_login(sss)
    url = reverse("goals:add_strategic_area", args=[goal.pk])
    html = client.get(url).content.decode()
    assert "Evaluating program quality" in html
    assert f'value="{items[0].pk}"' not in html  # already on the goal: not offered
    response = client.post(
        url,
        {
            "strategic_areas": [str(items[1].pk), str(items[2].pk)],
            f"notes_{items[2].pk}": "Accreditation fee support.",
        },
    )
    assert response.status_code == 302
    assert {sa.item.name: sa.notes for sa in goal.strategic_areas.all()} == {
        "Tiered QRIS": "Focus on infant and toddler programs.",
        "Evaluating program quality": "",
        "Accreditation supports": "Accreditation fee support.",
    }


def test_g1_add_strategic_areas_requires_a_choice(client, goal, sss):
    client.force_login(sss)
    response = client.post(reverse("goals:add_strategic_area", args=[goal.pk]), {})
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    assert goal.strategic_areas.count() == 1


def test_g1_edit_strategic_area_notes(client, goal, sss):
    area = goal.strategic_areas.get()
    client.force_login(sss)
    response = client.post(
        reverse("goals:edit_strategic_area", args=[area.pk]),
        {"notes": "Now preschool too.", "version": str(area.version)},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.notes == "Now preschool too."


def test_g1_remove_strategic_area_refused_for_the_last_one(client, goal, sss):
    area = goal.strategic_areas.get()
    client.force_login(sss)
    response = client.post(reverse("goals:remove_strategic_area", args=[area.pk]), follow=True)
    assert "A goal needs at least one strategic area" in response.content.decode()
    assert goal.strategic_areas.count() == 1


def test_g1_remove_strategic_area(client, goal, sss, items):
    extra = services.strategic_area_add(actor=sss, goal=goal, item=items[2])
    client.force_login(sss)
    response = client.post(reverse("goals:remove_strategic_area", args=[extra.pk]))
    assert response.status_code == 302
    assert list(goal.strategic_areas.values_list("item__name", flat=True)) == ["Tiered QRIS"]


def test_g1_dated_goal_update_note(client, goal, sss):
    client.force_login(sss)
    url = reverse("goals:add_note", args=[goal.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        url, {"note_date": yesterday.isoformat(), "text": "State wants only infant/toddler ELGs."}
    )
    assert response.status_code == 302
    note = goal.notes.get()
    assert (note.note_date, note.author, note.kind) == (yesterday, sss, GoalNote.Kind.UPDATE)
    detail = client.get(reverse("goals:detail", args=[goal.pk])).content.decode()
    assert yesterday.strftime("%m/%d/%y") in detail
    assert "State wants only infant/toddler ELGs." in detail


def test_g1_note_in_future_refused_at_field_keeping_text(client, goal, sss):
    client.force_login(sss)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("goals:add_note", args=[goal.pk]),
        {"note_date": tomorrow.isoformat(), "text": "Words I typed."},
    )
    assert response.status_code == 200
    assert _errors(response, "note_date") == [services.NOTE_DATE_IN_FUTURE]
    assert "Words I typed." in response.content.decode()
    assert goal.notes.count() == 0


def test_g1_closed_goal_is_read_only_for_non_admins(client, closed_goal, sss):
    client.force_login(sss)
    response = client.get(reverse("goals:edit", args=[closed_goal.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:detail", args=[closed_goal.pk])


# ----------------------------------------------------------------------------------- G2


def test_g2_duplicate_category_shows_existing_goal_and_both_ways(client, goal, sss, items):
    client.force_login(sss)
    response = client.post(_create_url(), _create_data(goal.category, items[1:3]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has an open goal in this category" in html
    assert reverse("goals:detail", args=[goal.pk]) in html
    assert "Tiered QRIS" in html  # the existing goal's strategic areas
    assert "Add these strategic areas to the existing goal" in html
    assert "Create a second goal anyway" in html
    assert 'name="confirm_second_goal"' in html
    assert Goal.objects.count() == 1


def test_g2_add_strategic_areas_to_the_existing_goal(client, goal, sss, items):
    client.force_login(sss)
    data = _create_data(
        goal.category,
        [items[0], items[1]],
        add_to_goal=str(goal.pk),
        update_note="Work widened to program evaluation.",
        **{f"notes_{items[1].pk}": "Validation study."},
    )
    response = client.post(_create_url(), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:detail", args=[goal.pk])
    assert Goal.objects.count() == 1
    assert {sa.item.name: sa.notes for sa in goal.strategic_areas.all()} == {
        "Tiered QRIS": "Focus on infant and toddler programs.",
        "Evaluating program quality": "Validation study.",
    }
    assert goal.notes.get().text == "Work widened to program evaluation."


def test_g2_second_goal_needs_the_explicit_confirmation(client, goal, sss, items):
    client.force_login(sss)
    data = _create_data(goal.category, items[1:2], action="create_second")
    response = client.post(_create_url(), data)
    assert response.status_code == 200
    assert _errors(response, "confirm_second_goal") == [CONFIRM_SECOND_GOAL_REQUIRED]
    assert Goal.objects.count() == 1
    response = client.post(_create_url(), {**data, "confirm_second_goal": "on"})
    assert response.status_code == 302
    assert Goal.objects.filter(category=goal.category, status=Goal.Status.OPEN).count() == 2


def test_g2_staff_who_may_not_edit_the_existing_goal_is_not_offered_to_add_to_it(
    client, goal, staff, items
):
    client.force_login(staff)
    response = client.post(_create_url(), _create_data(goal.category, items[1:2]))
    html = response.content.decode()
    assert "already has an open goal in this category" in html
    assert "Add these strategic areas to the existing goal" not in html
    assert "State Systems Specialist to add the strategic areas" in html
    assert "Create a second goal anyway" in html
    response = client.post(
        _create_url(), _create_data(goal.category, items[1:2], add_to_goal=str(goal.pk))
    )
    assert response.status_code == 403
    assert goal.strategic_areas.count() == 1


def test_g2_changing_category_to_one_with_an_open_goal_needs_confirmation(
    client, goal, sss, state, other_category, other_items
):
    other_goal = services.goal_create(
        actor=sss,
        jurisdiction=state,
        category=other_category,
        readiness=Readiness.LEAST,
        strategic_areas=[other_items[0]],
    )
    client.force_login(sss)
    url = reverse("goals:edit", args=[goal.pk])
    data = _edit_data(
        goal, category=str(other_category.pk), strategic_areas=[str(other_items[1].pk)]
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [other_goal]
    assert "Save with the new category anyway" in response.content.decode()
    response = client.post(url, {**data, "action": "create_second"})
    assert _errors(response, "confirm_second_goal") == [CONFIRM_SECOND_GOAL_REQUIRED]
    goal.refresh_from_db()
    assert goal.category_id != other_category.pk
    response = client.post(url, {**data, "action": "create_second", "confirm_second_goal": "on"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.category == other_category


# ----------------------------------------------------------------------------------- G3


def test_g3_staff_member_adds_goal_and_sss_is_notified_on_home(
    client, staff, sss, state, category, items
):
    client.force_login(staff)
    response = client.post(_create_url(), _create_data(category, items[:1]))
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=sss)
    assert "Kansas" in notification.message

    client.force_login(sss)
    home = client.get(reverse("workspace:home")).content.decode()
    assert notification.message in home
    response = client.post(reverse("workspace:notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert notification.message not in client.get(reverse("workspace:home")).content.decode()


def test_g3_notification_of_someone_else_cannot_be_marked(client, staff, sss):
    notification = Notification.objects.create(recipient=sss, message="For Sam only.")
    client.force_login(staff)
    response = client.post(reverse("workspace:notification_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_g3_federal_viewer_cannot_add_goal(client, viewer, category, items, state):
    client.force_login(viewer)
    assert client.get(_create_url()).status_code == 403
    assert client.post(_create_url(), _create_data(category, items[:1])).status_code == 403
    assert Goal.objects.count() == 0
