"""Admin site for goals: inspection and corrections by TAT administrators, with history.

No side door around the rules: every change saved here goes through `goals.services`, so
the admin obeys G1 (categories, dates, note dates), G4 (a goal closes with an explanatory
note once its TA activities are all closed or cancelled; reopening needs a reason), C1
(versions bump) and AU1 (history names the administrator). The form runs the services'
checks first, so a refusal is shown on the change form and nothing is saved.

Goals are created on the goal pages (G2 duplicates, G3 notices); the category and the
strategic-area list change there too (a new category needs its own strategic areas);
closure requests are decided on the closure queue, so they are read-only here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.forms import apply_service_errors
from core.history import attribute_change
from goals import services
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea

STATUS_NOTE_HELP = (
    "Required to close or reopen the goal: closing adds it as the completion note, "
    "reopening keeps it as the reason."
)


class GoalAdminForm(forms.ModelForm):
    """The goal's editable fields, checked by the services before anything is saved."""

    status_note = forms.CharField(
        label="Explanatory note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=STATUS_NOTE_HELP,
    )

    class Meta:
        model = Goal
        fields = ["related_category", "readiness", "start_date", "start_date_is_approximate"]
        fields += ["status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_status = self.instance.status
        # Left out of a post, the status stays as it is.
        self.fields["status"].required = False

    def status_changes(self) -> bool:
        return self.cleaned_data.get("status") != self.stored_status

    def goal_changes(self) -> dict[str, Any]:
        """The changed fields `goal_update` takes."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.GOAL_UPDATE_FIELDS and name in self.cleaned_data
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        goal = self.instance  # as stored: the form's values are put on it after clean()
        try:
            services.goal_update_check(goal=goal, **self.goal_changes())
        except ValidationError as error:
            apply_service_errors(self, error)
        if not cleaned.get("status"):
            cleaned["status"] = self.stored_status
        note = cleaned.get("status_note", "")
        try:
            if self.status_changes() and cleaned["status"] == Goal.Status.CLOSED:
                services.goal_close_check(goal=goal, note=note)
            elif self.status_changes():
                services.goal_reopen_check(goal=goal, reason=note)
        except ValidationError as error:
            apply_service_errors(self, error, {"note": "status_note", "reason": "status_note"})
        return cleaned


class StrategicAreaInline(admin.TabularInline):
    """Notes may be corrected here; strategic areas are added and removed on the goal's
    page (G1: from the goal category's list, never the last one, never one with TA
    activities)."""

    model = StrategicArea
    extra = 0
    fields = ["item", "notes", "version"]
    readonly_fields = ["item", "version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GoalNoteFormSet(BaseInlineFormSet):
    """G1: a corrected note keeps a text and a date no later than today."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if not form.has_changed() or form in self.deleted_forms or not form.is_valid():
                continue
            try:
                services.goal_note_check(
                    text=form.cleaned_data.get("text", ""),
                    note_date=form.cleaned_data.get("note_date"),
                )
            except ValidationError as error:
                apply_service_errors(form, error)


class GoalNoteInline(admin.TabularInline):
    """Notes are corrected here; they are added on the goal's page (completion notes when
    the goal is closed)."""

    model = GoalNote
    formset = GoalNoteFormSet
    extra = 0
    fields = ["note_date", "kind", "text", "author", "version"]
    readonly_fields = ["kind", "author", "version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    form = GoalAdminForm
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
        "status_note",
        ("closed_at", "closed_by"),
        ("created_by", "created_at"),
        ("version", "updated_at"),
    ]
    readonly_fields = [
        "jurisdiction",
        "category",
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

    @transaction.atomic
    def save_model(
        self, request: HttpRequest, obj: Goal, form: GoalAdminForm, change: bool
    ) -> None:
        actor = request.user
        changes = form.goal_changes()
        if changes:
            services.goal_update(actor=actor, goal=obj, expected_version=None, **changes)
        if form.status_changes():
            note = form.cleaned_data["status_note"]
            if form.cleaned_data["status"] == Goal.Status.CLOSED:
                services.goal_close(actor=actor, goal=obj, note=note)
            else:
                services.goal_reopen(actor=actor, goal=obj, reason=note)
        obj.refresh_from_db()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        actor = request.user
        for instance in formset.save(commit=False):
            if isinstance(instance, GoalNote):
                services.goal_note_update(
                    actor=actor,
                    note=instance,
                    text=instance.text,
                    note_date=instance.note_date,
                    expected_version=None,
                )
            else:
                services.strategic_area_update_notes(
                    actor=actor,
                    strategic_area=instance,
                    notes=instance.notes,
                    expected_version=None,
                )
        for deleted in formset.deleted_objects:
            attribute_change(deleted, actor)
            deleted.delete()


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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
