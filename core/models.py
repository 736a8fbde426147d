"""Building blocks shared by every domain app: versioning (C1) and status changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class VersionedModel(models.Model):
    """A record edited by people: carries a version number for optimistic locking (C1).

    Services bump `version` on every update and refuse an update whose expected version
    is not the stored one (see core.concurrency).
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One transition of a status field: who, when, from, to, why (STYLE §2)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=40)
    from_value = models.CharField(max_length=40, blank=True)
    to_value = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "changed_at"])]
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.from_value or '—'} → {self.to_value}"


class Notification(models.Model):
    """An in-app message to one person (e.g. G3: a goal was added to your State)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message[:80]
