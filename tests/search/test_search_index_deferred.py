"""S1's full-text index during a bulk write (issue 11, the importer): inside
`search_index_deferred` note saves only note their activity; when the block ends each noted
activity's document is rewritten once, and matches as if refreshed note by note."""

from __future__ import annotations

import datetime as dt

import pytest

from activities import services as activity_services
from activities.models import TAActivity
from search import fulltext
from search.models import ActivitySearchDocument
from search.services import search_index_deferred
from tests.factories_activities import World, build_world, create_activity


@pytest.fixture
def world(db: None) -> World:
    """The activities world (tests/search/conftest.py's `world` is the search one)."""
    return build_world()


@pytest.fixture
def activity(world: World) -> TAActivity:
    return create_activity(world)


def document(activity: TAActivity) -> str:
    found = ActivitySearchDocument.objects.filter(activity=activity).first()
    return found.document if found else ""


def add_note(world: World, activity: TAActivity, text: str) -> None:
    activity_services.response_note_add(
        actor=world.primary, activity=activity, text=text, note_date=dt.date.today()
    )


def test_s1_deferred_block_refreshes_each_activity_once_at_the_end(
    world: World, activity: TAActivity, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = fulltext.refresh_activity

    def counting(activity_id: int, *, using: str = "default") -> None:
        calls.append(activity_id)
        real(activity_id, using=using)

    monkeypatch.setattr(fulltext, "refresh_activity", counting)
    with search_index_deferred():
        for word in ("quokka", "numbat", "bilby"):
            add_note(world, activity, f"Talked about the {word} programme")
        assert calls == []  # nothing rewritten yet
        assert "quokka" not in document(activity)
    assert calls == [activity.pk]
    assert all(word in document(activity) for word in ("quokka", "numbat", "bilby"))


def test_s1_without_the_block_every_note_refreshes_at_once(
    world: World, activity: TAActivity
) -> None:
    add_note(world, activity, "A note about the wallaby visit")
    assert "wallaby" in document(activity)


def test_s1_nested_blocks_refresh_once_when_the_outer_one_ends(
    world: World, activity: TAActivity
) -> None:
    with search_index_deferred():
        with search_index_deferred():
            add_note(world, activity, "The echidna plan")
        assert "echidna" not in document(activity)
    assert "echidna" in document(activity)


def test_s1_an_error_in_the_block_refreshes_nothing(world: World, activity: TAActivity) -> None:
    before = document(activity)
    with pytest.raises(RuntimeError), search_index_deferred():
        add_note(world, activity, "The platypus plan")
        raise RuntimeError("abandon the write")
    assert document(activity) == before
