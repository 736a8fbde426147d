"""The admin is no side door around the activity rules: its change form runs
`activity_update`'s checks (A1 focus from the goal category, A13 read-only), shows their
refusals and saves nothing refused; a valid correction is saved by the service, with a
version bump (C1) and history naming the administrator (AU1). Notes are read-only there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from activities import services
from activities.models import Priority, TAActivity

pytestmark = pytest.mark.django_db

RAW_ID_FIELDS = {"requesters", "primary_staff", "collaborating_staff"}


@pytest.fixture
def admin_web(client: Client, world) -> Client:
    # Issue 10: the stock admin is for superusers only.
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    return client


def _url(activity: TAActivity) -> str:
    return reverse("admin:activities_taactivity_change", args=[activity.pk])


def _as_posted(name: str, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple) and name in RAW_ID_FIELDS:
        return ",".join(str(item) for item in value)
    return value


def _change_form_data(response: Any) -> dict[str, Any]:
    """What the change form would post back untouched: its fields and its inlines."""
    assert response.status_code == 200
    data: dict[str, Any] = {}
    forms = [(response.context["adminform"].form, "")]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        forms += [(form, form.prefix + "-") for form in formset.forms]
    for bound_form, prefix in forms:
        for name in bound_form.fields:
            value = bound_form[name].value()
            if value is False:
                continue
            data[f"{prefix}{name}"] = "on" if value is True else _as_posted(name, value)
    return data


def test_a1_admin_cannot_save_focus_from_another_category(admin_web, world, activity):
    data = _change_form_data(admin_web.get(_url(activity)))
    data["focus"] = str(world.focus_elsewhere.pk)
    response = admin_web.post(_url(activity), data)
    assert response.status_code == 200  # the form again, with the refusal
    expected = services.FOCUS_NOT_IN_CATEGORY.format(
        focus=world.focus_elsewhere, category=world.category.name
    )
    assert expected in response.content.decode()
    stored = TAActivity.objects.get(pk=activity.pk)
    assert (stored.focus_id, stored.version) == (world.focus.pk, activity.version)
    assert stored.history.count() == activity.history.count()


def test_a4_admin_cannot_name_a_requester_from_another_region(admin_web, world, activity):
    data = _change_form_data(admin_web.get(_url(activity)))
    data["requesters"] = str(world.faraway_requester.pk)
    response = admin_web.post(_url(activity), data)
    assert response.status_code == 200
    assert "is not a contact of" in response.content.decode()
    assert list(TAActivity.objects.get(pk=activity.pk).requesters.all()) == [world.requester]


def test_a13_admin_cannot_edit_a_cancelled_activity(admin_web, world, activity):
    services.activity_cancel(actor=world.admin, activity=activity, reason="Not needed.")
    cancelled = TAActivity.objects.get(pk=activity.pk)
    data = _change_form_data(admin_web.get(_url(cancelled)))
    data["priority"] = Priority.LOW
    response = admin_web.post(_url(cancelled), data)
    assert response.status_code == 200
    assert "read-only" in response.content.decode()
    stored = TAActivity.objects.get(pk=activity.pk)
    assert (stored.priority, stored.version) == (Priority.HIGH, cancelled.version)


def test_admin_edit_saves_through_the_service_with_history(admin_web, world, activity):
    history_before = activity.history.count()
    data = _change_form_data(admin_web.get(_url(activity)))
    data["priority"] = Priority.LOW
    data["collaborating_staff"] = f"{world.collaborator.pk},{world.other_staff.pk}"
    response = admin_web.post(_url(activity), data)
    assert response.status_code == 302
    stored = TAActivity.objects.get(pk=activity.pk)
    assert stored.priority == Priority.LOW
    assert set(stored.collaborating_staff.all()) == {world.collaborator, world.other_staff}
    assert stored.version == activity.version + 1
    # One history row for the record and its many-to-many sets, naming the admin (AU1).
    assert stored.history.count() == history_before + 1
    assert stored.history.first().history_user == world.admin


def test_admin_shows_notes_read_only(admin_web, world, activity):
    world.admin.is_superuser = True  # sees every inline
    world.admin.save()
    services.response_note_add(actor=world.primary, activity=activity, text="Called the State.")
    page = admin_web.get(_url(activity)).content.decode()
    assert "Called the State." in page
    assert 'name="response_notes-0-text"' not in page
