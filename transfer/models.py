"""What the importer made from which spreadsheet row (issue 11: importing the same file again
changes nothing).

`ImportedRecord` is an append-only log written only by the importer, inside the import's own
transaction: one row per imported spreadsheet row, never edited or deleted by a person. It
carries no `HistoricalRecords` (AU1) on purpose: it has no edits to keep, its own row already
says who imported what and when, and every record it points to keeps its full history
through the services that made it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedRecord(models.Model):
    """One imported row: (source, kind, external id) → the record it became."""

    source = models.CharField(max_length=80)
    kind = models.CharField(max_length=30)
    external_id = models.CharField("external ID", max_length=120)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    row_hash = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "kind", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="uniq_imported_record"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source}/{self.kind}/{self.external_id}"


class PendingImport(models.Model):
    """An uploaded file between its dry run and the administrator's confirmation.

    Kept in the database (not in a process's memory or local disk) so the confirmation may
    reach any web process. Deleted once imported; carries no history (AU1): it is a
    transient upload, not a record — the records it becomes keep theirs.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    source = models.CharField(max_length=80)
    data = models.BinaryField()
    rows = models.PositiveIntegerField(default=0)
    # The errors of the last run, as a list of [file, row, column, message].
    errors = models.JSONField(default=list)
    clean = models.BooleanField(default=False)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"
