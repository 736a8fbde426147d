"""Admin pages for TA activities and requesters, with each record's history (AU1).

The admin is the administrators' back office for inspection and corrections; activities
are created and moved between statuses only through activities.services (A1–A16), so
here the status and completion fields are read-only and there is no "add" page. Every
admin save bumps the record's version, so a page opened earlier gets a conflict (C1)
instead of silently overwriting the correction, and is attributed to the admin (AU1).
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
from core.concurrency import bump_version


class _NoteInline(admin.TabularInline):
    extra = 0
    readonly_fields = ("author", "created_at")
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
    readonly_fields = ("author", "due_date", "is_late", "created_at")


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
    raw_id_fields = ("requesters", "primary_staff", "collaborating_staff")
    filter_horizontal = ("collaborating_centers", "other_collaborators")
    readonly_fields = (
        "record_number",
        "jurisdiction",
        "goal",
        "strategic_area",
        "goal_category",
        "is_late_entry",
        "status",
        "approved_by",
        "approved_at",
        "completion_status",
        "completion_date",
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New activities go through activity_create (A1–A8 checks, A16 duplicates).
        return False

    def save_model(self, request: HttpRequest, obj: TAActivity, form, change: bool) -> None:
        if change:
            bump_version(obj)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if instance.pk:
                bump_version(instance)
            if not instance.author_id:
                instance.author = request.user
            instance._history_user = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted._history_user = request.user
            deleted.delete()
        formset.save_m2m()

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
        if change:
            bump_version(obj)
        else:
            obj.created_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
