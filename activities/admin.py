"""Admin pages for TA activities and requesters, with each record's history (AU1).

The admin is the administrators' back office; everyday data entry goes through the
services (activities.services), which enforce the rules.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from activities.selectors import parse_record_number


class _NoteInline(admin.TabularInline):
    extra = 0
    raw_id_fields = ("author",)
    readonly_fields = ("created_at",)
    show_change_link = False


class DescriptionNoteInline(_NoteInline):
    model = DescriptionNote
    fields = ("note_date", "stage", "text", "author", "created_at")


class DeliverySummaryInline(_NoteInline):
    model = DeliverySummary
    fields = (
        "note_date",
        "text",
        "delivery_methods",
        "ta_types",
        "author",
        "due_date",
        "is_late",
        "created_at",
    )
    readonly_fields = ("due_date", "is_late", "created_at")


class RequesterFeedbackInline(_NoteInline):
    model = RequesterFeedback
    fields = ("note_date", "giver_name", "giver_title", "text", "author", "created_at")


class ResponseNoteInline(_NoteInline):
    model = ResponseNote
    fields = ("note_date", "text", "author", "created_at")


@admin.register(TAActivity)
class TAActivityAdmin(SimpleHistoryAdmin):
    list_display = (
        "record_number",
        "title",
        "jurisdiction",
        "status",
        "completion_status",
        "primary_center",
        "primary_staff",
        "date_opened",
    )
    list_filter = ("status", "completion_status", "priority", "activity_type", "primary_center")
    list_select_related = ("jurisdiction", "focus", "primary_center", "primary_staff")
    search_fields = ("focus__name", "other_focus_notes", "jurisdiction__name")
    date_hierarchy = "date_opened"
    raw_id_fields = (
        "goal",
        "strategic_area",
        "requesters",
        "primary_staff",
        "collaborating_staff",
        "approved_by",
    )
    filter_horizontal = ("collaborating_centers", "other_collaborators")
    readonly_fields = (
        "record_number",
        "is_late_entry",
        "created_by",
        "version",
        "created_at",
        "updated_at",
    )
    inlines = (
        DescriptionNoteInline,
        DeliverySummaryInline,
        RequesterFeedbackInline,
        ResponseNoteInline,
    )

    def save_model(self, request: HttpRequest, obj: TAActivity, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="TA record number", ordering="pk")
    def record_number(self, obj: TAActivity) -> str:
        return obj.record_number

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """A15: a record number ("TA-000123" or "123") finds that record too."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            pk = parse_record_number(search_term)
        except ValueError:
            return results, may_have_duplicates
        return results | queryset.filter(pk=pk), may_have_duplicates


@admin.register(Requester)
class RequesterAdmin(SimpleHistoryAdmin):
    list_display = ("name", "title", "email", "jurisdiction", "region", "approved_by", "active")
    list_filter = ("active", "approved_by", "region")
    list_select_related = ("jurisdiction", "region")
    search_fields = ("name", "email", "title")
    readonly_fields = ("created_by", "version", "created_at", "updated_at")

    def save_model(self, request: HttpRequest, obj: Requester, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
