"""Writes of the search app: saved searches (a person names a search to run it again), and
deferring the full-text index refresh during a bulk write (`search_index_deferred`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.permissions import require
from search import fulltext
from search.models import SavedSearch

# (database alias, activity id) pairs whose search document waits for the end of a
# `search_index_deferred` block; None outside one.
_DEFERRED: ContextVar[set[tuple[str, int]] | None] = ContextVar("search_deferred", default=None)

NAME_REQUIRED = "Give this search a name."
NAME_TAKEN = "You already have a saved search named “{name}” — choose another name."


@transaction.atomic
def saved_search_create(*, actor: User, name: str, query_string: str) -> SavedSearch:
    """Save the criteria of a search under a name unique among the person's searches."""
    require(actor, "search.add_savedsearch")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if SavedSearch.objects.filter(owner=actor, name__iexact=name).exists():
        raise ValidationError({"name": NAME_TAKEN.format(name=name)})
    saved = SavedSearch(owner=actor, name=name, query_string=query_string)
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, actor: User, saved_search: SavedSearch) -> None:
    """Delete one of the person's own saved searches."""
    require(actor, "search.delete_savedsearch", saved_search)
    saved_search.delete()


def search_index_refresh(activity_id: int, *, using: str = "default") -> None:
    """Rewrite one activity's search document now, or at the end of the enclosing
    `search_index_deferred` block (the note and activity signals call this)."""
    pending = _DEFERRED.get()
    if pending is not None:
        pending.add((using, activity_id))
        return
    fulltext.refresh_activity(activity_id, using=using)


@contextmanager
def search_index_deferred() -> Iterator[None]:
    """Within the block, saving a note or an activity only notes the activity; when the
    block ends without an error, each noted activity's document is rewritten once.

    For bulk writes through the services (the importer: an activity with ten notes is
    refreshed once instead of eleven times). Use it inside the writer's transaction, so the
    documents are written, or rolled back, with the records. A nested block joins the outer
    one. On an error nothing is refreshed: the transaction it runs in is being abandoned.
    """
    if _DEFERRED.get() is not None:
        yield
        return
    pending: set[tuple[str, int]] = set()
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    for using, activity_id in sorted(pending):
        fulltext.refresh_activity(activity_id, using=using)
