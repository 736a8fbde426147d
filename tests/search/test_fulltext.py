"""S1 text criterion: a real full-text index over every kind of note, kept current when notes
are added, edited or deleted, rebuilt in bulk by `rebuild_search_index`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from search import fulltext
from search.criteria import SearchCriteria
from search.models import ActivitySearchDocument
from search.selectors import activities_for_search
from tests.factories import TAActivityFactory
from tests.search.helpers import D, _note

NOTE_KINDS = [
    (DescriptionNote, {"stage": "initial"}),
    (DeliverySummary, {}),
    (RequesterFeedback, {"giver_name": "Dana Director", "giver_title": "Administrator"}),
    (ResponseNote, {}),
]


def matches(text: str) -> set[int]:
    return set(activities_for_search(SearchCriteria(text=text)).values_list("pk", flat=True))


def test_s1_full_text_index_exists_for_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [fulltext.FTS_TABLE])
            assert "fts5" in cursor.fetchone()[0].lower()
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [fulltext.PG_GIN_INDEX]
            )
            assert "gin" in cursor.fetchone()[0].lower()


@pytest.mark.parametrize(("model", "extra"), NOTE_KINDS, ids=[m.__name__ for m, _ in NOTE_KINDS])
def test_s1_text_matches_every_kind_of_note(world, model, extra):
    _note(model, world.related, "Discussed the zyxwv licensing backlog", D(2025, 10, 1), **extra)
    assert matches("zyxwv") == {world.related.pk}
    assert matches("ZYXWV backlog") == {world.related.pk}  # every word, any case
    assert matches("zyxwv unrelatedword") == set()


def test_s1_text_matches_other_focus_notes(world):
    assert matches("cost modeling") == {world.rates.pk}
    world.rates.other_focus_notes = "Territory asked about shared services"
    world.rates.save()
    assert matches("cost modeling") == set()
    assert matches("shared services") == {world.rates.pk}


def test_s1_text_matches_word_forms(world):
    # "visit" (searched) ~ "visit" in "an onsite visit"; "webinars" ~ "webinar" (stemming).
    assert matches("visits") == {world.qris.pk}
    assert matches("webinars") == {world.rates.pk}


def test_s1_index_follows_note_add_edit_delete(world):
    assert matches("kangaroo") == set()
    note = _note(ResponseNote, world.qris, "Kangaroo court avoided", D(2025, 4, 1))
    assert matches("kangaroo") == {world.qris.pk}
    note.text = "Wombat committee met"
    note.save()
    assert matches("kangaroo") == set()
    assert matches("wombat") == {world.qris.pk}
    assert matches("peer learning") == {world.qris.pk}  # the other notes are still there
    note.delete()
    assert matches("wombat") == set()
    assert matches("peer learning") == {world.qris.pk}


def test_s1_index_follows_notes_added_by_the_activity_services(world):
    from activities import services

    services.response_note_add(
        actor=world.bob, activity=world.rates, text="Platypus planning call with the State"
    )
    assert matches("platypus") == {world.rates.pk}


def test_s1_deleting_an_activity_removes_its_document(world):
    activity = TAActivityFactory(strategic_area=world.qris.strategic_area, focus=world.qris_focus)
    _note(ResponseNote, activity, "Ocelot", D(2025, 4, 1))
    assert matches("ocelot") == {activity.pk}
    pk = activity.pk
    activity.delete()
    assert not ActivitySearchDocument.objects.filter(activity_id=pk).exists()
    assert matches("ocelot") == set()


def test_s1_text_in_user_input_is_never_query_syntax(world):
    for text in [
        '"unbalanced',
        "NEAR(a b)",
        "qris OR webinar",
        "col:umn",
        "a*",
        "-webinar",
        "' OR 1=1 --",
    ]:
        list(activities_for_search(SearchCriteria(text=text)))  # no database error
    assert matches("qris OR webinar") == set()  # OR is a word here, all words must appear


def test_s1_rebuild_search_index_restores_documents_written_in_bulk(world):
    # Bulk loads bypass the signals (bulk_create); the command rebuilds everything.
    ResponseNote.objects.bulk_create(
        [
            ResponseNote(
                activity=world.rates,
                text="Narwhal migration",
                author=world.bob,
                note_date=D(2025, 8, 1),
            )
        ]
    )
    assert matches("narwhal") == set()
    call_command("rebuild_search_index", verbosity=0)
    assert matches("narwhal") == {world.rates.pk}
    assert matches("peer learning") == {world.qris.pk}
    assert ActivitySearchDocument.objects.count() == TAActivity.objects.count()
    # The index keeps following changes after a rebuild.
    ResponseNote.objects.filter(text="Narwhal migration").get().delete()
    assert matches("narwhal") == set()


@pytest.mark.parametrize("sort", ["-date_opened", "staff", "-category", "record"])
def test_s1_common_words_read_in_page_order_give_the_same_results(world, monkeypatch, sort):
    from search import selectors
    from search.selectors import SearchResults

    for number in range(30):
        activity = TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            date_opened=D(2024, 1, 1 + number % 28),
        )
        if number % 3:
            _note(ResponseNote, activity, f"Common gecko note {number}", D(2025, 4, 1))
    criteria = SearchCriteria(text="gecko")
    rare = SearchResults(criteria, sort=sort)
    expected = [a.pk for a in rare[0:25]] + [a.pk for a in rare[25:50]]
    monkeypatch.setattr(selectors, "COMMON_TEXT_MATCHES", 0)  # every word is "common" now
    common = SearchResults(criteria, sort=sort)
    assert [a.pk for a in common[0:25]] + [a.pk for a in common[25:50]] == expected
    assert common.count() == rare.count() == len(expected) == 20
    with_other = SearchResults(SearchCriteria(text="gecko", primary_center=world.scbc), sort=sort)
    assert with_other.count() == 0
