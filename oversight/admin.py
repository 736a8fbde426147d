"""Admin site for the monthly review (R1): read-only inspection with history (AU1).

Review marks and send-backs are made on the review page and the record page, through
`oversight.services` (permissions, notifications, status changes); the admin only shows
them, so no path skips a rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from oversight.models import ReviewMark, SendBack


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReviewMark)
class ReviewMarkAdmin(ReadOnlyAdmin):
    list_display = ("activity", "month", "reviewed_by", "reviewed_at")
    list_filter = ("month",)
    list_select_related = ("activity__focus", "reviewed_by")
    raw_id_fields = ("activity",)


@admin.register(SendBack)
class SendBackAdmin(ReadOnlyAdmin):
    list_display = ("activity", "month", "about", "status", "sent_by", "sent_at", "addressed_at")
    list_filter = ("status", "about", "month")
    list_select_related = ("activity__focus", "sent_by")
    raw_id_fields = ("activity",)
    search_fields = ("comment", "reply")
