"""Writing status-change rows (STYLE §2): one per transition, inside its transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.limits import check_text_lengths
from core.models import StatusChange


def record_status_change(
    *, subject: models.Model, field: str, from_value: str, to_value: str, actor, reason: str = ""
) -> StatusChange:
    change = StatusChange(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        field=field,
        from_value=from_value or "",
        to_value=to_value,
        reason=reason,
        actor=actor,
    )
    check_text_lengths(change)  # the reason is free text (issue 12, door 8)
    change.save()
    return change


def status_changes_for(subject: models.Model):
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")
