"""Keep each activity's search document current when its notes or the activity change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from search import fulltext, services

NOTE_MODELS = (DescriptionNote, DeliverySummary, RequesterFeedback, ResponseNote)


def note_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    services.search_index_refresh(instance.activity_id, using=using)


def activity_saved(sender: type, instance: TAActivity, using: str, **kwargs: Any) -> None:
    services.search_index_refresh(instance.pk, using=using)


def activity_deleted(sender: type, instance: TAActivity, using: str, **kwargs: Any) -> None:
    # Runs after the activity's notes are gone (Django deletes dependants first).
    fulltext.remove_activity(instance.pk, using=using)


def connect() -> None:
    for model in NOTE_MODELS:
        post_save.connect(note_changed, sender=model, dispatch_uid=f"search-{model.__name__}-save")
        post_delete.connect(
            note_changed, sender=model, dispatch_uid=f"search-{model.__name__}-delete"
        )
    post_save.connect(activity_saved, sender=TAActivity, dispatch_uid="search-activity-save")
    post_delete.connect(activity_deleted, sender=TAActivity, dispatch_uid="search-activity-delete")
