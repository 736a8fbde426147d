"""Writes of the search app: saved searches (a person names a search to run it again)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.permissions import require
from search.models import SavedSearch

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
