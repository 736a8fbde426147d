"""The admin is no side door around the goal rules: its change form runs the goals
services (G1 categories and dates, G4 closure with open TA activities), shows their
refusals, and saves nothing refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.status import status_changes_for
from goals import services
from goals.models import Goal, GoalNote, Readiness
from tests.factories import (
    AdminFactory,
    GoalCategoryFactory,
    JurisdictionFactory,
    SSSFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    # Issue 10: the stock admin is for superusers only.
    return AdminFactory(full_name="Ada Admin", is_superuser=True)


@pytest.fixture
def admin_web(client: Client, admin_user) -> Client:
    client.force_login(admin_user)
    return client


@pytest.fixture
def goal(admin_user):
    state = JurisdictionFactory(code="KS", name="Kansas")
    category = GoalCategoryFactory(number=7, name="Support continuous quality improvement")
    item = StrategicAreaItemFactory(category=category, name="Tiered QRIS")
    sss = SSSFactory(jurisdictions=[state])
    goal = services.goal_create(
        actor=sss,
        jurisdiction=state,
        category=category,
        readiness=Readiness.SOMEWHAT,
        strategic_areas=[item],
        update_note="Agreed at the spring meeting.",
    )
    return goal


def _url(goal: Goal) -> str:
    return reverse("admin:goals_goal_change", args=[goal.pk])


def _as_posted(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _change_form_data(response: Any) -> dict[str, Any]:
    """What the change form would post back untouched: its fields and its inlines."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    forms = [(form, "")]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        forms += [(f, f.prefix + "-") for f in formset.forms]
    for bound_form, prefix in forms:
        for name in bound_form.fields:
            value = bound_form[name].value()
            if value is False:
                continue
            data[f"{prefix}{name}"] = "on" if value is True else _as_posted(value)
    return data


def test_g4_admin_cannot_close_goal_with_open_activities_in_admin(admin_web, goal):
    activity = TAActivityFactory(strategic_area=goal.strategic_areas.get())
    data = _change_form_data(admin_web.get(_url(goal)))
    data.update(status=Goal.Status.CLOSED, status_note="All done.")
    response = admin_web.post(_url(goal), data)
    assert response.status_code == 200  # the form again, with the refusal
    page = response.content.decode()
    assert "The goal cannot be closed while TA activities under it are open" in page
    assert activity.title in page
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (Goal.Status.OPEN, 1)
    assert not goal.notes.filter(kind=GoalNote.Kind.COMPLETION).exists()


def test_g4_admin_closes_goal_through_the_service_with_its_note(admin_web, admin_user, goal):
    data = _change_form_data(admin_web.get(_url(goal)))
    data.update(status=Goal.Status.CLOSED, status_note="")
    response = admin_web.post(_url(goal), data)
    assert response.status_code == 200
    assert services.CLOSE_NOTE_REQUIRED in response.content.decode()

    data["status_note"] = "Work finished with the State."
    assert admin_web.post(_url(goal), data).status_code == 302
    goal.refresh_from_db()
    assert goal.status == Goal.Status.CLOSED and goal.closed_by == admin_user
    assert goal.notes.get(kind=GoalNote.Kind.COMPLETION).text == "Work finished with the State."
    assert status_changes_for(goal).get().to_value == Goal.Status.CLOSED


def test_g1_admin_cannot_set_related_category_equal_to_category(admin_web, goal):
    data = _change_form_data(admin_web.get(_url(goal)))
    data["related_category"] = str(goal.category_id)
    response = admin_web.post(_url(goal), data)
    assert response.status_code == 200
    assert services.RELATED_SAME in response.content.decode()
    goal.refresh_from_db()
    assert (goal.related_category_id, goal.version) == (None, 1)


def test_g1_admin_cannot_date_a_goal_note_in_the_future(admin_web, goal):
    data = _change_form_data(admin_web.get(_url(goal)))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data["notes-0-note_date"] = tomorrow.isoformat()
    response = admin_web.post(_url(goal), data)
    assert response.status_code == 200
    assert services.NOTE_DATE_IN_FUTURE in response.content.decode()
    assert goal.notes.get().note_date == timezone.localdate()


def test_admin_correction_goes_through_the_service_with_history(admin_web, admin_user, goal):
    data = _change_form_data(admin_web.get(_url(goal)))
    data["readiness"] = Readiness.MOST
    data["notes-0-text"] = "Agreed at the spring meeting in Topeka."
    assert admin_web.post(_url(goal), data).status_code == 302
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.MOST, 2)
    assert goal.history.first().history_user == admin_user
    note = goal.notes.get()
    assert (note.text, note.version) == ("Agreed at the spring meeting in Topeka.", 2)
    assert note.history.first().history_user == admin_user


def test_category_and_strategic_areas_are_read_only_in_the_admin(admin_web, goal):
    other = GoalCategoryFactory(number=6, name="Recruit and retain a qualified workforce")
    data = _change_form_data(admin_web.get(_url(goal)))
    data["category"] = str(other.pk)
    assert admin_web.post(_url(goal), data).status_code == 302
    goal.refresh_from_db()
    assert goal.category_id != other.pk
