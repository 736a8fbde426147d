"""Admin pages for TA activities and requesters, with each record's history (AU1).

The admin is the administrators' back office for inspection and corrections, and no side
door around the rules: an activity's fields are saved through `activities.services`
(`activity_update`: A1–A5 and A8 re-checked, A9 for the outcome report, A13 read-only
while closed, AU1 history naming the administrator, C1 version bump). The form runs the
same checks first, so a refusal is shown on the change form and nothing is saved.
Activities are created and moved between statuses only on the record pages (A1–A16), so
the status and completion fields are read-only here and there is no "add" page; notes are
shown read-only (their rules — A6 plan stages, A9–A11, A13 — apply where they are added
and corrected: the record page, where an administrator may correct any note).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from activities import services
from activities.models import (
    DeliverySummary,
    DescriptionNote,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from activities.selectors import parse_record_number
from activities.services.validation import REQUESTER_APPROVAL_FIELDS
from core.forms import apply_service_errors
from core.services import save_tracked


class TAActivityAdminForm(forms.ModelForm):
    """The activity's editable fields, checked by `activity_update`'s rules before saving.

    `actor` (the administrator) is set on the class by `TAActivityAdmin.get_form`.
    """

    actor: Any = None

    class Meta:
        model = TAActivity
        # The A7 approvals on record are edited on the activity's own page (read-only here).
        fields = sorted(services.ACTIVITY_EDITABLE_FIELDS - set(REQUESTER_APPROVAL_FIELDS))

    def service_fields(self) -> dict[str, Any]:
        """The submitted fields `activity_update` takes."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in services.ACTIVITY_EDITABLE_FIELDS and name in self.cleaned_data
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self._errors or self.instance.pk is None:
            return cleaned
        activity = self.instance  # as stored: the form's values are put on it after clean()
        try:
            services.activity_update_check(
                actor=self.actor,
                activity=activity,
                expected_version=activity.version,
                **self.service_fields(),
            )
        except PermissionDenied as error:
            self.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(self, error)
        return cleaned


class _NoteInline(admin.TabularInline):
    """A note shown read-only: notes are added and corrected on the record page."""

    extra = 0
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
    form = TAActivityAdminForm
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
        "cor_name",
        "cor_approval_date",
        *REQUESTER_APPROVAL_FIELDS,
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

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[TAActivityAdminForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # a class made for this request by modelform_factory
        return form

    def save_model(
        self, request: HttpRequest, obj: TAActivity, form: TAActivityAdminForm, change: bool
    ) -> None:
        services.activity_update(
            actor=request.user,
            activity=obj,
            expected_version=obj.version,
            **form.service_fields(),
        )

    def save_related(
        self, request: HttpRequest, form: TAActivityAdminForm, formsets: Any, change: bool
    ) -> None:
        # `activity_update` saved the many-to-many sets with the record (one history row);
        # the note inlines are read-only, so there is nothing else to save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

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
        # The form has validated the record; save it with history and a version bump.
        save_tracked(obj, actor=request.user, bump_version=change, full_clean=False)
