"""Read-only admin lists of status changes and notifications: both are written by services."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import Notification, StatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that record what happened; nobody edits or deletes them by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "changed_at",
        "content_type",
        "object_id",
        "field",
        "from_value",
        "to_value",
        "actor",
    )
    list_filter = ("content_type", "field", "to_value")
    list_select_related = ("content_type", "actor")
    search_fields = ("reason", "actor__full_name", "actor__email")
    date_hierarchy = "changed_at"
    ordering = ("-changed_at", "-id")
    fields = (
        "content_type",
        "object_id",
        "field",
        "from_value",
        "to_value",
        "reason",
        "actor",
        "changed_at",
    )
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "short_message", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    list_select_related = ("recipient",)
    search_fields = ("message", "recipient__full_name", "recipient__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("recipient", "message", "link", "created_at", "read_at")
    readonly_fields = fields

    @admin.display(description="message")
    def short_message(self, obj: Notification) -> str:
        return obj.message[:100]
