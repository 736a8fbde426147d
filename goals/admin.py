"""Admin site for goals: inspection and corrections by TAT administrators, with history.

Goals are created, closed and reopened through goals.services (rules G1–G4), so here the
status fields are read-only and closure requests can only be looked at. Every save from
the admin bumps the record's version, so a page opened earlier gets a conflict (C1)
instead of silently overwriting the correction.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import bump_version
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea


class StrategicAreaInline(admin.TabularInline):
    model = StrategicArea
    extra = 0
    fields = ["item", "notes", "version"]
    readonly_fields = ["version"]


class GoalNoteInline(admin.TabularInline):
    model = GoalNote
    extra = 0
    fields = ["note_date", "kind", "text", "author", "version"]
    readonly_fields = ["author", "version"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = [
        "id",
        "jurisdiction",
        "category",
        "related_category",
        "readiness",
        "start_date",
        "status",
    ]
    list_filter = ["status", "readiness", "category", "jurisdiction__region"]
    list_select_related = ["jurisdiction", "category", "related_category"]
    search_fields = ["jurisdiction__name", "jurisdiction__code", "category__name"]
    date_hierarchy = "start_date"
    fields = [
        "jurisdiction",
        "category",
        "related_category",
        "readiness",
        ("start_date", "start_date_is_approximate"),
        "status",
        ("closed_at", "closed_by"),
        ("created_by", "created_at"),
        ("version", "updated_at"),
    ]
    readonly_fields = [
        "status",
        "closed_at",
        "closed_by",
        "created_by",
        "created_at",
        "updated_at",
        "version",
    ]
    inlines = [StrategicAreaInline, GoalNoteInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New goals go through goal_create (G1 validation, G2 duplicates, G3 notices).
        return False

    def save_model(self, request: HttpRequest, obj: Goal, form, change: bool) -> None:
        if change:
            bump_version(obj)
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if instance.pk:
                bump_version(instance)
            if isinstance(instance, GoalNote) and not instance.author_id:
                instance.author = request.user
            instance._history_user = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted._history_user = request.user
            deleted.delete()
        formset.save_m2m()


@admin.register(GoalClosureRequest)
class GoalClosureRequestAdmin(SimpleHistoryAdmin):
    """The closure-request queue, read-only here: decisions go through goal_close and
    goal_closure_decline, which also write the status change and the completion note."""

    list_display = ["goal", "requested_by", "requested_at", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["goal__jurisdiction", "goal__category", "requested_by", "decided_by"]
    search_fields = ["goal__jurisdiction__name", "reason", "requested_by__full_name"]
    fields = [
        "goal",
        "reason",
        ("requested_by", "requested_at"),
        "status",
        ("decided_by", "decided_at"),
        "decision_note",
    ]
    readonly_fields = [
        "goal",
        "reason",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
