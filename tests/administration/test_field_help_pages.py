"""Issue 10 and HL1: administrators edit the field help on the product's own pages; the
forms show the new wording; bad input names the field; C1 and history (AU1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reference.models import FieldHelp
from reference.services import field_help_update
from tests.factories import AdminFactory
from tests.factories_activities import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db) -> FieldHelp:
    return FieldHelp.objects.create(
        key="goal.start_date",
        label="Start date",
        definition="The date the goal starts.",
        best_practice="Use an approximate date if needed.",
    )


def _edit(entry: FieldHelp) -> str:
    return reverse("administration:help_edit", args=[entry.pk])


def _post(entry: FieldHelp, **values: str) -> dict[str, str]:
    data = {
        "label": entry.label,
        "definition": entry.definition,
        "best_practice": entry.best_practice,
        "version": str(entry.version),
    }
    data.update(values)
    return data


def test_hl1_help_list_shows_every_entry(client, world: World, entry: FieldHelp) -> None:
    client.force_login(world.admin)
    page = client.get(reverse("administration:help_list")).content.decode()
    assert "goal.start_date" in page and "Start date" in page
    assert _edit(entry) in page


def test_hl1_only_administrators_edit_help(client, world: World, entry: FieldHelp) -> None:
    client.force_login(world.sss)
    assert client.get(reverse("administration:help_list")).status_code == 403
    assert client.post(_edit(entry), _post(entry, label="Hacked")).status_code == 403
    entry.refresh_from_db()
    assert entry.label == "Start date"


def test_hl1_edited_help_shows_on_the_form(client, world: World, entry: FieldHelp) -> None:
    client.force_login(world.admin)
    new = "The date the State began working toward this goal."
    response = client.post(_edit(entry), _post(entry, definition=new))
    assert response.status_code == 302
    assert "was saved" in client.get(response["Location"]).content.decode()
    goal_form = client.get(
        f"{reverse('goals:create')}?jurisdiction={world.jurisdiction.code}"
    ).content.decode()
    assert new in goal_form


def test_hl1_bad_input_names_the_field(client, world: World, entry: FieldHelp, settings) -> None:
    settings.TAT_TEXT_MAX_LENGTH = 40
    client.force_login(world.admin)
    response = client.post(_edit(entry), _post(entry, label="", best_practice="y" * 41))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error:" in page
    assert "This field is required." in page
    assert "at most 40 characters" in page
    entry.refresh_from_db()
    assert entry.label == "Start date" and entry.version == 1


def test_c1_stale_help_edit_shows_what_changed(client, world: World, entry: FieldHelp) -> None:
    stale = entry.version
    field_help_update(
        entry=entry,
        actor=AdminFactory(full_name="Olga Other"),
        data={"label": "Start", "definition": "Theirs.", "best_practice": ""},
        expected_version=stale,
    )
    client.force_login(world.admin)
    response = client.post(_edit(entry), _post(entry, definition="Mine.", version=str(stale)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What changed since you opened this form" in page
    assert "Olga Other" in page and "Theirs." in page
    assert "Mine." in page
    entry.refresh_from_db()
    assert entry.definition == "Theirs."


def test_au1_help_history_on_the_edit_page(client, world: World, entry: FieldHelp) -> None:
    client.force_login(world.admin)
    client.post(_edit(entry), _post(entry, definition="Newer wording."))
    page = client.get(_edit(entry)).content.decode()
    assert "History" in page
    assert world.admin.full_name in page
    assert "Newer wording." in page
    assert FieldHelp.history.filter(key=entry.key).count() == 2
