"""Search: saved searches per person, and the full-text document of every TA activity (S1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from activities.models import TAActivity


class SavedSearch(models.Model):
    """A person's named search: the criteria as a URL query string, run again from home."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField("name of this search", max_length=100)
    query_string = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="uniq_saved_search_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ActivitySearchDocument(models.Model):
    """The words of one activity's notes, concatenated: the source of the full-text index.

    One row per activity: its other-focus notes, description notes, summaries of TA
    delivered, requester feedback and TA response notes. `search.indexing` keeps it current
    (signals on every note model and on TAActivity); the database indexes it — an FTS5
    external-content table kept in step by triggers on SQLite, a generated `tsvector`
    column with a GIN index on PostgreSQL (migration 0002).

    There is no database foreign key on purpose: Django deletes an activity's notes before
    the activity, and each note deletion rewrites this row, so the row is removed when the
    activity itself is gone (see `search.signals`).
    """

    activity = models.OneToOneField(
        TAActivity,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_document",
    )
    document = models.TextField(blank=True)

    class Meta:
        verbose_name = "activity search document"

    def __str__(self) -> str:
        return f"Search document of activity {self.activity_id}"
